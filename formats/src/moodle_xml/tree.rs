//! Reads a Moodle XML file into one small element tree per `<question>`, remembering where each
//! element starts so that every message can name a line and column.
//!
//! Moodle XML is data-shaped (every text sits in a `<text>` leaf), so a tree is far simpler to
//! interpret than a stream of events. The reader also keeps going after malformed XML: it reports
//! the problem, drops the question it was in, and starts again at the next `<question` tag, so a
//! teacher sees every broken question of a hand-edited file in one run.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// Deeper nesting than this is not Moodle XML; refusing it keeps a hostile file from building a
/// tree whose recursive drop could exhaust the stack.
const MAX_DEPTH: usize = 64;

/// One XML element with its text content concatenated (Moodle never mixes text and elements).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Element {
    /// Tag name as written.
    pub(super) name: String,
    /// Attributes with entities resolved, in document order.
    pub(super) attributes: Vec<(String, String)>,
    /// Child elements in document order.
    pub(super) children: Vec<Element>,
    /// Text and CDATA content, entities resolved, line ends normalised.
    pub(super) text: String,
    /// Byte offset of the `<` that opens the element.
    pub(super) offset: usize,
}

impl Element {
    fn new(name: String, offset: usize) -> Self {
        Self { name, attributes: Vec::new(), children: Vec::new(), text: String::new(), offset }
    }

    /// The first child called `name`.
    pub(super) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub(super) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The value of attribute `name`.
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The content of the `<text>` child, Moodle's wrapper for every piece of text.
    pub(super) fn text_child(&self) -> Option<&str> {
        self.child("text").map(|t| t.text.as_str())
    }
}

/// What the reader found, in file order.
#[derive(Debug)]
pub(super) enum Found {
    /// A complete, well-formed `<question>` element.
    Question(Element),
    /// Malformed XML or an element that does not belong, at a byte offset.
    Problem {
        /// Byte offset in the text.
        offset: usize,
        /// Bilingual message.
        message: String,
    },
}

/// Reads every `<question>` of `text` (already without a byte-order mark).
pub(super) fn read_questions(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut saw_root = false;
    let mut start = 0;
    let mut resumed = false;
    while let Some(resume_after) = read_from(text, start, resumed, &mut found, &mut saw_root) {
        match next_question_tag(text, resume_after) {
            Some(next) => {
                start = next;
                resumed = true;
            }
            None => break,
        }
    }
    if !saw_root && found.is_empty() {
        found.push(Found::Problem {
            offset: 0,
            message: "không tìm thấy thẻ <quiz>: đây không phải tệp Moodle XML / \
                      no <quiz> element: this is not a Moodle XML file"
                .to_owned(),
        });
    }
    found
}

/// The byte offset of the first `<question` tag (not `<questiontext`) at or after `from`.
fn next_question_tag(text: &str, from: usize) -> Option<usize> {
    let mut at = from;
    // An error offset + 1 can fall inside a multi-byte character.
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    while let Some(rest) = text.get(at..) {
        let found = at + rest.find("<question")?;
        let after = text.as_bytes().get(found + "<question".len());
        if matches!(after, Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')) {
            return Some(found);
        }
        at = found + 1;
    }
    None
}

/// The reader's state while it walks one stretch of the file.
struct Walk<'f> {
    /// Open elements; `stack[0]` is `<quiz>`.
    stack: Vec<Element>,
    /// A problem inside the current question was already reported: drop it when it closes.
    question_broken: bool,
    found: &'f mut Vec<Found>,
}

