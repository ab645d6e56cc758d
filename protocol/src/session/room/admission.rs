//! Admission: the greeting with its integrity challenge, login with room code, PIN and the
//! client-build (integrity) answer, refusals with their failure count, creating a session and waiting for the store to make it
//! durable, and attaching a connection to its seat with the `Admitted` message and package.
//!
//! Kept apart because it is the one door into the room: every check a student passes before
//! their answers count is in this file, where it can be read (and audited) in one go.

use super::{Room, Seat, Session, millis, normalize_id};
use crate::clock::ClockState;
use crate::messages::{Admission, Phase, Refusal, ServerMsg, WireSecret};
use crate::session::effects::{ConnId, Effect, Incident};
use crate::time::ServerTime;
use phongthi_crypto::journal::verify_seat_proof;
use phongthi_crypto::{
    ChainVerifier, Digest, IntegrityAnswer, IntegrityChallenge, JournalSecret, PublicKey, SessionId, ct_eq,
};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// The stored form of a student's PIN: SHA-256 over a domain label, the student id and the PIN,
/// so equal PINs of two students differ and no PIN is kept in the clear. (A 4-digit PIN can be
/// brute-forced from its hash by anyone with the database; the hash keeps PINs out of logs and
/// backups, the file permissions keep the database itself private.)
pub fn pin_hash(student_id: &str, pin: &str) -> [u8; 32] {
    *phongthi_crypto::sha256_parts(&[b"phongthi/pin/v1\0", student_id.trim().as_bytes(), b"\0", pin.trim().as_bytes()])
        .as_bytes()
}

/// The longest client build name kept for incidents: the name is the client's own claim, and a
/// hostile one should not fill the incident log.
const MAX_BUILD_NAME: usize = 80;

/// One `Login` message, as the room checks it.
pub(super) struct LoginAttempt<'a> {
    pub(super) student_id: &'a str,
    pub(super) room_code: &'a str,
    pub(super) pin: Option<&'a str>,
    pub(super) key: PublicKey,
    pub(super) integrity: IntegrityAnswer,
    /// The seat record of the student's journal on that PC, if it has one.
    pub(super) seat_proof: Option<&'a [u8]>,
}

/// What the integrity check found for a login.
enum BuildCheck {
    /// Nothing to compare with (no allowed builds), or a listed build answered.
    Passed,
    /// No listed build gives this answer.
    Unknown,
}

/// Greeting, login and admission.
impl Room {
    /// A greeting: remember the build's name and hand out a fresh challenge for the next login.
    pub(super) fn on_hello(&mut self, now: ServerTime, conn: ConnId, build: String) {
        let Ok(challenge) = IntegrityChallenge::generate() else {
            // Without randomness no login can be checked; the client retries on a new connection.
            self.send(conn, ServerMsg::Refused(Refusal::ExamClosed));
            self.effects.push_back(Effect::Close(conn));
            return;
        };
        if let Some(state) = self.conns.get_mut(&conn) {
            state.greeted = true;
            state.challenge = Some(challenge);
            state.build = build.chars().take(MAX_BUILD_NAME).collect();
        }
        let pin_required = self.pin_required;
        self.send(
            conn,
            ServerMsg::Welcome {
                server_time: now,
                exam_title: self.config.exam_title.clone(),
                pin_required,
                challenge: *challenge.as_bytes(),
            },
        );
    }

