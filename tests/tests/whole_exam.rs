//! A whole exam over real QUIC on loopback: a real proctor (store, room, control channel) and
//! the real client network task for each of the five students of `examples/roster.csv`.
//! Waiting room, pre-downloaded packages, Start, answers acknowledged only once durable, a
//! proctor restart mid-exam (clients reconnect and resend by themselves), submission, receipts.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

use phongthi_client::net::{Command, DriverConfig, DriverEvent, DriverHandle, Link, Login, spawn};
use phongthi_protocol::{Answer, ClientEvent, PresentedBody, PresentedForm};
use phongthi_server::control::{self, Command as Ctl};
use phongthi_server::{ServeOptions, serve};
use phongthi_store::demo::{ROSTER_CSV, exam_day};
use std::time::Duration;

const STUDENTS: [&str; 5] = ["0123456789", "0123456790", "0123456791", "0123456792", "0123456793"];

struct Student {
    handle: DriverHandle,
    seen: Vec<DriverEvent>,
}

impl Student {
    /// Waits (at most 20 s) for an event matching `want`, keeping everything seen.
    async fn wait_for(&mut self, what: &str, want: impl Fn(&DriverEvent) -> bool) -> DriverEvent {
        if let Some(found) = self.seen.iter().find(|e| want(e)) {
            return found.clone();
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let event = tokio::time::timeout_at(deadline, self.handle.events.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for {what}; saw {:?}", self.seen))
                .expect("driver running");
            self.seen.push(event.clone());
            if want(&event) {
                return event;
            }
        }
    }

    async fn send(&self, command: Command) {
        self.handle.commands.send(command).await.unwrap();
    }
}

fn session(f: impl Fn(&ClientEvent) -> bool) -> impl Fn(&DriverEvent) -> bool {
    move |e| matches!(e, DriverEvent::Session(s) if f(s))
}

/// An answer of the right shape for each question.
fn answers_for(form: &PresentedForm, student: usize) -> Vec<(u32, Answer)> {
    form.questions()
        .map(|q| {
            let answer = match &q.body {
                PresentedBody::SingleChoice { options } => Answer::Choices(vec![(student % options.len()) as u8]),
                PresentedBody::TrueFalseCluster { statements } => Answer::Cluster(
                    statements.iter().enumerate().map(|(i, _)| Some((i + student).is_multiple_of(2))).collect(),
                ),
                _ => Answer::Text(if student.is_multiple_of(2) { "5".into() } else { "4,5".into() }),
            };
            (q.number, answer)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_exam_with_a_proctor_restart() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 4, ROSTER_CSV).await.unwrap();
    let options = ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), ..ServeOptions::default() };
    let serving = serve(day.data.clone(), None, options.clone()).await.unwrap();
    let lab = serving.lab.clone();
    let room_code = serving.room_code.clone();
    assert_eq!(serving.exam_title, "Kiểm tra giữa kỳ I — Toán 10");

