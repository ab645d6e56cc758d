//! Printed reports as PDF: the department's statistics report ([`department`]), a score slip per
//! student ([`students`]) and the lab sheet with login slips ([`lab_sheet`]).
//!
//! The score reports read the store only through [`Reader`] and [`crate::export::rows`] (the
//! same rows, rounding and order as the grade-book exports) and are written like the exports:
//! each file whole or not at all, then a `manifest.txt` signed by the proctor's identity, so
//! `proctor verify-export` checks a report folder too.

pub mod department;
pub mod lab_sheet;
pub mod lab_sources;
mod layout;
pub mod students;

use crate::export::oneroster::iso_date;
use crate::export::{ExportError, ExportRow, RowStatus, build_rows};
use phongthi_crypto::ExamId;
use phongthi_pdf::PdfError;
use phongthi_question_bank::exam::Exam;
use phongthi_store::{Reader, StoreError};
use std::collections::BTreeMap;

/// A report that could not be made. Nothing half-written is left under a final name.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading the store, or writing the files and manifest.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// Making the PDF.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// No student of the exam has a score yet.
    #[error("kỳ thi {0} chưa có bài nào được chấm / exam {0} has no graded sheets yet")]
    NoGradedSheets(ExamId),
    /// The roster is empty.
    #[error("chưa có danh sách học sinh; chạy `proctor roster import` / no roster yet; run `proctor roster import`")]
    NoRoster,
    /// Something the lab sheet needs is missing (the message says what and how to get it).
    #[error("{0}")]
    LabSheet(String),
}

impl From<StoreError> for ReportError {
    fn from(error: StoreError) -> Self {
        ReportError::Export(ExportError::Store(error))
    }
}

/// What the score reports print about an exam.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExamResults {
    /// The exam.
    pub exam: ExamId,
    /// Its title.
    pub title: String,
    /// The exam day, `YYYY-MM-DD` Vietnam time: the day of the first score (sheets are graded
    /// as they are submitted), or the day the exam was added when none has a time.
    pub date: String,
    /// The scale's maximum in milli-points (10,000 for the 10-point scale).
    pub scale_milli: i64,
    /// One row per roster student, in class-list order.
    pub rows: Vec<ExportRow>,
    /// Per student id: the receipt's short code (`XXXXX-XXXXX`).
    pub receipt_codes: BTreeMap<String, String>,
    /// Per student id: points per question in the student's form order, as exact decimals.
    pub per_question: BTreeMap<String, Vec<String>>,
}

impl ExamResults {
    /// How many rows have a score.
    pub fn graded(&self) -> usize {
        self.rows.iter().filter(|row| row.status == RowStatus::Graded).count()
    }
}

/// Reads `exam`'s results. Fails when the exam is unknown or has no graded sheet.
pub fn load_results(reader: &Reader, exam: &ExamId) -> Result<ExamResults, ReportError> {
    let record = reader.exam(exam)?.ok_or(ExportError::UnknownExam(*exam))?;
    let stored: Exam = serde_json::from_str(&record.exam_json)
        .map_err(|e| ExportError::StoredExam { exam: *exam, detail: e.to_string() })?;
    let scores = reader.scores_of_exam(exam)?;
    if scores.is_empty() {
        return Err(ReportError::NoGradedSheets(*exam));
    }
    let rows = build_rows(&reader.students()?, &reader.sessions_of_exam(exam)?, &scores);
    let mut receipt_codes = BTreeMap::new();
    let mut per_question = BTreeMap::new();
    for score in &scores {
        if let Some(receipt) = reader.receipt_of_session(&score.session)? {
            receipt_codes.insert(score.student_id.clone(), receipt.receipt.short_code().to_string());
        }
        // Written by the server as a JSON array of decimal strings; anything else is left out
        // of the slip rather than failing every student's report.
        if let Ok(points) = serde_json::from_str::<Vec<String>>(&score.score.per_question_json) {
            per_question.insert(score.student_id.clone(), points);
        }
    }
    let first_scored = scores.iter().map(|score| score.score.scored_ms).min().unwrap_or(record.added_ms);
    Ok(ExamResults {
        exam: *exam,
        title: record.title,
        date: iso_date(first_scored),
        scale_milli: stored.scale().milli(),
        rows,
        receipt_codes,
        per_question,
    })
}

/// `2026-11-22` as Vietnamese write it: `22/11/2026`.
pub fn vietnamese_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [year, month, day] => format!("{day}/{month}/{year}"),
        _ => iso.to_owned(),
    }
}

