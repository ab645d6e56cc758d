//! The proctor's side of the protocol for one exam room: admission, distribution, the clock,
//! autosave, submission and the proctor's commands, as a sans-IO state machine.
//!
//! Inputs: `handle_message(now, conn, msg)`, `handle_disconnected`, `handle_timeout(now)`, the
//! proctor's commands (`start`, `pause`, …) and the reports of effects done (`handle_*_stored`,
//! `handle_submitted`). Outputs: `poll_transmit()` (messages to connections), `poll_effect()`
//! (work for the proctor) and `poll_timeout()` (when to call `handle_timeout`).
//!
//! This file holds the room's state (the public config, roster and form types, and the private
//! `Session`/`Seat`/`Conn` records), construction and restore after a restart, the output queues
//! and the dispatch of client messages. Each concern the dispatch leads to has its own file, one
//! `impl Room` block each, so a change to one of them is reviewed on its own: `admission`
//! (greeting, login, sessions, admission), `moves` (seat moves), `answers` (autosave and durable
//! acks), `submission` (sheets, receipts, collection), `clock` (timeouts and the proctor's clock
//! commands) and `views` (what the dashboard reads). The state stays private to this module;
//! child modules see it because Rust lets a module's descendants see its private items.

mod admission;
mod answers;
mod clock;
mod moves;
mod submission;
mod views;

pub use admission::pin_hash;
pub use submission::encode_answers;
pub use views::SeatView;

use super::effects::{ConnId, Effect, FinalizeReason, Incident};
use crate::answer::Answer;
use crate::clock::{ClockError, ClockState, ExamClock};
use crate::messages::{ClientMsg, ServerMsg, WireSecret};
use crate::time::ServerTime;
use crate::typing::InputMethod;
use phongthi_crypto::{
    BuildDigest, ChainVerifier, Digest, ExamId, IntegrityAnswer, IntegrityChallenge, PublicKey, SessionId,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

/// A client build the proctor accepts: its value (SHA-256 of the executable) and the name the
/// proctor gave it (`Phòng Thi 0.3 Windows`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedBuild {
    /// SHA-256 of the executable.
    pub digest: BuildDigest,
    /// The proctor's name for it.
    pub name: String,
}

/// How strictly the client build is checked at login.
#[derive(Clone, Debug, Default)]
pub struct IntegrityPolicy {
    /// Refuse unknown builds (otherwise admit them and record an incident for the seat).
    pub strict: bool,
    /// Accepted builds. Empty: nothing to compare with, so no check (the server refuses to start
    /// in strict mode with an empty list rather than pretend to check).
    pub allowed: Vec<AllowedBuild>,
}

/// Fixed facts of the room.
#[derive(Clone, Debug)]
pub struct RoomConfig {
    /// The exam.
    pub exam: ExamId,
    /// Title shown to students.
    pub exam_title: String,
    /// Rules shown in the waiting room.
    pub rules: String,
    /// The input method students type with until they choose one (sent in every admission).
    pub typing: InputMethod,
    /// Exam duration.
    pub duration: Duration,
    /// Grace period for in-flight answers after a deadline.
    pub grace: Duration,
    /// How long after a student's deadline (and grace) the room waits for a PC that was offline
    /// at the deadline to come back with its journal; its answers made before the deadline are
    /// accepted until then (`ARCHITECTURE.md`, "answers after an outage").
    pub late_window: Duration,
    /// The room code students type.
    pub room_code: String,
    /// Client build check.
    pub integrity: IntegrityPolicy,
    /// Failed logins allowed on one connection before it is closed.
    pub max_login_failures: u32,
}

/// One student of the roster, with the form assigned to them.
#[derive(Clone, Debug)]
pub struct RosterEntry {
    /// Mã định danh.
    pub student_id: String,
    /// Họ và tên.
    pub full_name: String,
    /// Lớp.
    pub class: String,
    /// Seat label.
    pub seat: Option<String>,
    /// Hash of the PIN ([`pin_hash`]), if the roster has one; compared in constant time.
    pub pin_hash: Option<[u8; 32]>,
    /// Index of the form this student sits.
    pub form_index: u32,
}

