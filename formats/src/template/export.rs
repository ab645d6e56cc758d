//! Items turned into template rows, for both the CSV and the XLSX writer.
//!
//! A row is written only when importing it gives the same item back (apart from `meta.source`,
//! which the import sets, `meta.category`, which the template has no column for, and surrounding
//! spaces, which the import trims). Anything else goes to `skipped` with the reason.

use super::answers::{self, LETTERS};
use super::columns::{Field, OPTION_COUNT};
use crate::Skipped;
use phongthi_items::{Body, Choice, ClusterTable, Fraction, Item, MilliPoints, NumericValue, TextFormat};
use rust_decimal::Decimal;

/// One item as template cells, in [`Field::EXPORT_ORDER`].
pub(crate) struct ExportRow {
    /// The cells' text; empty for an empty cell.
    pub(crate) cells: Vec<String>,
}

/// Position of `field` in [`Field::EXPORT_ORDER`].
pub(crate) fn column_index(field: Field) -> Option<usize> {
    Field::EXPORT_ORDER.iter().position(|f| *f == field)
}

/// The rows of every item the template can express, with the index of the item each came from,
/// and the others as skipped.
pub(crate) fn template_rows(items: &[Item]) -> (Vec<(usize, ExportRow)>, Vec<Skipped>) {
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match template_row(item) {
            Ok(row) => rows.push((index, row)),
            Err(reason) => skipped.push(Skipped { index, reason }),
        }
    }
    (rows, skipped)
}

/// Writes cells by field.
struct RowBuilder {
    cells: Vec<String>,
}

impl RowBuilder {
    fn set(&mut self, field: Field, text: impl Into<String>) {
        if let Some(cell) = column_index(field).and_then(|i| self.cells.get_mut(i)) {
            *cell = text.into();
        }
    }
}

fn template_row(item: &Item) -> Result<ExportRow, String> {
    item.validate().map_err(|problem| format!("câu hỏi không hợp lệ / invalid item: {problem}"))?;
    check_outside_template(item)?;
    let mut row = RowBuilder { cells: vec![String::new(); Field::EXPORT_ORDER.len()] };
    let meta = &item.meta;
    row.set(Field::Subject, meta.subject.clone().unwrap_or_default());
    row.set(Field::Grade, meta.grade.map(|g| g.to_string()).unwrap_or_default());
    row.set(Field::Topic, meta.topic.clone().unwrap_or_default());
    row.set(Field::Level, meta.level.map(|l| l.vietnamese()).unwrap_or_default());
    row.set(Field::Kind, item.kind().name());
    row.set(Field::Stem, item.stem.clone());
    row.set(Field::Points, meta.points.map(|p| p.to_string()).unwrap_or_default());
    row.set(Field::Name, item.name.clone().unwrap_or_default());
    row.set(Field::Tags, meta.tags.join("; "));
    row.set(Field::Author, meta.author.clone().unwrap_or_default());
    match &item.body {
        Body::SingleChoice { options } => {
            choices(&mut row, options)?;
            if options.iter().any(|o| !o.fraction.is_full() && o.fraction != Fraction::ZERO) {
                return Err("câu một lựa chọn có điểm từng phần; mẫu chỉ có một đáp án đúng 100% / \
                            the single-choice item gives partial credit; the template has one 100% answer"
                    .to_owned());
            }
            row.set(Field::Answer, letters(options, |o| o.fraction.is_full()));
        }
        Body::MultipleResponse { options } => {
            choices(&mut row, options)?;
            let correct: Vec<usize> =
                options.iter().enumerate().filter(|(_, o)| o.fraction > Fraction::ZERO).map(|(i, _)| i).collect();
            let fractions: Vec<Fraction> = options.iter().map(|o| o.fraction).collect();
            if fractions != answers::multiple_response_fractions(options.len(), &correct) {
                return Err("câu nhiều lựa chọn có tỉ lệ điểm riêng; mẫu chia đều +100% cho phương án đúng \
                            và −100% cho phương án sai / the multiple-response item has its own credit \
                            fractions; the template shares +100% among right and −100% among wrong options"
                    .to_owned());
            }
            row.set(Field::Answer, letters(options, |o| o.fraction > Fraction::ZERO));
        }
        Body::TrueFalse { answer } => row.set(Field::Answer, if *answer { "Đúng" } else { "Sai" }),
        Body::TrueFalseCluster { statements, table } => {
            if statements.len() > OPTION_COUNT {
                return Err(too_many(statements.len()));
            }
            if *table != ClusterTable::default_for(statements.len()) {
                return Err("câu đúng/sai chùm có bảng điểm riêng; mẫu dùng bảng mặc định / \
                            the cluster has its own credit table; the template uses the default one"
                    .to_owned());
            }
            for (index, statement) in statements.iter().enumerate() {
                row.set(Field::Option(index), statement.text.clone());
            }
            row.set(Field::Answer, statements.iter().map(|s| if s.correct { 'Đ' } else { 'S' }).collect::<String>());
        }
        Body::ShortText { answers, case_sensitive } => {
            if *case_sensitive {
                return Err("câu trả lời ngắn phân biệt hoa thường; mẫu không phân biệt / \
                            the short-text item is case-sensitive; the template is not"
                    .to_owned());
            }
            if answers.iter().any(|a| !a.fraction.is_full()) {
                return Err("câu trả lời ngắn có đáp án điểm từng phần; mẫu chỉ có đáp án 100% / \
                            the short-text item has partial-credit answers; the template has only 100% ones"
                    .to_owned());
            }
            if answers.iter().any(|a| a.text.contains('|') || a.text.trim() != a.text) {
                return Err("có đáp án chứa dấu | hoặc khoảng trắng ở đầu/cuối / \
                            an accepted answer holds | or surrounding spaces"
                    .to_owned());
            }
            row.set(Field::Answer, answers.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join("|"));
        }
        Body::Numeric { answers, four_char_rule } => numeric(&mut row, answers, *four_char_rule)?,
        Body::Essay => {}
        Body::Matching { .. } => {
            return Err("câu ghép đôi không có dạng trong mẫu bảng tính / \
                        matching items have no form in the spreadsheet template"
                .to_owned());
        }
        Body::Description => {
            return Err("đoạn mô tả (không phải câu hỏi) không có dạng trong mẫu bảng tính / \
                        descriptions have no form in the spreadsheet template"
                .to_owned());
        }
    }
    Ok(ExportRow { cells: row.cells })
}