/// A file name part from a class name: ASCII letters and digits kept, Vietnamese letters
/// folded to ASCII (`Chuyên Toán` → `Chuyen-Toan`), anything else a `-`.
pub fn file_name_part(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let folded = text.nfd().filter(|c| !is_combining_mark(*c)).map(|c| match c {
        'đ' => 'd',
        'Đ' => 'D',
        other => other,
    });
    let mut part = String::new();
    for character in folded {
        if character.is_ascii_alphanumeric() {
            part.push(character);
        } else if !part.ends_with('-') {
            part.push('-');
        }
    }
    let part = part.trim_matches('-').to_owned();
    if part.is_empty() { "khong-lop".to_owned() } else { part }
}

/// What writing a report did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenReport {
    /// The folder written into.
    pub dir: std::path::PathBuf,
    /// The files written, `manifest.txt` last.
    pub files: Vec<String>,
    /// Pages written over all PDFs.
    pub pages: usize,
}

/// Writes the department report of `exam` to `out_file` (`…/thong-ke.pdf`), and signs it into
/// the folder's `manifest.txt` (keeping what an earlier manifest there listed).
pub fn write_department_report(
    reader: &Reader,
    identity: &phongthi_crypto::SigningKey,
    exam: &ExamId,
    school: &str,
    out_file: &std::path::Path,
    now_ms: u64,
) -> Result<WrittenReport, ReportError> {
    let results = load_results(reader, exam)?;
    let pdf = department::department_report(&results, school)?;
    let pages = phongthi_pdf::inspect::page_count(&pdf).unwrap_or(0);
    let (dir, name) = split_out_file(out_file)?;
    let files = crate::export::manifest::add_to_manifest(&dir, &[(name, pdf)], identity, now_ms)?;
    Ok(WrittenReport { dir, files, pages })
}

/// Writes the score slips of `exam` into `out_dir`, one PDF per class, and signs them into its
/// `manifest.txt`.
pub fn write_score_slips(
    reader: &Reader,
    identity: &phongthi_crypto::SigningKey,
    exam: &ExamId,
    school: &str,
    per_question: bool,
    out_dir: &std::path::Path,
    now_ms: u64,
) -> Result<WrittenReport, ReportError> {
    let results = load_results(reader, exam)?;
    let slips = students::score_slips(&results, school, per_question)?;
    let pages = slips.iter().map(|slips| slips.pages).sum();
    let files: Vec<(String, Vec<u8>)> = slips.into_iter().map(|slips| (slips.file_name, slips.pdf)).collect();
    let written = crate::export::manifest::add_to_manifest(out_dir, &files, identity, now_ms)?;
    Ok(WrittenReport { dir: out_dir.to_path_buf(), files: written, pages })
}

/// Splits `…/name.pdf` into its folder (`.` when none) and file name.
pub fn split_out_file(out_file: &std::path::Path) -> Result<(std::path::PathBuf, String), ReportError> {
    let name =
        out_file.file_name().and_then(|name| name.to_str()).filter(|name| !name.is_empty()).ok_or_else(|| {
            ReportError::Export(ExportError::Write {
                file: out_file.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "cần tên tệp / a file name is needed"),
            })
        })?;
    let dir = match out_file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    Ok((dir, name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_become_ascii_file_name_parts() {
        assert_eq!(file_name_part("10A1"), "10A1");
        assert_eq!(file_name_part("Chuyên Toán 10"), "Chuyen-Toan-10");
        assert_eq!(file_name_part("Đội tuyển / Lý"), "Doi-tuyen-Ly");
        assert_eq!(file_name_part(""), "khong-lop");
        assert_eq!(file_name_part("///"), "khong-lop");
    }

    #[test]
    fn dates_are_written_day_first() {
        assert_eq!(vietnamese_date("2026-11-22"), "22/11/2026");
        assert_eq!(vietnamese_date("không rõ"), "không rõ");
    }

    #[test]
    fn an_output_file_needs_a_name() {
        let (dir, name) = split_out_file(std::path::Path::new("thong-ke.pdf")).unwrap();
        assert_eq!((dir, name.as_str()), (std::path::PathBuf::from("."), "thong-ke.pdf"));
        let (dir, name) = split_out_file(std::path::Path::new("bao-cao/tk.pdf")).unwrap();
        assert_eq!((dir, name.as_str()), (std::path::PathBuf::from("bao-cao"), "tk.pdf"));
        assert!(split_out_file(std::path::Path::new("/")).is_err());
        assert!(split_out_file(std::path::Path::new("bao-cao/..")).is_err());
    }
}
