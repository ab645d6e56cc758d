//! `proctor demo`: a whole exam on this PC with nothing installed. It sets up a temporary data
//! directory from the example files (a teacher's signed bundle, a class list), serves on
//! localhost, and runs simulated students through the exam on the real client network code:
//! log in, wait, Start, answer with a little thinking time, submit, receipts. Then it prints the
//! results and how to join with a real client window.
//!
//! With a display (and no `--headless`) the dashboard opens over the demo: the students wait for
//! the proctor to press Start there, think `--think-ms` per question (default 3 s, so there is
//! something to watch), and a few of them leave the exam window for a while.

use anyhow::Context;
use clap::Args;
use phongthi_client::net::{Command, DriverConfig, DriverEvent, DriverHandle, Login, spawn};
use phongthi_protocol::{Answer, ClientEvent, PresentedBody, PresentedForm};
use phongthi_question_bank::i18n::Lang;
use phongthi_server::control::{self, Command as Ctl};
use phongthi_server::{ServeOptions, serve};
use phongthi_store::demo::{ROSTER_CSV, exam_day, roster_csv};
use std::time::{Duration, Instant};

#[derive(Args)]
pub(crate) struct DemoArgs {
    /// Số học sinh mô phỏng / number of simulated students
    #[arg(long, default_value_t = 5)]
    students: usize,
    /// Giữ máy chủ chạy sau khi xong để thử bằng máy khách thật / keep serving afterwards
    #[arg(long)]
    keep_serving: bool,
    /// Không mở bảng điều khiển / no dashboard window
    #[arg(long)]
    headless: bool,
    /// Thời gian suy nghĩ mỗi câu (ms) / thinking time per question in ms [default: 30, or 3000 with the dashboard]
    #[arg(long)]
    think_ms: Option<u64>,
}

/// How the simulated students behave.
#[derive(Clone)]
struct Pace {
    /// Wait for the proctor's Start (on the dashboard) instead of sending it.
    watched: bool,
    /// Between answer rounds.
    think: Duration,
    /// How long a student may wait for one event.
    patience: Duration,
}

async fn next_matching(
    handle: &mut DriverHandle,
    patience: Duration,
    want: impl Fn(&ClientEvent) -> bool,
) -> anyhow::Result<ClientEvent> {
    let deadline = tokio::time::Instant::now() + patience;
    loop {
        match tokio::time::timeout_at(deadline, handle.events.recv()).await {
            Ok(Some(DriverEvent::Session(event))) if want(&event) => return Ok(event),
            Ok(Some(_)) => {}
            Ok(None) => anyhow::bail!("a simulated student stopped"),
            Err(_) => anyhow::bail!("a simulated student waited {} s", patience.as_secs()),
        }
    }
}

fn answer_for(form: &PresentedForm, number: u32, student: usize) -> Answer {
    match form.question(number).map(|q| &q.body) {
        Some(PresentedBody::SingleChoice { options }) => {
            Answer::Choices(vec![((student + number as usize) % options.len()) as u8])
        }
        Some(PresentedBody::MultipleResponse { .. }) => Answer::Choices(vec![0, 2]),
        Some(PresentedBody::TrueFalse) => Answer::TrueFalse(student.is_multiple_of(2)),
        Some(PresentedBody::TrueFalseCluster { statements }) => {
            Answer::Cluster((0..statements.len()).map(|i| Some(!(i + student).is_multiple_of(3))).collect())
        }
        _ => Answer::Text(["5", "4,5", "6", "-1,5"][student % 4].into()),
    }
}

