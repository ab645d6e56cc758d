//! Reads an OMML snippet into a small element tree keyed by local names.
//!
//! The snippet is cut out of `document.xml`, so the `xmlns:m` declaration is usually on a root
//! that is not there: names are matched without their prefix and unbound prefixes are fine. A
//! tree (rather than a stream) suits OMML, whose structures are "this element's `m:e` child".

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

use super::{MAX_DEPTH, OmmlError};

/// One element: its local name, its `val` attribute (the only one OMML's properties use), its
/// children and the text directly inside it.
#[derive(Clone, Debug, Default)]
pub(super) struct Element {
    /// Local name (`oMath`, `r`, `t`, …).
    pub(super) name: String,
    /// The `m:val` (or any prefix's `val`) attribute.
    pub(super) val: Option<String>,
    /// Child elements in document order.
    pub(super) children: Vec<Element>,
    /// Text content, entities resolved (only `m:t` has any that matters).
    pub(super) text: String,
}

impl Element {
    /// The first child called `name`.
    pub(super) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub(super) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The `val` of property `name` inside the properties child `pr` (`m:dPr/m:begChr`).
    pub(super) fn property(&self, pr: &str, name: &str) -> Option<Option<&str>> {
        self.child(pr).and_then(|p| p.child(name)).map(|e| e.val.as_deref())
    }

    /// Whether an on/off property is on: present with no `val`, or `val` of 1/on/true.
    pub(super) fn flag(&self, pr: &str, name: &str) -> bool {
        match self.property(pr, name) {
            None => false,
            Some(None) => true,
            Some(Some(v)) => matches!(v, "1" | "on" | "true"),
        }
    }
}

fn local_name(tag: &BytesStart<'_>) -> String {
    tag.local_name().as_ref().to_owned()
}

fn open(tag: &BytesStart<'_>) -> Result<Element, OmmlError> {
    let mut element = Element { name: local_name(tag), ..Element::default() };
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| OmmlError::Xml(e.to_string()))?;
        if attribute.key.local_name().as_ref() == "val" {
            let value =
                attribute.normalized_value(XmlVersion::Implicit1_0).map_err(|e| OmmlError::Xml(e.to_string()))?;
            element.val = Some(value.into_owned());
        }
    }
    Ok(element)
}

/// The top-level elements of `xml`; text outside them is ignored.
pub(super) fn parse(xml: &str) -> Result<Vec<Element>, OmmlError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut roots = Vec::new();
    let close = |stack: &mut Vec<Element>, roots: &mut Vec<Element>, element: Element| match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => roots.push(element),
    };
    loop {
        let event = reader.read_event().map_err(|e| OmmlError::Xml(e.to_string()))?;
        match event {
            Event::Start(tag) => {
                stack.push(open(&tag)?);
                if stack.len() > MAX_DEPTH {
                    return Err(OmmlError::TooDeep);
                }
            }
            Event::Empty(tag) => {
                let element = open(&tag)?;
                close(&mut stack, &mut roots, element);
            }
            Event::End(_) => {
                // quick-xml has already checked that the end tag matches.
                let element = stack.pop().ok_or_else(|| OmmlError::Xml("thẻ đóng thừa / stray end tag".into()))?;
                close(&mut stack, &mut roots, element);
            }
            Event::Text(content) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&content.xml10_content());
                }
            }
            Event::CData(content) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&content.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match resolve_predefined_entity(&reference) {
                        Some(text) => text.to_owned(),
                        None => {
                            let name: &str = &reference;
                            return Err(OmmlError::Xml(format!("&{name};")));
                        }
                    },
                    Err(error) => return Err(OmmlError::Xml(error.to_string())),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(OmmlError::Xml(format!("<{}> chưa đóng / <{}> is not closed", open.name, open.name)));
                }
                return Ok(roots);
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}
