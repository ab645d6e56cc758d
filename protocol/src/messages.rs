//! The messages of the control stream, in both directions.
//!
//! Bodies are postcard (a stable, compact serde format). Every message is wrapped in an
//! [`Envelope`] that starts with the protocol version, so a peer of another version gets a clear
//! refusal instead of a misread message. Secrets on the wire (form keys, the journal secret)
//! travel as [`WireSecret`], whose `Debug` is redacted so logging a message never leaks them.

use crate::answer::Answer;
use crate::time::ServerTime;
use crate::typing::InputMethod;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The protocol version this build speaks. Postcard has no optional fields (a message with a field
/// more or less does not decode), so any change to a message's shape takes a new number, and a
/// client and proctor of different numbers refuse each other clearly instead of misreading.
///
/// - 1: the first protocol.
/// - 2: [`Admission::typing`], the room's default input method; `Login::seat_proof`, the
///   journal's seat record of a client restarted on the same PC; the client-integrity check
///   became a challenge (`Welcome::challenge`) and an answer at login (`Login::integrity`),
///   instead of a fixed value in `Hello` that a recorded copy could repeat.
pub const PROTOCOL_VERSION: u16 = 2;

/// A decoding or version problem with a received frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The peer speaks another protocol version.
    #[error(
        "phiên bản giao thức {found} không được hỗ trợ (cần {supported}) / protocol version {found} unsupported (need {supported})"
    )]
    Version {
        /// The peer's version.
        found: u16,
        /// Ours.
        supported: u16,
    },
    /// Not a valid message.
    #[error("tin nhắn sai cấu trúc / malformed message: {0}")]
    Malformed(String),
    /// A value could not be encoded.
    #[error("không mã hóa được tin nhắn / cannot encode message: {0}")]
    Encoding(String),
}

/// 32 secret bytes on the wire (a form key, a journal secret). `Debug` prints nothing of them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireSecret(pub [u8; 32]);

impl std::fmt::Debug for WireSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WireSecret(…)")
    }
}

/// What a client reports about its window and machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IncidentKind {
    /// The exam window lost focus (another program came to the front).
    FocusLost,
    /// Full screen was left.
    FullscreenExit,
    /// A clipboard shortcut or paste was attempted.
    ClipboardAttempt,
    /// More than one monitor is connected.
    MultipleMonitors,
    /// The machine looks like a virtual machine (a hint, never a verdict).
    VirtualMachineHint,
    /// The client closed unexpectedly last time (found at restart).
    ClientRestarted,
}

/// Messages from the exam client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientMsg {
    /// First message: who is calling.
    Hello {
        /// The client build as it names itself (`exam-client 0.3.0`): shown in incidents, never
        /// trusted (the integrity answer at login is what is checked).
        build: String,
    },
    /// A student logs in.
    Login {
        /// Mã định danh.
        student_id: String,
        /// The room code shown by the proctor.
        room_code: String,
        /// PIN, if the roster has one.
        pin: Option<String>,
        /// Public key of the session key pair the client just generated.
        session_key: [u8; 32],
        /// The seat record of this student's journal on this PC, if there is one
        /// (`phongthi_crypto::journal::seat_proof`): a client restarted on the same PC rejoins
        /// with it without a seat-move approval.
        seat_proof: Option<Vec<u8>>,
        /// The answer to this greeting's `Welcome::challenge`
        /// (`phongthi_crypto::BuildDigest::answer`): HMAC keyed by the client's build value over
        /// the challenge, `session_key` and `student_id`.
        integrity: [u8; 32],
    },
    /// The sealed package arrived and verified.
    PackageReady,
    /// One signed answer event (`phongthi_crypto::SignedEvent` encoding).
    Event(Vec<u8>),
    /// Still here; window state; measures the clock offset.
    Heartbeat {
        /// Client monotonic ms when sent.
        client_ms: u64,
        /// Whether the exam window has focus.
        focused: bool,
        /// Whether it is full screen.
        fullscreen: bool,
    },
    /// Something the proctor should see.
    Incident {
        /// What.
        kind: IncidentKind,
        /// How long, for focus loss and fullscreen exit.
        duration_ms: u64,
        /// Free detail.
        detail: String,
    },
    /// The signed answer sheet (`phongthi_crypto::AnswerSheet` signed bytes).
    Submit(Vec<u8>),
}

/// Why the proctor refused a login or a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The client speaks another protocol version.
    ProtocolVersion {
        /// The proctor's version.
        supported: u16,
    },
    /// No such student on the roster.
    UnknownStudent,
    /// Wrong room code.
    WrongRoomCode,
    /// The roster has a PIN and it was missing or wrong.
    WrongPin,
    /// Already seated elsewhere: the proctor must approve a seat move.
    AlreadySeated,
    /// The exam is over or not open.
    ExamClosed,
    /// The client's integrity answer matched no allowed build (strict mode).
    IntegrityMismatch,
    /// Too many failed attempts from this connection.
    TooManyAttempts,
    /// The message needs a login first.
    NotLoggedIn,
}