pub(crate) async fn run(lang: Lang, args: DemoArgs) -> anyhow::Result<()> {
    let t = |vi, en| lang.t(vi, en);
    let count = args.students.clamp(1, 2000);
    let watched = crate::window::wanted(lang, args.headless);
    let pace = Pace {
        watched,
        think: Duration::from_millis(args.think_ms.unwrap_or(if watched { 3000 } else { 30 })),
        patience: if watched { Duration::from_secs(24 * 3600) } else { Duration::from_secs(60) },
    };
    let dir = tempfile::Builder::new().prefix("phongthi-proctor-demo-").tempdir()?;
    let roster = if count <= 5 { ROSTER_CSV.to_owned() } else { roster_csv(count) };
    let day = exam_day(dir.path(), 4, &roster).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let lab_path = dir.path().join("lab.toml");
    let options = ServeOptions {
        listen: "127.0.0.1:0".parse()?,
        lab_config_out: Some(lab_path.clone()),
        ..ServeOptions::default()
    };
    let serving = serve(day.data.clone(), None, options).await?;
    println!("{}: {}", t("Thư mục dữ liệu", "Data directory"), day.data.path().display());
    println!("{}: {} — {} {}", t("Kỳ thi", "Exam"), serving.exam_title, serving.addr, serving.fingerprint);
    println!("{}: {}", t("Mã phòng", "Room code"), serving.room_code);

    let ids: Vec<String> =
        roster.lines().skip(1).filter_map(|l| l.split(',').nth(1)).map(str::to_owned).take(count).collect();
    let students = Students {
        ids,
        lab: serving.lab.clone(),
        room_code: serving.room_code.clone(),
        journal_dir: dir.path().to_path_buf(),
        data_dir: day.data.path().to_path_buf(),
    };
    if watched {
        println!(
            "{}",
            t(
                "Nhấn «Bắt đầu» trên bảng điều khiển khi học sinh đã vào phòng.",
                "Press «Start» on the dashboard once the students are in."
            )
        );
        let simulation = tokio::spawn(async move {
            if let Err(e) = simulate(lang, students, pace).await {
                eprintln!("{}: {e:#}", lang.t("học sinh mô phỏng dừng", "the simulated students stopped"));
            }
        });
        crate::window::run(lang, &serving, day.data.path().join("ket-qua"))?;
        simulation.abort();
        serving.shutdown().await;
        let kept = dir.keep();
        println!("{}: {}", t("Giữ lại thư mục để xem", "Kept the folder to look at"), kept.display());
        return Ok(());
    }
    let receipts = simulate(lang, students, pace).await?;
    let status = control::send(day.data.path(), Ctl::Status).await?;
    println!("\n{}: {}", t("Trạng thái", "State"), status.data["state"].as_str().unwrap_or(""));
    println!("\n{}", t("Xem kết quả và kiểm tra biên nhận:", "Results and receipt checks:"));
    println!("  proctor --data {} results --exam {}", day.data.path().display(), day.exam_id);
    if let Some(code) = receipts.first() {
        println!("  proctor --data {} verify-receipt {code}", day.data.path().display());
    }
    println!("  proctor --data {} audit verify", day.data.path().display());
    println!(
        "{}",
        t(
            "Vào thi bằng cửa sổ thật (khi có exam-client):",
            "Join with a real client window (once exam-client is built):"
        )
    );
    println!("  exam-client --config {}", lab_path.display());
    if args.keep_serving {
        println!("{}", t("Máy chủ vẫn chạy; Ctrl+C để dừng.", "Still serving; Ctrl+C to stop."));
        tokio::signal::ctrl_c().await?;
        serving.shutdown().await;
        let _ = dir.keep();
    } else {
        serving.shutdown().await;
        let kept = dir.keep();
        println!("{}: {}", t("Giữ lại thư mục để xem", "Kept the folder to look at"), kept.display());
    }
    Ok(())
}

/// Who the simulated students are and where they connect.
struct Students {
    ids: Vec<String>,
    lab: phongthi_net::LabConfig,
    room_code: String,
    journal_dir: std::path::PathBuf,
    data_dir: std::path::PathBuf,
}

