//! Autosave: checking each signed answer event against the session's chain and the clock,
//! handing new ones to the store, and acknowledging them once the store reports them durable,
//! only ever as a durable prefix of the chain.
//!
//! Kept apart because "acknowledged = durable" is the room's central promise to a student, and
//! the order-sensitive bookkeeping that keeps it (`pending`, `landed`, `stored_seq`) lives here.

use super::Room;
use crate::answer::Answer;
use crate::messages::{Refusal, ServerMsg};
use crate::session::effects::{ConnId, Effect, Incident};
use crate::time::ServerTime;
use phongthi_crypto::{Accepted, ChainFault, SignedEvent};

/// Autosave and durable acknowledgements.
impl Room {
    fn refuse_event(&mut self, now: ServerTime, conn: ConnId, student: Option<&str>, seq: u64, reason: String) {
        self.incident(now, student, Incident::EventRefused(reason.clone()));
        self.send(conn, ServerMsg::EventRefused { seq, reason });
    }

    pub(super) fn on_event(&mut self, now: ServerTime, conn: ConnId, bytes: &[u8]) {
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
        let mut late = false;
        if !self.clock.accepts_answers(now, session.extension) {
            // After an outage, an answer made before the deadline (by its signed time, the
            // client's estimate of this clock) still counts while the late window is open.
            let deadline = self.clock.deadline(now, session.extension);
            let made = ServerTime::from_millis(signed.event.client_ms);
            late = self.late_window_open(now, session)
                && deadline.is_some_and(|deadline| made <= deadline + self.clock.grace());
            if !late {
                let reason = match deadline {
                    Some(deadline) if self.late_window_open(now, session) => {
                        let after = made.saturating_since(deadline).as_secs();
                        format!(
                            "câu trả lời được làm sau giờ nộp bài {after} giây, không được tính / the answer was \
                             made {after} s after the deadline and does not count"
                        )
                    }
                    _ => "ngoài giờ làm bài / outside the exam time".into(),
                };
                return self.refuse_event(now, conn, Some(&student), seq, reason);
            }
        }
        if !(1..=count).contains(&signed.event.item) {
            let reason = format!("không có câu {} / no question {}", signed.event.item, signed.event.item);
            return self.refuse_event(now, conn, Some(&student), seq, reason);
        }
        let stored_seq = session.stored_seq;
        let Some(session) = self.seats.get_mut(&student).and_then(|s| s.session.as_mut()) else { return };
        match session.verifier.accept(&signed) {
            Ok(Accepted::New(_)) => {
                session.late_events += u64::from(late);
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
}
