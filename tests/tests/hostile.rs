//! Hostile traffic against a real proctor over QUIC: garbage frames, an oversized length prefix,
//! another protocol version, a room-code brute force, and forged events on a logged-in
//! connection. Each is refused (the connection closed where that is the answer), logged as an
//! incident, and nothing already stored changes.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

use phongthi_client::net::{Command, DriverConfig, DriverEvent, Login, spawn};
use phongthi_crypto::{ChainWriter, SessionId, SigningKey};
use phongthi_net::{FramedRecv, FramedSend};
use phongthi_protocol::{Answer, ClientEvent, ClientMsg, Refusal, ServerMsg};
use phongthi_server::{ServeOptions, serve};
use phongthi_store::demo::{ROSTER_CSV, exam_day};
use std::time::Duration;

async fn raw_connection(lab: &phongthi_net::LabConfig) -> (quinn::Connection, FramedSend, FramedRecv) {
    let connection = phongthi_net::connect(lab.address, lab.fingerprint, Duration::from_secs(3)).await.unwrap();
    let (send, recv) = connection.open_bi().await.unwrap();
    (connection, FramedSend::new(send), FramedRecv::new(recv))
}

/// Reads until the server closes (or 5 s pass), returning the messages received.
async fn drain(recv: &mut FramedRecv) -> Vec<ServerMsg> {
    let mut got = Vec::new();
    while let Ok(Ok(Some(frame))) = tokio::time::timeout(Duration::from_secs(5), recv.recv()).await {
        if let Ok(msg) = phongthi_protocol::decode::<ServerMsg>(&frame) {
            got.push(msg);
        }
    }
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_traffic_is_refused_logged_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER_CSV).await.unwrap();
    let serving = serve(
        day.data.clone(),
        None,
        ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), ..ServeOptions::default() },
    )
    .await
    .unwrap();
    let lab = serving.lab.clone();

    // An honest student answers two questions first.
    let (mut honest, _) = spawn(DriverConfig {
        lab: lab.clone(),
        login: Login { student_id: "0123456789".into(), room_code: serving.room_code.clone(), pin: None },
        journal_dir: None,
        build: "honest".into(),
        build_digest: phongthi_client::integrity::BuildDigest::of_bytes(b"honest"),
        connect_timeout: Duration::from_secs(3),
    })
    .unwrap();
    phongthi_server::control::send(day.data.path(), phongthi_server::control::Command::Start).await.unwrap();
    loop {
        if let Some(DriverEvent::Session(ClientEvent::FormReady(_))) = honest.events.recv().await {
            break;
        }
    }
    for n in 1..=2 {
        honest.commands.send(Command::Answer { number: n, answer: Answer::Choices(vec![1]) }).await.unwrap();
    }
    loop {
        if let Some(DriverEvent::Session(ClientEvent::Saved { seq: 1, unacked: 0 })) = honest.events.recv().await {
            break;
        }
    }

    // 1. Garbage in a frame: at most a refusal comes back, then the connection is closed.
    let (_c1, mut send, mut recv) = raw_connection(&lab).await;
    send.send(b"\xff\x00 not a message at all").await.unwrap();
    let got = drain(&mut recv).await;
    assert!(got.iter().all(|m| matches!(m, ServerMsg::Refused(_))), "{got:?}");

    // 2. A 4 GiB length prefix: refused before any allocation, connection closed.
    let (_c2, send2, mut recv2) = raw_connection(&lab).await;
    let mut bi_send = send2.into_inner();
    bi_send.write_all(&u32::MAX.to_be_bytes()).await.unwrap();
    assert!(drain(&mut recv2).await.is_empty());

    // 3. Another protocol version: a clear refusal naming ours.
    let (_c3, mut send, mut recv) = raw_connection(&lab).await;
    let mut bytes = phongthi_protocol::encode(&ClientMsg::PackageReady).unwrap();
    bytes[0] = 99;
    send.send(&bytes).await.unwrap();
    let got = drain(&mut recv).await;
    assert!(
        matches!(
            got.as_slice(),
            [ServerMsg::Refused(Refusal::ProtocolVersion { supported: phongthi_protocol::PROTOCOL_VERSION })]
        ),
        "{got:?}"
    );

    // 4. Guessing room codes: five tries, then the connection is closed.
    let (_c4, mut send, mut recv) = raw_connection(&lab).await;
    let hello = ClientMsg::Hello { build: "x".into() };
    send.send(&phongthi_protocol::encode(&hello).unwrap()).await.unwrap();
    for guess in ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE"] {
        let login = ClientMsg::Login {
            student_id: "0123456790".into(),
            room_code: guess.into(),
            pin: None,
            session_key: [1; 32],
            integrity: [0; 32],
            seat_proof: None,
        };
        send.send(&phongthi_protocol::encode(&login).unwrap()).await.unwrap();
    }
    let got = drain(&mut recv).await;
    assert!(got.iter().any(|m| matches!(m, ServerMsg::Refused(Refusal::TooManyAttempts))), "{got:?}");

    // 5. Logged in as another student, forge events for the honest student's session.
    let (_c5, mut send, mut recv) = raw_connection(&lab).await;
    let key = SigningKey::generate().unwrap();
    send.send(&phongthi_protocol::encode(&hello).unwrap()).await.unwrap();
    let login = ClientMsg::Login {
        student_id: "0123456791".into(),
        room_code: serving.room_code.clone(),
        pin: None,
        session_key: *key.public_key().as_bytes(),
        integrity: [0; 32],
        seat_proof: None,
    };
    send.send(&phongthi_protocol::encode(&login).unwrap()).await.unwrap();
    let mut forged = ChainWriter::new(SessionId::generate().unwrap());
    let event = forged.next(&key, 1, Answer::Choices(vec![3]).encode(), 0).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    send.send(&phongthi_protocol::encode(&ClientMsg::Event(event.encode())).unwrap()).await.unwrap();
    let mut refused = false;
    while let Ok(Ok(Some(frame))) = tokio::time::timeout(Duration::from_secs(3), recv.recv()).await {
        if let Ok(ServerMsg::EventRefused { .. }) = phongthi_protocol::decode::<ServerMsg>(&frame) {
            refused = true;
            break;
        }
    }
    assert!(refused, "a forged event for another session is refused");

    honest.commands.send(Command::Shutdown).await.unwrap();
    serving.shutdown().await;

    let (store, _) = phongthi_store::admin::open_store(&day.data, None).unwrap();
    let reader = store.reader().unwrap();
    let kinds: Vec<String> = reader.incidents(None).unwrap().into_iter().map(|i| i.incident.kind).collect();
    for expected in ["Garbage", "LoginRefused", "EventRefused"] {
        assert!(kinds.iter().any(|k| k == expected), "{expected} logged: {kinds:?}");
    }
    let honest_session = reader.session_of_student(&day.exam_id, "0123456789").unwrap().unwrap();
    assert_eq!(reader.events(&honest_session.id).unwrap().len(), 2, "the honest answers are intact");
    reader.verify_session(&honest_session.id).unwrap();
}
