//! What the proctor's room asks the world to do, and the facts it needs back.
//!
//! The room never writes to disk itself. It emits an [`Effect`]; the proctor performs it and
//! reports back (`Room::handle_event_stored`, `Room::handle_session_stored`,
//! `Room::handle_submitted`, …). Acknowledgements to students are only produced by those
//! reports, which is how "acknowledged = durable" becomes a property of the code, not a habit.

use crate::answer::Answer;
use crate::messages::IncidentKind;
use crate::time::ServerTime;
use phongthi_crypto::{AnswerSheet, PublicKey, SessionId, SignedEvent};
use std::time::Duration;

/// A connection, as numbered by the I/O layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnId(pub u64);

/// Why the proctor finalises a session without (or before) a sheet from the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinalizeReason {
    /// Time ran out and no sheet arrived within the grace period.
    Deadline,
    /// The proctor forced the submission.
    Forced,
    /// The proctor ended the exam.
    Ended,
}

/// Something the room observed that the proctor should see and log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incident {
    /// Reported by the client (focus lost, fullscreen left, …).
    Client {
        /// What.
        kind: IncidentKind,
        /// How long.
        duration: Duration,
        /// Details from the client.
        detail: String,
    },
    /// A login for a student who is seated elsewhere.
    SeatMoveRequested,
    /// A client restarted on the PC holding the session's journal rejoined without approval.
    Rejoined,
    /// Answers made before the deadline arrived after it (from a journal, after an outage) and
    /// were accepted within the late window.
    LateAnswers {
        /// How many events.
        count: u64,
    },
    /// A student's connection went away while the exam was open.
    Disconnected,
    /// A login's integrity answer matched no allowed build.
    IntegrityMismatch {
        /// The build the client named in its greeting (its own claim, for the log).
        build: String,
        /// Strict mode refused the login (otherwise the student was admitted).
        refused: bool,
    },
    /// An answer event was refused (forged, replayed, out of order, another session's, too late).
    EventRefused(String),
    /// A signed sheet did not match the event log or failed its signature.
    SheetRefused(String),
    /// A bad room code, PIN or unknown student id.
    LoginRefused(String),
    /// Storing failed (a full disk): answers are not being acknowledged.
    StoreFailed,
}

/// Work for the proctor.
#[derive(Clone, Debug)]
pub enum Effect {
    /// Persist a new session (or a new key for it); then call `handle_session_stored`.
    StoreSession {
        /// Student id.
        student: String,
        /// The session.
        session: SessionId,
        /// The key to register (the first one, or a new one after a seat move).
        key: PublicKey,
        /// Journal secret for the client.
        journal_secret: [u8; 32],
        /// Form index assigned.
        form_index: u32,
    },
    /// Persist an accepted answer event; then call `handle_event_stored` (or
    /// `handle_event_store_failed`).
    StoreEvent {
        /// Student id.
        student: String,
        /// The event.
        event: SignedEvent,
        /// Its decoded answer.
        answer: Answer,
        /// Proctor time of receipt.
        received: ServerTime,
    },
    /// Grade and store a verified sheet, sign a receipt; then call `handle_submitted`.
    Submit {
        /// Student id.
        student: String,
        /// The signed sheet bytes as received.
        sheet_bytes: Vec<u8>,
        /// The verified sheet.
        sheet: AnswerSheet,
        /// The final answers by question number (equal to the durable event log).
        answers: Vec<(u32, Answer)>,
    },
    /// Grade and store from the durable event log (no client sheet); then call `handle_submitted`.
    Finalize {
        /// Student id.
        student: String,
        /// The session.
        session: SessionId,
        /// The final answers by question number.
        answers: Vec<(u32, Answer)>,
        /// Why.
        reason: FinalizeReason,
    },
    /// Record an incident.
    Incident {
        /// When.
        at: ServerTime,
        /// The student, when known.
        student: Option<String>,
        /// What.
        incident: Incident,
    },
    /// Persist the clock (after Start, Pause, Resume, Extend, End).
    SaveClock(crate::clock::ExamClock),
    /// Persist a student's extension.
    SaveExtension {
        /// Student id.
        student: String,
        /// The session.
        session: SessionId,
        /// Total extension now.
        extension: Duration,
    },
    /// Record a proctor action in the audit chain.
    Audit {
        /// When.
        at: ServerTime,
        /// Action name (`exam.start`, `student.extend`, …).
        action: String,
        /// Details.
        detail: String,
    },
    /// Close a connection (after its last message is sent).
    Close(ConnId),
}
