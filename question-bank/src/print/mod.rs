//! Printed papers of an exam: each form (mã đề) as an A4 booklet in the layout Vietnamese
//! schools hand out, and the answer key of every form on one sheet (PDF and XLSX) for the
//! subject group's leader to sign.
//!
//! `page` records a booklet's lines page by page (so the footer can say "Trang 1/3" once the
//! page count is known), `text` reduces item markup, `rich` lays out words and formulas typeset
//! by the exam client's own maths layout, `form` lays out one mã đề with its figures, `key` the
//! answer-key sheet. Drawing goes through `phongthi_pdf`, which embeds Noto Sans (and Noto Sans
//! Math for the symbols) and the pictures. `docx` writes the same papers as Word
//! documents (formulas as Word equations, pictures embedded); `wording` holds the words both
//! print.

mod docx;
mod form;
mod key;
mod page;
mod rich;
mod text;
mod wording;

pub use docx::{form_docx, key_docx};
pub use form::form_pdf;
pub use key::{key_pdf, key_xlsx};

/// What the paper's header says; filled from the exam and the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Left column, first line: "SỞ GD&ĐT HÀ NỘI".
    pub department: String,
    /// Left column, second line: "TRƯỜNG THPT …".
    pub school: String,
    /// Right column, first line: "ĐỀ KIỂM TRA GIỮA KỲ I".
    pub exam_name: String,
    /// "Môn: Toán 10".
    pub subject: String,
    /// Working time in minutes.
    pub minutes: u32,
}

/// Why a paper could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The PDF writer failed (its font).
    #[error(transparent)]
    Pdf(#[from] phongthi_pdf::PdfError),
    /// A question's figure cannot be read.
    #[error("Câu {question}: {error}")]
    Figure {
        /// The question's number on the form.
        question: usize,
        /// What the picture reader said (it names the file).
        error: phongthi_pdf::PdfError,
    },
    /// The spreadsheet writer failed.
    #[error("lỗi ghi XLSX / XLSX error: {0}")]
    Xlsx(String),
    /// The Word package could not be written (its ZIP or XML writer failed).
    #[error("lỗi ghi DOCX / DOCX error: {0}")]
    Docx(String),
}

#[cfg(test)]
mod tests;
