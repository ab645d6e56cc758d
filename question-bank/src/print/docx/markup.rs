//! Item texts as pieces a Word paragraph is made of: words with their emphasis (bold, italic,
//! underline, super- and subscript from the HTML teachers paste), formulas, pictures and
//! paragraph breaks. A picture is a paragraph of its own, as on the PDF booklet.
//!
//! Only the tags school texts use are read (`b strong i em u sup sub br p div li tr td img …`);
//! anything else between `<` and `>` is text when the format is plain, and a tag is recognised
//! only by its name followed by a space, `/` or `>`, so `$x<y$` in a Moodle text stays maths.
//! Entities are decoded before formulas are found, so `$a &lt; b$` is the formula `a < b`.

use phongthi_items::TextFormat;
use phongthi_ui::math::{Segment, split};

/// Emphasis of a stretch of words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Emphasis {
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) underline: bool,
    /// Raised (`<sup>`).
    pub(super) superscript: bool,
    /// Lowered (`<sub>`).
    pub(super) subscript: bool,
}

/// One piece of a paragraph.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Piece {
    /// Words.
    Words(String, Emphasis),
    /// The source of a formula (between `$…$`).
    Formula(String),
    /// A picture by its file name (`@@PLUGINFILE@@/NAME`).
    Picture(String),
}

/// `text` as paragraphs of pieces; empty paragraphs are dropped.
pub(super) fn paragraphs(text: &str, format: TextFormat) -> Vec<Vec<Piece>> {
    let mut reader = Reader::default();
    let mut rest = text;
    let markup = !matches!(format, TextFormat::Plain);
    while !rest.is_empty() {
        if markup
            && rest.starts_with('<')
            && let Some(end) = rest.find('>')
            && reader.tag(&rest[1..end])
        {
            rest = &rest[end + 1..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        if c == '\n' && !matches!(format, TextFormat::Html) {
            // Moodle's auto-format and plain text keep the author's line breaks; HTML does not.
            reader.paragraph_break();
        } else {
            reader.words.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    reader.flush_words();
    reader.paragraph_break();
    reader.paragraphs
}

#[derive(Default)]
struct Reader {
    paragraphs: Vec<Vec<Piece>>,
    current: Vec<Piece>,
    words: String,
    emphasis: Emphasis,
}

impl Reader {
    /// Handles the tag `inner` (between `<` and `>`); `false` when it is not a tag we know.
    fn tag(&mut self, inner: &str) -> bool {
        let closing = inner.starts_with('/');
        let body = inner.trim_start_matches('/');
        let name_end = body.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        if !KNOWN_TAGS.contains(&name.as_str()) {
            return false;
        }
        let attributes = &body[name_end..];
        self.flush_words();
        let on = !closing;
        match name.as_str() {
            "b" | "strong" => self.emphasis.bold = on,
            "i" | "em" => self.emphasis.italic = on,
            "u" => self.emphasis.underline = on,
            "sup" => self.emphasis.superscript = on,
            "sub" => self.emphasis.subscript = on,
            "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "hr" | "ul" | "ol"
            | "table" => self.paragraph_break(),
            "td" | "th" if closing => self.words.push_str("   "),
            "img" => {
                if let Some(name) = image_name(attributes) {
                    // A paragraph of its own, as the PDF booklet sets a figure apart.
                    self.paragraph_break();
                    self.current.push(Piece::Picture(name));
                    self.paragraph_break();
                }
            }
            _ => {}
        }
        true
    }

    /// The words so far as pieces: entities decoded, formulas found, spaces collapsed.
    fn flush_words(&mut self) {
        if self.words.is_empty() {
            return;
        }
        let decoded = decode_entities(&std::mem::take(&mut self.words));
        for segment in split(&decoded) {
            match segment {
                Segment::Text(text) => {
                    let mut collapsed = String::with_capacity(text.len());
                    for c in text.chars() {
                        let c = if c.is_whitespace() { ' ' } else { c };
                        if c == ' ' && (collapsed.ends_with(' ') || self.at_paragraph_start() && collapsed.is_empty()) {
                            continue;
                        }
                        collapsed.push(c);
                    }
                    if collapsed.is_empty() {
                        continue;
                    }
                    if let Some(Piece::Words(previous, emphasis)) = self.current.last_mut()
                        && *emphasis == self.emphasis
                    {
                        previous.push_str(&collapsed);
                    } else {
                        self.current.push(Piece::Words(collapsed, self.emphasis));
                    }
                }
                Segment::Math(source) => self.current.push(Piece::Formula(source)),
            }
        }
    }

    fn at_paragraph_start(&self) -> bool {
        self.current.is_empty()
    }

    fn paragraph_break(&mut self) {
        self.flush_words();
        let mut paragraph = std::mem::take(&mut self.current);
        if let Some(Piece::Words(last, _)) = paragraph.last_mut() {
            let trimmed = last.trim_end().len();
            last.truncate(trimmed);
            if last.is_empty() {
                paragraph.pop();
            }
        }
        if !paragraph.is_empty() {
            self.paragraphs.push(paragraph);
        }
    }
}

const KNOWN_TAGS: &[&str] = &[
    "b", "strong", "i", "em", "u", "sup", "sub", "br", "p", "div", "span", "font", "li", "ul", "ol", "table", "tbody",
    "thead", "tr", "td", "th", "img", "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "small", "big",
];

/// The file name of an `<img src=…>`: the last path segment (`@@PLUGINFILE@@/hinh1.png`).
fn image_name(attributes: &str) -> Option<String> {
    let lower = attributes.to_ascii_lowercase();
    let at = lower.find("src")?;
    let value = attributes[at + 3..].trim_start().strip_prefix('=')?.trim_start();
    let (quote, value) = match value.chars().next()? {
        q @ ('"' | '\'') => (Some(q), &value[1..]),
        _ => (None, value),
    };
    let end = match quote {
        Some(q) => value.find(q)?,
        None => value.find(char::is_whitespace).unwrap_or(value.len()),
    };
    // `<img src=a.png/>`: the slash closes the tag, it is not part of the name.
    let src = decode_entities(value[..end].trim_end_matches('/'));
    let name = src.rsplit('/').next().unwrap_or_default();
    let name = percent_decode(name);
    (!name.is_empty()).then_some(name)
}

/// `%20` and the other escapes a URL may carry in a file name.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%'
            && let Some(hex) = text.get(at + 1..at + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            at += 3;
            continue;
        }
        out.push(bytes[at]);
        at += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// The named entities school texts carry and numeric ones (`&#7871;`, `&#x1EBF;`).
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|end| *end <= 10).and_then(|end| Some((entity(&rest[1..end])?, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "le" => '≤',
        "ge" => '≥',
        "times" => '×',
        "deg" => '°',
        _ => return None,
    })
}
