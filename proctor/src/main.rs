//! `proctor`: the exam room's server and its command line.
//!
//! Thin by design: parse arguments, call the library, print. The command names are a contract
//! (see the proctor-server issue and `docs/proctor.md`).

mod builds;
mod commands;
mod data;
mod demo;
mod export;
mod mark;
mod publish;
mod report;
mod trust;
mod window;

use clap::{Parser, Subcommand};
use phongthi_question_bank::i18n::Lang;
use std::path::PathBuf;

/// Máy chủ phòng thi Phòng Thi / Phòng Thi exam-room server.
#[derive(Parser)]
#[command(name = "proctor", version, about)]
struct Cli {
    /// Thư mục dữ liệu / data directory [default: ./proctor-data or $PROCTOR_DATA]
    #[arg(long, global = true, env = "PROCTOR_DATA")]
    data: Option<PathBuf>,
    /// Ngôn ngữ: vi | en / language
    #[arg(long, global = true)]
    lang: Option<String>,
    /// Tệp mật khẩu của khóa danh tính, nếu có / the identity key's passphrase file, if any
    #[arg(long, global = true)]
    key_passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tạo danh tính và chứng chỉ TLS / create the identity key and TLS certificate
    Init(commands::InitArgs),
    /// Đề thi / exams
    #[command(subcommand)]
    Exam(commands::ExamCommand),
    /// Khóa giáo viên và người duyệt được nhà trường tin cậy / the teacher and reviewer keys the school trusts
    #[command(subcommand)]
    Trust(trust::TrustCommand),
    /// Danh sách học sinh / roster
    #[command(subcommand)]
    Roster(commands::RosterCommand),
    /// Mở phòng thi trên mạng LAN / serve the exam on the LAN
    Serve(commands::ServeArgs),
    /// Bản máy khách được phép (kiểm tra phần mềm thi) / allowed client builds (integrity check)
    AllowBuild(builds::AllowBuildArgs),
    /// Điều khiển máy chủ đang chạy / drive the running server
    #[command(subcommand)]
    Ctl(commands::CtlCommand),
    /// Tình trạng phòng thi / room status
    Status(commands::StatusArgs),
    /// Kết quả một kỳ thi / results of an exam
    Results(commands::ResultsArgs),
    /// Xuất kết quả (CSV, XLSX, OneRoster) kèm bảng kê đã ký / export results with a signed manifest
    Export(export::ExportArgs),
    /// Gửi kết quả lên sổ điểm OneRoster 1.2 / publish results to a OneRoster 1.2 grade book
    Publish(publish::PublishArgs),
    /// Chấm tay bài tự luận (ẩn danh) / mark essay answers by hand (blind)
    Mark(mark::MarkArgs),
    /// Kiểm tra thư mục kết quả đã xuất / verify an export folder
    VerifyExport(export::VerifyExportArgs),
    /// Thống kê điểm theo lớp / score statistics per class
    Stats(report::StatsArgs),
    /// Báo cáo PDF: thống kê cho tổ chuyên môn, hoặc phiếu báo điểm (--students) / PDF reports:
    /// statistics for the department, or score slips (--students)
    Report(report::ReportArgs),
    /// Phiếu phòng máy (PDF): địa chỉ, vân tay, mã phòng, phiếu đăng nhập / the lab sheet (PDF)
    LabSheet(report::LabSheetArgs),
    /// Kiểm tra biên nhận (mã hoặc tệp) / verify a receipt (code or file)
    VerifyReceipt(commands::VerifyReceiptArgs),
    /// Nhật ký kiểm toán / audit log
    #[command(subcommand)]
    Audit(commands::AuditCommand),
    /// Sao lưu thư mục dữ liệu (mã hóa, có kiểm tra) / back up the data directory (encrypted, verified)
    Backup(data::BackupArgs),
    /// Khôi phục bản sao lưu vào --data (thư mục trống) / restore a backup into --data (an empty folder)
    Restore(data::RestoreArgs),
    /// Xóa dữ liệu cá nhân của một kỳ thi đã hết hạn lưu trữ / erase an exam's personal data after its retention period
    Purge(data::PurgeArgs),
    /// Chạy thử một kỳ thi với học sinh mô phỏng / run a whole exam with simulated students
    Demo(demo::DemoArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    phongthi_net::init_logging();
    let lang = Lang::detect(cli.lang.as_deref());
    let data = phongthi_store::datadir::DataDir::new(cli.data.unwrap_or_else(|| PathBuf::from("proctor-data")));
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tokio: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if !matches!(cli.command, Command::Demo(_) | Command::Restore(_)) {
        warn_loose_modes(&data);
    }
    let key_pass = cli.key_passphrase_file;
    let result = runtime.block_on(async move {
        let ctx = commands::Context { data, lang, key_passphrase_file: key_pass };
        match cli.command {
            Command::Init(args) => commands::init(&ctx, args),
            Command::Exam(command) => commands::exam(&ctx, command).await,
            Command::Roster(command) => commands::roster(&ctx, command).await,
            Command::Trust(command) => trust::trust(&ctx, command).await,
            Command::Serve(args) => commands::serve(&ctx, args).await,
            Command::AllowBuild(args) => builds::allow_build(&ctx, args).await,
            Command::Ctl(command) => commands::ctl(&ctx, command).await,
            Command::Status(args) => commands::status(&ctx, args).await,
            Command::Results(args) => commands::results(&ctx, args),
            Command::Export(args) => export::export(&ctx, args),
            Command::VerifyExport(args) => export::verify(&ctx, args),
            Command::Stats(args) => report::stats(&ctx, args),
            Command::Report(args) => report::report(&ctx, args),
            Command::LabSheet(args) => report::lab_sheet(&ctx, args),
            Command::Publish(args) => publish::publish(&ctx, args).await,
            Command::Mark(args) => mark::mark(&ctx, args).await,
            Command::VerifyReceipt(args) => commands::verify_receipt(&ctx, args),
            Command::Audit(command) => commands::audit(&ctx, command),
            Command::Backup(args) => data::backup(&ctx, args),
            Command::Restore(args) => data::restore(&ctx, args),
            Command::Purge(args) => data::purge(&ctx, args).await,
            Command::Demo(args) => demo::run(lang, args).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}: {}", lang.t("lỗi", "error"), phongthi_question_bank::i18n::describe_error(error.as_ref()));
            std::process::ExitCode::FAILURE
        }
    }
}

/// Prints a warning for each file or folder of the data directory other accounts can read: it
/// holds students' personal data, and the proctor should know before the exam, not after.
fn warn_loose_modes(data: &phongthi_store::datadir::DataDir) {
    match data.loose_modes() {
        Ok(loose) => loose.iter().for_each(|loose| eprintln!("{loose}")),
        Err(error) => eprintln!(
            "cảnh báo: không kiểm tra được quyền của {0}: {error} / warning: cannot check the modes of {0}: {error}",
            data.path().display()
        ),
    }
}
