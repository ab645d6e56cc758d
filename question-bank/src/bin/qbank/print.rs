//! `qbank print`: every form of a sealed exam as a PDF booklet or a Word document (or both),
//! and the answer key of every form on one sheet (PDF or DOCX, and XLSX). Everything is laid
//! out in memory first; only then are the files written, each through a temporary sibling, so
//! a failure leaves no half-written paper.

use crate::exam_file::open;
use crate::output::write_atomically;
use anyhow::{Context, bail};
use clap::Args;
use phongthi_question_bank::i18n::Lang;
use phongthi_question_bank::print::{Header, form_docx, form_pdf, key_docx, key_pdf, key_xlsx};
use std::path::PathBuf;

#[derive(Args)]
pub(crate) struct PrintArgs {
    /// Tệp đề thi / exam file
    exam: PathBuf,
    /// Tệp chứa mật khẩu đề / passphrase file
    #[arg(long)]
    passphrase_file: PathBuf,
    /// pdf, docx hoặc cả hai: pdf,docx / pdf, docx or both: pdf,docx
    #[arg(long, default_value = "pdf")]
    format: String,
    /// Thư mục ra / output folder
    #[arg(long)]
    out: PathBuf,
    /// Tên trường / school ("TRƯỜNG THPT …")
    #[arg(long)]
    school: Option<String>,
    /// Sở / phòng GD&ĐT / department ("SỞ GD&ĐT …")
    #[arg(long)]
    department: Option<String>,
    /// Tên kỳ thi (mặc định: tên đề) / exam name (default: the exam's title)
    #[arg(long)]
    exam_name: Option<String>,
    /// Môn (mặc định: môn và khối của đề) / subject (default: the exam's subject and grade)
    #[arg(long)]
    subject: Option<String>,
    /// Thời gian làm bài, phút (mặc định: của đề) / working time in minutes (default: the exam's)
    #[arg(long)]
    minutes: Option<u32>,
}

/// The formats asked for, in the order PDF then DOCX.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Formats {
    pdf: bool,
    docx: bool,
}

impl Formats {
    /// `pdf`, `docx`, or a comma-separated list of them. Refused in both languages whatever
    /// `--lang` says: a wrong format is often a copied command line, read by someone else.
    fn parse(text: &str) -> anyhow::Result<Formats> {
        let mut formats = Formats::default();
        for name in text.split(',').map(str::trim) {
            match name.to_ascii_lowercase().as_str() {
                "pdf" => formats.pdf = true,
                "docx" => formats.docx = true,
                _ => bail!(
                    "--format {name:?}: chỉ nhận pdf, docx hoặc pdf,docx / only pdf, docx or pdf,docx are accepted"
                ),
            }
        }
        Ok(formats)
    }

    /// "PDF, DOCX, XLSX" for the closing line.
    fn names(self) -> String {
        let mut names = Vec::new();
        if self.pdf {
            names.push("PDF");
        }
        if self.docx {
            names.push("DOCX");
        }
        names.push("XLSX");
        names.join(", ")
    }
}

pub(crate) fn run(lang: Lang, args: PrintArgs) -> anyhow::Result<()> {
    let formats = Formats::parse(&args.format)?;
    let opened = open(&args.exam, &args.passphrase_file)?;
    let exam = &opened.bundle.exam;
    let header = Header {
        department: args.department.unwrap_or_else(|| "SỞ GIÁO DỤC VÀ ĐÀO TẠO".to_owned()),
        school: args.school.unwrap_or_else(|| "TRƯỜNG ……………………".to_owned()),
        exam_name: args.exam_name.unwrap_or_else(|| exam.title().to_owned()),
        subject: args.subject.unwrap_or_else(|| format!("Môn: {} {}", exam.subject(), exam.grade())),
        minutes: args.minutes.unwrap_or(exam.duration_minutes()),
    };
    let total = exam.forms().len();
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::with_capacity(2 * total + 3);
    for (index, form) in exam.forms().iter().enumerate() {
        eprintln!("{} {} ({}/{total})…", lang.t("Đang in mã đề", "Printing form"), form.code, index + 1);
        let name = format!("ma-de-{}", file_safe(form.code.as_str()));
        if formats.pdf {
            files.push((args.out.join(format!("{name}.pdf")), form_pdf(exam, form, &header)?));
        }
        if formats.docx {
            files.push((args.out.join(format!("{name}.docx")), form_docx(exam, form, &header)?));
        }
    }
    eprintln!("{}…", lang.t("Đang in đáp án", "Printing the answer key"));
    if formats.pdf {
        files.push((args.out.join("dap-an.pdf"), key_pdf(exam, &header)?));
    }
    if formats.docx {
        files.push((args.out.join("dap-an.docx"), key_docx(exam, &header)?));
    }
    files.push((args.out.join("dap-an.xlsx"), key_xlsx(exam, &header)?));
    // Only now, with every paper laid out: a print that fails (an unreadable figure) leaves not
    // even an empty folder behind.
    if !args.out.is_dir() {
        std::fs::create_dir_all(&args.out).with_context(|| args.out.display().to_string())?;
    }
    let mut written = Vec::new();
    for (path, bytes) in &files {
        if let Err(error) = write_atomically(path, bytes) {
            for done in written {
                let _ = std::fs::remove_file(done);
            }
            return Err(error);
        }
        written.push(path.clone());
    }
    println!(
        "{} {total} {} ({}) {}: {}",
        lang.t("Đã in", "Printed"),
        lang.t("mã đề và bảng đáp án", "forms and the answer key"),
        formats.names(),
        lang.t("vào", "to"),
        args.out.display()
    );
    eprintln!("{}: {}", lang.t("Ký bởi khóa", "Signed by key"), opened.teacher.fingerprint());
    Ok(())
}

/// A form code as a file name part: letters, digits, `-` and `_` kept, anything else `_`.
fn file_safe(code: &str) -> String {
    code.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}