impl Walk<'_> {
    fn problem(&mut self, offset: usize, message: String) {
        if self.stack.len() >= 2 {
            self.question_broken = true;
        }
        self.found.push(Found::Problem { offset, message });
    }

    /// Notes the root element and complains unless it is `<quiz>`.
    fn check_root(&mut self, tag: &BytesStart<'_>, offset: usize, saw_root: &mut bool) {
        if !self.stack.is_empty() {
            return;
        }
        *saw_root = true;
        let name = tag.name().as_ref().to_owned();
        if name != "quiz" {
            self.problem(
                offset,
                format!("phần tử gốc phải là <quiz>, gặp <{name}> / the root element must be <quiz>, found <{name}>"),
            );
        }
    }

    fn open(&mut self, tag: &BytesStart<'_>, offset: usize) {
        let name = tag.name().as_ref().to_owned();
        if self.stack.len() == 1 {
            // A new child of <quiz>: earlier problems belonged to the previous question.
            self.question_broken = false;
        }
        let mut element = Element::new(name, offset);
        let mut problems = Vec::new();
        for attribute in tag.attributes() {
            let value = attribute.map_err(quick_xml::Error::from).and_then(|attribute| {
                let value = attribute.normalized_value(XmlVersion::Implicit1_0)?;
                Ok((attribute.key.as_ref().to_owned(), value.into_owned()))
            });
            match value {
                Ok(pair) => element.attributes.push(pair),
                Err(error) => problems.push(format!(
                    "thuộc tính không hợp lệ trong <{0}> / bad attribute in <{0}>: {error}",
                    element.name
                )),
            }
        }
        self.stack.push(element);
        // Reported once the element is open, so a broken <question> tag drops its question.
        for message in problems {
            self.problem(offset, message);
        }
    }

    /// Closes the innermost element; `Err` when the end tag does not match it.
    fn close(&mut self, name: &str, offset: usize) -> Result<(), ()> {
        let Some(element) = self.stack.pop() else {
            self.problem(offset, format!("thẻ đóng </{name}> không có thẻ mở / </{name}> closes nothing"));
            return Err(());
        };
        if element.name != name {
            let expected = element.name.clone();
            self.stack.push(element);
            self.problem(
                offset,
                format!("cần </{expected}> nhưng gặp </{name}> / expected </{expected}>, found </{name}>"),
            );
            return Err(());
        }
        match self.stack.len() {
            0 => {}
            1 if element.name == "question" => {
                if !self.question_broken {
                    self.found.push(Found::Question(element));
                }
            }
            1 => self.problem(
                element.offset,
                format!(
                    "phần tử <{0}> không thuộc Moodle XML, chỉ <question> được nằm trong <quiz> / \
                     unexpected <{0}>: <quiz> holds only <question> elements",
                    element.name
                ),
            ),
            _ => {
                if let Some(parent) = self.stack.last_mut() {
                    parent.children.push(element);
                }
            }
        }
        Ok(())
    }

    fn append_text(&mut self, text: &str) {
        // Whitespace between questions is layout; only text inside a question matters.
        if self.stack.len() >= 2
            && let Some(element) = self.stack.last_mut()
        {
            element.text.push_str(text);
        }
    }

    fn append_reference(&mut self, reference: &BytesRef<'_>, offset: usize) {
        match reference.resolve_char_ref() {
            Ok(Some(c)) => self.append_text(c.encode_utf8(&mut [0; 4])),
            Ok(None) => match resolve_predefined_entity(reference) {
                Some(replacement) => self.append_text(replacement),
                None => {
                    let name: &str = reference;
                    self.problem(
                        offset,
                        format!(
                            "thực thể &{name}; không được định nghĩa trong XML (hãy dùng CDATA) / \
                             undefined entity &{name}; (use CDATA for HTML)"
                        ),
                    );
                }
            },
            Err(error) => {
                let name: &str = reference;
                self.problem(
                    offset,
                    format!("tham chiếu ký tự &{name}; không hợp lệ / bad character reference: {error}"),
                );
            }
        }
    }
}

/// Reads from byte `base` until the end (`None`) or until malformed XML (`Some(offset)` to resume
/// the search for the next question after). A resumed stretch starts inside `<quiz>`.
fn read_from(text: &str, base: usize, resumed: bool, found: &mut Vec<Found>, saw_root: &mut bool) -> Option<usize> {
    let slice = text.get(base..)?;
    let mut reader = Reader::from_str(slice);
    // The resumed reader never saw <quiz> open, so its </quiz> is allowed to close nothing.
    reader.config_mut().allow_unmatched_ends = resumed;
    let mut walk = Walk { stack: Vec::new(), question_broken: false, found };
    if resumed {
        walk.stack.push(Element::new("quiz".to_owned(), base));
    }
    loop {
        let event_offset = base + usize::try_from(reader.buffer_position()).unwrap_or(slice.len());
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let at = base + usize::try_from(reader.error_position()).unwrap_or(0);
                walk.question_broken = true;
                walk.found
                    .push(Found::Problem {
                        offset: at, message: format!("XML không hợp lệ / malformed XML: {error}")
                    });
                return Some(at + 1);
            }
        };
        match event {
            Event::Start(tag) => {
                walk.check_root(&tag, event_offset, saw_root);
                walk.open(&tag, event_offset);
                if walk.stack.len() > MAX_DEPTH {
                    walk.problem(
                        event_offset,
                        format!("phần tử lồng quá {MAX_DEPTH} cấp / elements nested deeper than {MAX_DEPTH}"),
                    );
                    return Some(event_offset + 1);
                }
            }
            Event::Empty(tag) => {
                walk.check_root(&tag, event_offset, saw_root);
                walk.open(&tag, event_offset);
                if walk.close(tag.name().as_ref(), event_offset).is_err() {
                    return Some(event_offset + 1);
                }
            }
            Event::End(tag) => {
                if walk.close(tag.name().as_ref(), event_offset).is_err() {
                    return Some(event_offset + 1);
                }
            }
            Event::Text(content) => walk.append_text(&content.xml10_content()),
            Event::CData(content) => walk.append_text(&content.xml10_content()),
            Event::GeneralRef(reference) => walk.append_reference(&reference, event_offset),
            Event::Eof => {
                if let Some(open) = walk.stack.last() {
                    let (name, offset) = (open.name.clone(), open.offset);
                    walk.problem(
                        offset,
                        format!("thẻ <{name}> không được đóng trước khi hết tệp / <{name}> is not closed before the end of the file"),
                    );
                }
                return None;
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}
