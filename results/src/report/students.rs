//! Score slips (phiếu báo điểm): a page per student with the score, the points per question and
//! the receipt code, and lines for the homeroom teacher's and a parent's signatures.
//!
//! **One PDF per class**, a page per student in class-list order: the homeroom teacher
//! (giáo viên chủ nhiệm) hands out the slips of one class, so one file per class prints in one
//! go in the order of the class list, while one file per student would mean forty files to open
//! and print, and one file for the whole exam would mix classes.

use super::layout::{heading, signatures};
use super::{ExamResults, ReportError, file_name_part, vietnamese_date};
use crate::export::rows::{ExportRow, NOTE_ABSENT, NOTE_NOT_SUBMITTED, RowStatus, format_tenths};
use phongthi_pdf::{A4_WIDTH, Document, MARGIN, Style};
use std::collections::BTreeMap;

/// The slips of one class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassSlips {
    /// The class (empty for students without one).
    pub class: String,
    /// The file name: `phieu-diem-<exam>-<class>.pdf`.
    pub file_name: String,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// How many pages (students).
    pub pages: usize,
}

/// Lays out the slips, one PDF per class; `school` heads each page when not empty;
/// `per_question` prints each question's points when the data has them.
pub fn score_slips(results: &ExamResults, school: &str, per_question: bool) -> Result<Vec<ClassSlips>, ReportError> {
    let mut by_class: BTreeMap<&str, Vec<&ExportRow>> = BTreeMap::new();
    for row in &results.rows {
        by_class.entry(row.class.as_str()).or_default().push(row);
    }
    let exam_hex = results.exam.to_hex();
    let mut used_names: Vec<String> = Vec::new();
    let mut slips = Vec::new();
    for (class, rows) in by_class {
        let mut file_name = format!("phieu-diem-{exam_hex}-{}.pdf", file_name_part(class));
        // Two classes that fold to the same name (`10A` and `10Ă`) must not overwrite each other.
        let mut suffix = 2;
        while used_names.contains(&file_name) {
            file_name = format!("phieu-diem-{exam_hex}-{}-{suffix}.pdf", file_name_part(class));
            suffix += 1;
        }
        used_names.push(file_name.clone());
        let title = format!("Phiếu báo điểm — {} — {}", results.title, if class.is_empty() { "—" } else { class });
        let mut document = Document::new(&title)?;
        for row in &rows {
            slip(&mut document, results, row, school, per_question);
        }
        slips.push(ClassSlips {
            class: class.to_owned(),
            file_name,
            pages: document.page_count(),
            pdf: document.finish()?,
        });
    }
    Ok(slips)
}

fn slip(document: &mut Document, results: &ExamResults, row: &ExportRow, school: &str, per_question: bool) {
    document.add_page();
    let date_line = format!("Ngày thi: {}", vietnamese_date(&results.date));
    let mut y = heading(document, school, "PHIẾU BÁO ĐIỂM", &results.title, &date_line);
    let label_x = MARGIN;
    let value_x = MARGIN + 110.0;
    let field = |document: &mut Document, y: f32, label: &str, value: &str| {
        document.text(label_x, y, label, Style::regular(11.0));
        document.text(value_x, y, value, Style::bold(11.0));
    };
    field(document, y, "Họ và tên:", &row.full_name);
    y += 20.0;
    field(document, y, "Mã học sinh:", &row.student_id);
    y += 20.0;
    field(document, y, "Lớp:", if row.class.is_empty() { "—" } else { &row.class });
    y += 30.0;

    let scale = format_tenths(crate::export::rows::milli_to_tenths(results.scale_milli), ',');
    let score = match (row.status, row.score_tenths) {
        (RowStatus::Graded, Some(tenths)) => {
            format!("{} / {}", format_tenths(tenths, ','), scale.trim_end_matches(",0"))
        }
        (RowStatus::NotSubmitted, _) => NOTE_NOT_SUBMITTED.to_owned(),
        _ => NOTE_ABSENT.to_owned(),
    };
    document.rect(label_x, y - 4.0, A4_WIDTH - 2.0 * MARGIN, 40.0, Some(0.93), true);
    document.text(label_x + 10.0, y + 22.0, "Điểm:", Style::regular(13.0));
    document.text(value_x, y + 23.0, &score, Style::bold(18.0));
    y += 56.0;
    if let Some(code) = results.receipt_codes.get(&row.student_id) {
        field(document, y, "Mã biên nhận:", code);
        y += 14.0;
        let hint = "Kiểm tra bằng lệnh proctor verify-receipt trên máy giám thị.";
        document.text(value_x, y, hint, Style::regular(8.5));
        y += 20.0;
    }
    if per_question && let Some(points) = results.per_question.get(&row.student_id) {
        y = question_grid(document, y + 6.0, points);
    }
    signatures(document, y + 24.0, &["Giáo viên chủ nhiệm", "Phụ huynh học sinh"]);
}

