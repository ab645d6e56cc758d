//! Reads one QTI XML file into a small element tree with mixed content, remembering where each
//! element and its content start so that messages name a line and the exporter's own texts can
//! be taken back byte for byte.
//!
//! QTI 3.0 spells QTI 2.x's names in kebab-case behind a `qti-` prefix (`qti-choice-interaction`,
//! `max-choices`). The reader folds them to the 2.x spelling (`choiceInteraction`, `maxChoices`)
//! so that one interpreter serves both; HTML elements (`p`, `img`) keep their names. Namespace
//! prefixes are dropped: files use the default namespace or `qti:`/`m:` prefixes interchangeably.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use std::ops::Range;

/// Deeper nesting than this is no question; refusing it keeps the recursive drop and the
/// recursive interpreter off the end of the stack.
const MAX_DEPTH: usize = 64;
/// More elements than this in one item is a hostile file, not a question.
const MAX_ELEMENTS: usize = 50_000;

/// A piece of mixed content.
#[derive(Debug, Clone)]
pub(super) enum Node {
    /// An element.
    Element(Element),
    /// Text and CDATA with entities resolved.
    Text(String),
}

/// One element.
#[derive(Debug, Clone)]
pub(super) struct Element {
    /// Local name, QTI 3.0 names folded to QTI 2.x (`choiceInteraction`).
    pub(super) name: String,
    /// Attributes (names folded like the element's), entities resolved, in document order.
    pub(super) attributes: Vec<(String, String)>,
    /// Content in document order.
    pub(super) children: Vec<Node>,
    /// Byte offset of the `<` that opens the element.
    pub(super) offset: usize,
    /// Bytes of the content between start and end tag (empty for `<x/>`).
    pub(super) inner: Range<usize>,
}

impl Element {
    /// The value of attribute `name`.
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Child elements.
    pub(super) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    /// The first child element called `name`.
    pub(super) fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Every child element called `name`.
    pub(super) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    /// Every element below this one (not itself), depth first in document order.
    pub(super) fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.elements().collect();
        stack.reverse();
        while let Some(element) = stack.pop() {
            out.push(element);
            let start = stack.len();
            stack.extend(element.elements());
            stack[start..].reverse();
        }
        out
    }

    /// All text below, concatenated.
    pub(super) fn text(&self) -> String {
        let mut out = String::new();
        collect_text(self, &mut out);
        out
    }
}

fn collect_text(element: &Element, out: &mut String) {
    for node in &element.children {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(child) => collect_text(child, out),
        }
    }
}

/// Folds a QTI 3.0 name to QTI 2.x: `qti-simple-choice` → `simpleChoice`.
fn fold_element(local: &str) -> (String, bool) {
    match local.strip_prefix("qti-") {
        Some(rest) => (camel(rest), true),
        None => (local.to_owned(), false),
    }
}

/// `max-choices` → `maxChoices`.
fn camel(kebab: &str) -> String {
    let mut out = String::with_capacity(kebab.len());
    let mut upper = false;
    for c in kebab.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// A problem at a byte offset, with a bilingual message.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub(super) offset: usize,
    pub(super) message: String,
}

impl Problem {
    pub(super) fn new(offset: usize, message: impl Into<String>) -> Self {
        Self { offset, message: message.into() }
    }
}

fn open(tag: &BytesStart<'_>, offset: usize, inner_start: usize) -> Result<Element, Problem> {
    let raw = tag.name();
    let (name, qti3) = fold_element(local_name(raw.as_ref()));
    let mut attributes = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| {
            Problem::new(offset, format!("thuộc tính không hợp lệ trong <{name}> / bad attribute in <{name}>: {e}"))
        })?;
        let value = attribute.normalized_value(XmlVersion::Implicit1_0).map_err(|e| {
            Problem::new(offset, format!("thuộc tính không hợp lệ trong <{name}> / bad attribute in <{name}>: {e}"))
        })?;
        let key: &str = attribute.key.as_ref();
        let key = if qti3 && !key.contains(':') && !key.starts_with("data-") { camel(key) } else { key.to_owned() };
        attributes.push((key, value.into_owned()));
    }
    Ok(Element { name, attributes, children: Vec::new(), offset, inner: inner_start..inner_start })
}

