//! One data row of the template turned into an [`Item`], or into every problem the row has.
//!
//! A row is read completely even after a first problem, so a teacher fixing a sheet sees all the
//! mistakes of a row at once. Each message names the column by letter and header as written.

use super::answers;
use super::columns::{Field, Header, HeaderColumn, OPTION_COUNT, column_letters};
use super::sheet::{CellValue, SheetRow};
use crate::ImportError;
use phongthi_items::text::nfc;
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Item, ItemKind, Level, Metadata, MilliPoints, NumericAnswer, NumericValue,
    SourceRef, Statement, TextAnswer,
};
use rust_decimal::Decimal;

/// A non-empty cell under a known column, trimmed and NFC.
struct FieldCell<'h> {
    column: &'h HeaderColumn,
    text: String,
    /// Whether it came from an XLSX number cell (see [`CellValue::Number`]).
    from_number: bool,
}

/// Reads one data row.
pub(crate) fn read_row(file: &str, header: &Header, row: &SheetRow) -> Result<Item, Vec<ImportError>> {
    let mut reader = RowReader { file, header, row, errors: Vec::new() };
    reader.check_stray_cells();
    let item = reader.item();
    match item {
        Some(item) if reader.errors.is_empty() => Ok(item),
        _ => Err(reader.errors),
    }
}

struct RowReader<'a> {
    file: &'a str,
    header: &'a Header,
    row: &'a SheetRow,
    errors: Vec<ImportError>,
}

impl<'a> RowReader<'a> {
    /// A problem with the row as a whole.
    fn row_error(&mut self, message: impl Into<String>) {
        self.errors.push(ImportError::new(self.file, self.row.number, None, message));
    }

    /// A problem with one column: `cột K "answer": …`.
    fn column_error(&mut self, column: &HeaderColumn, message: impl AsRef<str>) {
        let message = format!("{}: {}", column.label(), message.as_ref());
        self.row_error(message);
    }

    /// Reports cells that cannot be read, and cells written under a column with no header (which
    /// would otherwise be dropped silently).
    fn check_stray_cells(&mut self) {
        let row = self.row;
        for (column, cell) in &row.cells {
            let letters = column_letters(*column);
            match (self.header.at(*column), cell) {
                (Some(known), CellValue::Unreadable(reason)) => self.column_error(known, reason),
                (None, CellValue::Unreadable(reason)) => self.row_error(format!("cột {letters}: {reason}")),
                (None, cell) if !cell.is_blank() => self.row_error(format!(
                    "cột {letters}: ô có nội dung nhưng cột không có tiêu đề / \
                     column {letters} has content but no header"
                )),
                _ => {}
            }
        }
    }

