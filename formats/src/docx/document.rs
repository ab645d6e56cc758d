//! Reads `word/document.xml` into paragraphs of formatted pieces: text with the run formatting
//! the test conventions use (underline, colour, highlight, bold, super- and subscript), tabs,
//! line breaks, equations, pictures and MathType objects. Table cells become paragraphs of their
//! own, in reading order, because teachers lay options out in 2×2 and 1×4 tables.
//!
//! A stream of events, not a tree: a test paper's body is long and flat, and only a handful of
//! elements matter. Everything else (bookmarks, proofing marks, field codes, deleted text of
//! tracked changes) is skipped, and the fallback half of `mc:AlternateContent` is never read so a
//! picture is not taken twice.

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// How deep elements may nest before the file is refused (Word writes a few dozen at most).
const MAX_DEPTH: usize = 256;

/// Vertical position of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Vert {
    /// On the line.
    #[default]
    Baseline,
    /// Raised (`x²`).
    Super,
    /// Lowered (`H₂O`).
    Sub,
}

/// The run formatting that carries meaning in a test paper.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Look {
    /// `w:u` other than `none`.
    pub(crate) underline: bool,
    /// `w:color` that a teacher would call red.
    pub(crate) red: bool,
    /// `w:highlight`, or a `w:shd` fill that is not white.
    pub(crate) highlight: bool,
    /// `w:b`.
    pub(crate) bold: bool,
    /// `w:vertAlign`.
    pub(crate) vert: Vert,
}

/// One piece of a paragraph.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Piece {
    /// Text of one run.
    Text(String, Look),
    /// `w:tab`.
    Tab,
    /// `w:br` / `w:cr`: a line break inside the paragraph.
    Break,
    /// A Word equation, already converted to LaTeX (without `$`), or why it could not be.
    Math(Result<String, String>),
    /// A picture, by relationship id.
    Picture(String),
    /// A MathType (or other OLE) equation, with the relationship id of its preview picture.
    Ole {
        /// `ProgID` of the object (`Equation.DSMT4` for MathType).
        prog_id: String,
        /// The preview picture, when the object has one.
        preview: Option<String>,
    },
}

/// One paragraph of the body, or of a table cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Paragraph {
    /// 1-based position among all paragraphs, as a teacher counts them in the document.
    pub(crate) index: u32,
    /// Pieces in order.
    pub(crate) pieces: Vec<Piece>,
    /// Word's automatic numbering: (`w:numId`, `w:ilvl`).
    pub(crate) numbering: Option<(String, u8)>,
    /// `w:pStyle` (`Heading1`, `ListParagraph`, …).
    pub(crate) style: Option<String>,
    /// Inside a table cell.
    pub(crate) in_table: bool,
}

/// Where the document's XML is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BrokenXml {
    /// Byte offset in `document.xml`.
    pub(crate) offset: usize,
    /// What the XML reader said.
    pub(crate) message: String,
}

/// State while walking the body.
#[derive(Default)]
struct Walk {
    paragraphs: Vec<Paragraph>,
    current: Option<Paragraph>,
    /// The formatting of the run being read.
    look: Look,
    /// Inside `w:rPr` of a run (not of a paragraph mark or a style).
    in_run_properties: bool,
    /// Inside `w:t` (text is kept only there).
    in_text: bool,
    /// Inside `w:pPr`.
    in_paragraph_properties: bool,
    /// Inside `w:object` (an OLE object): its ProgID and preview.
    object: Option<(String, Option<String>)>,
    /// Open table cells.
    table_depth: usize,
}

impl Walk {
    fn paragraph(&mut self) -> &mut Paragraph {
        let in_table = self.table_depth > 0;
        self.current.get_or_insert_with(|| Paragraph { in_table, ..Paragraph::default() })
    }

    fn push(&mut self, piece: Piece) {
        let paragraph = self.paragraph();
        if let (Piece::Text(text, look), Some(Piece::Text(last, last_look))) = (&piece, paragraph.pieces.last_mut())
            && look == last_look
        {
            last.push_str(text);
            return;
        }
        paragraph.pieces.push(piece);
    }

    fn end_paragraph(&mut self) {
        let mut paragraph = self.current.take().unwrap_or_default();
        paragraph.in_table = self.table_depth > 0;
        paragraph.index = u32::try_from(self.paragraphs.len() + 1).unwrap_or(u32::MAX);
        self.paragraphs.push(paragraph);
    }

    fn text(&mut self, text: &str) {
        if self.in_text && !text.is_empty() {
            let look = self.look;
            self.push(Piece::Text(text.to_owned(), look));
        }
    }

    fn reference(&mut self, reference: &BytesRef<'_>) {
        match reference.resolve_char_ref() {
            Ok(Some(c)) => self.text(c.encode_utf8(&mut [0; 4])),
            _ => {
                if let Some(replacement) = resolve_predefined_entity(reference) {
                    self.text(replacement);
                }
            }
        }
    }

