//! What the dashboard and `proctor status` read of the room: one [`SeatView`] per seat, in roster
//! order, and the form each student sits.
//!
//! Kept apart because it only reads: nothing here changes the room, so the dashboard's needs can
//! grow without touching the state machine.

use super::Room;
use crate::time::ServerTime;
use std::time::Duration;

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

/// Read-only views for the dashboard.
impl Room {
    /// The room code students type.
    pub fn room_code(&self) -> &str {
        &self.config.room_code
    }

    /// The form assigned to `student`, if on the roster.
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
