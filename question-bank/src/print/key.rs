//! The answer key of every form on one sheet: a table of questions by form (Câu × Mã đề, the
//! Đ/S of a true/false cluster's statements a–d in order), and the signature lines of the
//! teacher who made the test and the subject group's leader (tổ trưởng chuyên môn). The same
//! table as an XLSX workbook for the school's own tools.

use super::{Header, PrintError, wording};
use crate::exam::Exam;
use phongthi_pdf::table::{Column, draw_table};
use phongthi_pdf::{A4_HEIGHT, A4_WIDTH, Align, Document, MARGIN, Style};

/// Forms side by side in one table before the next table starts.
const FORMS_PER_TABLE: usize = 8;

/// The key as a grid: one row per question number, one answer per form.
fn grid(exam: &Exam) -> (Vec<String>, Vec<Vec<String>>) {
    let codes: Vec<String> = exam.forms().iter().map(|f| f.code.to_string()).collect();
    let mut rows: Vec<Vec<String>> = (1..=exam.question_count()).map(|n| vec![n.to_string()]).collect();
    for row in exam.key_rows() {
        if let Some(line) = rows.get_mut(row.question - 1) {
            line.push(row.answer);
        }
    }
    (codes, rows)
}

/// The key sheet as a PDF.
pub fn key_pdf(exam: &Exam, header: &Header) -> Result<Vec<u8>, PrintError> {
    let mut document = Document::new(&format!("{} - Đáp án", header.exam_name))?;
    document.add_page();
    let left_centre = MARGIN + 100.0;
    let right_centre = MARGIN + 200.0 + (A4_WIDTH - 2.0 * MARGIN - 200.0) / 2.0;
    document.text(left_centre, MARGIN + 10.0, &header.department, Style::regular(11.0).aligned(Align::Center));
    document.text(left_centre, MARGIN + 25.0, &header.school, Style::bold(11.0).aligned(Align::Center));
    document.text(right_centre, MARGIN + 10.0, wording::KEY_TITLE, Style::bold(13.0).aligned(Align::Center));
    document.text(right_centre, MARGIN + 25.0, &header.exam_name, Style::bold(11.0).aligned(Align::Center));
    document.text(
        right_centre,
        MARGIN + 40.0,
        &wording::key_subject_line(&header.subject, header.minutes),
        Style::regular(10.0).aligned(Align::Center),
    );
    let (codes, rows) = grid(exam);
    let mut y = MARGIN + 60.0;
    let width = A4_WIDTH - 2.0 * MARGIN;
    for (chunk_index, chunk) in codes.chunks(FORMS_PER_TABLE).enumerate() {
        let first = chunk_index * FORMS_PER_TABLE;
        let question_width = 40.0;
        let cell = ((width - question_width) / chunk.len() as f32).min(80.0);
        let mut columns = vec![Column::new(wording::KEY_QUESTION, question_width, Align::Center)];
        columns.extend(chunk.iter().map(|code| Column::new(&wording::key_column(code), cell, Align::Center)));
        let body: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                let mut line = vec![row.first().cloned().unwrap_or_default()];
                line.extend(row.iter().skip(1 + first).take(chunk.len()).cloned());
                line
            })
            .collect();
        y = draw_table(&mut document, MARGIN, y, &columns, &body) + 16.0;
    }
    if exam.parts().iter().any(|p| p.kind == phongthi_items::ItemKind::TrueFalseCluster) {
        if y + 20.0 > A4_HEIGHT - MARGIN {
            document.add_page();
            y = MARGIN;
        }
        document.text(MARGIN, y, wording::KEY_CLUSTER_NOTE, Style::regular(9.5));
        y += 18.0;
    }
    if y + 90.0 > A4_HEIGHT - MARGIN {
        document.add_page();
        y = MARGIN;
    }
    let sign_left = MARGIN + 90.0;
    let sign_right = A4_WIDTH - MARGIN - 110.0;
    document.text(sign_right, y + 10.0, wording::DATE_LINE, Style::regular(10.5).aligned(Align::Center));
    document.text(sign_left, y + 28.0, wording::AUTHOR, Style::bold(11.0).aligned(Align::Center));
    document.text(sign_right, y + 28.0, wording::LEADER, Style::bold(11.0).aligned(Align::Center));
    for x in [sign_left, sign_right] {
        document.text(x, y + 42.0, wording::SIGN_HINT, Style::regular(9.5).aligned(Align::Center));
        document.dashed_line((x - 80.0, y + 95.0), (x + 80.0, y + 95.0), 0.5);
    }
    Ok(document.finish()?)
}

/// The key sheet as an XLSX workbook: the same grid, with the header and signature lines.
pub fn key_xlsx(exam: &Exam, header: &Header) -> Result<Vec<u8>, PrintError> {
    let xlsx = |e: rust_xlsxwriter::XlsxError| PrintError::Xlsx(e.to_string());
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Đáp án").map_err(xlsx)?;
    sheet.write_string(0, 0, &header.school).map_err(xlsx)?;
    sheet
        .write_string_with_format(1, 0, format!("{} - {}", wording::KEY_TITLE, header.exam_name), &bold)
        .map_err(xlsx)?;
    sheet.write_string(2, 0, format!("{} - {} phút", header.subject, header.minutes)).map_err(xlsx)?;
    let (codes, rows) = grid(exam);
    let top = 4_u32;
    sheet.write_string_with_format(top, 0, wording::KEY_QUESTION, &bold).map_err(xlsx)?;
    for (index, code) in codes.iter().enumerate() {
        let col = u16::try_from(index + 1).map_err(|e| PrintError::Xlsx(e.to_string()))?;
        sheet.write_string_with_format(top, col, wording::key_column(code), &bold).map_err(xlsx)?;
    }
    let mut r = top;
    for row in &rows {
        r += 1;
        for (index, value) in row.iter().enumerate() {
            let col = u16::try_from(index).map_err(|e| PrintError::Xlsx(e.to_string()))?;
            if index == 0 {
                sheet.write_number(r, col, value.parse::<f64>().unwrap_or(0.0)).map_err(xlsx)?;
            } else {
                sheet.write_string(r, col, value).map_err(xlsx)?;
            }
        }
    }
    r += 2;
    sheet.write_string(r, 0, wording::DATE_LINE).map_err(xlsx)?;
    sheet.write_string_with_format(r + 1, 0, wording::AUTHOR, &bold).map_err(xlsx)?;
    sheet.write_string_with_format(r + 1, 4, wording::LEADER, &bold).map_err(xlsx)?;
    sheet.write_string(r + 2, 0, wording::SIGN_HINT).map_err(xlsx)?;
    sheet.write_string(r + 2, 4, wording::SIGN_HINT).map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}
