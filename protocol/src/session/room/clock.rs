//! The exam clock as the room drives it: when to wake, telling students whose time is up to
//! submit, and the proctor's start, pause, resume, extend and end, each saved and audited and
//! followed by the new deadlines for every connected student.
//!
//! Kept apart because these are the room-wide commands (one call moves every deadline), while
//! the clock arithmetic itself stays in `crate::clock`.

use super::{CommandError, Room, millis};
use crate::clock::{ClockError, ClockState};
use crate::messages::ServerMsg;
use crate::session::effects::{ConnId, Effect, FinalizeReason};
use crate::time::ServerTime;
use std::time::Duration;

/// Timeouts and the proctor's clock commands.
impl Room {
    /// When `handle_timeout` should next be called, if ever.
    ///
    /// This scans every seat: callers with thousands of students should not call it per
    /// message (the proctor's room task rechecks it a few times a second).
    pub fn poll_timeout(&self) -> Option<ServerTime> {
        let ended = match self.clock.state() {
            ClockState::Running => false,
            // After End only the late windows of PCs that were away are left to close.
            ClockState::Ended => true,
            _ => return None,
        };
        let now = self.now;
        self.seats
            .values()
            .filter_map(|seat| seat.session.as_ref())
            .filter(|s| s.receipt.is_none() && !s.finishing && s.finish.is_none())
            .filter(|s| !ended || s.away_at_deadline)
            .filter_map(|s| {
                let deadline = self.clock.deadline(now, s.extension)?;
                Some(if s.away_at_deadline {
                    deadline + self.clock.grace() + self.config.late_window + Duration::from_millis(1)
                } else if s.submit_now_sent {
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
            let away = Self::is_away(seat, now);
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
                // A PC away at this moment (a power cut, a cable) may hold answers in its
                // journal: wait for it until the late window closes. One that is connected has
                // sent what it had; collect from the log at once.
                let window_open = now <= deadline + self.clock.grace() + self.config.late_window;
                if window_open && (away || session.away_at_deadline) {
                    session.away_at_deadline = true;
                } else {
                    session.finish = Some(FinalizeReason::Deadline);
                    finalize.push(student.clone());
                }
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
            if let Some(seat) = self.seats.get_mut(&student)
                && let away = Self::is_away(seat, now)
                && let Some(session) = seat.session.as_mut()
                && session.receipt.is_none()
                && session.finish.is_none()
            {
                if away {
                    // Away at the end: its journal may hold answers made before it. Collected
                    // when it is back and submits, or when its late window closes.
                    session.away_at_deadline = true;
                    continue;
                }
                session.finish = Some(FinalizeReason::Ended);
            }
            self.try_finalize(&student);
        }
        Ok(())
    }
}
