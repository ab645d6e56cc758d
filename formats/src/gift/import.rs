//! The GIFT importer: scans the file, reads each question and its conventions, fills the
//! metadata the file states, and validates. One bad question is one error; the rest still import.

use super::directives;
use super::parse::{self, QuestionText};
use super::scan::{self, Chunk, SourceLine};
use super::topic_of_category;
use crate::{ImportError, ImportReport};
use phongthi_items::text::nfc;
use phongthi_items::{Item, SourceRef};

/// Imports the GIFT text of `file_name` (named in messages and in `meta.source`).
///
/// A UTF-8 byte-order mark and CRLF line endings are accepted. Every returned item is NFC, has
/// passed [`Item::validate`], and has `meta.source` at its first non-comment line; each question
/// that cannot be read is one [`ImportError`] naming its line and, where known, column.
pub fn import(file_name: &str, text: &str) -> ImportReport {
    let mut report = ImportReport::default();
    let mut category: Option<String> = None;
    for chunk in scan::chunks(text) {
        match chunk {
            Chunk::Category { path } => category = Some(nfc(path)).filter(|path| !path.is_empty()),
            Chunk::Question { comments, lines } => {
                match read_question(file_name, category.as_deref(), &comments, &lines) {
                    Ok(item) => report.items.push(item),
                    Err(error) => report.errors.push(error),
                }
            }
        }
    }
    report
}

fn read_question(
    file: &str,
    category: Option<&str>,
    comments: &[SourceLine<'_>],
    lines: &[SourceLine<'_>],
) -> Result<Item, ImportError> {
    let directives = directives::read(file, comments)?;
    let question = QuestionText::join(lines);
    let mut item = parse::question(&question.text).map_err(|problem| question.error(file, problem))?;
    directives.apply_to_body(file, &mut item.body)?;

    let meta = &mut item.meta;
    meta.category = category.map(str::to_owned);
    meta.topic = match directives.topic {
        Some(stated) => stated,
        None => category.and_then(topic_of_category).map(str::to_owned),
    };
    meta.level = directives.level;
    meta.points = directives.points;
    (meta.idnumber, meta.tags) = directives::idnumber_and_tags(comments);
    meta.source = Some(SourceRef { file: file.to_owned(), line: question.first_line() });
    item.group = directives.group;

    item.validate().map_err(|error| ImportError::new(file, question.first_line(), None, error.to_string()))?;
    Ok(item)
}
