//! The client-integrity check end to end over real QUIC on loopback: builds allowed in the
//! proctor's data directory (as `proctor allow-build` stores them), the real client network task
//! answering the per-login challenge with the value of the bytes it is given (the genuine build's,
//! or those of a changed one), and a recorded answer replayed on a new connection.
//!
//! Strict mode admits the listed build and turns the changed one away at login, with the
//! refusal on the client and an incident naming the student on the proctor; warn mode admits the
//! changed one and records the same incident; strict mode with nothing allowed does not start.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

use phongthi_client::integrity::BuildDigest;
use phongthi_client::net::{Command, DriverConfig, DriverEvent, DriverHandle, Login, spawn};
use phongthi_crypto::{IntegrityChallenge, SigningKey};
use phongthi_net::{FramedRecv, FramedSend, LabConfig};
use phongthi_protocol::{AllowedBuild, ClientEvent, ClientMsg, Refusal, ServerMsg};
use phongthi_server::{ServeError, ServeOptions, Serving, serve};
use phongthi_store::demo::{ExamDay, ROSTER_CSV, exam_day};
use phongthi_store::{AllowedBuildRecord, AuditNote, IncidentRecord};
use std::time::Duration;

/// Stands in for the released executable: the value is SHA-256 of these bytes.
const GENUINE: &[u8] = b"\x7fELF exam-client 0.3.0 as the school installed it";

fn changed() -> Vec<u8> {
    let mut bytes = GENUINE.to_vec();
    bytes[20] ^= 1; // one bit of one byte: a patched build
    bytes
}

/// An exam day whose data directory allows the genuine build, as `proctor allow-build` leaves it.
async fn day_allowing_the_genuine_build(dir: &std::path::Path) -> ExamDay {
    let day = exam_day(dir, 2, ROSTER_CSV).await.unwrap();
    let (store, _) = phongthi_store::admin::open_store(&day.data, None).unwrap();
    let build =
        AllowedBuildRecord { digest: BuildDigest::of_bytes(GENUINE), name: "Phòng Thi 0.3 Linux".into(), added_ms: 1 };
    store.allow_build(build, AuditNote::new(1, "proctor", "build.allow", "test")).await.unwrap();
    store.close().unwrap();
    day
}

async fn serving(day: &ExamDay, strict: bool) -> Serving {
    let options =
        ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), strict_integrity: strict, ..ServeOptions::default() };
    serve(day.data.clone(), None, options).await.unwrap()
}

fn student(serving: &Serving, id: &str, binary: &[u8]) -> DriverHandle {
    let config = DriverConfig {
        lab: serving.lab.clone(),
        login: Login { student_id: id.into(), room_code: serving.room_code.clone(), pin: None },
        journal_dir: None,
        build: "exam-client 0.3.0".into(),
        build_digest: BuildDigest::of_bytes(binary),
        connect_timeout: Duration::from_secs(3),
    };
    spawn(config).unwrap().0
}

/// Waits (at most 20 s) for the first admission or refusal.
async fn outcome(handle: &mut DriverHandle) -> ClientEvent {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let event = tokio::time::timeout_at(deadline, handle.events.recv()).await.expect("an outcome").unwrap();
        if let DriverEvent::Session(event @ (ClientEvent::Admitted(_) | ClientEvent::Refused(_))) = event {
            return event;
        }
    }
}

async fn stop(handle: DriverHandle) {
    handle.commands.send(Command::Shutdown).await.unwrap();
}

/// The integrity incidents stored, once the server has stopped.
fn integrity_incidents(day: &ExamDay) -> Vec<IncidentRecord> {
    let reader = phongthi_store::Reader::open_in(day.data.path()).unwrap();
    reader.incidents(Some("IntegrityMismatch")).unwrap()
}

struct RawClient {
    _connection: quinn::Connection,
    send: FramedSend,
    recv: FramedRecv,
}

impl RawClient {
    async fn connect(lab: &LabConfig) -> RawClient {
        let connection = phongthi_net::connect(lab.address, lab.fingerprint, Duration::from_secs(3)).await.unwrap();
        let (send, recv) = connection.open_bi().await.unwrap();
        RawClient { _connection: connection, send: FramedSend::new(send), recv: FramedRecv::new(recv) }
    }

    async fn send(&mut self, msg: &ClientMsg) {
        self.send.send(&phongthi_protocol::encode(msg).unwrap()).await.unwrap();
    }

    async fn next(&mut self) -> ServerMsg {
        let frame = tokio::time::timeout(Duration::from_secs(10), self.recv.recv()).await.unwrap().unwrap().unwrap();
        phongthi_protocol::decode(&frame).unwrap()
    }

    async fn greet(&mut self) -> IntegrityChallenge {
        self.send(&ClientMsg::Hello { build: "recorder".into() }).await;
        match self.next().await {
            ServerMsg::Welcome { challenge, .. } => IntegrityChallenge::from_bytes(challenge),
            other => panic!("expected a welcome, got {other:?}"),
        }
    }
}