/// One form, ready to hand out.
#[derive(Clone, Debug)]
pub struct FormRelease {
    /// Printed code (`101`).
    pub code: String,
    /// The sealed package.
    pub package: Arc<Vec<u8>>,
    /// Its key, released at Start.
    pub key: WireSecret,
    /// Number of questions (answers must name 1..=this).
    pub question_count: u32,
}

/// A stored session, for rebuilding the room after a restart.
#[derive(Clone, Debug)]
pub struct SessionRestore {
    /// The session.
    pub session: SessionId,
    /// Every key registered for it.
    pub keys: Vec<PublicKey>,
    /// Journal secret.
    pub journal_secret: [u8; 32],
    /// Hashes of the stored events in seq order.
    pub hashes: Vec<Digest>,
    /// Final answers from the stored events.
    pub answers: Vec<(u32, Answer)>,
    /// Extra time given to this student.
    pub extension: Duration,
    /// Receipt and code, if submitted.
    pub receipt: Option<(Vec<u8>, String)>,
}

/// A refused proctor command.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The clock refused it.
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// No such student.
    #[error("không có học sinh {0} / no student {0}")]
    UnknownStudent(String),
    /// No seat move is waiting for this student.
    #[error("học sinh {0} không có yêu cầu đổi máy / no seat move pending for {0}")]
    NoPendingMove(String),
    /// The student has not logged in.
    #[error("học sinh {0} chưa vào phòng thi / {0} has not logged in")]
    NotLoggedIn(String),
    /// Already submitted.
    #[error("học sinh {0} đã nộp bài / {0} has already submitted")]
    AlreadySubmitted(String),
}

struct Session {
    id: SessionId,
    journal_secret: [u8; 32],
    verifier: ChainVerifier,
    keys: Vec<PublicKey>,
    stored: bool,
    stored_seq: u64,
    pending: BTreeMap<u64, (u32, Answer)>,
    /// Pending events the store reported durable before an earlier one: each store call
    /// completes on its own task, so reports can arrive out of chain order. They are applied
    /// (and acknowledged) only once every earlier event is durable too.
    landed: BTreeSet<u64>,
    answers: BTreeMap<u32, Answer>,
    extension: Duration,
    registering: Option<(ConnId, PublicKey)>,
    submit_now_sent: bool,
    pending_submit: Option<(ConnId, Vec<u8>)>,
    finish: Option<FinalizeReason>,
    finishing: bool,
    receipt: Option<(Vec<u8>, String)>,
    last_save: Option<ServerTime>,
    /// The PC was away when the student's time ran out: the room waits for it (and its
    /// journal) until the late window closes instead of collecting at once.
    away_at_deadline: bool,
    /// Events made before the deadline that arrived after it and were accepted.
    late_events: u64,
}

impl Session {
    fn final_answers(&self) -> Vec<(u32, Answer)> {
        self.answers.iter().map(|(n, a)| (*n, a.clone())).collect()
    }
}

struct Seat {
    roster: RosterEntry,
    session: Option<Session>,
    conn: Option<ConnId>,
    pending_move: Option<(ConnId, PublicKey)>,
    package_ready: bool,
    /// Window state from the latest heartbeat: (focused, fullscreen, when).
    window: Option<(bool, bool, ServerTime)>,
    /// When its connection last sent anything (for telling a silent, cut-off PC from a live one).
    last_heard: Option<ServerTime>,
    /// An unknown build was already reported for this seat (warn mode): a flapping network
    /// reconnects often, and one incident per seat says all there is to say.
    unknown_build_reported: bool,
}

#[derive(Default)]
struct Conn {
    greeted: bool,
    /// The challenge of the latest greeting, until a login uses it up.
    challenge: Option<IntegrityChallenge>,
    /// The build the client named in its greeting (shortened), for incidents.
    build: String,
    student: Option<String>,
    failures: u32,
}

