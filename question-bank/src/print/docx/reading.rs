//! Reading a written `.docx` back for the tests, with `zip` and quick-xml's reader rather than
//! the writer's own code: the parts by name, the text of every paragraph, the elements used and
//! every attribute that names a relationship.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// The parts of a package by name.
pub(super) struct Parts(pub(super) BTreeMap<String, Vec<u8>>);

impl Parts {
    /// Every entry of the ZIP; panics (the test's failure) if it is not one.
    pub(super) fn of(bytes: &[u8]) -> Parts {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
        let mut parts = BTreeMap::new();
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).unwrap();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            parts.insert(entry.name().unwrap().into_owned(), content);
        }
        Parts(parts)
    }

    /// A part as text.
    pub(super) fn text(&self, name: &str) -> &str {
        let bytes = self.0.get(name).unwrap_or_else(|| panic!("no part {name}"));
        std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

/// What a walk over an XML part found.
#[derive(Default)]
pub(super) struct Walk {
    /// The text of each `w:p` in document order (`w:t` and `m:t`, `w:tab` as a tab); the
    /// paragraphs of a table's cells come in reading order.
    pub(super) paragraphs: Vec<String>,
    /// Every element name used.
    pub(super) elements: BTreeSet<String>,
    /// `(element, attribute, value)` of every attribute in the `r:` namespace.
    pub(super) relationship_refs: Vec<(String, String, String)>,
    /// `(element, attributes)` of every element, in order, for the tests that look closer.
    pub(super) starts: Vec<(String, Vec<(String, String)>)>,
}

fn attributes(start: &BytesStart<'_>) -> Vec<(String, String)> {
    start
        .attributes()
        .map(|a| {
            let a = a.expect("a well-formed attribute");
            let value = a.normalized_value(XmlVersion::Implicit1_0).expect("a known entity").into_owned();
            (a.key.as_ref().to_owned(), value)
        })
        .collect()
}

/// A walk in progress: the elements open and the paragraphs being read.
#[derive(Default)]
struct Walker {
    found: Walk,
    open: Vec<String>,
    paragraphs: Vec<String>,
}

impl Walker {
    fn element(&mut self, start: &BytesStart<'_>, empty: bool) {
        let name = start.name().as_ref().to_owned();
        let attributes = attributes(start);
        for (key, value) in &attributes {
            if key.starts_with("r:") {
                self.found.relationship_refs.push((name.clone(), key.clone(), value.clone()));
            }
        }
        self.found.elements.insert(name.clone());
        self.found.starts.push((name.clone(), attributes));
        match name.as_str() {
            "w:p" if empty => self.found.paragraphs.push(String::new()),
            "w:p" => self.paragraphs.push(String::new()),
            // A tab character in a run (not a tab stop in `w:tabs`).
            "w:tab" if self.open.last().is_some_and(|e| e == "w:r") => self.push("\t"),
            _ => {}
        }
        if !empty {
            self.open.push(name);
        }
    }

    fn end(&mut self, name: &str) {
        assert_eq!(self.open.pop().as_deref(), Some(name));
        if name == "w:p" {
            let paragraph = self.paragraphs.pop().unwrap();
            self.found.paragraphs.push(paragraph);
        }
    }

    fn in_text(&self) -> bool {
        matches!(self.open.last().map(String::as_str), Some("w:t" | "m:t"))
    }

    fn push(&mut self, text: &str) {
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.push_str(text);
        }
    }
}

/// Walks `xml`; panics on anything that is not well-formed.
pub(super) fn walk(xml: &str) -> Walk {
    if let Err(error) = super::omml_tests::well_formed(xml) {
        panic!("not well-formed: {error}");
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut walker = Walker::default();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(start) => walker.element(&start, false),
            Event::Empty(start) => walker.element(&start, true),
            Event::End(end) => walker.end(end.name().as_ref()),
            Event::Text(text) if walker.in_text() => walker.push(&text.xml10_content()),
            Event::GeneralRef(reference) if walker.in_text() => {
                let resolved = match reference.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&reference).unwrap().to_owned(),
                };
                walker.push(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    walker.found
}

/// The relationships of a `.rels` part: id → (type, target).
pub(super) fn relationships(xml: &str) -> BTreeMap<String, (String, String)> {
    let walk = walk(xml);
    walk.starts
        .into_iter()
        .filter(|(name, _)| name == "Relationship")
        .map(|(_, attributes)| {
            let get = |key: &str| attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
            (get("Id"), (get("Type"), get("Target")))
        })
        .collect()
}
