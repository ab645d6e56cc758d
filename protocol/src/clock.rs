//! The exam clock: one per exam room, owned by the proctor.
//!
//! A student's deadline is `start + duration + room extensions + their own extension + time
//! paused`. While the exam is paused the deadline keeps moving with `now`, so remaining time is
//! frozen; [`ExamClock::remaining`] is what a client shows. After the deadline, answers that
//! arrive within the grace period were in flight and are accepted; later ones are refused and
//! the proctor submits for the student.

use crate::time::ServerTime;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Where the exam is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockState {
    /// Students may log in and download; nobody can answer yet.
    NotStarted,
    /// Answering.
    Running,
    /// Frozen by the proctor (a power cut in the lab, a fire drill).
    Paused,
    /// Closed by the proctor; nothing more is accepted.
    Ended,
}

/// A refused clock operation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The operation does not fit the current state (e.g. pause before start).
    #[error("không thể {action} khi bài thi đang ở trạng thái {state:?} / cannot {action} while the exam is {state:?}")]
    WrongState {
        /// What was asked.
        action: &'static str,
        /// The state it was in.
        state: ClockState,
    },
}

/// The room's clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamClock {
    duration: Duration,
    grace: Duration,
    started: Option<ServerTime>,
    paused_since: Option<ServerTime>,
    paused_total: Duration,
    room_extension: Duration,
    ended: Option<ServerTime>,
}

impl ExamClock {
    /// A clock for an exam of `duration`, accepting in-flight answers for `grace` after a deadline.
    pub fn new(duration: Duration, grace: Duration) -> Self {
        Self {
            duration,
            grace,
            started: None,
            paused_since: None,
            paused_total: Duration::ZERO,
            room_extension: Duration::ZERO,
            ended: None,
        }
    }

    /// The current state.
    pub fn state(&self) -> ClockState {
        match (self.started, self.paused_since, self.ended) {
            (_, _, Some(_)) => ClockState::Ended,
            (None, _, _) => ClockState::NotStarted,
            (Some(_), Some(_), _) => ClockState::Paused,
            (Some(_), None, _) => ClockState::Running,
        }
    }

    fn require(&self, action: &'static str, state: ClockState) -> Result<(), ClockError> {
        if self.state() == state { Ok(()) } else { Err(ClockError::WrongState { action, state: self.state() }) }
    }

    /// Starts the exam.
    pub fn start(&mut self, now: ServerTime) -> Result<(), ClockError> {
        self.require("bắt đầu / start", ClockState::NotStarted)?;
        self.started = Some(now);
        Ok(())
    }

    /// Freezes remaining time.
    pub fn pause(&mut self, now: ServerTime) -> Result<(), ClockError> {
        self.require("tạm dừng / pause", ClockState::Running)?;
        self.paused_since = Some(now);
        Ok(())
    }

    /// Unfreezes; the pause is added to every deadline.
    pub fn resume(&mut self, now: ServerTime) -> Result<(), ClockError> {
        self.require("tiếp tục / resume", ClockState::Paused)?;
        if let Some(since) = self.paused_since.take() {
            self.paused_total += now.saturating_since(since);
        }
        Ok(())
    }

    /// Adds time for the whole room.
    pub fn extend_room(&mut self, by: Duration) -> Result<(), ClockError> {
        if self.state() == ClockState::Ended {
            return Err(ClockError::WrongState { action: "gia hạn / extend", state: ClockState::Ended });
        }
        self.room_extension += by;
        Ok(())
    }

    /// Ends the exam for everyone.
    pub fn end(&mut self, now: ServerTime) -> Result<(), ClockError> {
        if self.state() == ClockState::Ended {
            return Err(ClockError::WrongState { action: "kết thúc / end", state: ClockState::Ended });
        }
        if let Some(since) = self.paused_since.take() {
            self.paused_total += now.saturating_since(since);
        }
        self.ended = Some(now);
        Ok(())
    }

    /// When the exam started.
    pub fn started_at(&self) -> Option<ServerTime> {
        self.started
    }

    /// The grace period for in-flight answers.
    pub fn grace(&self) -> Duration {
        self.grace
    }

    /// Total time paused so far (including a pause in progress).
    pub fn paused_total(&self, now: ServerTime) -> Duration {
        self.paused_total + self.paused_since.map_or(Duration::ZERO, |since| now.saturating_since(since))
    }

    /// Room-wide extensions so far.
    pub fn room_extension(&self) -> Duration {
        self.room_extension
    }

