//! Logs never carry secrets: a whole exam over real QUIC (exam added, five students log in,
//! answer, submit, are graded and receipted) runs with every log of every crate on at TRACE, the
//! proctor's and the clients' alike, and the captured text is searched for the exam passphrase,
//! the identity and TLS keys, the content and form keys, every session's journal secret, every
//! text of the exam's items (which hold the answer keys) and the students' own answers.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

use base64::Engine as _;
use phongthi_client::net::{Command, DriverConfig, DriverEvent, DriverHandle, Login, spawn};
use phongthi_crypto::ContentKey;
use phongthi_protocol::{Answer, ClientEvent, PresentedBody};
use phongthi_server::control::{self, Command as Ctl};
use phongthi_server::{ServeOptions, serve};
use phongthi_store::demo::{ROSTER_CSV, exam_day};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const STUDENTS: [&str; 5] = ["0123456789", "0123456790", "0123456791", "0123456792", "0123456793"];
/// What the students type into short-answer questions: distinctive, so a leak shows.
const TYPED: [&str; 5] = ["-7,3", "81,6", "0,97", "6,02", "-2,8"];

/// Everything logged, from every thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn wait_for(handle: &mut DriverHandle, what: &str, want: impl Fn(&DriverEvent) -> bool) -> DriverEvent {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let event = tokio::time::timeout_at(deadline, handle.events.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
            .expect("driver running");
        if want(&event) {
            return event;
        }
    }
}

fn session(f: impl Fn(&ClientEvent) -> bool) -> impl Fn(&DriverEvent) -> bool {
    move |e| matches!(e, DriverEvent::Session(s) if f(s))
}

fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) if text.chars().count() >= 8 => out.push(text.clone()),
        serde_json::Value::Array(values) => values.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// `bytes` as the texts a log line could show them in.
fn renderings(bytes: &[u8]) -> Vec<String> {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    vec![
        hex.clone(),
        hex.to_uppercase(),
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        format!("{bytes:?}"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_exam_logged_at_trace_reveals_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();
    tracing::trace!("capture works");

    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER_CSV).await.unwrap();
    let options = ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), ..ServeOptions::default() };
    let serving = serve(day.data.clone(), None, options).await.unwrap();
    let journals = tempfile::tempdir().unwrap();
    let mut handles = Vec::new();
    for id in STUDENTS {
        let config = DriverConfig {
            lab: serving.lab.clone(),
            login: Login { student_id: id.into(), room_code: serving.room_code.clone(), pin: None },
            journal_dir: Some(journals.path().to_path_buf()),
            build: "exam-client test".into(),
            build_digest: phongthi_client::integrity::BuildDigest::of_bytes(b"no secrets in logs"),
            connect_timeout: Duration::from_secs(3),
        };
        handles.push(spawn(config).unwrap().0);
    }
    for handle in &mut handles {
        wait_for(handle, "package", session(|e| matches!(e, ClientEvent::PackageVerified))).await;
    }
    assert!(control::send(day.data.path(), Ctl::Start).await.unwrap().ok);
    let mut typed_any = false;
    for (index, handle) in handles.iter_mut().enumerate() {
        let DriverEvent::Session(ClientEvent::FormReady(form)) =
            wait_for(handle, "the form", session(|e| matches!(e, ClientEvent::FormReady(_)))).await
        else {
            unreachable!()
        };
        let mut count = 0;
        for question in form.questions() {
            let answer = match &question.body {
                PresentedBody::SingleChoice { .. } => Answer::Choices(vec![1]),
                PresentedBody::TrueFalseCluster { statements } => Answer::Cluster(vec![Some(true); statements.len()]),
                _ => {
                    typed_any = true;
                    Answer::Text(TYPED[index].into())
                }
            };
            handle.commands.send(Command::Answer { number: question.number, answer }).await.unwrap();
            count += 1;
        }
        let last = count - 1;
        wait_for(
            handle,
            "every answer saved",
            session(move |e| matches!(e, ClientEvent::Saved { seq, unacked: 0 } if *seq == last)),
        )
        .await;
        handle.commands.send(Command::Submit).await.unwrap();
        wait_for(handle, "a receipt", session(|e| matches!(e, ClientEvent::Receipt { .. }))).await;
    }
    assert!(typed_any, "the example exam has short-answer questions");
    serving.shutdown().await;
    for handle in &handles {
        handle.commands.send(Command::Shutdown).await.unwrap();
    }

    // What must not be in the log.
    let mut secrets: Vec<(String, String)> = vec![("the exam passphrase".into(), "mật khẩu đề".into())];
    let pem = std::fs::read_to_string(day.data.path().join("proctor.key")).unwrap();
    for line in pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= 16) {
        secrets.push(("the identity key file".into(), line.to_owned()));
    }
    let tls_key = std::fs::read(day.data.path().join("tls-key.der")).unwrap();
    for text in renderings(&tls_key[tls_key.len() - 32..]) {
        secrets.push(("the TLS key".into(), text));
    }
    let (store, identity) = phongthi_store::admin::open_store(&day.data, None).unwrap();
    let reader = store.reader().unwrap();
    let record = reader.exam(&day.exam_id).unwrap().unwrap();
    let content = ContentKey::unwrap(&record.sealed_content_key, &identity, &day.exam_id).unwrap();
    for text in renderings(content.expose_secret()) {
        secrets.push(("the content key".into(), text));
    }
    for form in 0..2 {
        for text in renderings(content.form_key(&day.exam_id, form).expose_secret()) {
            secrets.push((format!("form key {form}"), text));
        }
    }
    let sessions = reader.sessions_of_exam(&day.exam_id).unwrap();
    assert_eq!(sessions.len(), 5);
    for progress in &sessions {
        for text in renderings(progress.session.journal_secret.expose_secret()) {
            secrets.push((format!("journal secret of {}", progress.session.student_id), text));
        }
    }
    let mut texts = Vec::new();
    for item in day.exam.items().values() {
        strings(&serde_json::to_value(item).unwrap(), &mut texts);
    }
    assert!(texts.len() > 20, "{}", texts.len());
    secrets.extend(texts.into_iter().map(|text| ("an item's text (answer keys are in it)".to_owned(), text)));
    for typed in TYPED {
        secrets.push(("a student's typed answer".into(), typed.to_owned()));
    }
    drop(reader);
    store.close().unwrap();

    let log = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(
        log.contains("capture works") && log.lines().count() > 500,
        "the log was captured: {} lines",
        log.lines().count()
    );
    for (what, secret) in &secrets {
        if let Some(at) = log.find(secret.as_str()) {
            let start = log[..at].rfind('\n').map_or(0, |n| n + 1);
            let end = log[at..].find('\n').map_or(log.len(), |n| at + n);
            let line = &log[start..end];
            panic!("{what} ({secret:?}) is in the log:\n{line}");
        }
    }
}
