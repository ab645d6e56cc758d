//! `qbank`: the teacher's command line for the question bank.
//!
//! Thin by design: parse arguments, call the library, print. The command names and flags are a
//! contract other tools rely on (see the question-bank issue and `docs/qbank.md`).

mod assemble;
mod bank;
mod demo;
mod exam_file;
mod import;
mod keygen;
mod output;
mod print;

use clap::{Parser, Subcommand};
use phongthi_question_bank::i18n::Lang;
use std::path::PathBuf;

/// Ngân hàng câu hỏi Phòng Thi / Phòng Thi question bank.
#[derive(Parser)]
#[command(name = "qbank", version, about)]
struct Cli {
    /// Tệp ngân hàng SQLite / the bank's SQLite file [default: ./bank.sqlite or $QBANK_DB]
    #[arg(long, global = true, env = "QBANK_DB")]
    db: Option<PathBuf>,
    /// Ngôn ngữ: vi | en (mặc định theo LANG) / language: vi | en (default from LANG)
    #[arg(long, global = true)]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Nhập câu hỏi từ đề Word (.docx), GIFT, Aiken, Moodle XML, CSV/XLSX / import questions
    Import(import::ImportArgs),
    /// Liệt kê câu hỏi / list questions
    List(bank::ListArgs),
    /// Xem một câu hỏi / show one question
    Show(bank::ShowArgs),
    /// Gửi câu hỏi cho tổ chuyên môn duyệt / submit questions for review
    Submit(bank::SubmitArgs),
    /// Duyệt hoặc từ chối câu hỏi / approve or reject a question
    Review(bank::ReviewArgs),
    /// Xuất câu hỏi ra GIFT, Moodle XML, Aiken, CSV, XLSX hoặc QTI 3.0 / export questions
    Export(bank::ExportArgs),
    /// Ghép đề theo ma trận thành các mã đề / assemble a test from a blueprint into forms
    Assemble(assemble::AssembleArgs),
    /// In đáp án của tệp đề thi / print the answer key of an exam file
    Key(exam_file::KeyArgs),
    /// In các mã đề ra PDF hoặc Word và bảng đáp án / print every form as PDF or Word and the answer key
    Print(print::PrintArgs),
    /// Chấm phiếu trả lời từ CSV / grade answer sheets from CSV
    Grade(exam_file::GradeArgs),
    /// Tạo khóa ký của giáo viên / create a teacher signing key
    Keygen(keygen::KeygenArgs),
    /// Chạy thử toàn bộ quy trình với dữ liệu mẫu / run the whole flow on the sample data
    Demo(demo::DemoArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let lang = Lang::detect(cli.lang.as_deref());
    let db = cli.db.unwrap_or_else(|| PathBuf::from("bank.sqlite"));
    let result = match cli.command {
        Command::Import(args) => import::run(&db, lang, args),
        Command::List(args) => bank::list(&db, lang, args),
        Command::Show(args) => bank::show(&db, lang, args),
        Command::Submit(args) => bank::submit(&db, lang, args),
        Command::Review(args) => bank::review(&db, lang, args),
        Command::Export(args) => bank::export(&db, lang, args),
        Command::Assemble(args) => assemble::run(&db, lang, args),
        Command::Key(args) => exam_file::key(lang, args),
        Command::Print(args) => print::run(lang, args),
        Command::Grade(args) => exam_file::grade(lang, args),
        Command::Keygen(args) => keygen::run(lang, args),
        Command::Demo(args) => demo::run(lang, args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}: {}", lang.t("lỗi", "error"), phongthi_question_bank::i18n::describe_error(error.as_ref()));
            std::process::ExitCode::FAILURE
        }
    }
}
