//! The ZIP package of a Word document (ECMA-376 Part 2, Open Packaging Conventions): content
//! types, the relationships, the core properties with the title, the document, its styles,
//! settings and footer, and the pictures under `word/media/`.
//!
//! Relationship ids are fixed for the parts every document has (`rIdStyles`, …) and numbered for
//! pictures, so the same exam always gives the same bytes (the ZIP entries carry the format's
//! default date, not the clock).

use super::super::PrintError;
use super::styles;
use super::xml::Xml;
use std::io::Write;

/// The relationship of the footer, referenced by the section properties.
pub(super) const FOOTER_REL: &str = "rIdFooter1";

const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A picture kept for `word/media/`.
struct Media {
    file: String,
    bytes: Vec<u8>,
}

/// The pictures of a document being written; the parts are given to [`Package::finish`].
#[derive(Default)]
pub(super) struct Package {
    media: Vec<Media>,
    /// Drawings placed so far: every `wp:docPr` needs an id unique in the document, also when
    /// one picture is shown twice.
    drawings: usize,
}

/// The picture formats a package may hold (the ones the bank stores).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Picture {
    /// `image/png`.
    Png,
    /// `image/jpeg`.
    Jpeg,
}

impl Picture {
    /// The format of `bytes`, by their signature; `None` for anything else.
    pub(super) fn of(bytes: &[u8]) -> Option<Picture> {
        match image::guess_format(bytes) {
            Ok(image::ImageFormat::Png) => Some(Picture::Png),
            Ok(image::ImageFormat::Jpeg) => Some(Picture::Jpeg),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Picture::Png => "png",
            Picture::Jpeg => "jpeg",
        }
    }
}

impl Package {
    /// Adds a picture, or finds the same bytes added before (a figure shown in the stem and
    /// again in an option goes into `word/media/` once); returns its relationship id for
    /// `a:blip r:embed`.
    pub(super) fn add_picture(&mut self, bytes: &[u8], kind: Picture) -> String {
        let index = match self.media.iter().position(|media| media.bytes == bytes) {
            Some(index) => index,
            None => {
                let number = self.media.len() + 1;
                self.media.push(Media { file: format!("image{number}.{}", kind.extension()), bytes: bytes.to_vec() });
                number - 1
            }
        };
        image_relationship(index)
    }

    /// The id of the next drawing (1, 2, …), for `wp:docPr` and `pic:cNvPr`.
    pub(super) fn next_drawing(&mut self) -> usize {
        self.drawings += 1;
        self.drawings
    }

    /// The `.docx` bytes: `document` and `footer` are the finished `word/document.xml` and
    /// `word/footer1.xml`, `title` goes into the core properties.
    pub(super) fn finish(self, title: &str, document: Vec<u8>, footer: Vec<u8>) -> Result<Vec<u8>, PrintError> {
        let zip_error = |e: zip::result::ZipError| PrintError::Docx(e.to_string());
        let io_error = |e: std::io::Error| PrintError::Docx(e.to_string());
        let mut parts: Vec<(String, Vec<u8>)> = vec![
            ("[Content_Types].xml".to_owned(), content_types()?),
            ("_rels/.rels".to_owned(), package_rels()?),
            ("docProps/core.xml".to_owned(), core(title)?),
            ("word/document.xml".to_owned(), document),
            ("word/_rels/document.xml.rels".to_owned(), self.document_rels()?),
            ("word/styles.xml".to_owned(), styles::styles()?),
            ("word/settings.xml".to_owned(), styles::settings()?),
            ("word/footer1.xml".to_owned(), footer),
        ];
        for media in self.media {
            parts.push((format!("word/media/{}", media.file), media.bytes));
        }
        // The date is set, not left to the default: with zip's `time` feature (another crate of
        // the build may turn it on) the default is the clock, and the same exam would no longer
        // give the same bytes.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::DEFAULT);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in &parts {
            zip.start_file(name.as_str(), options).map_err(zip_error)?;
            zip.write_all(bytes).map_err(io_error)?;
        }
        Ok(zip.finish().map_err(zip_error)?.into_inner())
    }

    fn document_rels(&self) -> Result<Vec<u8>, PrintError> {
        let mut xml = Xml::new();
        xml.open("Relationships", &[("xmlns", RELATIONSHIPS)]);
        relationship(&mut xml, "rIdStyles", "styles", "styles.xml");
        relationship(&mut xml, "rIdSettings", "settings", "settings.xml");
        relationship(&mut xml, FOOTER_REL, "footer", "footer1.xml");
        for (index, media) in self.media.iter().enumerate() {
            relationship(&mut xml, &image_relationship(index), "image", &format!("media/{}", media.file));
        }
        xml.close("Relationships");
        xml.finish()
    }
}

/// The relationship id of the picture at `index` of the media (`rIdImage1`, …).
fn image_relationship(index: usize) -> String {
    format!("rIdImage{}", index + 1)
}

fn relationship(xml: &mut Xml, id: &str, kind: &str, target: &str) {
    let kind = format!("{OFFICE_RELS}/{kind}");
    xml.empty("Relationship", &[("Id", id), ("Type", &kind), ("Target", target)]);
}

fn content_types() -> Result<Vec<u8>, PrintError> {
    const WORD: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut xml = Xml::new();
    xml.open("Types", &[("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types")]);
    for (extension, kind) in [
        ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
        ("xml", "application/xml"),
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
    ] {
        xml.empty("Default", &[("Extension", extension), ("ContentType", kind)]);
    }
    for (part, kind) in [
        ("/word/document.xml", format!("{WORD}.document.main+xml")),
        ("/word/styles.xml", format!("{WORD}.styles+xml")),
        ("/word/settings.xml", format!("{WORD}.settings+xml")),
        ("/word/footer1.xml", format!("{WORD}.footer+xml")),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml".to_owned()),
    ] {
        xml.empty("Override", &[("PartName", part), ("ContentType", &kind)]);
    }
    xml.close("Types");
    xml.finish()
}

fn package_rels() -> Result<Vec<u8>, PrintError> {
    let mut xml = Xml::new();
    xml.open("Relationships", &[("xmlns", RELATIONSHIPS)]);
    relationship(&mut xml, "rIdDocument", "officeDocument", "word/document.xml");
    xml.empty(
        "Relationship",
        &[
            ("Id", "rIdCore"),
            ("Type", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"),
            ("Target", "docProps/core.xml"),
        ],
    );
    xml.close("Relationships");
    xml.finish()
}

/// The core properties: the title Word shows in File ▸ Info, the language, the producer. No
/// dates: the same exam gives the same file.
fn core(title: &str) -> Result<Vec<u8>, PrintError> {
    let mut xml = Xml::new();
    xml.open(
        "cp:coreProperties",
        &[
            ("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
        ],
    );
    xml.element("dc:title", &[], title);
    xml.element("dc:creator", &[], "Phòng Thi");
    xml.element("dc:language", &[], "vi-VN");
    xml.close("cp:coreProperties");
    xml.finish()
}