    /// An element that opens (or is empty), by local name.
    fn element(&mut self, tag: &BytesStart<'_>, empty: bool) {
        let name = local(tag);
        match name.as_str() {
            "p" => {
                self.current = Some(Paragraph { in_table: self.table_depth > 0, ..Paragraph::default() });
                if empty {
                    self.end_paragraph();
                }
            }
            "pPr" if !empty => self.in_paragraph_properties = true,
            "pStyle" if self.in_paragraph_properties => self.paragraph().style = attribute(tag, "val"),
            "numId" if self.in_paragraph_properties => {
                if let Some(id) = attribute(tag, "val") {
                    let level = self.paragraph().numbering.as_ref().map_or(0, |(_, level)| *level);
                    self.paragraph().numbering = Some((id, level));
                }
            }
            "ilvl" if self.in_paragraph_properties => {
                let level = attribute(tag, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                let paragraph = self.paragraph();
                let id = paragraph.numbering.take().map(|(id, _)| id).unwrap_or_default();
                paragraph.numbering = Some((id, level));
            }
            "r" => self.look = Look::default(),
            "rPr" if !empty && !self.in_paragraph_properties => self.in_run_properties = true,
            "t" if !empty => self.in_text = true,
            "tab" if !self.in_paragraph_properties => self.push(Piece::Tab),
            "br" | "cr" => self.push(Piece::Break),
            "noBreakHyphen" => {
                self.in_text = true;
                self.text("-");
                self.in_text = false;
            }
            "tc" if !empty => self.table_depth += 1,
            "blip" => {
                if let Some(id) = attribute(tag, "embed") {
                    self.picture(id);
                }
            }
            "imagedata" => {
                if let Some(id) = attribute(tag, "id") {
                    self.picture(id);
                }
            }
            "object" if !empty => self.object = Some((String::new(), None)),
            "OLEObject" => {
                if let Some((prog_id, _)) = self.object.as_mut() {
                    *prog_id = attribute(tag, "ProgID").unwrap_or_default();
                }
            }
            _ if self.in_run_properties => self.run_property(&name, tag),
            _ => {}
        }
    }

    fn picture(&mut self, id: String) {
        match self.object.as_mut() {
            Some((_, preview)) => *preview = Some(id),
            None => self.push(Piece::Picture(id)),
        }
    }

    fn run_property(&mut self, name: &str, tag: &BytesStart<'_>) {
        let value = attribute(tag, "val");
        let on = || !matches!(value.as_deref(), Some("0" | "false" | "off" | "none"));
        match name {
            "u" => self.look.underline = on(),
            "b" => self.look.bold = on(),
            "color" => self.look.red = value.as_deref().is_some_and(is_red),
            "highlight" => self.look.highlight = on(),
            "shd" => {
                let fill = attribute(tag, "fill").unwrap_or_default().to_ascii_uppercase();
                self.look.highlight |= !matches!(fill.as_str(), "" | "AUTO" | "FFFFFF");
            }
            "vertAlign" => {
                self.look.vert = match value.as_deref() {
                    Some("superscript") => Vert::Super,
                    Some("subscript") => Vert::Sub,
                    _ => Vert::Baseline,
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "p" => self.end_paragraph(),
            "pPr" => self.in_paragraph_properties = false,
            "rPr" => self.in_run_properties = false,
            "t" => self.in_text = false,
            "tc" => self.table_depth = self.table_depth.saturating_sub(1),
            "object" => {
                if let Some((prog_id, preview)) = self.object.take() {
                    self.push(Piece::Ole { prog_id, preview });
                }
            }
            _ => {}
        }
    }
}

/// Whether a `w:color` value (`FF0000`, `C00000`, `auto`) is what a teacher calls red.
fn is_red(value: &str) -> bool {
    let Ok(rgb) = u32::from_str_radix(value, 16) else { return false };
    if value.len() != 6 {
        return false;
    }
    let (r, g, b) = ((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
    r >= 0x99 && g <= 0x50 && b <= 0x50
}

/// The element's name without its prefix (`w:p` → `p`).
pub(super) fn local(tag: &BytesStart<'_>) -> String {
    let name = tag.local_name();
    name.as_ref().to_owned()
}

/// The value of the attribute whose local name is `name`, whatever its prefix.
pub(super) fn attribute(tag: &BytesStart<'_>, name: &str) -> Option<String> {
    tag.attributes().flatten().find_map(|attribute| {
        let key = attribute.key.local_name();
        (key.as_ref() == name).then(|| {
            attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default()
        })
    })
}

/// Reads the body of `document.xml`. `math` converts one `m:oMath`/`m:oMathPara` element (its
/// XML, verbatim) to LaTeX.
pub(crate) fn read(xml: &str, math: &dyn Fn(&str) -> Result<String, String>) -> Result<Vec<Paragraph>, BrokenXml> {
    let mut reader = Reader::from_str(xml);
    let mut walk = Walk::default();
    let mut depth = 0usize;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let broken = |reader: &Reader<&[u8]>, error: quick_xml::Error| BrokenXml {
            offset: usize::try_from(reader.error_position()).unwrap_or(0),
            message: error.to_string(),
        };
        let event = reader.read_event().map_err(|error| broken(&reader, error))?;
        match event {
            Event::Start(tag) => {
                let name = local(&tag);
                match name.as_str() {
                    // Equations are cut out whole and converted apart.
                    "oMath" | "oMathPara" => {
                        reader.read_to_end(tag.name()).map_err(|error| broken(&reader, error))?;
                        let after = usize::try_from(reader.buffer_position()).unwrap_or(xml.len());
                        let source = xml.get(before..after).unwrap_or_default();
                        walk.push(Piece::Math(math(source)));
                        continue;
                    }
                    // Word's picture fallback for older readers, and deleted text: never content.
                    "Fallback" | "del" | "instrText" | "delText" | "footnotePr" => {
                        reader.read_to_end(tag.name()).map_err(|error| broken(&reader, error))?;
                        continue;
                    }
                    _ => {}
                }
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(BrokenXml {
                        offset: before,
                        message: format!("elements nested deeper than {MAX_DEPTH}"),
                    });
                }
                walk.element(&tag, false);
            }
            Event::Empty(tag) => walk.element(&tag, true),
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                let name = tag.local_name().as_ref().to_owned();
                walk.end(&name);
            }
            Event::Text(content) => walk.text(&content.xml10_content()),
            Event::CData(content) => walk.text(&content.xml10_content()),
            Event::GeneralRef(reference) => walk.reference(&reference),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(walk.paragraphs)
}