/// The proctor's state machine for one exam room.
pub struct Room {
    config: RoomConfig,
    clock: ExamClock,
    forms: Vec<FormRelease>,
    seats: HashMap<String, Seat>,
    order: Vec<String>,
    /// Whether any roster entry has a PIN, told to every client in `Welcome`: fixed with the
    /// roster, and a scan of 10,000 seats per greeting made the login storm quadratic.
    pin_required: bool,
    conns: HashMap<ConnId, Conn>,
    transmit: VecDeque<(ConnId, ServerMsg)>,
    effects: VecDeque<Effect>,
    /// The `now` of the latest input: reports of finished effects carry no time of their own.
    now: ServerTime,
}

fn normalize_id(text: &str) -> String {
    text.trim().to_owned()
}

impl Room {
    /// A room with its roster (in display order) and forms.
    pub fn new(config: RoomConfig, roster: Vec<RosterEntry>, forms: Vec<FormRelease>) -> Self {
        let clock = ExamClock::new(config.duration, config.grace);
        let order = roster.iter().map(|r| normalize_id(&r.student_id)).collect();
        let pin_required = roster.iter().any(|r| r.pin_hash.is_some());
        let seats = roster
            .into_iter()
            .map(|r| {
                (
                    normalize_id(&r.student_id),
                    Seat {
                        roster: r,
                        session: None,
                        conn: None,
                        pending_move: None,
                        package_ready: false,
                        window: None,
                        last_heard: None,
                        unknown_build_reported: false,
                    },
                )
            })
            .collect();
        Self {
            config,
            clock,
            forms,
            seats,
            order,
            pin_required,
            conns: HashMap::new(),
            transmit: VecDeque::new(),
            effects: VecDeque::new(),
            now: ServerTime::default(),
        }
    }

    /// Restores the clock after a restart.
    pub fn restore_clock(&mut self, clock: ExamClock) {
        self.clock = clock;
    }

    /// Restores a stored session after a restart.
    pub fn restore_session(&mut self, student: &str, restore: SessionRestore) -> Result<(), CommandError> {
        let seat = self.seats.get_mut(student).ok_or_else(|| CommandError::UnknownStudent(student.to_owned()))?;
        let first = restore.keys.first().copied().ok_or_else(|| CommandError::NotLoggedIn(student.to_owned()))?;
        let mut verifier = ChainVerifier::resume(restore.session, first, restore.hashes);
        for key in &restore.keys {
            verifier.add_key(*key);
        }
        let stored_seq = verifier.next_seq();
        seat.session = Some(Session {
            id: restore.session,
            journal_secret: restore.journal_secret,
            verifier,
            keys: restore.keys,
            stored: true,
            stored_seq,
            pending: BTreeMap::new(),
            landed: BTreeSet::new(),
            answers: restore.answers.into_iter().collect(),
            extension: restore.extension,
            registering: None,
            submit_now_sent: false,
            pending_submit: None,
            finish: None,
            finishing: false,
            receipt: restore.receipt,
            last_save: None,
            away_at_deadline: false,
            late_events: 0,
        });
        Ok(())
    }

    /// The clock, for the dashboard and for persisting.
    pub fn clock(&self) -> &ExamClock {
        &self.clock
    }

    /// The next message to send.
    pub fn poll_transmit(&mut self) -> Option<(ConnId, ServerMsg)> {
        self.transmit.pop_front()
    }

    /// The next piece of work for the proctor.
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    fn send(&mut self, conn: ConnId, msg: ServerMsg) {
        self.transmit.push_back((conn, msg));
    }

    /// Whether the student's PC is away at `now`: no connection, or one that has sent nothing for
    /// two heartbeats and more (a pulled cable is not noticed by QUIC for its idle timeout, and
    /// a deadline or an End in that time must not collect a sheet whose journal is still out).
    fn is_away(seat: &Seat, now: ServerTime) -> bool {
        const SILENT: Duration = Duration::from_secs(12);
        seat.conn.is_none() || seat.last_heard.is_some_and(|heard| now.saturating_since(heard) > SILENT)
    }