/// Parses `text` (without a byte-order mark) into its root element.
pub(super) fn parse(text: &str) -> Result<Element, Problem> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(text.len());
        let event = reader.read_event().map_err(|error| {
            let at = usize::try_from(reader.error_position()).unwrap_or(0);
            Problem::new(at, format!("XML không hợp lệ / malformed XML: {error}"))
        })?;
        let after = usize::try_from(reader.buffer_position()).unwrap_or(text.len());
        match event {
            Event::Start(tag) | Event::Empty(tag) if root.is_some() => {
                let _ = tag;
                return Err(Problem::new(offset, "tệp có nhiều phần tử gốc / more than one root element"));
            }
            Event::Start(tag) => {
                count += 1;
                if stack.len() >= MAX_DEPTH || count > MAX_ELEMENTS {
                    return Err(Problem::new(
                        offset,
                        format!(
                            "tệp quá sâu hoặc quá nhiều phần tử (tối đa {MAX_DEPTH} cấp, {MAX_ELEMENTS} phần tử) / \
                             too deep or too many elements (at most {MAX_DEPTH} levels, {MAX_ELEMENTS} elements)"
                        ),
                    ));
                }
                stack.push(open(&tag, offset, after)?);
            }
            Event::Empty(tag) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(Problem::new(offset, "quá nhiều phần tử / too many elements"));
                }
                let element = open(&tag, offset, after)?;
                attach(&mut stack, &mut root, element);
            }
            Event::End(_) => {
                // quick-xml has already checked that the end tag matches.
                let Some(mut element) = stack.pop() else {
                    return Err(Problem::new(offset, "thẻ đóng thừa / an end tag closes nothing"));
                };
                element.inner.end = offset;
                attach(&mut stack, &mut root, element);
            }
            Event::Text(content) => push_text(&mut stack, &content.xml10_content()),
            Event::CData(content) => push_text(&mut stack, &content.xml10_content()),
            Event::GeneralRef(reference) => {
                let name: &str = &reference;
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => resolve_predefined_entity(name).map(str::to_owned),
                    Err(_) => None,
                };
                match resolved {
                    Some(text) => push_text(&mut stack, &text),
                    None => {
                        return Err(Problem::new(
                            offset,
                            format!(
                                "thực thể &{name}; không có trong XML (dùng &#160; thay &nbsp;) / \
                                 undefined entity &{name}; (write &#160; for &nbsp;)"
                            ),
                        ));
                    }
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(Problem::new(open.offset, format!("thẻ <{0}> không được đóng / <{0}> is not closed", open.name)));
    }
    root.ok_or_else(|| Problem::new(0, "tệp không có phần tử XML nào / the file has no XML element"))
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    // Text outside the root is only whitespace in well-formed XML; it carries nothing.
    if let Some(parent) = stack.last_mut() {
        match parent.children.last_mut() {
            Some(Node::Text(previous)) => previous.push_str(text),
            _ => parent.children.push(Node::Text(text.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qti3_names_fold_to_qti2() {
        let root = parse(r#"<qti-assessment-item xmlns="x"><qti-choice-interaction max-choices="2" data-x="1"/></qti-assessment-item>"#)
            .unwrap();
        assert_eq!(root.name, "assessmentItem");
        let interaction = root.child("choiceInteraction").unwrap();
        assert_eq!(interaction.attribute("maxChoices"), Some("2"));
        assert_eq!(interaction.attribute("data-x"), Some("1"));
    }

    #[test]
    fn inner_ranges_slice_the_source() {
        let text = "<a><b>x &amp; <i>y</i></b></a>";
        let root = parse(text).unwrap();
        let b = root.child("b").unwrap();
        assert_eq!(&text[b.inner.clone()], "x &amp; <i>y</i>");
        assert_eq!(b.text(), "x & y");
    }
}