/// Points per question in a grid of five columns (`Câu 12: 0,25`); returns the `y` under it.
fn question_grid(document: &mut Document, top: f32, points: &[String]) -> f32 {
    const COLUMNS: usize = 5;
    const ROW: f32 = 15.0;
    document.text(MARGIN, top, "Điểm từng câu (theo thứ tự trong đề của học sinh):", Style::regular(10.0));
    let width = (A4_WIDTH - 2.0 * MARGIN) / COLUMNS as f32;
    let first_row = top + 18.0;
    // At most 20 rows (100 questions) keep the slip and its signatures on one page; more are
    // summarised (Vietnamese tests have 40–50).
    let shown = points.len().min(COLUMNS * 20);
    for (index, value) in points.iter().take(shown).enumerate() {
        let column = index / shown.div_ceil(COLUMNS).max(1);
        let row = index % shown.div_ceil(COLUMNS).max(1);
        let text = format!("Câu {}: {}", index + 1, value.replace('.', ","));
        document.text(MARGIN + width * column as f32, first_row + ROW * row as f32, &text, Style::regular(9.5));
    }
    let rows = shown.div_ceil(COLUMNS);
    let mut y = first_row + ROW * rows as f32;
    if shown < points.len() {
        let more = format!("… và {} câu nữa", points.len() - shown);
        document.text(MARGIN, y, &more, Style::regular(9.5));
        y += ROW;
    }
    y
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests: a panic is the report

    use super::*;
    use phongthi_crypto::ExamId;
    use phongthi_pdf::inspect;

    fn row(id: &str, class: &str, tenths: i64) -> ExportRow {
        ExportRow {
            number: 1,
            student_id: id.to_owned(),
            full_name: format!("Trịnh Thị Yến {id}"),
            class: class.to_owned(),
            score_tenths: Some(tenths),
            status: RowStatus::Graded,
            note: String::new(),
            unmarked_essays: 0,
            scored_ms: Some(1),
        }
    }

    #[test]
    fn classes_that_fold_alike_get_separate_files_and_long_exams_are_summarised() {
        let points: Vec<String> =
            (0..130).map(|i| if i % 2 == 0 { "0.2".to_owned() } else { "0".to_owned() }).collect();
        let results = ExamResults {
            exam: ExamId::from_bytes([7; 16]),
            title: "Kiểm tra 15 phút — Tiếng Anh 12".to_owned(),
            date: "2026-11-22".to_owned(),
            scale_milli: 10_000,
            rows: vec![row("HS1", "12A", 95), row("HS2", "12Ă", 40)],
            receipt_codes: BTreeMap::new(),
            per_question: BTreeMap::from([("HS1".to_owned(), points)]),
        };
        let slips = score_slips(&results, "", true).unwrap();
        let names: Vec<&str> = slips.iter().map(|slips| slips.file_name.as_str()).collect();
        let exam = results.exam.to_hex();
        assert_eq!(names, [format!("phieu-diem-{exam}-12A.pdf"), format!("phieu-diem-{exam}-12A-2.pdf")]);
        let lines = inspect::page_texts(&slips[0].pdf).unwrap().concat();
        assert_eq!(slips[0].pages, 1);
        assert!(lines.contains(&"Câu 100: 0".to_owned()) && !lines.contains(&"Câu 101: 0,2".to_owned()));
        assert!(lines.contains(&"… và 30 câu nữa".to_owned()), "{lines:?}");
        assert!(lines.contains(&"Phụ huynh học sinh".to_owned()));
        assert!(lines.contains(&"9,5 / 10".to_owned()));
    }
}
