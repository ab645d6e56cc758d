//! The student's side of the protocol, as a sans-IO state machine.
//!
//! Inputs: `handle_connected`, `handle_disconnected`, `handle_message(now, msg)`,
//! `handle_timeout(now)`, and the student's actions (`answer`, `submit`). Outputs:
//! `poll_transmit()` (messages for the proctor), `poll_event()` (what the screen and the journal
//! must know) and `poll_timeout()`. Times are the client's own monotonic milliseconds
//! ([`LocalTime`]); server deadlines are converted with the measured clock offset, so the
//! countdown follows the proctor whatever the PC's clock says.
//!
//! Every answer becomes a signed, chained event that stays in the unacknowledged queue (and, via
//! [`ClientEvent::Journal`], in the encrypted journal on disk) until the proctor acknowledges it
//! as durable; after a reconnect everything unacknowledged is sent again.

use super::room::encode_answers;
use crate::answer::Answer;
use crate::messages::{Admission, ClientMsg, Phase, Refusal, ServerMsg, WireSecret};
use crate::presented::PresentedForm;
use crate::time::ServerTime;
use phongthi_crypto::{
    AnswerSheet, BuildDigest, ChainWriter, Digest, ExamId, FormKey, IntegrityChallenge, PublicKey, SessionId,
    SignedEvent, SigningKey,
};
use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

/// Milliseconds on the client's monotonic clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime(pub u64);

impl LocalTime {
    fn plus(self, d: Duration) -> Self {
        LocalTime(self.0.saturating_add(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)))
    }
}

/// What the client is set up with (from `lab.toml` and the login screen).
#[derive(Clone)]
pub struct ClientConfig {
    /// Build name.
    pub build: String,
    /// This build's value (SHA-256 of the executable): the key of the integrity answer at
    /// every login. Tests give the value of some other bytes to play a changed client.
    pub build_digest: BuildDigest,
    /// The proctor's identity key (from `lab.toml`): packages must be signed by it.
    pub proctor_key: PublicKey,
    /// Student id typed at login.
    pub student_id: String,
    /// Room code typed at login.
    pub room_code: String,
    /// PIN, if any.
    pub pin: Option<String>,
    /// Heartbeat interval.
    pub heartbeat: Duration,
    /// Resend unacknowledged events after this long without an ack.
    pub resend_after: Duration,
}

/// What the screen (and the journal writer) must react to.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientEvent {
    /// The proctor answered; the login screen can show the exam title.
    Welcome {
        /// Exam title.
        exam_title: String,
        /// Whether a PIN is needed.
        pin_required: bool,
    },
    /// Login refused.
    Refused(Refusal),
    /// Waiting for the proctor to approve a seat move.
    SeatMovePending,
    /// Logged in; the journal secret is in the admission.
    Admitted(Box<Admission>),
    /// The package arrived and its signature checked out.
    PackageVerified,
    /// The package was refused (wrong proctor, tampered): the screen says so.
    PackageRefused(String),
    /// The test is open: the form to show.
    FormReady(Box<PresentedForm>),
    /// Answering until this local time.
    Running {
        /// Deadline on the client's clock.
        deadline: LocalTime,
    },
    /// Paused with this much left.
    Paused {
        /// Remaining time.
        remaining: Duration,
    },
    /// Write this event to the journal (it is not acknowledged yet).
    Journal(SignedEvent),
    /// Events up to and including `seq` are durable on the proctor.
    Saved {
        /// Highest acknowledged seq.
        seq: u64,
        /// Events still waiting.
        unacked: usize,
    },
    /// An event was refused by the proctor.
    EventRefused {
        /// Its seq.
        seq: u64,
        /// Why.
        reason: String,
    },
    /// Time is up: submit now.
    SubmitNow,
    /// The sheet was refused.
    SubmitRefused(String),
    /// Submitted: the receipt and its short code.
    Receipt {
        /// Receipt bytes.
        receipt: Vec<u8>,
        /// Short code.
        code: String,
    },
    /// The proctor closed the exam.
    Ended,
}

/// Why a student action was not taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// Not logged in, or the test is not open.
    #[error("bài thi chưa mở / the test is not open")]
    NotOpen,
    /// Already submitted.
    #[error("bài đã nộp / already submitted")]
    Submitted,
    /// No such question.
    #[error("không có câu {0} / no question {0}")]
    NoQuestion(u32),
    /// The student's time is up on the proctor's clock (as this PC measured it).
    #[error("hết giờ làm bài / time is up")]
    TimeUp,
    /// Signing failed (an oversized answer).
    #[error("không lưu được câu trả lời / cannot save the answer: {0}")]
    Signing(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Down,
    HelloSent,
    LoginSent,
    Admitted,
}

