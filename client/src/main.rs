//! `exam-client`: the exam window on a lab PC.
//!
//! Thin on purpose: parse the command line, read `lab.toml`, hash the executable for the
//! integrity check (or only print that value, `--print-integrity`), build the window options
//! (full screen, no decorations, always on top, no clipboard shortcuts), start a small tokio
//! runtime for the network task, and hand everything to [`phongthi_client::app::App`].

use clap::Parser;
use phongthi_client::app::readiness::CheckId;
use phongthi_client::app::{App, LabSummary, Lang, TypingMemory, fonts, machine};
use phongthi_client::integrity::own_build;
use phongthi_client::net::readiness;
use phongthi_client::net::{DriverConfig, spawn};
use phongthi_net::LabConfig;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Phòng Thi — máy thi của học sinh / the student's exam window.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// `lab.toml` written by the proctor (`proctor serve --lab-config-out`).
    #[arg(long, value_name = "lab.toml", required_unless_present = "print_integrity")]
    config: Option<PathBuf>,
    /// In giá trị của bản máy khách này (SHA-256 của tệp chương trình) để giám thị cho phép bằng
    /// `proctor allow-build`, rồi thoát / print this build's value (SHA-256 of the program file)
    /// for the proctor to allow with `proctor allow-build`, and exit.
    #[arg(long, conflicts_with_all = ["readiness", "windowed"])]
    print_integrity: bool,
    /// Language of the labels: `vi` (default) or `en`.
    #[arg(long, default_value = "vi", value_parser = parse_lang)]
    lang: Lang,
    /// Folder for the encrypted answer journal (default: the folder of `lab.toml`).
    #[arg(long)]
    journal_dir: Option<PathBuf>,
    /// Show in a normal window instead of full screen (for trying the client out, not for exams).
    #[arg(long)]
    windowed: bool,
    /// Check this PC before exam day (fonts, full screen, the proctor with its pinned
    /// certificate, the journal folder) and offer a 3-question practice that is not scored.
    #[arg(long)]
    readiness: bool,
    /// With `--readiness`: open the practice at once (screenshots, `scripts/screenshots.sh`).
    #[arg(long, hide = true, requires = "readiness")]
    practice: bool,
    /// With `--readiness`: a practice of N questions with 512×512 figures, walked one question
    /// per frame (memory measurements).
    #[arg(long, hide = true, requires = "readiness")]
    load_test: Option<u32>,
    /// Close after this many frames (start-up time and memory measurements).
    #[arg(long, hide = true)]
    exit_after_frames: Option<u32>,
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| format!("{text:?}: cần vi hoặc en / expected vi or en"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.print_integrity {
        return print_integrity();
    }
    phongthi_net::init_logging();
    // Only `--print-integrity` goes without a lab.toml, and clap made sure it is given otherwise.
    let Some(config) = args.config.clone() else {
        eprintln!("cần --config lab.toml / --config lab.toml is needed");
        return ExitCode::FAILURE;
    };
    // Hashed before the window opens: the executable is read once, in pieces, whatever its size.
    let build_digest = match own_build() {
        Ok(digest) => digest,
        Err(error) => {
            // A proctor that checks builds will see an unknown one (and refuse it in strict
            // mode); one that does not loses nothing. Either way the student can still start.
            tracing::error!("{error}");
            phongthi_crypto::BuildDigest::from_bytes([0; 32])
        }
    };
    let lab = match LabConfig::load(&config) {
        Ok(lab) => lab,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("không khởi động được mạng / cannot start networking: {error}");
            return ExitCode::FAILURE;
        }
    };
    let journal_dir = args
        .journal_dir
        .clone()
        .or_else(|| config.parent().map(std::path::Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    // Each student's input method is remembered next to their journal: the one folder the kiosk
    // keeps writable and private across restarts.
    let typing_memory = TypingMemory::in_folder(&journal_dir);
    let (lab_for_checks, journal_for_checks) = (lab.clone(), journal_dir.clone());
    let summary = LabSummary { exam_title: lab.exam_title.clone(), address: lab.address.to_string() };
    let handle = runtime.handle().clone();
    let launcher = Box::new(move |login| {
        let _inside_runtime = handle.enter();
        let config = DriverConfig {
            lab: lab.clone(),
            login,
            journal_dir: Some(journal_dir.clone()),
            build: format!("exam-client {}", env!("CARGO_PKG_VERSION")),
            build_digest,
            connect_timeout: Duration::from_secs(5),
        };
        spawn(config).map(|(driver, _task)| driver).map_err(|error| error.to_string())
    });
    let readiness_lab = args.readiness.then(|| lab_for_checks.clone());
    let mut app = App::new(summary, args.lang, launcher);
    app.set_expect_fullscreen(!args.windowed);
    app.set_typing_memory(typing_memory);
    app.set_machine_hints(machine::vm_hints());
    app.set_connected_monitors(machine::connected_monitors());
    if let Some(frames) = args.exit_after_frames {
        app.close_after_frames(frames);
    }
    if let Some(lab) = readiness_lab {
        let (results, receiver) = std::sync::mpsc::channel();
        app.start_readiness(receiver);
        if args.practice {
            app.start_practice();
        }
        if let Some(items) = args.load_test {
            app.start_load_test(items);
        }
        let journal = journal_for_checks.clone();
        runtime.spawn(async move {
            let journal = readiness::check_journal_dir(&journal);
            results.send((CheckId::Journal, journal)).ok();
            let proctor = readiness::check_proctor(&lab, Duration::from_secs(5)).await;
            results.send((CheckId::Proctor, proctor)).ok();
        });
    }

    // A windowed try-out gets a lab-monitor-sized window.
    let mut viewport = egui::ViewportBuilder::default().with_title("Phòng Thi").with_inner_size([1024.0, 720.0]);
    if !args.windowed {
        viewport = viewport.with_fullscreen(true).with_decorations(false).with_always_on_top();
    }
    let options = eframe::NativeOptions {
        viewport,
        // Ctrl+C/X/V stay plain keys: nothing is copied out of or pasted into an answer.
        clipboard_shortcuts: false,
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let result = eframe::run_native(
        "Phòng Thi",
        options,
        Box::new(|creation| {
            fonts::install(&creation.egui_ctx);
            Ok(Box::new(app))
        }),
    );
    drop(runtime);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("không mở được cửa sổ thi / cannot open the exam window: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `--print-integrity`: the value `proctor allow-build` takes, alone on stdout (scripts read it).
fn print_integrity() -> ExitCode {
    match own_build() {
        Ok(digest) => {
            println!("{digest}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