    /// The non-blank cell of `field`, if the header has the column and the row fills it.
    fn cell(&self, field: Field) -> Option<FieldCell<'a>> {
        let column = self.header.column_of(field)?;
        match self.row.cell(column.column)? {
            CellValue::Text(text) => Some((text, false)),
            CellValue::Number(text) => Some((text, true)),
            CellValue::Unreadable(_) => None,
        }
        .map(|(text, from_number)| FieldCell { column, text: nfc(text.trim()), from_number })
        .filter(|cell| !cell.text.is_empty())
    }

    /// The text of an optional plain-text field.
    fn text(&self, field: Field) -> Option<String> {
        self.cell(field).map(|cell| cell.text)
    }

    /// A required cell: reports a missing column or an empty cell.
    fn required(&mut self, field: Field, what: &str) -> Option<FieldCell<'a>> {
        if let Some(cell) = self.cell(field) {
            return Some(cell);
        }
        let column = self.header.column_of(field);
        if column.is_some_and(|c| matches!(self.row.cell(c.column), Some(CellValue::Unreadable(_)))) {
            // Already reported as unreadable; "empty" would be wrong.
            return None;
        }
        match column {
            Some(column) => {
                let message = format!("ô trống, cần {what} / empty, {} needed", english_what(field));
                self.column_error(column, message);
            }
            None => self.row_error(format!(
                "thiếu cột \"{}\" ({}), cần {what} / missing column \"{}\", {} needed",
                field.english(),
                field.vietnamese(),
                field.english(),
                english_what(field)
            )),
        }
        None
    }

    /// Reads `cell` with `parse`, reporting a failure at its column.
    fn parse<T>(&mut self, cell: &FieldCell<'_>, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        match parse(&cell.text) {
            Ok(value) => Some(value),
            Err(message) => {
                self.column_error(cell.column, message);
                None
            }
        }
    }

    /// Reports a cell that the row's kind does not use, rather than dropping it.
    fn refuse(&mut self, field: Field, kind: ItemKind) {
        if let Some(cell) = self.cell(field) {
            let message = format!(
                "loại {kind} không dùng cột này, hãy để trống / kind {kind} does not use this column, leave it empty"
            );
            self.column_error(cell.column, message);
        }
    }

    fn item(&mut self) -> Option<Item> {
        let kind_cell = self.required(Field::Kind, "loại câu");
        let kind = kind_cell.and_then(|cell| self.parse(&cell, parse_kind));
        let stem = self.required(Field::Stem, "nội dung câu hỏi").map(|cell| cell.text);
        let meta = self.metadata();
        let options = self.options();
        let body = match kind {
            Some(kind) => self.body(kind, &options),
            None => None,
        };
        let mut item = Item::new(stem?, body?);
        item.name = self.text(Field::Name);
        item.meta = meta?;
        if self.errors.is_empty()
            && let Err(problem) = item.validate()
        {
            self.row_error(problem.to_string());
        }
        Some(item)
    }

    fn metadata(&mut self) -> Option<Metadata> {
        let mut meta = Metadata {
            subject: self.text(Field::Subject),
            topic: self.text(Field::Topic),
            author: self.text(Field::Author),
            source: Some(SourceRef { file: self.file.to_owned(), line: self.row.number }),
            ..Default::default()
        };
        let mut ok = true;
        if let Some(cell) = self.cell(Field::Grade) {
            meta.grade = self.parse(&cell, parse_grade);
            ok &= meta.grade.is_some();
        }
        if let Some(cell) = self.cell(Field::Level) {
            meta.level = self.parse(&cell, parse_level);
            ok &= meta.level.is_some();
        }
        if let Some(cell) = self.cell(Field::Points) {
            meta.points = self.parse(&cell, parse_points);
            ok &= meta.points.is_some();
        }
        if let Some(tags) = self.text(Field::Tags) {
            meta.tags = tags.split(';').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
        }
        ok.then_some(meta)
    }

    /// The option cells `a`..`f`, which must be contiguous from `a`: a gap usually means a value
    /// typed into the wrong column, and closing it silently would change the letters of the key.
    fn options(&mut self) -> Vec<String> {
        let cells: Vec<Option<FieldCell<'a>>> = (0..OPTION_COUNT).map(|i| self.cell(Field::Option(i))).collect();
        let count = cells.iter().take_while(|cell| cell.is_some()).count();
        if let Some(after_gap) = cells.iter().skip(count).flatten().next() {
            let gap = Field::Option(count).english();
            let message = format!(
                "phương án {gap} trống nhưng phương án sau nó có nội dung; các phương án phải liền nhau từ a / \
                 option {gap} is empty but a later one is not; options must be contiguous from a"
            );
            self.column_error(after_gap.column, message);
        }
        cells.into_iter().map_while(|cell| cell.map(|c| c.text)).collect()
    }

    fn body(&mut self, kind: ItemKind, options: &[String]) -> Option<Body> {
        if !matches!(kind, ItemKind::SingleChoice | ItemKind::MultipleResponse | ItemKind::TrueFalseCluster) {
            for index in 0..OPTION_COUNT {
                self.refuse(Field::Option(index), kind);
            }
        }
        if !matches!(kind, ItemKind::SingleChoice | ItemKind::MultipleResponse) {
            self.refuse(Field::Pin, kind);
        }
        if kind != ItemKind::Numeric {
            self.refuse(Field::Tolerance, kind);
            self.refuse(Field::FourChar, kind);
        }
        if kind == ItemKind::Essay {
            self.refuse(Field::Answer, kind);
            return Some(Body::Essay);
        }
        let answer = self.required(Field::Answer, "đáp án")?;
        match kind {
            ItemKind::SingleChoice => {
                let letters = self.letters(&answer, options)?;
                if letters.len() != 1 {
                    let message = "câu một lựa chọn cần đúng một chữ cái đáp án / \
                                   a single-choice item needs exactly one answer letter";
                    self.column_error(answer.column, message);
                    return None;
                }
                let pinned = self.pinned(options)?;
                let choices = options
                    .iter()
                    .enumerate()
                    .map(|(i, text)| {
                        choice(text, if letters.contains(&i) { Fraction::ONE } else { Fraction::ZERO }, &pinned, i)
                    })
                    .collect();
                Some(Body::SingleChoice { options: choices })
            }
            ItemKind::MultipleResponse => {
                let letters = self.letters(&answer, options)?;
                let pinned = self.pinned(options)?;
                let fractions = answers::multiple_response_fractions(options.len(), &letters);
                let choices = options
                    .iter()
                    .zip(fractions)
                    .enumerate()
                    .map(|(i, (text, f))| choice(text, f, &pinned, i))
                    .collect();
                Some(Body::MultipleResponse { options: choices })
            }
            ItemKind::TrueFalse => {
                self.parse(&answer, answers::true_false_key).map(|answer| Body::TrueFalse { answer })
            }
            ItemKind::TrueFalseCluster => {
                let key = self.parse(&answer, answers::cluster_key)?;
                if key.len() != options.len() {
                    let message = format!(
                        "đáp án có {} ý Đ/S nhưng có {} mệnh đề (cột a–f) / \
                         the key judges {} statements but the row has {} (columns a–f)",
                        key.len(),
                        options.len(),
                        key.len(),
                        options.len()
                    );
                    self.column_error(answer.column, message);
                    return None;
                }
                let statements =
                    options.iter().zip(key).map(|(text, correct)| Statement { text: text.clone(), correct }).collect();
                Some(Body::TrueFalseCluster { statements, table: ClusterTable::default_for(options.len()) })
            }
            ItemKind::ShortText => {
                let alternatives = self.parse(&answer, answers::text_alternatives)?;
                let answers =
                    alternatives.into_iter().map(|text| TextAnswer { text, fraction: Fraction::ONE }).collect();
                Some(Body::ShortText { answers, case_sensitive: false })
            }
            ItemKind::Numeric => self.numeric(&answer),
            // Not template kinds: `parse_kind` refuses them.
            ItemKind::Matching | ItemKind::Description | ItemKind::Essay => None,
        }
    }

    /// Answer letters, each naming an option the row has.
    fn letters(&mut self, answer: &FieldCell<'_>, options: &[String]) -> Option<Vec<usize>> {
        let letters = self.parse(answer, answers::option_letters)?;
        if let Some(missing) = letters.iter().find(|i| **i >= options.len()) {
            let letter = answers::LETTERS.get(*missing).copied().unwrap_or('?');
            let message = format!(
                "đáp án {letter} nhưng không có phương án {letter} (có {} phương án) / \
                 answer {letter} but there is no option {letter} ({} options given)",
                options.len(),
                options.len()
            );
            self.column_error(answer.column, message);
            return None;
        }
        Some(letters)
    }

    /// The pinned option indices from the `pin` column.
    fn pinned(&mut self, options: &[String]) -> Option<Vec<usize>> {
        let Some(cell) = self.cell(Field::Pin) else { return Some(Vec::new()) };
        let letters = self.parse(&cell, answers::option_letters)?;
        if let Some(missing) = letters.iter().find(|i| **i >= options.len()) {
            let letter = answers::LETTERS.get(*missing).copied().unwrap_or('?');
            let message = format!(
                "cố định phương án {letter} nhưng không có phương án đó / pins option {letter}, which does not exist"
            );
            self.column_error(cell.column, message);
            return None;
        }
        Some(letters)
    }

    fn numeric(&mut self, answer: &FieldCell<'_>) -> Option<Body> {
        let value = self.parse(answer, answers::decimal);
        let tolerance = match self.cell(Field::Tolerance) {
            Some(cell) => self.parse(&cell, answers::tolerance),
            None => Some(Decimal::ZERO),
        };
        // A number cell has no written form: judge it as Excel shows it in Vietnamese, `4,5`.
        let written = if answer.from_number { answer.text.replace('.', ",") } else { answer.text.clone() };
        let four_char_rule = match self.cell(Field::FourChar) {
            Some(cell) => {
                let explicit = self.parse(&cell, answers::yes_no)?;
                if explicit
                    && let Some(value) = value
                    && !answers::fits_four_char(&answers::comma_text(value.normalize()))
                {
                    let message = format!(
                        "đáp án \"{}\" không viết được bằng 4 ký tự (-, chữ số, dấu phẩy) / \
                         the key \"{}\" cannot be written in 4 characters (-, digits, comma)",
                        answer.text, answer.text
                    );
                    self.column_error(cell.column, message);
                    return None;
                }
                explicit
            }
            None => answers::fits_four_char(&written),
        };
        let answers = vec![NumericAnswer {
            value: NumericValue::Exact { value: value?, tolerance: tolerance? },
            fraction: Fraction::ONE,
        }];
        Some(Body::Numeric { answers, four_char_rule })
    }
}

