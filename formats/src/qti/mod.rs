//! QTI, 1EdTech's interchange format for items (what TAO, Moodle plugins and most commercial
//! tools export), at its Basic level.
//!
//! [`import`] takes either one item file (QTI 2.1/2.2 `assessmentItem` or QTI 3.0
//! `qti-assessment-item`) or a content package (a zip with `imsmanifest.xml`) and reads:
//! `choiceInteraction` (single choice when `maxChoices` is 1, multiple response otherwise),
//! `textEntryInteraction` (short text, or numeric when the response's `baseType` is integer or
//! float), `extendedTextInteraction` (essay), `matchInteraction` with directed pairs (matching),
//! and an item body without interaction (description), scored by the `match_correct` or
//! `map_response` templates. Everything else (custom response processing, other templates,
//! other interactions, several interactions in one item, template variables) is refused with a
//! reason that names the item's identifier. Item bodies become HTML stems; package images become
//! item images referred to as `@@PLUGINFILE@@/NAME`.
//!
//! [`export`] writes a QTI 3.0 package that [`import`] reads back to items with the same
//! content hash; what it cannot express is listed, never dropped silently (see `export.rs`).

mod content;
mod export;
mod item;
mod package;
mod response;
mod tree;

pub use export::{QtiExport, export};

use crate::moodle_xml::lines::LineIndex;
use crate::{ImportError, ImportReport};
use content::{Media, NoMedia};
use package::{ItemFile, Package, PackageMedia};
use phongthi_items::{Image, SourceRef};

/// Largest single XML file read, so one item cannot hold the whole memory.
const MAX_XML_BYTES: usize = 16 << 20;

/// Whether `bytes` look like a zip (a package) rather than an XML file.
pub fn is_package(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Whether an XML file's root element is a QTI item (`assessmentItem`, `qti-assessment-item`),
/// so that `qbank import` can tell it from Moodle XML by content.
pub fn is_item_xml(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut rest = head.as_ref();
    // Skip the declaration, comments and processing instructions before the root tag.
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        if after.starts_with('?') || after.starts_with('!') {
            rest = after;
            continue;
        }
        let name: String = after.chars().take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/').collect();
        let local = name.rsplit(':').next().unwrap_or_default();
        return local == "assessmentItem" || local == "qti-assessment-item";
    }
    false
}

/// Reads a QTI item file or package. `file_name` is used in messages and `meta.source` (an item
/// of a package is `package.zip/items/i1.xml`).
pub fn import(file_name: &str, bytes: &[u8]) -> ImportReport {
    let mut report = ImportReport::default();
    if is_package(bytes) {
        import_package(file_name, bytes, &mut report);
    } else {
        import_file(file_name, bytes, &mut NoMedia, &[], &mut report);
    }
    report
}

fn import_package(file_name: &str, bytes: &[u8], report: &mut ImportReport) {
    let whole = |message: String| ImportError::new(file_name, 1, None, message);
    let mut package = match Package::open(bytes) {
        Ok(package) => package,
        Err(message) => return report.errors.push(whole(message)),
    };
    let manifest = match package.read("imsmanifest.xml") {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return report.errors.push(whole(
                "gói không có imsmanifest.xml: không phải gói QTI / no imsmanifest.xml: not a QTI package".to_owned(),
            ));
        }
        Err(message) => return report.errors.push(whole(message)),
    };
    let manifest_text = String::from_utf8_lossy(&manifest);
    let manifest_text = manifest_text.strip_prefix('\u{feff}').unwrap_or(&manifest_text);
    let root = match tree::parse(manifest_text) {
        Ok(root) => root,
        Err(problem) => {
            let (line, column) = LineIndex::new(manifest_text).locate(problem.offset);
            return report.errors.push(ImportError::new(
                &format!("{file_name}/imsmanifest.xml"),
                line,
                Some(column),
                problem.message,
            ));
        }
    };
    let files = match package::items(&root, &mut package) {
        Ok(files) => files,
        Err(message) => return report.errors.push(whole(message)),
    };
    if files.is_empty() {
        report.errors.push(whole(
            "imsmanifest.xml không có tài nguyên câu hỏi QTI / imsmanifest.xml lists no QTI item resources".to_owned(),
        ));
    }
    for ItemFile { path, files } in files {
        let shown = format!("{file_name}/{path}");
        let bytes = match package.read(&path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                report.errors.push(whole(format!("gói không có {path} / the package has no {path}")));
                continue;
            }
            Err(message) => {
                report.errors.push(whole(message));
                continue;
            }
        };
        let dir = package::dir_of(&path).to_owned();
        let mut media = PackageMedia { package: &mut package, dir };
        import_file(&shown, &bytes, &mut media, &files, report);
    }
}

/// Reads one item file into `report`. `listed` are the files its manifest resource names: an
/// item this crate exported takes its images from them, in that order.
fn import_file(file_name: &str, bytes: &[u8], media: &mut dyn Media, listed: &[String], report: &mut ImportReport) {
    if bytes.len() > MAX_XML_BYTES {
        report.errors.push(ImportError::new(
            file_name,
            1,
            None,
            format!("tệp lớn hơn {} MiB / the file is larger than {} MiB", MAX_XML_BYTES >> 20, MAX_XML_BYTES >> 20),
        ));
        return;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        report.errors.push(ImportError::new(file_name, 1, None, "tệp không phải UTF-8 / the file is not UTF-8"));
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    let error_at = |offset: usize, message: String| {
        let (line, column) = lines.locate(offset);
        ImportError::new(file_name, line, Some(column), message)
    };
    let root = match tree::parse(text) {
        Ok(root) => root,
        Err(problem) => return report.errors.push(error_at(problem.offset, problem.message)),
    };
    let identifier = root.attribute("identifier").unwrap_or("?").to_owned();
    let named = |message: String| format!("câu hỏi \"{identifier}\" / item \"{identifier}\": {message}");
    let read = item::read(&root, text, media).and_then(|(mut item, ours)| {
        if ours {
            own_images(&mut item.images, media, listed).map_err(|m| tree::Problem::new(root.offset, m))?;
        }
        let (line, _) = lines.locate(root.offset);
        item.meta.source = Some(SourceRef { file: file_name.to_owned(), line });
        item.validate().map_err(|e| tree::Problem::new(root.offset, e.to_string()))?;
        Ok(item)
    });
    match read {
        Ok(item) => report.items.push(item),
        Err(problem) => report.errors.push(error_at(problem.offset, named(problem.message))),
    }
}

/// An exported item's images in the order its resource lists them (unreferenced ones too), so
/// that the content hash comes back; referenced images not listed stay at the end.
fn own_images(images: &mut Vec<Image>, media: &mut dyn Media, listed: &[String]) -> Result<(), String> {
    let mut ordered: Vec<Image> = Vec::new();
    for path in listed.iter().filter(|p| p.contains("/media/")) {
        // Manifest paths are from the package root, which a leading `/` names.
        if let Some(image) = media.fetch(&format!("/{path}"))?
            && !ordered.iter().any(|i| i.name == image.name)
        {
            ordered.push(image);
        }
    }
    for image in images.drain(..) {
        if !ordered.iter().any(|i| i.name == image.name) {
            ordered.push(image);
        }
    }
    *images = ordered;
    Ok(())
}