/// Runs every simulated student through the exam; returns the receipt codes.
async fn simulate(lang: Lang, students: Students, pace: Pace) -> anyhow::Result<Vec<String>> {
    let t = |vi, en| lang.t(vi, en);
    let count = students.ids.len();
    let mut handles = Vec::new();
    for id in &students.ids {
        let config = DriverConfig {
            lab: students.lab.clone(),
            login: Login { student_id: id.clone(), room_code: students.room_code.clone(), pin: None },
            journal_dir: Some(students.journal_dir.clone()),
            build: "proctor demo".into(),
            build_digest: phongthi_client::integrity::BuildDigest::of_bytes(b"proctor demo student"),
            connect_timeout: Duration::from_secs(5),
        };
        let (handle, _) = spawn(config)?;
        handles.push(handle);
    }
    let started = Instant::now();
    for handle in &mut handles {
        next_matching(handle, pace.patience, |e| matches!(e, ClientEvent::PackageVerified)).await?;
    }
    println!(
        "{} {} ({} ms)",
        count,
        t("học sinh đã vào phòng, đề đã tải sẵn", "students in the waiting room, packages downloaded"),
        started.elapsed().as_millis()
    );

    let start = Instant::now();
    if !pace.watched {
        let reply = control::send(&students.data_dir, Ctl::Start).await?;
        anyhow::ensure!(reply.ok, "{}", reply.message);
    }
    let mut forms = Vec::new();
    for handle in &mut handles {
        if let ClientEvent::FormReady(form) =
            next_matching(handle, pace.patience, |e| matches!(e, ClientEvent::FormReady(_))).await?
        {
            forms.push(*form);
        }
    }
    println!(
        "{} ({} ms)",
        t("Bắt đầu: mọi máy đã mở đề", "Start: every PC opened its form"),
        start.elapsed().as_millis()
    );

    for round in 1..=10u32 {
        for (i, (handle, form)) in handles.iter().zip(&forms).enumerate() {
            if form.question(round).is_some() {
                let answer = answer_for(form, round, i);
                handle.commands.send(Command::Answer { number: round, answer }).await.context("student")?;
            }
            // Watched, every seventh student leaves the exam window for a few rounds.
            if pace.watched && i % 7 == 3 && (round == 3 || round == 6) {
                let focused = round == 6;
                handle.commands.send(Command::Window { focused, fullscreen: focused }).await.context("student")?;
                if focused {
                    let incident = Command::Incident {
                        kind: phongthi_protocol::IncidentKind::FocusLost,
                        duration: pace.think * 3,
                        detail: "Alt+Tab".into(),
                    };
                    handle.commands.send(incident).await.context("student")?;
                }
            }
        }
        tokio::time::sleep(pace.think).await;
    }
    for handle in &mut handles {
        next_matching(handle, pace.patience, |e| matches!(e, ClientEvent::Saved { unacked: 0, seq } if *seq >= 9))
            .await?;
    }
    println!(
        "{}",
        t("Mọi câu trả lời đã được lưu bền vững trên máy giám thị", "Every answer is durably stored on the proctor")
    );

    for handle in &handles {
        handle.commands.send(Command::Submit).await.context("student")?;
    }
    let mut receipts = Vec::new();
    for handle in &mut handles {
        if let ClientEvent::Receipt { code, .. } =
            next_matching(handle, pace.patience, |e| matches!(e, ClientEvent::Receipt { .. })).await?
        {
            receipts.push(code);
        }
    }
    println!("\n{:<12} {:<10} {:<12}", t("Mã HS", "Student"), t("Mã đề", "Form"), t("Biên nhận", "Receipt"));
    for ((id, form), code) in students.ids.iter().zip(&forms).zip(&receipts).take(40) {
        println!("{id:<12} {:<10} {code}", form.form_code);
    }
    for handle in &handles {
        let _ = handle.commands.send(Command::Shutdown).await;
    }
    Ok(receipts)
}
