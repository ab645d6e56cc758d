//! The `.docx` container: a ZIP of XML parts (ECMA-376 Open Packaging Conventions). We read the
//! main document, its relationships (picture ids → `word/media/…`), the numbering part and the
//! pictures the document uses, with limits on every size so a crafted file cannot exhaust memory
//! (a ZIP entry's declared size is checked, then the read is capped anyway).

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Largest part we decompress (a 200-question paper's `document.xml` is a few MB).
const MAX_PART: u64 = 64 * 1024 * 1024;
/// Largest total of all parts read from one file.
const MAX_TOTAL: u64 = 256 * 1024 * 1024;
/// More entries than this is not a test paper.
const MAX_ENTRIES: usize = 10_000;

/// Why a file is not a Word document we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackageError {
    /// Not a ZIP at all (a `.doc` from Word 97–2003 lands here).
    #[error(
        "không phải tệp Word .docx (có thể là .doc cũ: hãy lưu lại dưới dạng .docx) / \
         not a Word .docx file (an old .doc? save it as .docx): {0}"
    )]
    NotZip(String),
    /// A ZIP without `word/document.xml`.
    #[error("tệp ZIP không có word/document.xml: không phải tài liệu Word / no word/document.xml: not a Word document")]
    NoDocument,
    /// A part is larger than we read.
    #[error("phần {0} quá lớn / part {0} is too large")]
    TooLarge(String),
    /// A part could not be decompressed.
    #[error("không đọc được phần {part} / cannot read part {part}: {reason}")]
    Unreadable {
        /// Part name.
        part: String,
        /// What the ZIP reader said.
        reason: String,
    },
    /// A part that must be text is not UTF-8.
    #[error("phần {0} không phải UTF-8 / part {0} is not UTF-8")]
    NotUtf8(String),
}

/// The parts of a document the importer needs.
pub(crate) struct Package {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    read_so_far: u64,
    /// `word/document.xml`.
    pub(crate) document: String,
    /// `word/numbering.xml`, when present.
    pub(crate) numbering: Option<String>,
    /// Relationship id → target path inside the ZIP (`word/media/image1.png`).
    relationships: HashMap<String, String>,
}

/// Whether `bytes` look like a Word document (a ZIP that names `word/document.xml`), for format
/// guessing without a file extension.
pub fn looks_like_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && bytes.windows(17).any(|w| w == b"word/document.xml")
}

impl Package {
    /// Opens the ZIP and reads the text parts.
    pub(crate) fn open(bytes: &[u8]) -> Result<Self, PackageError> {
        let archive =
            zip::ZipArchive::new(Cursor::new(bytes.to_vec())).map_err(|e| PackageError::NotZip(e.to_string()))?;
        if archive.len() > MAX_ENTRIES {
            return Err(PackageError::TooLarge(format!("({} entries)", archive.len())));
        }
        let mut package =
            Self { archive, read_so_far: 0, document: String::new(), numbering: None, relationships: HashMap::new() };
        package.document = package.text("word/document.xml")?.ok_or(PackageError::NoDocument)?;
        package.numbering = package.text("word/numbering.xml")?;
        if let Some(rels) = package.text("word/_rels/document.xml.rels")? {
            package.relationships = relationships(&rels);
        }
        Ok(package)
    }

    /// A part's bytes, `None` when the ZIP has no such entry.
    pub(crate) fn bytes(&mut self, part: &str) -> Result<Option<Vec<u8>>, PackageError> {
        let mut entry = match self.archive.by_name(part) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(PackageError::Unreadable { part: part.to_owned(), reason: e.to_string() }),
        };
        if entry.size() > MAX_PART || self.read_so_far + entry.size() > MAX_TOTAL {
            return Err(PackageError::TooLarge(part.to_owned()));
        }
        let mut out = Vec::new();
        // The declared size may lie: cap what is actually inflated too.
        (&mut entry)
            .take(MAX_PART + 1)
            .read_to_end(&mut out)
            .map_err(|e| PackageError::Unreadable { part: part.to_owned(), reason: e.to_string() })?;
        if out.len() as u64 > MAX_PART {
            return Err(PackageError::TooLarge(part.to_owned()));
        }
        self.read_so_far += out.len() as u64;
        Ok(Some(out))
    }

    fn text(&mut self, part: &str) -> Result<Option<String>, PackageError> {
        match self.bytes(part)? {
            None => Ok(None),
            Some(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| PackageError::NotUtf8(part.to_owned()))?;
                Ok(Some(text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text)))
            }
        }
    }

    /// The ZIP path a relationship id points at (`word/media/image1.png`).
    pub(crate) fn target(&self, id: &str) -> Option<&str> {
        self.relationships.get(id).map(String::as_str)
    }
}

/// Reads `document.xml.rels`: `Id` → `Target` resolved against `word/` (targets are relative to
/// the part; external links are skipped).
fn relationships(xml: &str) -> HashMap<String, String> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut map = HashMap::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(tag) | Event::Start(tag)) if tag.local_name().as_ref() == "Relationship" => {
                let mut id = None;
                let mut target = None;
                let mut external = false;
                for attribute in tag.attributes().flatten() {
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    match attribute.key.local_name().as_ref() {
                        "Id" => id = Some(value),
                        "Target" => target = Some(value),
                        "TargetMode" => external = value == "External",
                        _ => {}
                    }
                }
                if let (Some(id), Some(target), false) = (id, target, external) {
                    map.insert(id, resolve(&target));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    map
}

/// `media/a.png` → `word/media/a.png`; `/word/media/a.png` → `word/media/a.png`; `../x` climbs.
fn resolve(target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_owned();
    }
    let mut parts: Vec<&str> = vec!["word"];
    for segment in target.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_inside_the_package() {
        let rels = r#"<Relationships xmlns="x"><Relationship Id="rId5" Type="t" Target="media/image1.png"/>
            <Relationship Id="rId6" Type="t" Target="/word/media/b.jpeg"/>
            <Relationship Id="rId7" Type="t" Target="https://example.org" TargetMode="External"/></Relationships>"#;
        let map = relationships(rels);
        assert_eq!(map.get("rId5").map(String::as_str), Some("word/media/image1.png"));
        assert_eq!(map.get("rId6").map(String::as_str), Some("word/media/b.jpeg"));
        assert!(!map.contains_key("rId7"));
        assert_eq!(resolve("../customXml/item1.xml"), "customXml/item1.xml");
    }

    #[test]
    fn not_a_zip_is_named() {
        assert!(matches!(Package::open(b"\xd0\xcf\x11\xe0old doc"), Err(PackageError::NotZip(_))));
        assert!(!looks_like_docx(b"PK\x03\x04 some other zip"));
    }
}
