//! `dap-an.docx`: the answer key of every form as Word tables (Câu × Mã đề, up to eight forms
//! per table, the header row repeated on a new page), the Đ/S note when the exam has true/false
//! clusters, and the signature block of the teacher who made the test and the subject group's
//! leader. The answers are `Exam::key_rows`, the same as `qbank key` and the PDF sheet.

use super::super::wording;
use super::super::{Header, PrintError};
use super::body::{Body, Look, Para, TEXT_WIDTH};
use super::runs::footer;
use crate::exam::Exam;
use phongthi_items::ItemKind;

/// Forms side by side in one table, as on the PDF sheet.
const FORMS_PER_TABLE: usize = 8;
/// The question column and the widest form column, in twips (the PDF's 40 and 80 pt).
const QUESTION_COLUMN: u32 = 800;
const FORM_COLUMN_MAX: u32 = 1_600;

/// The key sheet as a Word document.
pub fn key_docx(exam: &Exam, header: &Header) -> Result<Vec<u8>, PrintError> {
    let mut body = Body::new();
    heading(&mut body, header);
    let codes: Vec<String> = exam.forms().iter().map(|f| f.code.to_string()).collect();
    let mut answers: Vec<Vec<String>> = vec![Vec::new(); exam.question_count()];
    for row in exam.key_rows() {
        if let Some(line) = row.question.checked_sub(1).and_then(|at| answers.get_mut(at)) {
            line.push(row.answer);
        }
    }
    let centred = Para { align: Some("center"), ..Para::default() };
    for (chunk_index, chunk) in codes.chunks(FORMS_PER_TABLE).enumerate() {
        let first = chunk_index * FORMS_PER_TABLE;
        let cell = ((TEXT_WIDTH - QUESTION_COLUMN) / chunk.len() as u32).min(FORM_COLUMN_MAX);
        let mut widths = vec![QUESTION_COLUMN];
        widths.extend(std::iter::repeat_n(cell, chunk.len()));
        body.line(&Para { before: Some(160), ..Para::default() }, "", Look::default());
        body.table(&widths, 0, true);
        body.row(true);
        body.cell(QUESTION_COLUMN);
        body.line(&centred, wording::KEY_QUESTION, Look::BOLD);
        body.end_cell();
        for code in chunk {
            body.cell(cell);
            body.line(&centred, &wording::key_column(code), Look::BOLD);
            body.end_cell();
        }
        body.end_row();
        for (question, line) in answers.iter().enumerate() {
            body.row(false);
            body.cell(QUESTION_COLUMN);
            body.line(&centred, &(question + 1).to_string(), Look::default());
            body.end_cell();
            for index in 0..chunk.len() {
                body.cell(cell);
                body.line(&centred, line.get(first + index).map_or("", String::as_str), Look::default());
                body.end_cell();
            }
            body.end_row();
        }
        body.end_table();
    }
    if exam.parts().iter().any(|p| p.kind == ItemKind::TrueFalseCluster) {
        let note = Para { before: Some(120), ..Para::default() };
        body.line(&note, wording::KEY_CLUSTER_NOTE, Look { size: Some(21), ..Look::ITALIC });
    }
    signatures(&mut body);
    let (document, package) = body.finish()?;
    let footer = footer(wording::PAGE, &wording::footer_suffix(wording::KEY_TITLE))?;
    package.finish(&format!("{} - {}", header.exam_name, wording::KEY_TITLE), document, footer)
}

/// School on the left, "ĐÁP ÁN" with the exam on the right.
fn heading(body: &mut Body, header: &Header) {
    let left = super::form::HEADER_LEFT;
    let right = TEXT_WIDTH - left;
    let centred = Para { align: Some("center"), ..Para::default() };
    body.table(&[left, right], 0, false);
    body.row(false);
    body.cell(left);
    body.line(&centred, &header.department, Look::default());
    body.line(&centred, &header.school, Look::BOLD);
    body.end_cell();
    body.cell(right);
    body.line(&centred, wording::KEY_TITLE, Look { size: Some(28), ..Look::BOLD });
    body.line(&centred, &header.exam_name, Look::BOLD);
    let subject = wording::key_subject_line(&header.subject, header.minutes);
    body.line(&centred, &subject, Look::ITALIC);
    body.end_cell();
    body.end_row();
    body.end_table();
}

/// The date, then "NGƯỜI RA ĐỀ" and "TỔ TRƯỞNG CHUYÊN MÔN" side by side, each with
/// "(Ký, ghi rõ họ tên)" and room to sign; kept together on one page.
fn signatures(body: &mut Body) {
    let half = TEXT_WIDTH / 2;
    let keep = Para { keep_next: true, align: Some("center"), ..Para::default() };
    body.line(&Para { before: Some(240), keep_next: true, ..Para::default() }, "", Look::default());
    body.table(&[half, half], 0, false);
    let rows: [[(&str, Look); 2]; 3] = [
        [("", Look::default()), (wording::DATE_LINE, Look::ITALIC)],
        [(wording::AUTHOR, Look::BOLD), (wording::LEADER, Look::BOLD)],
        [(wording::SIGN_HINT, Look::ITALIC), (wording::SIGN_HINT, Look::ITALIC)],
    ];
    for cells in rows {
        body.row(false);
        for (text, look) in cells {
            body.cell(half);
            body.line(&keep, text, look);
            body.end_cell();
        }
        body.end_row();
    }
    // Room for the signatures, then a dotted line for the printed names.
    body.row(false);
    for _ in 0..2 {
        body.cell(half);
        for _ in 0..3 {
            body.line(&keep, "", Look::default());
        }
        body.line(&keep, "……………………………", Look::default());
        body.end_cell();
    }
    body.end_row();
    body.end_table();
}
