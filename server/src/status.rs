//! The room as `proctor status --json` and the dashboard see it: one typed value built by the
//! room task, sent as the `data` of a [`Reply`](crate::control::Reply) (the JSON field names are
//! the documented contract in `docs/proctor.md`), and read back with [`RoomStatus::from_reply`].

use phongthi_protocol::{ClockState, Room, ServerTime};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The whole room at one instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomStatus {
    /// The exam (hex).
    pub exam_id: String,
    /// Its title.
    pub title: String,
    /// Where the exam is in its life.
    pub state: ClockState,
    /// Proctor time of this status.
    #[serde(default)]
    pub now_ms: u64,
    /// When Start was given.
    pub started_ms: Option<u64>,
    /// Time left for the room (without any student's extension).
    pub remaining_ms: u64,
    /// Time spent paused so far.
    pub paused_ms: u64,
    /// The room's deadline, once started (start + duration + extensions + pauses).
    #[serde(default)]
    pub deadline_ms: Option<u64>,
    /// Minutes added for the whole room.
    #[serde(default)]
    pub room_extension_minutes: u64,
    /// The store's alarm (disk full, I/O), while answers are not being saved.
    pub store_alarm: Option<String>,
    /// Every roster student, in roster order.
    pub seats: Vec<SeatStatus>,
}

/// One student's seat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatStatus {
    /// Student id.
    pub student_id: String,
    /// Full name.
    pub full_name: String,
    /// Class.
    pub class: String,
    /// Seat label from the roster (`A3`, `2-4`), if any.
    pub seat: Option<String>,
    /// Form code.
    pub form: String,
    /// Logged in at least once.
    pub logged_in: bool,
    /// Connected now.
    pub connected: bool,
    /// The sealed form is on the PC.
    pub package_ready: bool,
    /// Questions with a stored answer.
    pub answered: u32,
    /// Questions on the form.
    pub questions: u32,
    /// Proctor time of the last durable save.
    pub last_save_ms: Option<u64>,
    /// Extra minutes for this student.
    pub extension_minutes: u64,
    /// A login from another PC waits for approval.
    pub move_pending: bool,
    /// The receipt code, once submitted.
    pub receipt_code: Option<String>,
    /// The exam window had focus at the latest heartbeat.
    pub focused: Option<bool>,
    /// The exam window was full screen at the latest heartbeat.
    pub fullscreen: Option<bool>,
    /// Proctor time of the latest heartbeat.
    pub last_heartbeat_ms: Option<u64>,
}

/// A status reply that does not hold a status.
#[derive(Debug, thiserror::Error)]
#[error("trạng thái phòng thi không đọc được / the room status cannot be read: {0}")]
pub struct StatusError(String);

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl RoomStatus {
    /// The status of `room` at `now`.
    pub(crate) fn of_room(room: &Room, exam_id: String, title: String, now: ServerTime, alarm: Option<String>) -> Self {
        let clock = room.clock();
        let seats = room
            .seat_views()
            .into_iter()
            .map(|s| SeatStatus {
                student_id: s.student_id,
                full_name: s.full_name,
                class: s.class,
                seat: s.seat,
                form: s.form_code,
                logged_in: s.logged_in,
                connected: s.connected,
                package_ready: s.package_ready,
                answered: s.answered,
                questions: s.question_count,
                last_save_ms: s.last_save.map(|t| t.as_millis()),
                extension_minutes: s.extension.as_secs() / 60,
                move_pending: s.move_pending,
                receipt_code: s.receipt_code,
                focused: s.focused,
                fullscreen: s.fullscreen,
                last_heartbeat_ms: s.last_heartbeat.map(|t| t.as_millis()),
            })
            .collect();
        RoomStatus {
            exam_id,
            title,
            state: clock.state(),
            now_ms: now.as_millis(),
            started_ms: clock.started_at().map(|t| t.as_millis()),
            remaining_ms: millis(clock.remaining(now, Duration::ZERO)),
            paused_ms: millis(clock.paused_total(now)),
            deadline_ms: clock.deadline(now, Duration::ZERO).map(|t| t.as_millis()),
            room_extension_minutes: clock.room_extension().as_secs() / 60,
            store_alarm: alarm,
            seats,
        }
    }

    /// Reads the status out of a reply's `data`.
    pub fn from_reply(reply: &crate::control::Reply) -> Result<Self, StatusError> {
        if !reply.ok {
            return Err(StatusError(reply.message.clone()));
        }
        Self::deserialize(&reply.data).map_err(|e| StatusError(e.to_string()))
    }
}