fn choice(text: &str, fraction: Fraction, pinned: &[usize], index: usize) -> Choice {
    Choice { text: text.to_owned(), fraction, pinned: pinned.contains(&index), feedback: None }
}

/// The English words for what a required column holds.
fn english_what(field: Field) -> &'static str {
    match field {
        Field::Kind => "the item kind",
        Field::Stem => "the question text",
        _ => "the answer",
    }
}

/// The kinds the template writes; matching and description have no columns for their content.
const TEMPLATE_KINDS: [ItemKind; 7] = [
    ItemKind::SingleChoice,
    ItemKind::MultipleResponse,
    ItemKind::TrueFalse,
    ItemKind::TrueFalseCluster,
    ItemKind::ShortText,
    ItemKind::Numeric,
    ItemKind::Essay,
];

fn parse_kind(text: &str) -> Result<ItemKind, String> {
    let name = text.trim().to_lowercase().replace(['-', ' '], "_");
    ItemKind::parse(&name).filter(|kind| TEMPLATE_KINDS.contains(kind)).ok_or_else(|| {
        let known = TEMPLATE_KINDS.map(ItemKind::name).join(", ");
        format!("loại câu \"{text}\" không có trong mẫu ({known}) / unknown kind \"{text}\" (one of {known})")
    })
}

fn parse_grade(text: &str) -> Result<u8, String> {
    text.parse::<u8>().ok().filter(|grade| (1..=12).contains(grade)).ok_or_else(|| {
        format!("khối \"{text}\" phải là số từ 1 đến 12 / grade \"{text}\" must be a number from 1 to 12")
    })
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::parse(text).ok_or_else(|| {
        format!(
            "mức độ \"{text}\" không rõ (Biết, Hiểu, Vận dụng, Vận dụng cao) / \
             unknown level \"{text}\" (Biết, Hiểu, Vận dụng, Vận dụng cao)"
        )
    })
}

fn parse_points(text: &str) -> Result<MilliPoints, String> {
    let points = MilliPoints::parse(text).map_err(|e| e.to_string())?;
    if points < MilliPoints::ZERO {
        return Err(format!("điểm \"{text}\" không được âm / points \"{text}\" must not be negative"));
    }
    Ok(points)
}
