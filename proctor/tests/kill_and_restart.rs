//! The `proctor` binary through a whole exam with a `kill -9` in the middle and a seat move:
//! a real `proctor serve` process, the real client network task for each student, SIGKILL
//! mid-exam while students keep answering, a restart on the same data directory, a crashed PC
//! replaced with the proctor's approval (`proctor ctl approve-move`), then `results`,
//! `verify-receipt` and `audit verify`. Nothing acknowledged may be missing.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

use phongthi_client::net::{Command, DriverConfig, DriverEvent, DriverHandle, Login, spawn};
use phongthi_net::LabConfig;
use phongthi_protocol::{Answer, ClientEvent, InputMethod, PresentedBody, PresentedForm};
use phongthi_store::demo::{ROSTER_CSV, exam_day};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

const STUDENTS: [&str; 5] = ["0123456789", "0123456790", "0123456791", "0123456792", "0123456793"];

fn proctor(data: &Path, args: &[&str]) -> std::process::Output {
    Process::new(env!("CARGO_BIN_EXE_proctor"))
        .arg("--data")
        .arg(data)
        .arg("--lang")
        .arg("en")
        .args(args)
        .output()
        .unwrap()
}

fn serve(data: &Path, listen: &str, lab: &Path) -> Child {
    Process::new(env!("CARGO_BIN_EXE_proctor"))
        .arg("--data")
        .arg(data)
        .args(["serve", "--headless", "--typing", "vni", "--listen", listen, "--lab-config-out"])
        .arg(lab)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_for_file(path: &Path) {
    for _ in 0..200 {
        if path.exists() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{} never appeared", path.display());
}

async fn until(handle: &mut DriverHandle, what: &str, want: impl Fn(&ClientEvent) -> bool) -> ClientEvent {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, handle.events.recv()).await {
            Ok(Some(DriverEvent::Session(event))) if want(&event) => return event,
            Ok(Some(event)) => seen.push(format!("{event:?}").chars().take(160).collect::<String>()),
            other => panic!("waiting for {what}: {other:?}; saw {seen:#?}"),
        }
    }
}

fn student(lab: &LabConfig, id: &str, room_code: &str, journals: &Path) -> DriverHandle {
    let config = DriverConfig {
        lab: lab.clone(),
        login: Login { student_id: id.into(), room_code: room_code.into(), pin: None },
        journal_dir: Some(journals.to_path_buf()),
        build: "kill test".into(),
        build_digest: phongthi_client::integrity::BuildDigest::of_bytes(b"kill and restart"),
        connect_timeout: Duration::from_secs(2),
    };
    spawn(config).unwrap().0
}

