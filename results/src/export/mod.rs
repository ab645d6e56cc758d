//! Result exports of an exam for the school's grade book, with a signed manifest.
//!
//! `proctor export` writes into a folder one of:
//! - `diem-<exam>.csv` ([`csv`]): UTF-8 with BOM, the columns of the SMAS / vnEdu import
//!   templates (`STT, Mã học sinh, Họ và tên, Lớp, Điểm, Ghi chú`);
//! - `diem-<exam>.xlsx` ([`xlsx`]): the same columns, one sheet per class;
//! - `oneroster-<exam>.zip` ([`oneroster`]): the OneRoster 1.2 CSV binding's gradebook files;
//!
//! and `manifest.txt` ([`manifest`]), listing every file written with its size and SHA-256,
//! signed by the proctor's identity key, so a department can check later that the scores are
//! the ones the exam room produced. The rows ([`rows`]) are every roster student in Vietnamese
//! class-list order; absent students are listed with the note `Vắng` and no score.
//!
//! **Decimal mark.** Scores are exact tenths from milli-points (rounded half-up, Circular
//! 22/2021). Vietnamese-locale Excel, which the SMAS and vnEdu templates are filled in, reads
//! `8,3` as the number 8.3 and `8.3` as text or even a date (8 March), so the CSV writes a
//! decimal comma by default ([`DecimalMark::Comma`]), quoting the field so the columns stay put;
//! [`DecimalMark::Dot`] serves English-locale Excel and scripts. The XLSX holds real numbers,
//! shown by each reader's own locale; OneRoster is always a dot (its `score` is a float).

pub mod columns;
pub mod csv;
pub mod manifest;
pub mod oneroster;
pub mod rows;
pub mod xlsx;

#[cfg(test)]
mod tests;

pub use columns::{ColumnMap, ColumnMapErrors};
pub use manifest::{CheckedExport, MANIFEST_FILE, verify_export};
pub use rows::{ExportRow, RowStatus, build_rows};

use phongthi_crypto::{ExamId, SigningKey};
use phongthi_question_bank::exam::Exam;
use phongthi_store::{Reader, StoreError};
use std::path::Path;

/// The grade-sheet columns, in order.
pub const COLUMNS: [&str; 6] = ["STT", "Mã học sinh", "Họ và tên", "Lớp", "Điểm", "Ghi chú"];

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// `diem-<exam>.csv`.
    Csv,
    /// `diem-<exam>.xlsx`.
    Xlsx,
    /// `oneroster-<exam>.zip`.
    OneRoster,
}

impl ExportFormat {
    /// Parses `csv`, `xlsx` or `oneroster`.
    pub fn parse(text: &str) -> Option<ExportFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(ExportFormat::Csv),
            "xlsx" => Some(ExportFormat::Xlsx),
            "oneroster" => Some(ExportFormat::OneRoster),
            _ => None,
        }
    }

    /// The file this format writes for the exam `exam_hex`.
    pub fn file_name(self, exam_hex: &str) -> String {
        match self {
            ExportFormat::Csv => format!("diem-{exam_hex}.csv"),
            ExportFormat::Xlsx => format!("diem-{exam_hex}.xlsx"),
            ExportFormat::OneRoster => format!("oneroster-{exam_hex}.zip"),
        }
    }
}

/// The decimal mark of scores in the CSV grade sheet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DecimalMark {
    /// `8,3`: what Vietnamese-locale Excel reads as a number (the default).
    #[default]
    Comma,
    /// `8.3`: English-locale Excel and scripts.
    Dot,
}

impl DecimalMark {
    /// Parses `comma` or `dot`.
    pub fn parse(text: &str) -> Option<DecimalMark> {
        match text.trim().to_ascii_lowercase().as_str() {
            "comma" => Some(DecimalMark::Comma),
            "dot" => Some(DecimalMark::Dot),
            _ => None,
        }
    }

    /// The character.
    pub fn separator(self) -> char {
        match self {
            DecimalMark::Comma => ',',
            DecimalMark::Dot => '.',
        }
    }
}