    /// The integrity check of a login that passed room code, roster and PIN (so an incident names
    /// a real seat). The caller has used up the greeting's challenge whatever the outcome: a
    /// second login on the connection needs a new greeting, so no answer is ever checked twice.
    fn check_build(&self, login: &LoginAttempt<'_>, challenge: Option<IntegrityChallenge>) -> BuildCheck {
        let allowed = &self.config.integrity.allowed;
        if allowed.is_empty() {
            return BuildCheck::Passed;
        }
        let Some(challenge) = challenge else { return BuildCheck::Unknown };
        let candidates = allowed.iter().map(|a| (&a.digest, ()));
        match login.integrity.matching(candidates, &challenge, &login.key, login.student_id) {
            Some(()) => BuildCheck::Passed,
            None => BuildCheck::Unknown,
        }
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

    pub(super) fn on_login(&mut self, now: ServerTime, conn: ConnId, login: &LoginAttempt<'_>) {
        let Some(state) = self.conns.get_mut(&conn).filter(|c| c.greeted) else {
            self.send(conn, ServerMsg::Refused(Refusal::NotLoggedIn));
            self.effects.push_back(Effect::Close(conn));
            return;
        };
        let challenge = state.challenge.take();
        let build = state.build.clone();
        let student_id = login.student_id;
        if !ct_eq(login.room_code.trim().to_uppercase().as_bytes(), self.config.room_code.to_uppercase().as_bytes()) {
            return self.refuse_login(now, conn, Refusal::WrongRoomCode, format!("room code for {student_id}"));
        }
        let student = normalize_id(student_id);
        let Some(seat) = self.seats.get(&student) else {
            return self.refuse_login(now, conn, Refusal::UnknownStudent, format!("unknown student {student}"));
        };
        if let Some(expected) = &seat.roster.pin_hash
            && !login.pin.is_some_and(|p| ct_eq(&pin_hash(&student, p), expected))
        {
            return self.refuse_login(now, conn, Refusal::WrongPin, format!("PIN for {student}"));
        }
        if let BuildCheck::Unknown = self.check_build(login, challenge) {
            let strict = self.config.integrity.strict;
            let Some(seat) = self.seats.get_mut(&student) else { return };
            let first = !std::mem::replace(&mut seat.unknown_build_reported, true);
            if strict || first {
                self.incident(now, Some(&student), Incident::IntegrityMismatch { build, refused: strict });
            }
            if strict {
                self.send(conn, ServerMsg::Refused(Refusal::IntegrityMismatch));
                self.effects.push_back(Effect::Close(conn));
                return;
            }
        }
        let key = login.key;
        let Some(seat) = self.seats.get(&student) else { return };
        let submitted = seat.session.as_ref().is_some_and(|s| s.receipt.is_some());
        // After End only a PC that was away when it came may still log in, while its late
        // window is open: its journal may hold answers made before the end.
        let returning = seat.session.as_ref().is_some_and(|s| self.late_window_open(now, s));
        if self.clock.state() == ClockState::Ended && !submitted && !returning {
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
            // The same PC after a restart (a power cut): it holds this session's journal, which
            // only the admitted PC can have written, so no proctor needs to approve it.
            Some(session)
                if login.seat_proof.is_some_and(|proof| {
                    verify_seat_proof(&JournalSecret::from_bytes(session.journal_secret), &session.id, proof)
                }) =>
            {
                self.rejoin(now, conn, &student, key)
            }
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
            away_at_deadline: false,
            late_events: 0,
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

    /// Binds `conn` to the student's seat (closing an older connection) and sends the admission.
    fn attach(&mut self, conn: ConnId, student: &str) {
        let now = self.now;
        let Some(seat) = self.seats.get_mut(student) else { return };
        seat.last_heard = Some(now);
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
            typing: self.config.typing,
            duration_minutes: u32::try_from(self.config.duration.as_secs() / 60).unwrap_or(u32::MAX),
            journal_secret: WireSecret(session.journal_secret),
            next_seq: session.stored_seq,
            chain_head: *self.stored_head(session).as_bytes(),
            answers: session.final_answers(),
            phase: phase.clone(),
        };
        let package = form.map(|f| f.package.clone());
        let time_up = session.receipt.is_none()
            && matches!(self.clock.state(), ClockState::Running | ClockState::Ended)
            && self.clock.deadline(self.now, session.extension).is_some_and(|deadline| self.now >= deadline);
        self.send(conn, ServerMsg::Admitted(Box::new(admission)));
        if !matches!(phase, Phase::Submitted { .. })
            && let Some(package) = package
        {
            self.send(conn, ServerMsg::Package(package.as_ref().clone()));
        }
        if time_up {
            // Back after its time ran out (it missed the deadline's "submit now" while away): it
            // resends its journal with the admission, then this makes it send its sheet, which
            // closes the session as soon as everything landed.
            self.send(conn, ServerMsg::SubmitNow);
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
}