struct Package {
    bytes: Vec<u8>,
    exam: ExamId,
    form_index: u32,
}

/// The student's state machine.
pub struct ClientSession {
    config: ClientConfig,
    key: SigningKey,
    link: Link,
    session: Option<SessionId>,
    chain: Option<ChainWriter>,
    unacked: VecDeque<SignedEvent>,
    answers: BTreeMap<u32, Answer>,
    package: Option<Package>,
    form_key: Option<WireSecret>,
    form: Option<PresentedForm>,
    open: bool,
    submitted: bool,
    offset_ms: Option<(i64, u64)>,
    /// The student's deadline on the proctor's clock, while the exam runs.
    deadline: Option<ServerTime>,
    /// The journal's seat proof, sent with the login after a restart on the same PC.
    seat_proof: Option<Vec<u8>>,
    transmit: VecDeque<ClientMsg>,
    incidents: VecDeque<ClientMsg>,
    events: VecDeque<ClientEvent>,
    next_heartbeat: Option<LocalTime>,
    last_send: LocalTime,
    focused: bool,
    fullscreen: bool,
}

impl ClientSession {
    /// A client with a fresh session key.
    pub fn new(config: ClientConfig) -> Result<Self, phongthi_crypto::Error> {
        Ok(Self {
            config,
            key: SigningKey::generate()?,
            link: Link::Down,
            session: None,
            chain: None,
            unacked: VecDeque::new(),
            answers: BTreeMap::new(),
            package: None,
            form_key: None,
            form: None,
            open: false,
            submitted: false,
            offset_ms: None,
            deadline: None,
            seat_proof: None,
            transmit: VecDeque::new(),
            incidents: VecDeque::new(),
            events: VecDeque::new(),
            next_heartbeat: None,
            last_send: LocalTime(0),
            focused: true,
            fullscreen: true,
        })
    }

    /// Sets the seat proof read from this PC's journal (`None`: no journal of this student here),
    /// sent with every login so that a client restarted on the same PC rejoins without the
    /// proctor's approval.
    pub fn set_seat_proof(&mut self, proof: Option<Vec<u8>>) {
        self.seat_proof = proof;
    }

    /// The proctor's clock now, as this PC estimates it from the measured offset: what answer
    /// events carry as their time, so the proctor can tell an answer made before the deadline
    /// from one made after, even when it arrives late from the journal.
    pub fn server_now(&self, now: LocalTime) -> ServerTime {
        let offset = self.offset_ms.map_or(0, |(o, _)| o);
        ServerTime::from_millis(
            u64::try_from(i64::try_from(now.0).unwrap_or(i64::MAX).saturating_add(offset)).unwrap_or(0),
        )
    }

    /// The next message for the proctor.
    pub fn poll_transmit(&mut self) -> Option<ClientMsg> {
        self.transmit.pop_front()
    }

