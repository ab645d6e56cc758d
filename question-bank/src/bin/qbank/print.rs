//! `qbank print`: every form of a sealed exam as a PDF booklet, and the answer key of every
//! form on one sheet (PDF and XLSX). Everything is laid out in memory first; only then are the
//! files written, each through a temporary sibling, so a failure leaves no half-written paper.

use crate::exam_file::open;
use crate::output::write_atomically;
use anyhow::{Context, bail};
use clap::Args;
use phongthi_question_bank::i18n::Lang;
use phongthi_question_bank::print::{Header, form_pdf, key_pdf, key_xlsx};
use std::path::PathBuf;

#[derive(Args)]
pub(crate) struct PrintArgs {
    /// Tệp đề thi / exam file
    exam: PathBuf,
    /// Tệp chứa mật khẩu đề / passphrase file
    #[arg(long)]
    passphrase_file: PathBuf,
    /// pdf (docx: chưa có / not yet)
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

pub(crate) fn run(lang: Lang, args: PrintArgs) -> anyhow::Result<()> {
    match args.format.as_str() {
        "pdf" => {}
        "docx" => bail!(
            "--format docx: {}",
            lang.t("chưa hỗ trợ, sẽ có ở bản sau; dùng --format pdf", "not yet supported; use --format pdf")
        ),
        other => bail!("--format {other:?}: {}", lang.t("chỉ nhận pdf", "only pdf is accepted")),
    }
    let opened = open(&args.exam, &args.passphrase_file)?;
    let exam = &opened.bundle.exam;
    let header = Header {
        department: args.department.unwrap_or_else(|| "SỞ GIÁO DỤC VÀ ĐÀO TẠO".to_owned()),
        school: args.school.unwrap_or_else(|| "TRƯỜNG ……………………".to_owned()),
        exam_name: args.exam_name.unwrap_or_else(|| exam.title().to_owned()),
        subject: args.subject.unwrap_or_else(|| format!("Môn: {} {}", exam.subject(), exam.grade())),
        minutes: args.minutes.unwrap_or(exam.duration_minutes()),
    };
    if !args.out.is_dir() {
        std::fs::create_dir_all(&args.out).with_context(|| args.out.display().to_string())?;
    }
    let total = exam.forms().len();
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::with_capacity(total + 2);
    for (index, form) in exam.forms().iter().enumerate() {
        eprintln!("{} {} ({}/{total})…", lang.t("Đang in mã đề", "Printing form"), form.code, index + 1);
        let bytes = form_pdf(exam, form, &header)?;
        files.push((args.out.join(format!("ma-de-{}.pdf", file_safe(form.code.as_str()))), bytes));
    }
    eprintln!("{}…", lang.t("Đang in đáp án", "Printing the answer key"));
    files.push((args.out.join("dap-an.pdf"), key_pdf(exam, &header)?));
    files.push((args.out.join("dap-an.xlsx"), key_xlsx(exam, &header)?));
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
        "{} {total} {}: {}",
        lang.t("Đã in", "Printed"),
        lang.t("mã đề và bảng đáp án (PDF, XLSX) vào", "forms and the answer key (PDF, XLSX) to"),
        args.out.display()
    );
    eprintln!("{}: {}", lang.t("Ký bởi khóa", "Signed by key"), opened.teacher.fingerprint());
    Ok(())
}

/// A form code as a file name part: letters, digits, `-` and `_` kept, anything else `_`.
fn file_safe(code: &str) -> String {
    code.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}
