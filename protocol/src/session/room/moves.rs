//! Seat moves: a login with a key the session does not know (a student moving to another PC, or
//! someone else typing their id) waits for the proctor, who approves or denies it.
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
}
