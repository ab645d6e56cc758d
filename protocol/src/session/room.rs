//! The proctor's side of the protocol for one exam room: admission, distribution, the clock,
//! autosave, submission and the proctor's commands, as a sans-IO state machine.
//!
//! Inputs: `handle_message(now, conn, msg)`, `handle_disconnected`, `handle_timeout(now)`, the
//! proctor's commands (`start`, `pause`, …) and the reports of effects done (`handle_*_stored`,
//! `handle_submitted`). Outputs: `poll_transmit()` (messages to connections), `poll_effect()`
//! (work for the proctor) and `poll_timeout()` (when to call `handle_timeout`).

use super::effects::{ConnId, Effect, FinalizeReason, Incident};
use crate::answer::Answer;
use crate::clock::{ClockError, ClockState, ExamClock};
use crate::messages::{Admission, ClientMsg, Phase, Refusal, ServerMsg, WireSecret};
use crate::time::ServerTime;
use phongthi_crypto::{
    Accepted, AnswerSheet, ChainFault, ChainVerifier, Digest, ExamId, JournalSecret, PublicKey, SessionId, SignedEvent,
    ct_eq,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

/// How strictly the client build is checked.
#[derive(Clone, Debug, Default)]
pub struct IntegrityPolicy {
    /// Refuse unknown builds (otherwise only report them).
    pub strict: bool,
    /// Accepted `SHA-256(executable ‖ lab config)` values; empty = no check.
    pub allowed: Vec<[u8; 32]>,
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
    /// Exam duration.
    pub duration: Duration,
    /// Grace period for in-flight answers after a deadline.
    pub grace: Duration,
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
}

#[derive(Default)]
struct Conn {
    greeted: bool,
    student: Option<String>,
    failures: u32,
}

/// What the dashboard shows for one seat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatView {
    /// Student id.
    pub student_id: String,
    /// Name.
    pub full_name: String,
    /// Class.
    pub class: String,
    /// Seat label.
    pub seat: Option<String>,
    /// Form code.
    pub form_code: String,
    /// Logged in at least once.
    pub logged_in: bool,
    /// Connected now.
    pub connected: bool,
    /// Package downloaded and verified.
    pub package_ready: bool,
    /// Questions with a stored answer.
    pub answered: u32,
    /// Questions on the form.
    pub question_count: u32,
    /// Last durable save.
    pub last_save: Option<ServerTime>,
    /// Extra time.
    pub extension: Duration,
    /// A seat move waits for approval.
    pub move_pending: bool,
    /// Submitted (receipt code).
    pub receipt_code: Option<String>,
    /// From the latest heartbeat: the exam window has focus (`None` before any heartbeat).
    pub focused: Option<bool>,
    /// From the latest heartbeat: the window is full screen.
    pub fullscreen: Option<bool>,
    /// When the latest heartbeat arrived.
    pub last_heartbeat: Option<ServerTime>,
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

/// The stored form of a student's PIN: SHA-256 over a domain label, the student id and the PIN,
/// so equal PINs of two students differ and no PIN is kept in the clear. (A 4-digit PIN can be
/// brute-forced from its hash by anyone with the database; the hash keeps PINs out of logs and
/// backups, the file permissions keep the database itself private.)
pub fn pin_hash(student_id: &str, pin: &str) -> [u8; 32] {
    *phongthi_crypto::sha256_parts(&[b"phongthi/pin/v1\0", student_id.trim().as_bytes(), b"\0", pin.trim().as_bytes()])
        .as_bytes()
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
        match msg {
            ClientMsg::Hello { build, integrity } => self.on_hello(now, conn, &build, integrity),
            ClientMsg::Login { student_id, room_code, pin, session_key } => {
                self.on_login(now, conn, &student_id, &room_code, pin.as_deref(), PublicKey::from_bytes(session_key))
            }
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

    fn on_hello(&mut self, now: ServerTime, conn: ConnId, build: &str, integrity: [u8; 32]) {
        let policy = &self.config.integrity;
        let known = policy.allowed.is_empty() || policy.allowed.iter().any(|a| ct_eq(a, &integrity));
        let strict = policy.strict;
        if !known {
            self.incident(now, None, Incident::IntegrityMismatch { build: build.to_owned() });
            if strict {
                self.send(conn, ServerMsg::Refused(Refusal::IntegrityMismatch));
                self.effects.push_back(Effect::Close(conn));
                return;
            }
        }
        if let Some(state) = self.conns.get_mut(&conn) {
            state.greeted = true;
        }
        let pin_required = self.pin_required;
        self.send(
            conn,
            ServerMsg::Welcome { server_time: now, exam_title: self.config.exam_title.clone(), pin_required },
        );
    }

    fn refuse_login(&mut self, now: ServerTime, conn: ConnId, refusal: Refusal, detail: String) {
        self.incident(now, None, Incident::LoginRefused(detail));
        let failures = self.conns.get_mut(&conn).map_or(0, |c| {
            c.failures += 1;
            c.failures
        });
        if failures >= self.config.max_login_failures {
            self.send(conn, ServerMsg::Refused(Refusal::TooManyAttempts));
            self.effects.push_back(Effect::Close(conn));
        } else {
            self.send(conn, ServerMsg::Refused(refusal));
        }
    }

    fn on_login(
        &mut self,
        now: ServerTime,
        conn: ConnId,
        student_id: &str,
        room_code: &str,
        pin: Option<&str>,
        key: PublicKey,
    ) {
        if !self.conns.get(&conn).is_some_and(|c| c.greeted) {
            self.send(conn, ServerMsg::Refused(Refusal::NotLoggedIn));
            self.effects.push_back(Effect::Close(conn));
            return;
        }
        if !ct_eq(room_code.trim().to_uppercase().as_bytes(), self.config.room_code.to_uppercase().as_bytes()) {
            return self.refuse_login(now, conn, Refusal::WrongRoomCode, format!("room code for {student_id}"));
        }
        let student = normalize_id(student_id);
        let Some(seat) = self.seats.get(&student) else {
            return self.refuse_login(now, conn, Refusal::UnknownStudent, format!("unknown student {student}"));
        };
        if let Some(expected) = &seat.roster.pin_hash
            && !pin.is_some_and(|p| ct_eq(&pin_hash(&student, p), expected))
        {
            return self.refuse_login(now, conn, Refusal::WrongPin, format!("PIN for {student}"));
        }
        let submitted = seat.session.as_ref().is_some_and(|s| s.receipt.is_some());
        if self.clock.state() == ClockState::Ended && !submitted {
            self.send(conn, ServerMsg::Refused(Refusal::ExamClosed));
            return;
        }
        match seat.session.as_ref() {
            None => self.create_session(conn, &student, key),
            Some(session) if session.registering.is_some() => {
                // A second login while the first is being stored: treat like any other login of
                // an unknown key, which needs the proctor.
                self.request_move(now, conn, &student, key);
            }
            Some(session) if session.keys.contains(&key) => self.attach(conn, &student),
            Some(_) => self.request_move(now, conn, &student, key),
        }
    }

    fn create_session(&mut self, conn: ConnId, student: &str, key: PublicKey) {
        let (Ok(id), Ok(secret)) = (SessionId::generate(), JournalSecret::generate()) else {
            self.send(conn, ServerMsg::Refused(Refusal::ExamClosed));
            return;
        };
        let journal_secret = *secret.expose_secret();
        let Some(seat) = self.seats.get_mut(student) else { return };
        let form_index = seat.roster.form_index;
        seat.session = Some(Session {
            id,
            journal_secret,
            verifier: ChainVerifier::new(id, key),
            keys: vec![key],
            stored: false,
            stored_seq: 0,
            pending: BTreeMap::new(),
            landed: BTreeSet::new(),
            answers: BTreeMap::new(),
            extension: Duration::ZERO,
            registering: Some((conn, key)),
            submit_now_sent: false,
            pending_submit: None,
            finish: None,
            finishing: false,
            receipt: None,
            last_save: None,
        });
        if let Some(c) = self.conns.get_mut(&conn) {
            c.student = Some(student.to_owned());
        }
        self.effects.push_back(Effect::StoreSession {
            student: student.to_owned(),
            session: id,
            key,
            journal_secret,
            form_index,
        });
    }

    fn request_move(&mut self, now: ServerTime, conn: ConnId, student: &str, key: PublicKey) {
        let Some(seat) = self.seats.get_mut(student) else { return };
        seat.pending_move = Some((conn, key));
        if let Some(c) = self.conns.get_mut(&conn) {
            c.student = Some(student.to_owned());
        }
        self.send(conn, ServerMsg::SeatMovePending);
        self.incident(now, Some(student), Incident::SeatMoveRequested);
    }

    /// Binds `conn` to the student's seat (closing an older connection) and sends the admission.
    fn attach(&mut self, conn: ConnId, student: &str) {
        let Some(seat) = self.seats.get_mut(student) else { return };
        if let Some(old) = seat.conn.replace(conn)
            && old != conn
        {
            self.effects.push_back(Effect::Close(old));
        }
        if let Some(c) = self.conns.get_mut(&conn) {
            c.student = Some(student.to_owned());
        }
        self.send_admission(conn, student);
    }

    fn phase(&self, seat: &Seat, now: ServerTime) -> Phase {
        let Some(session) = &seat.session else { return Phase::Waiting };
        if let Some((receipt, code)) = &session.receipt {
            return Phase::Submitted { receipt: receipt.clone(), code: code.clone() };
        }
        let key = self.forms.get(seat.roster.form_index as usize).map(|f| f.key.clone()).unwrap_or(WireSecret([0; 32]));
        match self.clock.state() {
            ClockState::NotStarted | ClockState::Ended => Phase::Waiting,
            ClockState::Running => {
                Phase::Running { form_key: key, deadline: self.clock.deadline(now, session.extension).unwrap_or(now) }
            }
            ClockState::Paused => {
                Phase::Paused { form_key: key, remaining_ms: millis(self.clock.remaining(now, session.extension)) }
            }
        }
    }

    fn send_admission(&mut self, conn: ConnId, student: &str) {
        let Some(seat) = self.seats.get(student) else { return };
        let Some(session) = &seat.session else { return };
        let form = self.forms.get(seat.roster.form_index as usize);
        let phase = self.phase(seat, self.now);
        let admission = Admission {
            session_id: *session.id.as_bytes(),
            full_name: seat.roster.full_name.clone(),
            class: seat.roster.class.clone(),
            seat: seat.roster.seat.clone(),
            form_code: form.map(|f| f.code.clone()).unwrap_or_default(),
            exam_title: self.config.exam_title.clone(),
            rules: self.config.rules.clone(),
            duration_minutes: u32::try_from(self.config.duration.as_secs() / 60).unwrap_or(u32::MAX),
            journal_secret: WireSecret(session.journal_secret),
            next_seq: session.stored_seq,
            chain_head: *self.stored_head(session).as_bytes(),
            answers: session.final_answers(),
            phase: phase.clone(),
        };
        let package = form.map(|f| f.package.clone());
        self.send(conn, ServerMsg::Admitted(Box::new(admission)));
        if !matches!(phase, Phase::Submitted { .. })
            && let Some(package) = package
        {
            self.send(conn, ServerMsg::Package(package.as_ref().clone()));
        }
    }

    /// The head of the durable part of the chain (pending events are not part of an admission).
    fn stored_head(&self, session: &Session) -> Digest {
        if session.pending.is_empty() {
            return session.verifier.head();
        }
        let mut copy = session.verifier.clone();
        copy.rollback_to(session.stored_seq);
        copy.head()
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Autosave and submission.
impl Room {
    fn bound_student(&self, conn: ConnId) -> Option<String> {
        let student = self.conns.get(&conn)?.student.clone()?;
        let seat = self.seats.get(&student)?;
        (seat.conn == Some(conn) && seat.session.as_ref().is_some_and(|s| s.stored)).then_some(student)
    }

    fn bound_seat_mut(&mut self, conn: ConnId) -> Option<&mut Seat> {
        let student = self.bound_student(conn)?;
        self.seats.get_mut(&student)
    }

    fn refuse_event(&mut self, now: ServerTime, conn: ConnId, student: Option<&str>, seq: u64, reason: String) {
        self.incident(now, student, Incident::EventRefused(reason.clone()));
        self.send(conn, ServerMsg::EventRefused { seq, reason });
    }

    fn on_event(&mut self, now: ServerTime, conn: ConnId, bytes: &[u8]) {
        let Some(student) = self.bound_student(conn) else {
            self.send(conn, ServerMsg::Refused(Refusal::NotLoggedIn));
            return;
        };
        let signed = match SignedEvent::decode(bytes) {
            Ok(signed) => signed,
            Err(e) => return self.refuse_event(now, conn, Some(&student), 0, e.to_string()),
        };
        let seq = signed.event.seq;
        let answer = match Answer::decode(&signed.event.response) {
            Ok(answer) => answer,
            Err(e) => return self.refuse_event(now, conn, Some(&student), seq, e.to_string()),
        };
        let Some(seat) = self.seats.get(&student) else { return };
        let count = self.forms.get(seat.roster.form_index as usize).map_or(0, |f| f.question_count);
        let Some(session) = seat.session.as_ref() else { return };
        if session.receipt.is_some() || session.finishing {
            return self.refuse_event(now, conn, Some(&student), seq, "bài đã nộp / already submitted".into());
        }
        if !self.clock.accepts_answers(now, session.extension) {
            return self.refuse_event(
                now,
                conn,
                Some(&student),
                seq,
                "ngoài giờ làm bài / outside the exam time".into(),
            );
        }
        if !(1..=count).contains(&signed.event.item) {
            let reason = format!("không có câu {} / no question {}", signed.event.item, signed.event.item);
            return self.refuse_event(now, conn, Some(&student), seq, reason);
        }
        let stored_seq = session.stored_seq;
        let Some(session) = self.seats.get_mut(&student).and_then(|s| s.session.as_mut()) else { return };
        match session.verifier.accept(&signed) {
            Ok(Accepted::New(_)) => {
                session.pending.insert(seq, (signed.event.item, answer.clone()));
                self.effects.push_back(Effect::StoreEvent { student, event: signed, answer, received: now });
            }
            Ok(Accepted::Duplicate) => {
                // A resend after a lost ack: ack again if it is durable; otherwise its ack follows.
                if seq < stored_seq {
                    self.send(conn, ServerMsg::Acked { seq });
                }
            }
            // Signed by the session's key, but ahead of the chain: an honest client pipelines its
            // events, and after a failed store rolled the chain back, the ones behind the failed
            // event arrive early. Refusing would make the client drop answers only it still holds;
            // ignoring lets its periodic resend bring them again, in order.
            Err(ChainFault::Gap { .. }) => {}
            Err(fault) => self.refuse_event(now, conn, Some(&student), seq, fault.to_string()),
        }
    }

    /// The store made event `seq` of `student` durable: acknowledge it, with every earlier one.
    ///
    /// Reports may come out of chain order. Answers are applied in chain order (a later answer
    /// to the same question must win) and an ack is sent only for a durable prefix, because the
    /// client reads `Acked { seq }` as "everything up to `seq` is safe".
    pub fn handle_event_stored(&mut self, student: &str, seq: u64) {
        let now = self.now;
        let Some(seat) = self.seats.get_mut(student) else { return };
        let Some(session) = seat.session.as_mut() else { return };
        if !session.pending.contains_key(&seq) {
            return;
        }
        session.landed.insert(seq);
        let mut acked = None;
        while let Some(first) = session.pending.first_key_value().map(|(s, _)| *s) {
            if !session.landed.remove(&first) {
                break;
            }
            let Some((item, answer)) = session.pending.remove(&first) else { break };
            match answer {
                Answer::Cleared => {
                    session.answers.remove(&item);
                }
                other => {
                    session.answers.insert(item, other);
                }
            }
            session.stored_seq = session.stored_seq.max(first + 1);
            acked = Some(first);
        }
        let Some(seq) = acked else { return };
        session.last_save = Some(now);
        let drained = session.pending.is_empty();
        if let Some(conn) = seat.conn {
            self.send(conn, ServerMsg::Acked { seq });
        }
        if drained {
            self.after_drain(student);
        }
    }

    /// Storing event `seq` (and so every later pending one) failed: forget them, so the client's
    /// resend is accepted as new, and raise the alarm. Nothing is acknowledged.
    pub fn handle_event_store_failed(&mut self, student: &str, seq: u64) {
        let now = self.now;
        if let Some(session) = self.seats.get_mut(student).and_then(|s| s.session.as_mut()) {
            session.verifier.rollback_to(seq);
            session.pending.retain(|s, _| *s < seq);
            session.landed.retain(|s| *s < seq);
        }
        self.incident(now, Some(student), Incident::StoreFailed);
    }

    /// Runs what waited for the pending events: a deferred sheet, or a requested finalisation.
    fn after_drain(&mut self, student: &str) {
        let deferred =
            self.seats.get_mut(student).and_then(|s| s.session.as_mut()).and_then(|s| s.pending_submit.take());
        if let Some((conn, bytes)) = deferred {
            let now = self.now;
            self.on_submit(now, conn, bytes);
        }
        self.try_finalize(student);
    }

    fn refuse_sheet(&mut self, now: ServerTime, conn: ConnId, student: &str, reason: String) {
        self.incident(now, Some(student), Incident::SheetRefused(reason.clone()));
        self.send(conn, ServerMsg::SubmitRefused { reason });
    }

    fn on_submit(&mut self, now: ServerTime, conn: ConnId, bytes: Vec<u8>) {
        let Some(student) = self.bound_student(conn) else {
            self.send(conn, ServerMsg::Refused(Refusal::NotLoggedIn));
            return;
        };
        let exam = self.config.exam;
        let Some(seat) = self.seats.get_mut(&student) else { return };
        let form_index = seat.roster.form_index;
        let Some(session) = seat.session.as_mut() else { return };
        if let Some((receipt, code)) = session.receipt.clone() {
            self.send(conn, ServerMsg::Receipt { receipt, code });
            return;
        }
        if session.finishing {
            return;
        }
        if !session.pending.is_empty() {
            session.pending_submit = Some((conn, bytes));
            return;
        }
        if self.clock.is_over(now, session.extension) {
            return self.refuse_sheet(
                now,
                conn,
                &student,
                "hết giờ; bài được thu từ các câu đã lưu / time is up; the stored answers are collected".into(),
            );
        }
        let sheet = session.keys.iter().find_map(|key| AnswerSheet::verify(&bytes, key).ok());
        let Some(sheet) = sheet else {
            return self.refuse_sheet(now, conn, &student, "chữ ký phiếu sai / bad sheet signature".into());
        };
        let answers = session.final_answers();
        let problem = if sheet.session != session.id || sheet.exam != exam || sheet.form_index != form_index {
            Some("phiếu của phiên, kỳ thi hoặc mã đề khác / sheet of another session, exam or form")
        } else if sheet.chain_head != session.verifier.head() || sheet.event_count != session.verifier.next_seq() {
            Some("phiếu không khớp nhật ký câu trả lời / sheet does not match the answer log")
        } else if decode_answers(&sheet.responses).as_deref() != Some(answers.as_slice()) {
            Some("câu trả lời trên phiếu khác nhật ký / sheet answers differ from the log")
        } else {
            None
        };
        if let Some(problem) = problem {
            return self.refuse_sheet(now, conn, &student, problem.into());
        }
        session.finishing = true;
        self.effects.push_back(Effect::Submit { student, sheet_bytes: bytes, sheet, answers });
    }

    /// The proctor graded and stored a submission and signed the receipt.
    pub fn handle_submitted(&mut self, student: &str, receipt: Vec<u8>, code: String) {
        let Some(seat) = self.seats.get_mut(student) else { return };
        let Some(session) = seat.session.as_mut() else { return };
        session.finishing = false;
        session.receipt = Some((receipt.clone(), code.clone()));
        if let Some(conn) = seat.conn {
            self.send(conn, ServerMsg::Receipt { receipt, code });
        }
    }

    /// Emits a finalisation when one was requested and nothing is in flight.
    fn try_finalize(&mut self, student: &str) {
        let Some(session) = self.seats.get_mut(student).and_then(|s| s.session.as_mut()) else { return };
        let Some(reason) = session.finish else { return };
        if !session.stored
            || session.finishing
            || session.receipt.is_some()
            || !session.pending.is_empty()
            || session.pending_submit.is_some()
        {
            return;
        }
        session.finishing = true;
        let effect = Effect::Finalize {
            student: student.to_owned(),
            session: session.id,
            answers: session.final_answers(),
            reason,
        };
        self.effects.push_back(effect);
    }
}

/// The responses of a sheet: the final answers by question number, as the client encodes them.
pub fn encode_answers(answers: &[(u32, Answer)]) -> Vec<u8> {
    postcard::to_stdvec(answers).unwrap_or_default()
}

fn decode_answers(bytes: &[u8]) -> Option<Vec<(u32, Answer)>> {
    postcard::from_bytes(bytes).ok()
}

/// Sessions being stored, timeouts and the proctor's commands.
impl Room {
    /// The store made the session (or its new key) durable: admit the student.
    pub fn handle_session_stored(&mut self, student: &str) {
        let Some(seat) = self.seats.get_mut(student) else { return };
        let Some(session) = seat.session.as_mut() else { return };
        session.stored = true;
        if let Some((conn, _)) = session.registering.take()
            && self.conns.contains_key(&conn)
        {
            self.attach(conn, student);
        }
    }

    /// When `handle_timeout` should next be called, if ever.
    ///
    /// This scans every seat: callers with thousands of students should not call it per
    /// message (the proctor's room task rechecks it a few times a second).
    pub fn poll_timeout(&self) -> Option<ServerTime> {
        if self.clock.state() != ClockState::Running {
            return None;
        }
        let now = self.now;
        self.seats
            .values()
            .filter_map(|seat| seat.session.as_ref())
            .filter(|s| s.receipt.is_none() && !s.finishing && s.finish.is_none())
            .filter_map(|s| {
                let deadline = self.clock.deadline(now, s.extension)?;
                Some(if s.submit_now_sent {
                    deadline + self.clock.grace() + Duration::from_millis(1)
                } else {
                    deadline
                })
            })
            .min()
    }

    /// Time passed: tell students whose time is up to submit, and collect from the log those
    /// whose sheet did not come within the grace period.
    pub fn handle_timeout(&mut self, now: ServerTime) {
        self.now = now;
        if !matches!(self.clock.state(), ClockState::Running | ClockState::Ended) {
            return;
        }
        let mut submit_now = Vec::new();
        let mut finalize = Vec::new();
        for (student, seat) in &mut self.seats {
            let Some(session) = seat.session.as_mut() else { continue };
            if session.receipt.is_some() || session.finishing || session.finish.is_some() {
                continue;
            }
            let Some(deadline) = self.clock.deadline(now, session.extension) else { continue };
            if now >= deadline && !session.submit_now_sent {
                session.submit_now_sent = true;
                if let Some(conn) = seat.conn {
                    submit_now.push(conn);
                }
            }
            if self.clock.is_over(now, session.extension) {
                session.finish = Some(FinalizeReason::Deadline);
                finalize.push(student.clone());
            }
        }
        for conn in submit_now {
            self.send(conn, ServerMsg::SubmitNow);
        }
        for student in finalize {
            self.try_finalize(&student);
        }
    }

    fn broadcast_running(&mut self, now: ServerTime) {
        let targets: Vec<(ConnId, String)> =
            self.seats.iter().filter_map(|(id, seat)| Some((seat.conn?, id.clone()))).collect();
        for (conn, student) in targets {
            let Some(seat) = self.seats.get(&student) else { continue };
            let Some(session) = &seat.session else { continue };
            if session.receipt.is_some() || !session.stored {
                continue;
            }
            let Some(deadline) = self.clock.deadline(now, session.extension) else { continue };
            let key = self.forms.get(seat.roster.form_index as usize).map(|f| f.key.clone());
            if let Some(form_key) = key {
                self.send(conn, ServerMsg::Started { form_key, deadline, server_time: now });
            }
        }
    }

    fn save_clock(&mut self, now: ServerTime, action: &str, detail: String) {
        self.effects.push_back(Effect::SaveClock(self.clock.clone()));
        self.audit(now, action, detail);
    }

    /// Start: release every form key at once.
    pub fn start(&mut self, now: ServerTime) -> Result<(), CommandError> {
        self.now = now;
        self.clock.start(now)?;
        self.save_clock(now, "exam.start", String::new());
        self.broadcast_running(now);
        Ok(())
    }

    /// Pause: freeze remaining time.
    pub fn pause(&mut self, now: ServerTime) -> Result<(), CommandError> {
        self.now = now;
        self.clock.pause(now)?;
        self.save_clock(now, "exam.pause", String::new());
        let targets: Vec<(ConnId, Duration)> = self
            .seats
            .values()
            .filter_map(|s| Some((s.conn?, s.session.as_ref().filter(|x| x.receipt.is_none())?.extension)))
            .collect();
        for (conn, extension) in targets {
            let remaining_ms = millis(self.clock.remaining(now, extension));
            self.send(conn, ServerMsg::Paused { remaining_ms });
        }
        Ok(())
    }

    fn broadcast_deadlines(&mut self, now: ServerTime, only: Option<&str>) {
        let targets: Vec<(ConnId, Duration)> = self
            .seats
            .iter()
            .filter(|(id, _)| only.is_none_or(|o| o == id.as_str()))
            .filter_map(|(_, s)| Some((s.conn?, s.session.as_ref().filter(|x| x.receipt.is_none())?.extension)))
            .collect();
        for (conn, extension) in targets {
            if let Some(deadline) = self.clock.deadline(now, extension) {
                self.send(conn, ServerMsg::Deadline { deadline, server_time: now });
            }
        }
    }

    /// Resume after a pause: every deadline moves by the paused time.
    pub fn resume(&mut self, now: ServerTime) -> Result<(), CommandError> {
        self.now = now;
        self.clock.resume(now)?;
        self.save_clock(now, "exam.resume", String::new());
        self.broadcast_deadlines(now, None);
        Ok(())
    }

    /// More time for the whole room.
    pub fn extend_room(&mut self, now: ServerTime, by: Duration) -> Result<(), CommandError> {
        self.now = now;
        self.clock.extend_room(by)?;
        self.save_clock(now, "exam.extend", format!("{{\"minutes\":{}}}", by.as_secs() / 60));
        self.reopen_finished_deadlines();
        if self.clock.state() == ClockState::Running {
            self.broadcast_deadlines(now, None);
        }
        Ok(())
    }

    /// An extension can give back time to students whose deadline had passed but who were not
    /// collected yet; let them answer again.
    fn reopen_finished_deadlines(&mut self) {
        for seat in self.seats.values_mut() {
            if let Some(s) = seat.session.as_mut()
                && !s.finishing
                && s.receipt.is_none()
                && s.finish == Some(FinalizeReason::Deadline)
            {
                s.finish = None;
                s.submit_now_sent = false;
            }
        }
    }

    /// More time for one student.
    pub fn extend_student(&mut self, now: ServerTime, student: &str, by: Duration) -> Result<(), CommandError> {
        self.now = now;
        if self.clock.state() == ClockState::Ended {
            return Err(ClockError::WrongState { action: "gia hạn / extend", state: ClockState::Ended }.into());
        }
        let seat = self.seats.get_mut(student).ok_or_else(|| CommandError::UnknownStudent(student.to_owned()))?;
        let session = seat.session.as_mut().ok_or_else(|| CommandError::NotLoggedIn(student.to_owned()))?;
        if session.receipt.is_some() || session.finishing {
            return Err(CommandError::AlreadySubmitted(student.to_owned()));
        }
        session.extension += by;
        let (id, extension) = (session.id, session.extension);
        if session.finish == Some(FinalizeReason::Deadline) {
            session.finish = None;
            session.submit_now_sent = false;
        }
        self.effects.push_back(Effect::SaveExtension { student: student.to_owned(), session: id, extension });
        self.audit(now, "student.extend", format!("{{\"student\":{student:?},\"minutes\":{}}}", by.as_secs() / 60));
        if self.clock.state() == ClockState::Running {
            self.broadcast_deadlines(now, Some(student));
        }
        Ok(())
    }

    /// End the exam: everyone still answering is collected from the stored log.
    pub fn end(&mut self, now: ServerTime) -> Result<(), CommandError> {
        self.now = now;
        self.clock.end(now)?;
        self.save_clock(now, "exam.end", String::new());
        let conns: Vec<ConnId> = self.seats.values().filter_map(|s| s.conn).collect();
        for conn in conns {
            self.send(conn, ServerMsg::Ended);
        }
        let students: Vec<String> = self.order.clone();
        for student in students {
            if let Some(session) = self.seats.get_mut(&student).and_then(|s| s.session.as_mut())
                && session.receipt.is_none()
                && session.finish.is_none()
            {
                session.finish = Some(FinalizeReason::Ended);
            }
            self.try_finalize(&student);
        }
        Ok(())
    }

    /// Collect one student's answers now, from the stored log.
    pub fn force_submit(&mut self, now: ServerTime, student: &str) -> Result<(), CommandError> {
        self.now = now;
        let seat = self.seats.get_mut(student).ok_or_else(|| CommandError::UnknownStudent(student.to_owned()))?;
        let conn = seat.conn;
        let session = seat.session.as_mut().ok_or_else(|| CommandError::NotLoggedIn(student.to_owned()))?;
        if session.receipt.is_some() || session.finishing {
            return Err(CommandError::AlreadySubmitted(student.to_owned()));
        }
        session.finish = Some(FinalizeReason::Forced);
        self.audit(now, "student.force-submit", format!("{{\"student\":{student:?}}}"));
        if let Some(conn) = conn {
            self.send(conn, ServerMsg::SubmitNow);
        }
        self.try_finalize(student);
        Ok(())
    }

    /// Approve a seat move: the new PC's key joins the session and the old connection is closed.
    pub fn approve_move(&mut self, now: ServerTime, student: &str) -> Result<(), CommandError> {
        self.now = now;
        let seat = self.seats.get_mut(student).ok_or_else(|| CommandError::UnknownStudent(student.to_owned()))?;
        let (conn, key) = seat.pending_move.take().ok_or_else(|| CommandError::NoPendingMove(student.to_owned()))?;
        let form_index = seat.roster.form_index;
        let session = seat.session.as_mut().ok_or_else(|| CommandError::NotLoggedIn(student.to_owned()))?;
        session.keys.push(key);
        session.verifier.add_key(key);
        session.registering = Some((conn, key));
        let effect = Effect::StoreSession {
            student: student.to_owned(),
            session: session.id,
            key,
            journal_secret: session.journal_secret,
            form_index,
        };
        self.effects.push_back(effect);
        self.audit(now, "student.approve-move", format!("{{\"student\":{student:?}}}"));
        Ok(())
    }

    /// Deny a seat move: the new connection is refused.
    pub fn deny_move(&mut self, now: ServerTime, student: &str) -> Result<(), CommandError> {
        self.now = now;
        let seat = self.seats.get_mut(student).ok_or_else(|| CommandError::UnknownStudent(student.to_owned()))?;
        let (conn, _) = seat.pending_move.take().ok_or_else(|| CommandError::NoPendingMove(student.to_owned()))?;
        self.send(conn, ServerMsg::Refused(Refusal::AlreadySeated));
        self.effects.push_back(Effect::Close(conn));
        self.audit(now, "student.deny-move", format!("{{\"student\":{student:?}}}"));
        Ok(())
    }

    /// The index of the form `student` sits.
    pub fn form_index(&self, student: &str) -> Option<u32> {
        self.seats.get(student).map(|seat| seat.roster.form_index)
    }

    /// Every seat, in roster order, for the dashboard and `proctor status`.
    pub fn seat_views(&self) -> Vec<SeatView> {
        self.order
            .iter()
            .filter_map(|id| {
                let seat = self.seats.get(id)?;
                let form = self.forms.get(seat.roster.form_index as usize);
                let session = seat.session.as_ref();
                Some(SeatView {
                    student_id: seat.roster.student_id.clone(),
                    full_name: seat.roster.full_name.clone(),
                    class: seat.roster.class.clone(),
                    seat: seat.roster.seat.clone(),
                    form_code: form.map(|f| f.code.clone()).unwrap_or_default(),
                    logged_in: session.is_some_and(|s| s.stored),
                    connected: seat.conn.is_some(),
                    package_ready: seat.package_ready,
                    answered: session.map_or(0, |s| s.answers.values().filter(|a| a.is_answered()).count() as u32),
                    question_count: form.map_or(0, |f| f.question_count),
                    last_save: session.and_then(|s| s.last_save),
                    extension: session.map_or(Duration::ZERO, |s| s.extension),
                    move_pending: seat.pending_move.is_some(),
                    receipt_code: session.and_then(|s| s.receipt.as_ref().map(|(_, c)| c.clone())),
                    focused: seat.window.map(|w| w.0),
                    fullscreen: seat.window.map(|w| w.1),
                    last_heartbeat: seat.window.map(|w| w.2),
                })
            })
            .collect()
    }
}