    /// The next thing to show or journal.
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// When to call `handle_timeout`.
    pub fn poll_timeout(&self) -> Option<LocalTime> {
        let resend = (!self.unacked.is_empty() && self.link == Link::Admitted)
            .then(|| self.last_send.plus(self.config.resend_after));
        match (self.next_heartbeat, resend) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Answers not yet acknowledged.
    pub fn unacked(&self) -> usize {
        self.unacked.len()
    }

    /// The current answers by question number.
    pub fn answers(&self) -> &BTreeMap<u32, Answer> {
        &self.answers
    }

    /// Reports an incident to the proctor (queued until connected).
    pub fn report_incident(&mut self, kind: crate::messages::IncidentKind, duration: Duration, detail: String) {
        let duration_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        let incident = ClientMsg::Incident { kind, duration_ms, detail };
        // Incidents happen offline too (a student leaves the window during a network cut): they
        // wait for the next admission so none is lost and none precedes the greeting.
        if self.link == Link::Admitted {
            self.transmit.push_back(incident);
        } else {
            self.incidents.push_back(incident);
        }
    }

    /// Tells the proctor about the window (sent with the next heartbeat).
    pub fn set_window_state(&mut self, focused: bool, fullscreen: bool) {
        self.focused = focused;
        self.fullscreen = fullscreen;
    }

    /// A transport connection is up: greet (also after a reconnect).
    pub fn handle_connected(&mut self, now: LocalTime) {
        self.link = Link::HelloSent;
        self.transmit.push_back(ClientMsg::Hello { build: self.config.build.clone() });
        self.last_send = now;
    }

    /// The connection is gone; answers keep queueing until the next one.
    pub fn handle_disconnected(&mut self) {
        self.link = Link::Down;
        self.next_heartbeat = None;
        self.transmit.clear();
    }

    fn to_local(&self, server: ServerTime) -> LocalTime {
        let offset = self.offset_ms.map_or(0, |(o, _)| o);
        LocalTime(
            u64::try_from(i64::try_from(server.as_millis()).unwrap_or(i64::MAX).saturating_sub(offset)).unwrap_or(0),
        )
    }

    fn sample_offset(&mut self, now: LocalTime, server: ServerTime, rtt_ms: u64) {
        let estimate = i64::try_from(server.as_millis()).unwrap_or(i64::MAX) + i64::try_from(rtt_ms / 2).unwrap_or(0)
            - i64::try_from(now.0).unwrap_or(i64::MAX);
        // Keep the sample with the shortest round trip: it bounds the error best.
        if self.offset_ms.is_none_or(|(_, best)| rtt_ms <= best) {
            self.offset_ms = Some((estimate, rtt_ms));
        }
    }

    /// A message from the proctor.
    pub fn handle_message(&mut self, now: LocalTime, msg: ServerMsg) {
        match msg {
            ServerMsg::Welcome { server_time, exam_title, pin_required, challenge } => {
                let rtt = now.0.saturating_sub(self.last_send.0);
                self.sample_offset(now, server_time, rtt);
                self.events.push_back(ClientEvent::Welcome { exam_title, pin_required });
                self.link = Link::LoginSent;
                let session_key = self.key.public_key();
                let answer = self.config.build_digest.answer(
                    &IntegrityChallenge::from_bytes(challenge),
                    &session_key,
                    &self.config.student_id,
                );
                self.transmit.push_back(ClientMsg::Login {
                    student_id: self.config.student_id.clone(),
                    room_code: self.config.room_code.clone(),
                    pin: self.config.pin.clone(),
                    session_key: *session_key.as_bytes(),
                    integrity: *answer.as_bytes(),
                    seat_proof: self.seat_proof.clone(),
                });
            }
            ServerMsg::Refused(refusal) => self.events.push_back(ClientEvent::Refused(refusal)),
            ServerMsg::SeatMovePending => self.events.push_back(ClientEvent::SeatMovePending),
            ServerMsg::Admitted(admission) => self.on_admitted(now, admission),
            ServerMsg::Package(bytes) => self.on_package(bytes),
            ServerMsg::Started { form_key, deadline, server_time } => {
                // A broadcast has no echo to time, so it only seeds the offset when there is none.
                if self.offset_ms.is_none() {
                    self.sample_offset(now, server_time, u64::MAX / 4);
                }
                self.form_key = Some(form_key);
                self.try_open();
                self.deadline = Some(deadline);
                self.events.push_back(ClientEvent::Running { deadline: self.to_local(deadline) });
            }
            ServerMsg::Paused { remaining_ms } => {
                self.deadline = None;
                self.events.push_back(ClientEvent::Paused { remaining: Duration::from_millis(remaining_ms) });
            }
            ServerMsg::Deadline { deadline, .. } => {
                self.deadline = Some(deadline);
                self.events.push_back(ClientEvent::Running { deadline: self.to_local(deadline) });
            }
            ServerMsg::Acked { seq } => {
                while self.unacked.front().is_some_and(|e| e.event.seq <= seq) {
                    self.unacked.pop_front();
                }
                self.events.push_back(ClientEvent::Saved { seq, unacked: self.unacked.len() });
            }
            ServerMsg::EventRefused { seq, reason } => {
                self.unacked.retain(|e| e.event.seq != seq);
                self.events.push_back(ClientEvent::EventRefused { seq, reason });
            }
            ServerMsg::HeartbeatAck { client_ms, server_time } => {
                self.sample_offset(now, server_time, now.0.saturating_sub(client_ms));
            }
            ServerMsg::SubmitNow => self.events.push_back(ClientEvent::SubmitNow),
            ServerMsg::SubmitRefused { reason } => self.events.push_back(ClientEvent::SubmitRefused(reason)),
            ServerMsg::Receipt { receipt, code } => {
                self.submitted = true;
                self.open = false;
                self.events.push_back(ClientEvent::Receipt { receipt, code });
            }
            ServerMsg::Ended => {
                self.open = false;
                self.events.push_back(ClientEvent::Ended);
            }
        }
    }

    fn on_admitted(&mut self, now: LocalTime, admission: Box<Admission>) {
        self.link = Link::Admitted;
        self.next_heartbeat = Some(now.plus(self.config.heartbeat));
        let session = SessionId::from_bytes(admission.session_id);
        let server_head = Digest::from_bytes(admission.chain_head);
        self.session = Some(session);
        // Drop what the proctor already holds; keep the rest only if it continues the stored chain.
        let queued = self.unacked.len();
        self.unacked.retain(|e| e.event.seq >= admission.next_seq);
        // Those were made durable but their ack was lost with the old connection: the admission
        // is the ack, and the student's "saved" indicator (and loadgen's count) must hear it.
        let confirmed = self.unacked.len() < queued;
        let continues =
            self.unacked.front().is_none_or(|e| e.event.seq == admission.next_seq && e.event.prev == server_head);
        if !continues {
            self.unacked.clear();
        }
        if self.unacked.is_empty() {
            self.chain = Some(ChainWriter::resume(session, admission.next_seq, server_head));
            self.answers = admission.answers.iter().cloned().collect();
        } else if self.chain.is_none() {
            let last = self.unacked.back().map(|e| (e.event.seq + 1, e.event.hash()));
            if let Some((next, head)) = last {
                self.chain = Some(ChainWriter::resume(session, next, head));
            }
        }
        match &admission.phase {
            Phase::Running { form_key, .. } | Phase::Paused { form_key, .. } => self.form_key = Some(form_key.clone()),
            Phase::Submitted { .. } => self.submitted = true,
            Phase::Waiting => {}
        }
        let phase = admission.phase.clone();
        let durable_up_to = admission.next_seq.checked_sub(1);
        self.events.push_back(ClientEvent::Admitted(admission));
        if confirmed && let Some(seq) = durable_up_to {
            self.events.push_back(ClientEvent::Saved { seq, unacked: self.unacked.len() });
        }
        match phase {
            Phase::Running { deadline, .. } => {
                self.deadline = Some(deadline);
                self.events.push_back(ClientEvent::Running { deadline: self.to_local(deadline) })
            }
            Phase::Paused { remaining_ms, .. } => {
                self.deadline = None;
                self.events.push_back(ClientEvent::Paused { remaining: Duration::from_millis(remaining_ms) })
            }
            Phase::Submitted { receipt, code } => self.events.push_back(ClientEvent::Receipt { receipt, code }),
            Phase::Waiting => {}
        }
        self.try_open();
        self.transmit.extend(self.incidents.drain(..));
        self.resend_unacked(now);
    }

    /// After a crash or on another PC: events read back from the journal, offered again.
    /// Call after `Admitted` (the journal is sealed with the session's journal secret).
    pub fn restore_unacked(&mut self, now: LocalTime, events: Vec<SignedEvent>, next_seq: u64, head: Digest) {
        let Some(session) = self.session else { return };
        // Still in memory (a reconnect, not a restart): the queue is already complete and was
        // resent at admission; replaying the journal would only send everything twice.
        if !self.unacked.is_empty() || self.chain.as_ref().is_some_and(|c| c.len() > next_seq) {
            return;
        }
        let mut expected = (next_seq, head);
        for event in events.into_iter().filter(|e| e.event.session == session && e.event.seq >= next_seq) {
            if (event.event.seq, event.event.prev) != expected {
                break;
            }
            expected = (event.event.seq + 1, event.event.hash());
            match Answer::decode(&event.event.response) {
                Ok(Answer::Cleared) => {
                    self.answers.remove(&event.event.item);
                }
                Ok(answer) => {
                    self.answers.insert(event.event.item, answer);
                }
                Err(_) => break,
            }
            self.unacked.push_back(event);
        }
        self.chain = Some(ChainWriter::resume(session, expected.0, expected.1));
        self.resend_unacked(now);
    }

    fn on_package(&mut self, bytes: Vec<u8>) {
        match phongthi_crypto::verify_package(&bytes, &self.config.proctor_key) {
            Ok(verified) => {
                let header = *verified.header();
                self.package = Some(Package { bytes, exam: header.exam, form_index: header.form_index });
                self.transmit.push_back(ClientMsg::PackageReady);
                self.events.push_back(ClientEvent::PackageVerified);
                self.try_open();
            }
            Err(e) => self.events.push_back(ClientEvent::PackageRefused(e.to_string())),
        }
    }

    fn try_open(&mut self) {
        if self.open || self.submitted {
            return;
        }
        let (Some(package), Some(key)) = (&self.package, &self.form_key) else { return };
        let opened = phongthi_crypto::verify_package(&package.bytes, &self.config.proctor_key)
            .and_then(|v| v.open(&FormKey::from_bytes(key.0)));
        match opened
            .map_err(|e| e.to_string())
            .and_then(|plain| PresentedForm::decode(&plain).map_err(|e| e.to_string()))
        {
            Ok(form) => {
                self.open = true;
                self.form = Some(form.clone());
                self.events.push_back(ClientEvent::FormReady(Box::new(form)));
            }
            Err(reason) => self.events.push_back(ClientEvent::PackageRefused(reason)),
        }
    }

    fn resend_unacked(&mut self, now: LocalTime) {
        if self.link != Link::Admitted {
            return;
        }
        for event in &self.unacked {
            self.transmit.push_back(ClientMsg::Event(event.encode()));
        }
        self.last_send = now;
    }

    /// The student answered question `number` (or cleared it).
    pub fn answer(&mut self, now: LocalTime, number: u32, answer: Answer) -> Result<(), ActionError> {
        if self.submitted {
            return Err(ActionError::Submitted);
        }
        if !self.open {
            return Err(ActionError::NotOpen);
        }
        if self.form.as_ref().is_some_and(|f| f.question(number).is_none()) {
            return Err(ActionError::NoQuestion(number));
        }
        // Offline the proctor cannot say "time is up": the PC's own estimate of the proctor's
        // clock closes the test, so an outage past the deadline cannot buy answering time.
        let at = self.server_now(now);
        if self.deadline.is_some_and(|deadline| at > deadline) {
            return Err(ActionError::TimeUp);
        }
        let chain = self.chain.as_mut().ok_or(ActionError::NotOpen)?;
        let event = chain
            .next(&self.key, number, answer.encode(), at.as_millis())
            .map_err(|e| ActionError::Signing(e.to_string()))?;
        match answer {
            Answer::Cleared => {
                self.answers.remove(&number);
            }
            other => {
                self.answers.insert(number, other);
            }
        }
        self.events.push_back(ClientEvent::Journal(event.clone()));
        if self.link == Link::Admitted {
            self.transmit.push_back(ClientMsg::Event(event.encode()));
            if self.unacked.is_empty() {
                self.last_send = now;
            }
        }
        self.unacked.push_back(event);
        Ok(())
    }

    /// Signs and sends the answer sheet.
    pub fn submit(&mut self, now: LocalTime, started_ms: u64) -> Result<(), ActionError> {
        if self.submitted {
            return Err(ActionError::Submitted);
        }
        let (Some(session), Some(chain), Some(package)) = (self.session, &self.chain, &self.package) else {
            return Err(ActionError::NotOpen);
        };
        let answers: Vec<(u32, Answer)> = self.answers.iter().map(|(n, a)| (*n, a.clone())).collect();
        let sheet = AnswerSheet {
            session,
            exam: package.exam,
            form_index: package.form_index,
            student_id: self.config.student_id.trim().to_owned(),
            chain_head: chain.head(),
            event_count: chain.len(),
            started_ms,
            submitted_ms: now.0,
            responses: encode_answers(&answers),
        };
        let bytes = sheet.sign(&self.key).map_err(|e| ActionError::Signing(e.to_string()))?;
        if self.link == Link::Admitted {
            self.transmit.push_back(ClientMsg::Submit(bytes));
        }
        Ok(())
    }

    /// Heartbeats and resends.
    pub fn handle_timeout(&mut self, now: LocalTime) {
        if self.link != Link::Admitted {
            return;
        }
        if self.next_heartbeat.is_some_and(|t| now >= t) {
            self.transmit.push_back(ClientMsg::Heartbeat {
                client_ms: now.0,
                focused: self.focused,
                fullscreen: self.fullscreen,
            });
            self.next_heartbeat = Some(now.plus(self.config.heartbeat));
        }
        if !self.unacked.is_empty() && now >= self.last_send.plus(self.config.resend_after) {
            self.resend_unacked(now);
        }
    }
}