fn answer(form: &PresentedForm, number: u32) -> Answer {
    match form.question(number).map(|q| &q.body) {
        Some(PresentedBody::SingleChoice { .. }) => Answer::Choices(vec![(number % 4) as u8]),
        Some(PresentedBody::TrueFalseCluster { statements }) => Answer::Cluster(vec![Some(true); statements.len()]),
        _ => Answer::Text("4,5".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_dash_nine_mid_exam_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 4, ROSTER_CSV).await.unwrap();
    let data = day.data.path().to_path_buf();
    let lab_path = dir.path().join("lab.toml");
    let mut server = serve(&data, "127.0.0.1:0", &lab_path);
    wait_for_file(&lab_path).await;
    let lab = LabConfig::load(&lab_path).unwrap();
    let room_code = std::fs::read_to_string(data.join(format!("room-{}.code", day.exam_id))).unwrap();

    let journals = tempfile::tempdir().unwrap();
    let mut handles: Vec<DriverHandle> =
        STUDENTS.iter().map(|id| student(&lab, id, &room_code, journals.path())).collect();
    for h in &mut handles {
        until(h, "package", |e| matches!(e, ClientEvent::PackageVerified)).await;
    }
    let out = proctor(&data, &["ctl", "start"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut forms = Vec::new();
    for h in &mut handles {
        let ClientEvent::FormReady(form) = until(h, "form", |e| matches!(e, ClientEvent::FormReady(_))).await else {
            unreachable!()
        };
        forms.push(*form);
    }
    for (h, form) in handles.iter().zip(&forms) {
        for n in 1..=5 {
            h.commands.send(Command::Answer { number: n, answer: answer(form, n) }).await.unwrap();
        }
    }
    for h in &mut handles {
        until(h, "five saved", |e| matches!(e, ClientEvent::Saved { seq: 4, unacked: 0 })).await;
    }

    // kill -9: no shutdown, no flush.
    server.kill().unwrap();
    server.wait().unwrap();
    for (h, form) in handles.iter().zip(&forms) {
        for n in 6..=10 {
            h.commands.send(Command::Answer { number: n, answer: answer(form, n) }).await.unwrap();
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut server = serve(&data, &lab.address.to_string(), &lab_path);
    for h in &mut handles {
        until(h, "all ten saved after the restart", |e| matches!(e, ClientEvent::Saved { seq: 9, unacked: 0 })).await;
    }

    // Student 1's PC dies; they continue on another one once the proctor approves.
    let crashed = handles.remove(0);
    crashed.commands.send(Command::Shutdown).await.unwrap();
    drop(crashed);
    // Another PC: its own journal folder, without the student's journal (the same PC would
    // rejoin without approval, see protocol/tests/pair/outages.rs).
    let other_pc = journals.path().join("may-khac");
    std::fs::create_dir_all(&other_pc).unwrap();
    let mut replacement = student(&lab, STUDENTS[0], &room_code, &other_pc);
    until(&mut replacement, "seat move pending", |e| matches!(e, ClientEvent::SeatMovePending)).await;
    // Approved as after a power cut, all pending moves at once, once the room code is right.
    let wrong = proctor(&data, &["ctl", "approve-moves", "--room", "ZZZZZZ"]);
    assert!(!wrong.status.success() && String::from_utf8_lossy(&wrong.stderr).contains("nothing approved"));
    let out = proctor(&data, &["ctl", "approve-moves", "--room", room_code.trim()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("let 1 students"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let ClientEvent::Admitted(admission) =
        until(&mut replacement, "admitted", |e| matches!(e, ClientEvent::Admitted(_))).await
    else {
        unreachable!()
    };
    assert_eq!(admission.answers.len(), 10, "the new PC shows every stored answer");
    assert_eq!(admission.typing, InputMethod::Vni, "the room's default of `serve --typing vni`");
    until(&mut replacement, "form", |e| matches!(e, ClientEvent::FormReady(_))).await;
    handles.insert(0, replacement);

    // A second kill -9: the moved student's new key is on disk, so nobody needs approving again.
    server.kill().unwrap();
    server.wait().unwrap();
    let mut server = serve(&data, &lab.address.to_string(), &lab_path);
    for h in &mut handles {
        let back =
            until(h, "re-admitted", |e| matches!(e, ClientEvent::Admitted(_) | ClientEvent::SeatMovePending)).await;
        assert!(matches!(back, ClientEvent::Admitted(_)), "{back:?}");
    }

    for h in &handles {
        h.commands.send(Command::Submit).await.unwrap();
    }
    let mut codes = Vec::new();
    for h in &mut handles {
        let ClientEvent::Receipt { code, .. } = until(h, "receipt", |e| matches!(e, ClientEvent::Receipt { .. })).await
        else {
            unreachable!()
        };
        codes.push(code);
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let results = proctor(&data, &["results", "--exam", &day.exam_id.to_hex(), "--json"]);
    assert!(results.status.success(), "{}", String::from_utf8_lossy(&results.stderr));
    let json: serde_json::Value = serde_json::from_slice(&results.stdout).unwrap();
    assert_eq!(json["results"].as_array().unwrap().len(), 5);
    for code in &codes {
        let out = proctor(&data, &["verify-receipt", code]);
        assert!(out.status.success(), "{code}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("RECEIPT VALID"));
    }
    let out = proctor(&data, &["audit", "verify"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let (store, _) = phongthi_store::admin::open_store(&day.data, None).unwrap();
    let reader = store.reader().unwrap();
    for progress in reader.sessions_of_exam(&day.exam_id).unwrap() {
        assert_eq!(reader.events(&progress.session.id).unwrap().len(), 10, "{}", progress.session.student_id);
    }
}
