//! Importers and exporters for the formats teachers bring: GIFT, Aiken, Moodle XML, QTI and our own
//! CSV/XLSX template, one module (or folder) per format; a new format is a new module here.
//! [`xlsx_cells`] streams a worksheet for the template and for the proctor's class rosters.
//! [`omml`] turns Word equations into the LaTeX subset the exam client typesets, for a Word
//! importer.
//!
//! Every importer has the same shape: it takes a file name (for messages) and the file's content,
//! and returns an [`ImportReport`] with every item it could read and an [`ImportError`] for each
//! question it could not, naming file, line (column where known) and what is wrong. Importers
//! never stop at the first bad question, so a teacher sees every problem in one run; whether a
//! file with errors imports anything is the caller's decision (`qbank import --skip-invalid`).
//! Every item an importer returns has passed [`phongthi_items::Item::validate`], is NFC, and has
//! `meta.source` set to its file and first line.
//!
//! Exporters return the text plus the items they could not express (a true/false cluster has no
//! GIFT form, for instance): nothing is dropped silently.

pub mod aiken;
pub mod docx;
pub mod gift;
mod moodle_grades;
pub mod moodle_xml;
pub mod omml;
pub mod qti;
pub mod template;
pub mod xlsx_cells;

use std::fmt;

/// Where in a file a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// File name as given to the importer.
    pub file: String,
    /// 1-based line, or paragraph where [`Location::unit`] says so.
    pub line: u32,
    /// 1-based column (in characters), when known.
    pub column: Option<u32>,
    /// What `line` counts.
    pub unit: Unit,
}

/// What a [`Location`]'s number counts: lines of a text file, or paragraphs of a Word document
/// (which has no lines a teacher could find; Word's own "paragraph" is what they can count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unit {
    /// Lines of a text file (`file:12:3`, as editors and compilers print them).
    #[default]
    Line,
    /// Paragraphs of a document, counted from 1 in reading order (tables' paragraphs included).
    Paragraph,
}

impl Location {
    /// Line `line` (and `column`) of `file`.
    pub fn line(file: &str, line: u32, column: Option<u32>) -> Self {
        Self { file: file.to_owned(), line, column, unit: Unit::Line }
    }

    /// Paragraph `paragraph` of the document `file`.
    pub fn paragraph(file: &str, paragraph: u32) -> Self {
        Self { file: file.to_owned(), line: paragraph, column: None, unit: Unit::Paragraph }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.unit, self.column) {
            (Unit::Paragraph, _) => write!(f, "{}, đoạn {} / paragraph {}", self.file, self.line, self.line),
            (Unit::Line, Some(column)) => write!(f, "{}:{}:{}", self.file, self.line, column),
            (Unit::Line, None) => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

/// One question (or row) that could not be imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct ImportError {
    /// Where.
    pub at: Location,
    /// What is wrong, Vietnamese first then English (`thiếu dấu }} / missing }}`).
    pub message: String,
}

impl ImportError {
    /// An error at `file:line[:column]`.
    pub fn new(file: &str, line: u32, column: Option<u32>, message: impl Into<String>) -> Self {
        Self { at: Location::line(file, line, column), message: message.into() }
    }

    /// An error at paragraph `paragraph` of the document `file`.
    pub fn in_paragraph(file: &str, paragraph: u32, message: impl Into<String>) -> Self {
        Self { at: Location::paragraph(file, paragraph), message: message.into() }
    }
}

/// What an importer read from one file.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// Valid items, in file order.
    pub items: Vec<phongthi_items::Item>,
    /// Problems, in file order.
    pub errors: Vec<ImportError>,
}

/// An item an exporter could not write, by its index in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Index in the exported slice.
    pub index: usize,
    /// Why (bilingual).
    pub reason: String,
}

/// What an exporter wrote.
#[derive(Clone, Debug, Default)]
pub struct ExportReport {
    /// The file's text.
    pub text: String,
    /// Items that the format cannot express.
    pub skipped: Vec<Skipped>,
}