/// Where a student's session stands, sent at login and reconnect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Waiting for Start.
    Waiting,
    /// Answering until `deadline`.
    Running {
        /// The form key (the package may already be on the PC).
        form_key: WireSecret,
        /// The student's deadline.
        deadline: ServerTime,
    },
    /// Paused with `remaining_ms` left.
    Paused {
        /// The form key.
        form_key: WireSecret,
        /// Time left, frozen.
        remaining_ms: u64,
    },
    /// Already submitted.
    Submitted {
        /// The receipt bytes.
        receipt: Vec<u8>,
        /// Its short code.
        code: String,
    },
}

/// What a student gets on admission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Admission {
    /// The session (the same across reconnects and seat moves).
    pub session_id: [u8; 16],
    /// Full name (Họ và tên).
    pub full_name: String,
    /// Class (Lớp).
    pub class: String,
    /// Seat label, if the room has a layout.
    pub seat: Option<String>,
    /// Form code (mã đề) as printed, e.g. `102`.
    pub form_code: String,
    /// Exam title.
    pub exam_title: String,
    /// Rules shown in the waiting room.
    pub rules: String,
    /// The room's default input method (`proctor serve --typing`), used until the student picks
    /// one on the exam screen.
    pub typing: InputMethod,
    /// Exam duration in minutes (before extensions).
    pub duration_minutes: u32,
    /// Secret for the local journal.
    pub journal_secret: WireSecret,
    /// Answer events already stored, so a resumed client continues the chain.
    pub next_seq: u64,
    /// Hash of the last stored event.
    pub chain_head: [u8; 32],
    /// The stored answers by question number, to restore the screen on another PC.
    pub answers: Vec<(u32, Answer)>,
    /// The phase now.
    pub phase: Phase,
}

/// Messages from the proctor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerMsg {
    /// Reply to `Hello`.
    Welcome {
        /// Proctor clock now.
        server_time: ServerTime,
        /// Exam title for the login screen.
        exam_title: String,
        /// Whether logins need a PIN.
        pin_required: bool,
        /// Fresh random bytes for the integrity answer of the next login on this connection
        /// (each greeting gets new ones; a login uses them up).
        challenge: [u8; 32],
    },
    /// A refusal.
    Refused(Refusal),
    /// Logged in.
    Admitted(Box<Admission>),
    /// Logged in elsewhere already; waiting for the proctor to approve the move.
    SeatMovePending,
    /// The sealed package of the student's form.
    Package(Vec<u8>),
    /// Start: the form key and the deadline.
    Started {
        /// Key of the student's form.
        form_key: WireSecret,
        /// The student's deadline.
        deadline: ServerTime,
        /// Proctor clock now.
        server_time: ServerTime,
    },
    /// Paused.
    Paused {
        /// Time left, frozen.
        remaining_ms: u64,
    },
    /// The deadline moved (resume, extension).
    Deadline {
        /// The new deadline.
        deadline: ServerTime,
        /// Proctor clock now.
        server_time: ServerTime,
    },
    /// Event `seq` is durable.
    Acked {
        /// Its sequence number.
        seq: u64,
    },
    /// Event `seq` was refused (and will never be acknowledged).
    EventRefused {
        /// Its sequence number.
        seq: u64,
        /// Why, for the log.
        reason: String,
    },
    /// Reply to a heartbeat.
    HeartbeatAck {
        /// The heartbeat's client time, echoed.
        client_ms: u64,
        /// Proctor clock now.
        server_time: ServerTime,
    },
    /// Submit now (time is up or the proctor forced it).
    SubmitNow,
    /// The sheet was refused (it does not match the stored answers, or time is up); the client
    /// keeps its answers and the proctor's log remains what counts.
    SubmitRefused {
        /// Why.
        reason: String,
    },
    /// The sheet is stored: the signed receipt and its short code.
    Receipt {
        /// Receipt bytes.
        receipt: Vec<u8>,
        /// Short code.
        code: String,
    },
    /// The exam was closed by the proctor.
    Ended,
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    version: u16,
    body: T,
}

/// Encodes a message with the version envelope.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, DecodeError> {
    postcard::to_stdvec(&Envelope { version: PROTOCOL_VERSION, body: message })
        .map_err(|e| DecodeError::Encoding(e.to_string()))
}

