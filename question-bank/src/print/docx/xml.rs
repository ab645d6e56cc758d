//! A thin layer over quick-xml's `Writer` for the parts of a Word package: open, close and
//! empty elements with attributes, and text that is always NFC, escaped and free of the
//! control characters XML 1.0 forbids (a stray one in a question would make Word refuse the
//! whole file).
//!
//! Writing goes into memory, so the only possible failure is quick-xml's own; the first error
//! is kept and reported by [`Xml::finish`], which lets the layout code chain calls.

use super::super::PrintError;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// The WordprocessingML namespaces every part's root declares.
pub(super) const NAMESPACES: &[(&str, &str)] = &[
    ("xmlns:w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    ("xmlns:r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    ("xmlns:m", "http://schemas.openxmlformats.org/officeDocument/2006/math"),
    ("xmlns:wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    ("xmlns:a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
    ("xmlns:pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
];

/// An XML part being written.
pub(crate) struct Xml {
    writer: Writer<Vec<u8>>,
    error: Option<std::io::Error>,
}

impl Xml {
    /// A part starting with the XML declaration Word writes.
    pub(crate) fn new() -> Xml {
        let mut xml = Xml { writer: Writer::new(Vec::with_capacity(16 * 1024)), error: None };
        let declaration = Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), Some("yes")));
        xml.event(declaration);
        xml
    }

    /// A fragment without a declaration: the tests check OMML on its own.
    #[cfg(test)]
    pub(crate) fn fragment() -> Xml {
        Xml { writer: Writer::new(Vec::new()), error: None }
    }

    fn event(&mut self, event: Event<'_>) {
        if self.error.is_none()
            && let Err(error) = self.writer.write_event(event)
        {
            self.error = Some(error);
        }
    }

    fn start<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            start.push_attribute((*key, clean(value).as_str()));
        }
        start
    }

    /// `<name attributes…>`.
    pub(crate) fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> &mut Xml {
        self.event(Event::Start(Xml::start(name, attributes)));
        self
    }

    /// `</name>`.
    pub(crate) fn close(&mut self, name: &str) -> &mut Xml {
        self.event(Event::End(BytesEnd::new(name)));
        self
    }

    /// `<name attributes…/>`.
    pub(crate) fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> &mut Xml {
        self.event(Event::Empty(Xml::start(name, attributes)));
        self
    }

    /// Escaped character data.
    pub(crate) fn text(&mut self, text: &str) -> &mut Xml {
        self.event(Event::Text(BytesText::new(&clean(text))));
        self
    }

    /// `<name attributes…>text</name>`.
    pub(crate) fn element(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) -> &mut Xml {
        self.open(name, attributes).text(text).close(name)
    }

    /// The bytes written, or the first error.
    pub(crate) fn finish(self) -> Result<Vec<u8>, PrintError> {
        match self.error {
            Some(error) => Err(PrintError::Docx(error.to_string())),
            None => Ok(self.writer.into_inner()),
        }
    }
}

/// `text` as NFC without the characters XML 1.0 cannot carry (C0 controls other than tab and
/// line feed, which a Word text run has no use for either, and the non-characters U+FFFE/FFFF).
pub(crate) fn clean(text: &str) -> String {
    let nfc = phongthi_items::text::nfc(text);
    nfc.chars()
        .map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c })
        .filter(|c| !(c.is_control() && u32::from(*c) < 0x20) && *c != '\u{FFFE}' && *c != '\u{FFFF}')
        .collect()
}