    /// A student's deadline as of `now`, `None` before Start. While paused it moves with `now`.
    pub fn deadline(&self, now: ServerTime, student_extension: Duration) -> Option<ServerTime> {
        let started = self.started?;
        let deadline = started + self.duration + self.room_extension + student_extension + self.paused_total(now);
        Some(match self.ended {
            Some(ended) => deadline.min(ended),
            None => deadline,
        })
    }

    /// Time a student has left as of `now` (zero after the deadline; the full time before Start).
    pub fn remaining(&self, now: ServerTime, student_extension: Duration) -> Duration {
        match self.deadline(now, student_extension) {
            None => self.duration + self.room_extension + student_extension,
            Some(deadline) => deadline.saturating_since(now),
        }
    }

    /// Whether an answer received at `now` is accepted: running (or paused), and no later than
    /// the deadline plus the grace period.
    pub fn accepts_answers(&self, now: ServerTime, student_extension: Duration) -> bool {
        // After an early End the deadline is the end time, so the grace rule covers it too.
        self.started.is_some()
            && self.deadline(now, student_extension).is_some_and(|deadline| now <= deadline + self.grace)
    }

    /// Whether the student's time (with grace) is over at `now`: the proctor submits for them.
    pub fn is_over(&self, now: ServerTime, student_extension: Duration) -> bool {
        self.deadline(now, student_extension).is_some_and(|deadline| now > deadline + self.grace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(minutes: u64, seconds: u64) -> ServerTime {
        ServerTime::from_millis((minutes * 60 + seconds) * 1000)
    }

    fn min(m: u64) -> Duration {
        Duration::from_secs(m * 60)
    }

    fn clock() -> ExamClock {
        ExamClock::new(min(45), Duration::from_secs(10))
    }

    #[test]
    fn deadline_is_start_plus_duration_plus_extensions() {
        let mut c = clock();
        assert_eq!(c.deadline(t(0, 0), Duration::ZERO), None);
        assert_eq!(c.remaining(t(0, 0), Duration::ZERO), min(45));
        c.start(t(10, 0)).unwrap();
        assert_eq!(c.deadline(t(11, 0), Duration::ZERO), Some(t(55, 0)));
        c.extend_room(min(5)).unwrap();
        assert_eq!(c.deadline(t(11, 0), min(3)), Some(t(63, 0)));
        assert_eq!(c.remaining(t(60, 0), min(3)), min(3));
    }

    #[test]
    fn pause_freezes_remaining_time() {
        let mut c = clock();
        c.start(t(0, 0)).unwrap();
        c.pause(t(20, 0)).unwrap();
        assert_eq!(c.remaining(t(20, 0), Duration::ZERO), min(25));
        assert_eq!(c.remaining(t(32, 0), Duration::ZERO), min(25), "frozen during the pause");
        c.resume(t(32, 0)).unwrap();
        assert_eq!(c.deadline(t(33, 0), Duration::ZERO), Some(t(57, 0)));
        assert_eq!(c.paused_total(t(40, 0)), min(12));
        // A second pause adds up.
        c.pause(t(40, 0)).unwrap();
        c.resume(t(41, 30)).unwrap();
        assert_eq!(c.deadline(t(42, 0), Duration::ZERO), Some(t(58, 30)));
    }

    #[test]
    fn grace_period_for_in_flight_answers() {
        let mut c = clock();
        assert!(!c.accepts_answers(t(0, 0), Duration::ZERO), "not before Start");
        c.start(t(0, 0)).unwrap();
        assert!(c.accepts_answers(t(45, 0), Duration::ZERO));
        assert!(c.accepts_answers(t(45, 10), Duration::ZERO));
        assert!(!c.accepts_answers(t(45, 11), Duration::ZERO));
        assert!(c.is_over(t(45, 11), Duration::ZERO));
        assert!(!c.is_over(t(45, 11), min(5)), "a student with an extension goes on");
    }

    #[test]
    fn end_closes_early_and_refuses_bad_transitions() {
        let mut c = clock();
        assert!(c.pause(t(0, 0)).is_err());
        assert!(c.resume(t(0, 0)).is_err());
        c.start(t(0, 0)).unwrap();
        assert!(c.start(t(1, 0)).is_err());
        c.end(t(30, 0)).unwrap();
        assert_eq!(c.state(), ClockState::Ended);
        assert_eq!(c.deadline(t(30, 0), min(10)), Some(t(30, 0)));
        assert!(c.accepts_answers(t(30, 5), Duration::ZERO), "grace after an early end too");
        assert!(!c.accepts_answers(t(30, 11), Duration::ZERO));
        assert!(c.extend_room(min(1)).is_err());
        assert!(c.end(t(31, 0)).is_err());
    }
}
