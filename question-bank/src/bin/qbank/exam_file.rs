//! `qbank key` and `qbank grade`: read a sealed `.exam` file back on the teacher's machine.

use crate::output::{print_json, score_text, write_output};
use anyhow::{Context, bail};
use clap::Args;
use phongthi_crypto::{Passphrase, TrustedTeachers};
use phongthi_items::MilliPoints;
use phongthi_question_bank::bundle::{ExamBundle, OpenedExam};
use phongthi_question_bank::i18n::Lang;
use serde_json::json;
use std::path::{Path, PathBuf};

pub(crate) fn open(path: &Path, passphrase_file: &Path) -> anyhow::Result<OpenedExam> {
    let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
    let passphrase = Passphrase::from_file(passphrase_file)?;
    ExamBundle::open(&bytes, &passphrase, TrustedTeachers::Any).with_context(|| path.display().to_string())
}

#[derive(Args)]
pub(crate) struct KeyArgs {
    /// Tệp đề thi / exam file
    exam: PathBuf,
    /// Tệp chứa mật khẩu đề / passphrase file
    #[arg(long)]
    passphrase_file: PathBuf,
    /// csv | xlsx
    #[arg(long, default_value = "csv")]
    format: String,
    /// Tệp ra (mặc định: màn hình) / output file (default: stdout)
    #[arg(long)]
    out: Option<PathBuf>,
}

pub(crate) fn key(lang: Lang, args: KeyArgs) -> anyhow::Result<()> {
    let opened = open(&args.exam, &args.passphrase_file)?;
    let rows = opened.bundle.exam.key_rows();
    let bytes = match args.format.as_str() {
        "csv" => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(["form", "question", "answer"])?;
            for row in &rows {
                writer.write_record([row.form.to_string(), row.question.to_string(), row.answer.clone()])?;
            }
            writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?
        }
        "xlsx" => {
            if args.out.is_none() {
                bail!("--format xlsx {}", lang.t("cần --out TỆP", "needs --out FILE"));
            }
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name(lang.t("Đáp án", "Answer key"))?;
            for (col, title) in
                [lang.t("Mã đề", "Form"), lang.t("Câu", "Question"), lang.t("Đáp án", "Answer")].iter().enumerate()
            {
                sheet.write_string(0, col as u16, *title)?;
            }
            for (i, row) in rows.iter().enumerate() {
                let r = u32::try_from(i + 1)?;
                sheet.write_string(r, 0, row.form.to_string())?;
                sheet.write_number(r, 1, row.question as f64)?;
                sheet.write_string(r, 2, &row.answer)?;
            }
            book.save_to_buffer()?
        }
        other => bail!("--format {other:?}: csv | xlsx"),
    };
    write_output(args.out.as_deref(), &bytes)?;
    eprintln!("{}: {}", lang.t("Ký bởi khóa", "Signed by key"), opened.teacher.fingerprint());
    Ok(())
}

#[derive(Args)]
pub(crate) struct GradeArgs {
    /// Tệp đề thi / exam file
    exam: PathBuf,
    /// Tệp chứa mật khẩu đề / passphrase file
    #[arg(long)]
    passphrase_file: PathBuf,
    /// Phiếu trả lời (CSV) / answer sheets (CSV)
    sheets: PathBuf,
    /// Xuất JSON / JSON output
    #[arg(long)]
    json: bool,
}

fn points(p: MilliPoints) -> String {
    p.to_string()
}

pub(crate) fn grade(lang: Lang, args: GradeArgs) -> anyhow::Result<()> {
    let opened = open(&args.exam, &args.passphrase_file)?;
    let exam = &opened.bundle.exam;
    let bytes = std::fs::read(&args.sheets).with_context(|| args.sheets.display().to_string())?;
    let results = exam
        .grade_sheets_csv(&args.sheets.display().to_string(), &bytes)
        .map_err(|errors| anyhow::anyhow!("{errors}"))?;
    if args.json {
        let list: Vec<_> = results
            .iter()
            .map(|r| {
                json!({
                    "student_id": r.student_id,
                    "form": r.form.to_string(),
                    "raw": points(r.raw),
                    "max": points(r.max),
                    "score": score_text(r.scaled, exam.rounding_step()),
                    "scale": points(exam.scale()),
                    "per_question": r.per_question.iter().map(|p| points(*p)).collect::<Vec<_>>(),
                    "pending_manual": r.pending_manual,
                })
            })
            .collect();
        return print_json(
            &json!({ "exam_id": opened.bundle.exam_id.to_hex(), "title": exam.title(), "results": list }),
        );
    }
    println!("{}", exam.title());
    println!(
        "{:<14} {:>6} {:>12} {:>8}",
        lang.t("Mã học sinh", "Student"),
        lang.t("Mã đề", "Form"),
        lang.t("Điểm thô", "Raw"),
        lang.t("Điểm", "Score")
    );
    for r in &results {
        let pending = if r.pending_manual.is_empty() {
            String::new()
        } else {
            format!("  ({})", lang.t("chờ chấm tự luận", "essays to mark"))
        };
        println!(
            "{:<14} {:>6} {:>12} {:>8}{pending}",
            r.student_id,
            r.form.to_string(),
            format!("{}/{}", r.raw, r.max),
            score_text(r.scaled, exam.rounding_step())
        );
    }
    Ok(())
}