/// The parts of an item that no template column holds.
fn check_outside_template(item: &Item) -> Result<(), String> {
    let reason = if item.stem_tail.is_some() {
        "câu điền khuyết có phần sau chỗ trống; mẫu không có cột cho phần này / \
         the missing-word item has text after the blank; the template has no column for it"
    } else if item.format != TextFormat::default() {
        "câu hỏi dùng định dạng văn bản khác (HTML, Markdown…); mẫu chỉ có văn bản thường / \
         the item uses another text format (HTML, Markdown…); the template holds plain text"
    } else if item.general_feedback.is_some() {
        "câu hỏi có phản hồi chung; mẫu không có cột phản hồi / \
         the item has general feedback; the template has no feedback column"
    } else if !item.answer_feedback.is_empty() {
        "câu hỏi có phản hồi theo đáp án; mẫu không có cột phản hồi / \
         the item has per-answer feedback; the template has no feedback column"
    } else if !item.images.is_empty() {
        "câu hỏi có hình ảnh; mẫu bảng tính không chứa được hình / \
         the item has images; the spreadsheet template cannot hold them"
    } else if item.group.is_some() {
        "câu hỏi thuộc một nhóm (Nhóm); mẫu không có cột nhóm / \
         the item belongs to a group; the template has no group column"
    } else if item.meta.grade.is_some_and(|g| !(1..=12).contains(&g)) {
        "khối không nằm trong 1–12 / the grade is not within 1–12"
    } else if item.meta.points.is_some_and(|p| p < MilliPoints::ZERO) {
        "điểm âm / negative points"
    } else if item.meta.tags.iter().any(|t| t.contains(';') || t.trim().is_empty() || t.trim() != t) {
        "có thẻ chứa dấu ; hoặc trống; cột thẻ ngăn cách bằng ; / \
         a tag holds ; or is empty; the tags column is separated by ;"
    } else {
        return Ok(());
    };
    Err(reason.to_owned())
}

fn too_many(count: usize) -> String {
    format!(
        "có {count} phương án/ý; mẫu có tối đa 6 cột a–f / \
         {count} options or statements; the template has at most 6 columns a–f"
    )
}

/// Writes the options and pin letters of a choice item.
fn choices(row: &mut RowBuilder, options: &[Choice]) -> Result<(), String> {
    if options.len() > OPTION_COUNT {
        return Err(too_many(options.len()));
    }
    if options.iter().any(|o| o.feedback.is_some()) {
        return Err("có phương án kèm phản hồi; mẫu không có cột phản hồi / \
                    an option has feedback; the template has no feedback column"
            .to_owned());
    }
    for (index, option) in options.iter().enumerate() {
        row.set(Field::Option(index), option.text.clone());
    }
    row.set(Field::Pin, letters(options, |o| o.pinned));
    Ok(())
}

/// The letters of the options for which `selected` holds: `AC`.
fn letters(options: &[Choice], selected: impl Fn(&Choice) -> bool) -> String {
    options.iter().zip(LETTERS).filter(|(option, _)| selected(option)).map(|(_, letter)| letter).collect()
}

fn numeric(
    row: &mut RowBuilder,
    answers: &[phongthi_items::NumericAnswer],
    four_char_rule: bool,
) -> Result<(), String> {
    let [answer] = answers else {
        return Err(format!(
            "câu điền số có {} đáp án; mẫu có đúng một / the numeric item has {} accepted answers; the template has one",
            answers.len(),
            answers.len()
        ));
    };
    let NumericValue::Exact { value, tolerance } = answer.value else {
        return Err("đáp án là một khoảng giá trị; mẫu ghi số và sai số / \
                    the key is a range; the template writes a value and a tolerance"
            .to_owned());
    };
    if !answer.fraction.is_full() {
        return Err("đáp án số không đạt 100%; mẫu chỉ có đáp án 100% / \
                    the numeric key earns less than 100%; the template has only 100% keys"
            .to_owned());
    }
    let written = answers::comma_text(value);
    if four_char_rule && !answers::fits_four_char(&answers::comma_text(value.normalize())) {
        return Err("quy tắc 4 ký tự bật nhưng đáp án không viết được bằng 4 ký tự / \
                    the 4-character rule is on but the key cannot be written in 4 characters"
            .to_owned());
    }
    row.set(Field::Answer, written.clone());
    if tolerance != Decimal::ZERO {
        row.set(Field::Tolerance, tolerance.to_string());
    }
    // Written only when it differs from what the import infers, to keep the sheet plain.
    if four_char_rule != answers::fits_four_char(&written) {
        row.set(Field::FourChar, if four_char_rule { "1" } else { "0" });
    }
    Ok(())
}
