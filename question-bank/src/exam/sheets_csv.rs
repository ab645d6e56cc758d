//! Grading answer sheets given as CSV (`examples/sheets.csv`): the paper/OMR fallback and the
//! shape `qbank grade` reads.
//!
//! Header `student_id,form,1,2,…,n` (Vietnamese `mã học sinh`/`mã định danh`, `mã đề` accepted),
//! then one row per student: the form code and one cell per question position in the notation
//! of [`Response::parse_cell`]. UTF-8 with or without a BOM, `,` or `;` as separator (Excel in a
//! Vietnamese locale writes `;`). Every problem of the file is reported, each naming the line and
//! column, so a teacher fixes the sheet in one pass.

use super::Exam;
use crate::forms::{Form, FormCode};
use crate::scoring::{CellError, Response, scale, score_sheet};
use phongthi_formats::Location;
use phongthi_items::MilliPoints;
use phongthi_items::text::{fold_for_search, nfc};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// One student's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudentResult {
    /// Student identifier (mã định danh) as written.
    pub student_id: String,
    /// The form the student took.
    pub form: FormCode,
    /// Points earned.
    pub raw: MilliPoints,
    /// Points possible.
    pub max: MilliPoints,
    /// The reported score on the exam's scale, rounded half-up to its step.
    pub scaled: MilliPoints,
    /// Points per question, in the form's order.
    pub per_question: Vec<MilliPoints>,
    /// 1-based positions of answered essays waiting for a teacher's mark.
    pub pending_manual: Vec<usize>,
}

/// One problem in an answer-sheet file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// The bytes are not UTF-8.
    #[error("{at}: tệp không phải UTF-8 / the file is not UTF-8")]
    NotUtf8 {
        /// Where the first bad byte is.
        at: Location,
    },
    /// The CSV itself is broken (an unclosed quote, …).
    #[error("{at}: lỗi CSV / CSV error: {message}")]
    Csv {
        /// Where.
        at: Location,
        /// The CSV reader's message.
        message: String,
    },
    /// No header row.
    #[error("{file}: tệp trống / the file is empty")]
    Empty {
        /// File name.
        file: String,
    },
    /// A header cell is not what the layout needs.
    #[error(
        "{at}: tiêu đề cột phải là {expected:?}, có {found:?} / column header must be {expected:?}, found {found:?}"
    )]
    BadHeader {
        /// Where.
        at: Location,
        /// What was expected.
        expected: String,
        /// What was written.
        found: String,
    },
    /// The header has another number of question columns than the forms have questions.
    #[error(
        "{file}: có {found} cột câu hỏi, đề có {expected} câu / {found} question columns, the exam has {expected} questions"
    )]
    QuestionCount {
        /// File name.
        file: String,
        /// Question columns in the header.
        found: usize,
        /// Questions per form.
        expected: usize,
    },
    /// A row with another number of cells than the header.
    #[error("{at}: dòng có {found} cột, tiêu đề có {expected} / the row has {found} columns, the header {expected}")]
    ColumnCount {
        /// Where (line only).
        at: Location,
        /// Columns in the header.
        expected: usize,
        /// Columns in the row.
        found: usize,
    },
    /// A row without a student identifier.
    #[error("{at}: thiếu mã học sinh / missing student_id")]
    MissingStudent {
        /// Where.
        at: Location,
    },
    /// The same student twice.
    #[error(
        "{at}: học sinh {student_id} đã có ở dòng {first_line} / student {student_id} already on line {first_line}"
    )]
    DuplicateStudent {
        /// Where the repeat is.
        at: Location,
        /// The student.
        student_id: String,
        /// Line of the first row.
        first_line: u32,
    },
    /// A form code the exam does not have.
    #[error("{at}: không có mã đề {code:?} / no form {code:?}")]
    UnknownForm {
        /// Where.
        at: Location,
        /// The code written.
        code: String,
    },
    /// A cell that cannot be read for its question.
    #[error("{at}: câu {question}: {problem}")]
    BadCell {
        /// Where.
        at: Location,
        /// 1-based question number.
        question: usize,
        /// What is wrong.
        problem: CellError,
    },
}

/// Every problem found in one answer-sheet file, in file order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct SheetErrors(pub Vec<SheetError>);

impl fmt::Display for SheetErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

const STUDENT_HEADERS: [&str; 4] = ["student_id", "ma hoc sinh", "ma dinh danh", "ma hs"];
const FORM_HEADERS: [&str; 3] = ["form", "ma de", "ma_de"];