/// An export that failed. Nothing half-written is left under a final name.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The exam is not in the store.
    #[error("không có kỳ thi {0} / no exam {0}")]
    UnknownExam(ExamId),
    /// The stored exam could not be read back.
    #[error("không đọc được đề đã lưu {exam}: {detail} / cannot read the stored exam {exam}: {detail}")]
    StoredExam {
        /// The exam.
        exam: ExamId,
        /// Why.
        detail: String,
    },
    /// Encoding a file.
    #[error("không tạo được {file}: {detail} / cannot encode {file}: {detail}")]
    Encode {
        /// The file or format.
        file: String,
        /// Why.
        detail: String,
    },
    /// Writing a file.
    #[error("không ghi được {file}: {source} / cannot write {file}: {source}")]
    Write {
        /// The file.
        file: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Reading a file.
    #[error("không đọc được {file}: {source} / cannot read {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The manifest: signing, its signature, or a listed file that is missing or differs (the
    /// message names the file).
    #[error(transparent)]
    Manifest(#[from] phongthi_crypto::Error),
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportReport {
    /// The files written, manifest last.
    pub files: Vec<String>,
    /// Students with a score.
    pub graded: usize,
    /// Students who logged in but did not submit.
    pub not_submitted: usize,
    /// Students who never logged in.
    pub absent: usize,
}

/// The export files (name, bytes) of `rows`, without the manifest.
pub fn render(
    format: ExportFormat,
    decimal: DecimalMark,
    facts: &oneroster::ExamFacts,
    rows: &[ExportRow],
) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    render_mapped(format, decimal, facts, rows, &ColumnMap::default())
}

/// [`render`] with a school's column mapping for the CSV and XLSX grade sheets (OneRoster has
/// its own fixed columns).
pub fn render_mapped(
    format: ExportFormat,
    decimal: DecimalMark,
    facts: &oneroster::ExamFacts,
    rows: &[ExportRow],
    columns: &ColumnMap,
) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    let name = format.file_name(&facts.exam_hex);
    let bytes = match format {
        ExportFormat::Csv => csv::grade_sheet_csv_mapped(rows, decimal, columns)?,
        ExportFormat::Xlsx => xlsx::grade_sheet_xlsx_mapped(rows, columns)?,
        ExportFormat::OneRoster => oneroster::oneroster_zip(facts, rows)?,
    };
    Ok(vec![(name, bytes)])
}

/// Reads `exam`'s facts and rows from the store: every roster student, with the manual marking
/// state of each sheet (unmarked essays). `now_ms` is the facts' export time.
pub fn load_rows(
    reader: &Reader,
    exam: &ExamId,
    now_ms: u64,
) -> Result<(oneroster::ExamFacts, Vec<ExportRow>), ExportError> {
    let record = reader.exam(exam)?.ok_or(ExportError::UnknownExam(*exam))?;
    let stored: Exam = serde_json::from_str(&record.exam_json)
        .map_err(|e| ExportError::StoredExam { exam: *exam, detail: e.to_string() })?;
    let mut rows = build_rows(&reader.students()?, &reader.sessions_of_exam(exam)?, &reader.scores_of_exam(exam)?);
    let unmarked = crate::marking::unmarked_essays(reader, exam, &stored)
        .map_err(|e| ExportError::StoredExam { exam: *exam, detail: e.to_string() })?;
    for row in &mut rows {
        if row.status == RowStatus::Graded {
            row.unmarked_essays = unmarked.get(&row.student_id).copied().unwrap_or(0);
        }
    }
    let facts = oneroster::ExamFacts {
        exam_hex: exam.to_hex(),
        title: record.title.clone(),
        scale_milli: stored.scale().milli(),
        assigned_ms: record.added_ms,
        exported_ms: now_ms,
    };
    Ok((facts, rows))
}

/// Reads `exam`'s results from the store and writes the export and its signed manifest into
/// `out_dir`. `now_ms` stamps the manifest (and OneRoster's dates).
pub fn export_exam(
    reader: &Reader,
    identity: &SigningKey,
    exam: &ExamId,
    format: ExportFormat,
    decimal: DecimalMark,
    out_dir: &Path,
    now_ms: u64,
) -> Result<ExportReport, ExportError> {
    export_exam_mapped(reader, identity, exam, format, decimal, &ColumnMap::default(), out_dir, now_ms)
}

/// [`export_exam`] with a school's column mapping.
#[allow(clippy::too_many_arguments)] // the export's settings, each needed, all plain values
pub fn export_exam_mapped(
    reader: &Reader,
    identity: &SigningKey,
    exam: &ExamId,
    format: ExportFormat,
    decimal: DecimalMark,
    columns: &ColumnMap,
    out_dir: &Path,
    now_ms: u64,
) -> Result<ExportReport, ExportError> {
    let (facts, rows) = load_rows(reader, exam, now_ms)?;
    let files = render_mapped(format, decimal, &facts, &rows, columns)?;
    manifest::write_with_manifest(out_dir, &files, identity, now_ms)?;
    let count = |status| rows.iter().filter(|row| row.status == status).count();
    let mut written: Vec<String> = files.into_iter().map(|(name, _)| name).collect();
    written.push(MANIFEST_FILE.to_owned());
    Ok(ExportReport {
        files: written,
        graded: count(RowStatus::Graded),
        not_submitted: count(RowStatus::NotSubmitted),
        absent: count(RowStatus::Absent),
    })
}