    let journals = tempfile::tempdir().unwrap();
    let mut students: Vec<Student> = Vec::new();
    for id in STUDENTS {
        let config = DriverConfig {
            lab: lab.clone(),
            login: Login { student_id: id.into(), room_code: room_code.to_lowercase(), pin: None },
            journal_dir: Some(journals.path().to_path_buf()),
            build: "exam-client test".into(),
            build_digest: phongthi_client::integrity::BuildDigest::of_bytes(b"whole exam"),
            connect_timeout: Duration::from_secs(3),
        };
        let (handle, _) = spawn(config).unwrap();
        students.push(Student { handle, seen: Vec::new() });
    }
    // Waiting room: admitted and the sealed package already verified on every PC.
    for s in &mut students {
        s.wait_for("admission", session(|e| matches!(e, ClientEvent::Admitted(_)))).await;
        s.wait_for("package", session(|e| matches!(e, ClientEvent::PackageVerified))).await;
    }
    // The clients know before the proctor does (their "package ready" is still on its way).
    let mut ready = 0;
    for _ in 0..100 {
        let status = control::send(day.data.path(), Ctl::Status).await.unwrap();
        ready = status.data["seats"].as_array().unwrap().iter().filter(|s| s["package_ready"] == true).count();
        if ready == 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(ready, 5, "every PC reported its package to the proctor");

    // Start releases the keys.
    let reply = control::send(day.data.path(), Ctl::Start).await.unwrap();
    assert!(reply.ok, "{}", reply.message);
    let mut forms = Vec::new();
    for s in &mut students {
        let DriverEvent::Session(ClientEvent::FormReady(form)) =
            s.wait_for("the form", session(|e| matches!(e, ClientEvent::FormReady(_)))).await
        else {
            unreachable!()
        };
        forms.push(*form);
    }
    let codes: std::collections::BTreeSet<_> = forms.iter().map(|f| f.form_code.clone()).collect();
    assert!(codes.len() >= 2, "neighbours get different forms: {codes:?}");

    // First half of the answers, acknowledged as durable.
    let all: Vec<Vec<(u32, Answer)>> = forms.iter().enumerate().map(|(i, f)| answers_for(f, i)).collect();
    for (s, answers) in students.iter().zip(&all) {
        for (number, answer) in &answers[..5] {
            s.send(Command::Answer { number: *number, answer: answer.clone() }).await;
        }
    }
    for s in &mut students {
        s.wait_for("five saves", session(|e| matches!(e, ClientEvent::Saved { seq: 4, unacked: 0 }))).await;
    }

    // The proctor restarts mid-exam; students keep answering meanwhile.
    serving.shutdown().await;
    for (s, answers) in students.iter().zip(&all) {
        for (number, answer) in &answers[5..] {
            s.send(Command::Answer { number: *number, answer: answer.clone() }).await;
        }
    }
    let serving = serve(day.data.clone(), None, ServeOptions { listen: lab.address, ..options }).await.unwrap();
    assert_eq!(serving.room_code, room_code, "the room code survives a restart");
    for s in &mut students {
        s.seen.clear();
        s.wait_for("back online", |e| matches!(e, DriverEvent::Link(Link::Online))).await;
        s.wait_for("all ten saved", session(|e| matches!(e, ClientEvent::Saved { seq: 9, unacked: 0 }))).await;
    }

    // Submit: signed sheets, graded at once, signed receipts back.
    for s in &students {
        s.send(Command::Submit).await;
    }
    let mut codes = Vec::new();
    for s in &mut students {
        let DriverEvent::Session(ClientEvent::Receipt { code, .. }) =
            s.wait_for("a receipt", session(|e| matches!(e, ClientEvent::Receipt { .. }))).await
        else {
            unreachable!()
        };
        codes.push(code);
    }
    let status = control::send(day.data.path(), Ctl::Status).await.unwrap();
    let seats = status.data["seats"].as_array().unwrap();
    assert!(seats.iter().all(|s| s["receipt_code"].is_string()), "{seats:?}");
    assert_eq!(seats.iter().map(|s| s["answered"].as_u64().unwrap()).sum::<u64>(), 50);
    serving.shutdown().await;
    for s in &students {
        s.send(Command::Shutdown).await;
    }

    // Every receipt verifies against the proctor's key, every answer is in the store, once.
    let (store, identity) = phongthi_store::admin::open_store(&day.data, None).unwrap();
    let reader = store.reader().unwrap();
    for code in &codes {
        let code = phongthi_crypto::ShortCode::parse(code).unwrap();
        let stored = reader.receipt_by_code(&code).unwrap().expect("receipt stored");
        phongthi_crypto::SignedReceipt::verify(stored.receipt.as_bytes(), Some(&identity.public_key())).unwrap();
        let events = reader.events(&stored.session).unwrap();
        assert_eq!(events.len(), 10, "ten answers, each stored once");
        reader.verify_session(&stored.session).unwrap();
    }
    assert_eq!(reader.scores_of_exam(&day.exam_id).unwrap().len(), 5);
    reader.verify_audit(&identity.public_key()).unwrap();
}