/// Decodes a message, checking the version first and refusing trailing bytes.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    let (version, rest): (u16, &[u8]) =
        postcard::take_from_bytes(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    if version != PROTOCOL_VERSION {
        return Err(DecodeError::Version { found: version, supported: PROTOCOL_VERSION });
    }
    let (body, rest): (T, &[u8]) =
        postcard::take_from_bytes(rest).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(DecodeError::Malformed(format!("{} byte thừa / trailing bytes", rest.len())));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn samples() -> Vec<ClientMsg> {
        vec![
            ClientMsg::Hello { build: "exam-client 0.1.0".into() },
            ClientMsg::Login {
                student_id: "0123456789".into(),
                room_code: "K7Q2".into(),
                pin: Some("2010".into()),
                session_key: [1; 32],
                seat_proof: Some(vec![7; 40]),
                integrity: [9; 32],
            },
            ClientMsg::Event(vec![1, 2, 3]),
            ClientMsg::Heartbeat { client_ms: 42, focused: false, fullscreen: true },
            ClientMsg::Incident { kind: IncidentKind::FocusLost, duration_ms: 3_500, detail: "Alt+Tab".into() },
            ClientMsg::Submit(vec![0; 10]),
        ]
    }

    #[test]
    fn messages_round_trip() {
        for message in samples() {
            assert_eq!(decode::<ClientMsg>(&encode(&message).unwrap()).unwrap(), message);
        }
        let admitted = ServerMsg::Admitted(Box::new(Admission {
            session_id: [3; 16],
            full_name: "Trần Thị Bích Ngọc".into(),
            class: "10A1".into(),
            seat: Some("B3".into()),
            form_code: "102".into(),
            exam_title: "Kiểm tra giữa kỳ I — Toán 10".into(),
            rules: "Không sử dụng tài liệu.".into(),
            typing: InputMethod::Vni,
            duration_minutes: 45,
            journal_secret: WireSecret([5; 32]),
            next_seq: 2,
            chain_head: [6; 32],
            answers: vec![
                (1, Answer::Choices(vec![1])),
                (7, Answer::Cluster(vec![Some(true), None, Some(false), None])),
            ],
            phase: Phase::Running { form_key: WireSecret([8; 32]), deadline: ServerTime::from_millis(99) },
        }));
        assert_eq!(decode::<ServerMsg>(&encode(&admitted).unwrap()).unwrap(), admitted);
        let welcome = ServerMsg::Welcome {
            server_time: ServerTime::from_millis(7),
            exam_title: "Toán 10".into(),
            pin_required: true,
            challenge: [0x5A; 32],
        };
        assert_eq!(decode::<ServerMsg>(&encode(&welcome).unwrap()).unwrap(), welcome);
    }

    #[test]
    fn secrets_do_not_show_in_debug() {
        let message = ServerMsg::Started {
            form_key: WireSecret([0xAB; 32]),
            deadline: ServerTime::from_millis(1),
            server_time: ServerTime::from_millis(0),
        };
        let printed = format!("{message:?}");
        assert!(!printed.contains("171") && !printed.to_lowercase().contains("ab, ab"), "{printed}");
    }

    #[test]
    fn other_version_is_named_and_trailing_bytes_refused() {
        let mut bytes = encode(&ClientMsg::PackageReady).unwrap();
        bytes[0] = 1; // the version before the integrity challenge
        assert_eq!(decode::<ClientMsg>(&bytes), Err(DecodeError::Version { found: 1, supported: PROTOCOL_VERSION }));
        let mut longer = encode(&ClientMsg::PackageReady).unwrap();
        longer.push(0);
        assert!(matches!(decode::<ClientMsg>(&longer), Err(DecodeError::Malformed(_))));
    }

    #[test]
    fn answers_round_trip() {
        for answer in [
            Answer::Cleared,
            Answer::Choices(vec![0, 2]),
            Answer::TrueFalse(false),
            Answer::Cluster(vec![Some(true), Some(false), None, Some(true)]),
            Answer::Text("-1,5".into()),
            Answer::Matching(vec![Some(2), None]),
        ] {
            assert_eq!(Answer::decode(&answer.encode()).unwrap(), answer);
        }
        assert!(Answer::decode(&Answer::Text("x".repeat(crate::answer::MAX_TEXT_ANSWER + 1)).encode()).is_err());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode::<ClientMsg>(&bytes);
            let _ = decode::<ServerMsg>(&bytes);
            let _ = Answer::decode(&bytes);
            let _ = crate::presented::PresentedForm::decode(&bytes);
        }

        #[test]
        fn mutated_messages_never_panic(index in any::<prop::sample::Index>(), value in any::<u8>(), which in 0usize..6) {
            let mut bytes = encode(&samples()[which]).unwrap();
            let i = index.index(bytes.len());
            bytes[i] = value;
            let _ = decode::<ClientMsg>(&bytes);
        }
    }
}
