//! Seat moves: a login with a key the session does not know (a student moving to another PC, or
//! someone else typing their id) waits for the proctor, who approves or denies it, one by one or
//! all at once. A login from the PC that holds the session's journal (a client restarted after a
//! power cut) proves it with the journal's seat record and rejoins without waiting.
//!
//! Kept apart because it is the only way a second key joins a session, and so the place to look
//! when asking who may sign a student's answers.

use super::{CommandError, Room};
use crate::messages::{Refusal, ServerMsg};
use crate::session::effects::{ConnId, Effect, Incident};
use crate::time::ServerTime;
use phongthi_crypto::PublicKey;

/// Seat moves: requested at login, decided by the proctor.
impl Room {
    pub(super) fn request_move(&mut self, now: ServerTime, conn: ConnId, student: &str, key: PublicKey) {
        let Some(seat) = self.seats.get_mut(student) else { return };
        seat.pending_move = Some((conn, key));
        if let Some(c) = self.conns.get_mut(&conn) {
            c.student = Some(student.to_owned());
        }
        self.send(conn, ServerMsg::SeatMovePending);
        self.incident(now, Some(student), Incident::SeatMoveRequested);
    }

    /// A client restarted on the PC that holds the session's journal (its seat proof verified):
    /// its new key joins the session as an approved move would, with no one asked.
    pub(super) fn rejoin(&mut self, now: ServerTime, conn: ConnId, student: &str, key: PublicKey) {
        if let Some(seat) = self.seats.get_mut(student) {
            // A pending move of this student is superseded: the PC that holds the journal is back.
            seat.pending_move = None;
        }
        if self.add_key(student, conn, key).is_ok() {
            self.incident(now, Some(student), Incident::Rejoined);
            self.audit(now, "student.rejoin", format!("{{\"student\":{student:?}}}"));
        }
    }

    /// Approve every pending seat move at once (after a power cut, when every PC of the room
    /// comes back without its journal); returns the students approved.
    pub fn approve_all_moves(&mut self, now: ServerTime) -> Vec<String> {
        let mut pending: Vec<String> =
            self.seats.iter().filter(|(_, seat)| seat.pending_move.is_some()).map(|(id, _)| id.clone()).collect();
        pending.sort();
        pending.into_iter().filter(|student| self.approve_move(now, student).is_ok()).collect()
    }

    /// `key` joins `student`'s session for the connection `conn`, stored before it is admitted.
    fn add_key(&mut self, student: &str, conn: ConnId, key: PublicKey) -> Result<(), CommandError> {
        let seat = self.seats.get_mut(student).ok_or_else(|| CommandError::UnknownStudent(student.to_owned()))?;
        let form_index = seat.roster.form_index;
        if let Some(c) = self.conns.get_mut(&conn) {
            c.student = Some(student.to_owned());
        }
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
        Ok(())
    }

    /// Approve a seat move: the new PC's key joins the session and the old connection is closed.
    pub fn approve_move(&mut self, now: ServerTime, student: &str) -> Result<(), CommandError> {
        self.now = now;
        let seat = self.seats.get_mut(student).ok_or_else(|| CommandError::UnknownStudent(student.to_owned()))?;
        let (conn, key) = seat.pending_move.take().ok_or_else(|| CommandError::NoPendingMove(student.to_owned()))?;
        self.add_key(student, conn, key)?;
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
}