    /// Whether `session`'s late window is still open at `now`: its PC was away at the deadline
    /// and the deadline, grace and late window have not all passed.
    fn late_window_open(&self, now: ServerTime, session: &Session) -> bool {
        session.away_at_deadline
            && self
                .clock
                .deadline(now, session.extension)
                .is_some_and(|deadline| now <= deadline + self.clock.grace() + self.config.late_window)
    }

    fn incident(&mut self, now: ServerTime, student: Option<&str>, incident: Incident) {
        self.effects.push_back(Effect::Incident { at: now, student: student.map(str::to_owned), incident });
    }

    fn audit(&mut self, now: ServerTime, action: &str, detail: String) {
        self.effects.push_back(Effect::Audit { at: now, action: action.to_owned(), detail });
    }

    /// A new connection.
    pub fn handle_connected(&mut self, conn: ConnId) {
        self.conns.insert(conn, Conn::default());
    }

    /// A connection went away.
    pub fn handle_disconnected(&mut self, now: ServerTime, conn: ConnId) {
        self.now = now;
        let Some(state) = self.conns.remove(&conn) else { return };
        let Some(student) = state.student else { return };
        let exam_open = matches!(self.clock.state(), ClockState::Running | ClockState::Paused);
        let Some(seat) = self.seats.get_mut(&student) else { return };
        if seat.pending_move.as_ref().is_some_and(|(c, _)| *c == conn) {
            seat.pending_move = None;
        }
        if seat.conn == Some(conn) {
            seat.conn = None;
            let submitted = seat.session.as_ref().is_some_and(|s| s.receipt.is_some());
            if exam_open && !submitted {
                self.incident(now, Some(&student), Incident::Disconnected);
            }
        }
    }

    /// A message from a connection.
    pub fn handle_message(&mut self, now: ServerTime, conn: ConnId, msg: ClientMsg) {
        self.now = now;
        self.conns.entry(conn).or_default();
        if let Some(seat) = self.bound_seat_mut(conn) {
            seat.last_heard = Some(now);
        }
        match msg {
            ClientMsg::Hello { build } => self.on_hello(now, conn, build),
            ClientMsg::Login { student_id, room_code, pin, session_key, integrity, seat_proof } => self.on_login(
                now,
                conn,
                &admission::LoginAttempt {
                    student_id: &student_id,
                    room_code: &room_code,
                    pin: pin.as_deref(),
                    key: PublicKey::from_bytes(session_key),
                    integrity: IntegrityAnswer::from_bytes(integrity),
                    seat_proof: seat_proof.as_deref(),
                },
            ),
            ClientMsg::PackageReady => {
                if let Some(seat) = self.bound_seat_mut(conn) {
                    seat.package_ready = true;
                }
            }
            ClientMsg::Event(bytes) => self.on_event(now, conn, &bytes),
            ClientMsg::Heartbeat { client_ms, focused, fullscreen } => {
                if let Some(seat) = self.bound_seat_mut(conn) {
                    seat.window = Some((focused, fullscreen, now));
                }
                self.send(conn, ServerMsg::HeartbeatAck { client_ms, server_time: now });
            }
            ClientMsg::Incident { kind, duration_ms, detail } => {
                let student = self.conns.get(&conn).and_then(|c| c.student.clone());
                let duration = Duration::from_millis(duration_ms);
                self.incident(now, student.as_deref(), Incident::Client { kind, duration, detail });
            }
            ClientMsg::Submit(bytes) => self.on_submit(now, conn, bytes),
        }
    }

    fn bound_student(&self, conn: ConnId) -> Option<String> {
        let student = self.conns.get(&conn)?.student.clone()?;
        let seat = self.seats.get(&student)?;
        (seat.conn == Some(conn) && seat.session.as_ref().is_some_and(|s| s.stored)).then_some(student)
    }

    fn bound_seat_mut(&mut self, conn: ConnId) -> Option<&mut Seat> {
        let student = self.bound_student(conn)?;
        self.seats.get_mut(&student)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