fn login(room_code: &str, student: &str, key: &SigningKey, answer: [u8; 32]) -> ClientMsg {
    ClientMsg::Login {
        student_id: student.into(),
        room_code: room_code.into(),
        pin: None,
        session_key: *key.public_key().as_bytes(),
        integrity: answer,
        seat_proof: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_mode_admits_the_listed_build_and_refuses_a_changed_one() {
    let dir = tempfile::tempdir().unwrap();
    let day = day_allowing_the_genuine_build(dir.path()).await;
    let serving = serving(&day, true).await;
    assert!(serving.integrity.strict);
    assert_eq!(serving.integrity.allowed.len(), 1, "the stored build is read at start");
    assert!(!serving.lab.to_toml().contains(&BuildDigest::of_bytes(GENUINE).to_hex()), "lab.toml carries no value");

    let mut genuine = student(&serving, "0123456789", GENUINE);
    let admitted = outcome(&mut genuine).await;
    assert!(matches!(admitted, ClientEvent::Admitted(_)), "{admitted:?}");

    let mut patched = student(&serving, "0123456790", &changed());
    let refused = outcome(&mut patched).await;
    assert_eq!(refused, ClientEvent::Refused(Refusal::IntegrityMismatch));
    stop(patched).await;
    stop(genuine).await;
    serving.shutdown().await;

    let incidents = integrity_incidents(&day);
    assert!(!incidents.is_empty());
    for incident in &incidents {
        assert_eq!(incident.incident.student_id.as_deref(), Some("0123456790"), "{incidents:?}");
        assert!(incident.incident.detail.contains("login refused (strict mode)"), "{}", incident.incident.detail);
        assert!(incident.incident.detail.contains("exam-client 0.3.0"), "{}", incident.incident.detail);
    }
    let reader = phongthi_store::Reader::open_in(day.data.path()).unwrap();
    assert!(reader.session_of_student(&day.exam_id, "0123456790").unwrap().is_none(), "no session for it");
    assert!(reader.session_of_student(&day.exam_id, "0123456789").unwrap().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_answer_replayed_on_another_connection_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let day = day_allowing_the_genuine_build(dir.path()).await;
    let serving = serving(&day, true).await;
    let genuine = BuildDigest::of_bytes(GENUINE);
    let key = SigningKey::generate().unwrap();
    let student = "0123456791";

    // The genuine build's login, recorded by something sitting in the client.
    let mut first = RawClient::connect(&serving.lab).await;
    let challenge = first.greet().await;
    let recorded = *genuine.answer(&challenge, &key.public_key(), student).as_bytes();
    first.send(&login(&serving.room_code, student, &key, recorded)).await;
    assert!(matches!(first.next().await, ServerMsg::Admitted(_)));

    // Another program repeats that login, key and answer, on a connection of its own.
    let mut second = RawClient::connect(&serving.lab).await;
    let fresh = second.greet().await;
    assert_ne!(fresh, challenge, "every greeting gets a new challenge");
    second.send(&login(&serving.room_code, student, &key, recorded)).await;
    assert_eq!(second.next().await, ServerMsg::Refused(Refusal::IntegrityMismatch));
    serving.shutdown().await;

    let incidents = integrity_incidents(&day);
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(incidents[0].incident.student_id.as_deref(), Some(student));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warn_mode_admits_a_changed_build_with_an_incident_on_its_seat() {
    let dir = tempfile::tempdir().unwrap();
    let day = day_allowing_the_genuine_build(dir.path()).await;
    // A build allowed for this run only, besides the stored one.
    let extra = AllowedBuild { digest: BuildDigest::of_bytes(b"the 0.3.1 test build"), name: "0.3.1".into() };
    let options =
        ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), extra_builds: vec![extra], ..ServeOptions::default() };
    let serving = serve(day.data.clone(), None, options).await.unwrap();
    assert_eq!(serving.integrity.allowed.len(), 2);

    let mut patched = student(&serving, "0123456792", &changed());
    assert!(matches!(outcome(&mut patched).await, ClientEvent::Admitted(_)));
    let mut extra = student(&serving, "0123456793", b"the 0.3.1 test build");
    assert!(matches!(outcome(&mut extra).await, ClientEvent::Admitted(_)));
    stop(patched).await;
    stop(extra).await;
    serving.shutdown().await;

    let incidents = integrity_incidents(&day);
    assert_eq!(incidents.len(), 1, "only the changed build: {incidents:?}");
    let incident = &incidents[0].incident;
    assert_eq!(incident.student_id.as_deref(), Some("0123456792"));
    assert!(incident.detail.contains("admitted (warn mode)"), "{}", incident.detail);
    let reader = phongthi_store::Reader::open_in(day.data.path()).unwrap();
    let actions: Vec<String> = reader.audit_entries().unwrap().into_iter().map(|e| e.entry.action).collect();
    assert!(actions.iter().any(|a| a == "serve.integrity"), "the run's list is audited: {actions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_mode_with_no_allowed_build_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER_CSV).await.unwrap();
    let options =
        ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), strict_integrity: true, ..ServeOptions::default() };
    let error = serve(day.data.clone(), None, options).await.err().expect("refused");
    assert!(matches!(error, ServeError::StrictWithoutBuilds), "{error}");
    assert!(error.to_string().contains("proctor allow-build"), "{error}");
}