impl Exam {
    /// Grades every row of an answer-sheet CSV (`examples/sheets.csv`), in file order.
    pub fn grade_sheets_csv(&self, file_name: &str, bytes: &[u8]) -> Result<Vec<StudentResult>, SheetErrors> {
        let at = |line: u64, column: Option<usize>| {
            Location::line(
                file_name,
                u32::try_from(line).unwrap_or(u32::MAX),
                column.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
            )
        };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|error| {
            let before = &bytes[..error.valid_up_to()];
            let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            SheetErrors(vec![SheetError::NotUtf8 { at: at(line, None) }])
        })?;
        let first_line = text.lines().next().unwrap_or("");
        let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(header)) => header,
            Some(Err(error)) => return Err(SheetErrors(vec![csv_error(file_name, &error)])),
            None => return Err(SheetErrors(vec![SheetError::Empty { file: file_name.to_owned() }])),
        };
        self.check_header(&header, file_name).map_err(SheetErrors)?;

        let forms: HashMap<&str, &Form> = self.forms.iter().map(|f| (f.code.as_str(), f)).collect();
        let mut errors = Vec::new();
        let mut results = Vec::new();
        let mut seen: BTreeMap<String, u32> = BTreeMap::new();
        let mut responses = Vec::with_capacity(self.question_count());
        for record in records {
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    errors.push(csv_error(file_name, &error));
                    continue;
                }
            };
            let line = record.position().map_or(0, csv::Position::line);
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue; // spreadsheets export trailing empty rows
            }
            if record.len() != header.len() {
                errors.push(SheetError::ColumnCount {
                    at: at(line, None),
                    expected: header.len(),
                    found: record.len(),
                });
                continue;
            }
            let student_id = nfc(record.get(0).unwrap_or("").trim());
            if student_id.is_empty() {
                errors.push(SheetError::MissingStudent { at: at(line, Some(1)) });
            } else if let Some(first_line) = seen.get(&student_id) {
                errors.push(SheetError::DuplicateStudent {
                    at: at(line, Some(1)),
                    student_id: student_id.clone(),
                    first_line: *first_line,
                });
            } else {
                seen.insert(student_id.clone(), u32::try_from(line).unwrap_or(u32::MAX));
            }
            let code = FormCode::new(record.get(1).unwrap_or(""));
            let Some(form) = forms.get(code.as_str()) else {
                errors.push(SheetError::UnknownForm { at: at(line, Some(2)), code: code.as_str().to_owned() });
                continue;
            };
            responses.clear();
            let mut row_ok = true;
            for (index, question) in form.questions.iter().enumerate() {
                let cell = record.get(index + 2).unwrap_or("");
                let Some(item) = self.items.get(&question.item) else { continue };
                let parsed = Response::parse_cell(item.kind(), cell).and_then(|r| r.check_fits(item).map(|()| r));
                match parsed {
                    Ok(response) => responses.push(response),
                    Err(problem) => {
                        row_ok = false;
                        errors.push(SheetError::BadCell {
                            at: at(line, Some(index + 3)),
                            question: index + 1,
                            problem,
                        });
                    }
                }
            }
            if !row_ok {
                continue;
            }
            // Cannot fail: the exam is checked and one response was read per question.
            let Ok(score) = score_sheet(form, &self.items, &responses) else { continue };
            results.push(StudentResult {
                student_id,
                form: code,
                raw: score.raw,
                max: score.max,
                scaled: scale(score.raw, score.max, self.scale, self.rounding_step),
                per_question: score.per_question,
                pending_manual: score.pending_manual,
            });
        }
        if errors.is_empty() { Ok(results) } else { Err(SheetErrors(errors)) }
    }

    fn check_header(&self, header: &csv::StringRecord, file_name: &str) -> Result<(), Vec<SheetError>> {
        let line = header.position().map_or(1, csv::Position::line);
        let at = |column: usize| {
            Location::line(
                file_name,
                u32::try_from(line).unwrap_or(u32::MAX),
                Some(u32::try_from(column).unwrap_or(u32::MAX)),
            )
        };
        let mut errors = Vec::new();
        let folded = |index: usize| fold_for_search(header.get(index).unwrap_or("").trim());
        if !STUDENT_HEADERS.contains(&folded(0).as_str()) {
            errors.push(SheetError::BadHeader {
                at: at(1),
                expected: "student_id".to_owned(),
                found: header.get(0).unwrap_or("").to_owned(),
            });
        }
        if !FORM_HEADERS.contains(&folded(1).as_str()) {
            errors.push(SheetError::BadHeader {
                at: at(2),
                expected: "form".to_owned(),
                found: header.get(1).unwrap_or("").to_owned(),
            });
        }
        for (index, name) in header.iter().enumerate().skip(2) {
            let expected = (index - 1).to_string();
            if name.trim() != expected {
                errors.push(SheetError::BadHeader { at: at(index + 1), expected, found: name.to_owned() });
            }
        }
        let found = header.len().saturating_sub(2);
        if errors.is_empty() && found != self.question_count() {
            errors.push(SheetError::QuestionCount {
                file: file_name.to_owned(),
                found,
                expected: self.question_count(),
            });
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

fn csv_error(file_name: &str, error: &csv::Error) -> SheetError {
    let line = error.position().map_or(0, csv::Position::line);
    SheetError::Csv {
        at: Location::line(file_name, u32::try_from(line).unwrap_or(u32::MAX), None),
        message: error.to_string(),
    }
}
