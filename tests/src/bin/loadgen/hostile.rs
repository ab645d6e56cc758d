//! Hostile clients for the `hostile` drill: while the honest students answer, each attacker
//! loops over garbage frames, a 4 GiB length prefix, another protocol version, room-code
//! guessing, and events forged for another session or signed with the wrong key (logged in as a
//! roster student no honest client uses). Every attack must be refused; the honest students'
//! answers must all still arrive.

use phongthi_crypto::{ChainWriter, Digest, SessionId, SigningKey};
use phongthi_net::{FramedRecv, FramedSend, LabConfig};
use phongthi_protocol::{Answer, ClientMsg, Refusal, ServerMsg};
use std::time::Duration;
use tokio::sync::watch;

/// What the attackers did and what came back.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tally {
    /// Attacks made.
    pub(crate) attacks: u64,
    /// Attacks refused (a refusal message, or the connection closed on us).
    pub(crate) refused: u64,
}

/// One attacker: loops until `stop` turns true. `spare_student` is a roster id only it uses.
pub(crate) async fn attacker(
    lab: LabConfig,
    room_code: String,
    spare_student: String,
    mut stop: watch::Receiver<bool>,
) -> Tally {
    let mut tally = Tally::default();
    let key = match SigningKey::generate() {
        Ok(key) => key,
        Err(_) => return tally,
    };
    let mut round = 0u64;
    while !*stop.borrow() {
        let refused = match round % 5 {
            0 => garbage(&lab).await,
            1 => oversized(&lab).await,
            2 => wrong_version(&lab).await,
            3 => guess_room_code(&lab, &spare_student).await,
            _ => forged_events(&lab, &room_code, &spare_student, &key).await,
        };
        tally.attacks += 1;
        tally.refused += u64::from(refused);
        round += 1;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(200)) => {}
            _ = stop.changed() => {}
        }
    }
    tally
}

async fn open(lab: &LabConfig) -> Option<(quinn::Connection, FramedSend, FramedRecv)> {
    let connection = phongthi_net::connect(lab.address, lab.fingerprint, Duration::from_secs(10)).await.ok()?;
    let (send, recv) = connection.open_bi().await.ok()?;
    Some((connection, FramedSend::new(send), FramedRecv::new(recv)))
}

fn encode(msg: &ClientMsg) -> Vec<u8> {
    phongthi_protocol::encode(msg).unwrap_or_default()
}

/// Reads until the proctor closes the stream or `limit` passes: the messages, and whether it
/// closed.
async fn drain(recv: &mut FramedRecv, limit: Duration) -> (Vec<ServerMsg>, bool) {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, recv.recv()).await {
            Ok(Ok(Some(frame))) => {
                if let Ok(msg) = phongthi_protocol::decode::<ServerMsg>(&frame) {
                    got.push(msg);
                }
            }
            Ok(_) => return (got, true),
            Err(_) => return (got, false),
        }
    }
}

async fn garbage(lab: &LabConfig) -> bool {
    let Some((_c, mut send, mut recv)) = open(lab).await else { return false };
    let _ = send.send(b"\xff\x00 kh\xc3\xb4ng ph\xe1\xba\xa3i tin nh\xe1\xba\xafn").await;
    let (got, closed) = drain(&mut recv, Duration::from_secs(5)).await;
    closed && got.iter().all(|m| matches!(m, ServerMsg::Refused(_)))
}

async fn oversized(lab: &LabConfig) -> bool {
    let Some((_c, send, mut recv)) = open(lab).await else { return false };
    let mut raw = send.into_inner();
    let _ = raw.write_all(&u32::MAX.to_be_bytes()).await;
    let (got, closed) = drain(&mut recv, Duration::from_secs(5)).await;
    closed && got.is_empty()
}

async fn wrong_version(lab: &LabConfig) -> bool {
    let Some((_c, mut send, mut recv)) = open(lab).await else { return false };
    let mut bytes = encode(&ClientMsg::PackageReady);
    if let Some(version) = bytes.first_mut() {
        *version = 99;
    }
    let _ = send.send(&bytes).await;
    let (got, _) = drain(&mut recv, Duration::from_secs(5)).await;
    got.iter().any(|m| matches!(m, ServerMsg::Refused(Refusal::ProtocolVersion { .. })))
}

async fn guess_room_code(lab: &LabConfig, student: &str) -> bool {
    let Some((_c, mut send, mut recv)) = open(lab).await else { return false };
    let _ = send.send(&encode(&ClientMsg::Hello { build: "x".into() })).await;
    for guess in ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF"] {
        let login = ClientMsg::Login {
            student_id: student.into(),
            room_code: guess.into(),
            pin: None,
            session_key: [7; 32],
            integrity: [0; 32],
            seat_proof: None,
        };
        let _ = send.send(&encode(&login)).await;
    }
    let (got, _) = drain(&mut recv, Duration::from_secs(5)).await;
    got.iter().any(|m| matches!(m, ServerMsg::Refused(Refusal::TooManyAttempts)))
}

/// Logged in as the spare student: an event for a made-up session, then one for its own
/// session signed by a key the proctor never saw. Both must be refused.
async fn forged_events(lab: &LabConfig, room_code: &str, student: &str, key: &SigningKey) -> bool {
    let Some((_c, mut send, mut recv)) = open(lab).await else { return false };
    let _ = send.send(&encode(&ClientMsg::Hello { build: "x".into() })).await;
    let login = ClientMsg::Login {
        student_id: student.into(),
        room_code: room_code.into(),
        pin: None,
        session_key: *key.public_key().as_bytes(),
        integrity: [0; 32],
        seat_proof: None,
    };
    let _ = send.send(&encode(&login)).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let admission = loop {
        match tokio::time::timeout_at(deadline, recv.recv()).await {
            Ok(Ok(Some(frame))) => {
                if let Ok(ServerMsg::Admitted(admission)) = phongthi_protocol::decode::<ServerMsg>(&frame) {
                    break admission;
                }
            }
            _ => return false,
        }
    };
    let Ok(stranger) = SessionId::generate() else { return false };
    let Ok(other_key) = SigningKey::generate() else { return false };
    let own = SessionId::from_bytes(admission.session_id);
    let mut for_stranger = ChainWriter::new(stranger);
    let mut wrong_key = ChainWriter::resume(own, admission.next_seq, Digest::from_bytes(admission.chain_head));
    let response = Answer::Choices(vec![3]).encode();
    let (Ok(a), Ok(b)) = (for_stranger.next(key, 1, response.clone(), 0), wrong_key.next(&other_key, 1, response, 0))
    else {
        return false;
    };
    for event in [a, b] {
        let _ = send.send(&encode(&ClientMsg::Event(event.encode()))).await;
    }
    let (got, _) = drain(&mut recv, Duration::from_secs(3)).await;
    got.iter().filter(|m| matches!(m, ServerMsg::EventRefused { .. })).count() == 2
}
