//! Wire protocol between the exam client and the proctor: framing, versioned messages, the
//! student-facing form, answers, and the exam clock.
//!
//! This crate does no I/O and never reads the clock: every input takes `now`
//! (invariant 7 in `ARCHITECTURE.md`). The session state machines for both sides are built on
//! these pieces by the protocol/proctor issue.

pub mod answer;
pub mod clock;
pub mod frame;
pub mod messages;
pub mod presented;
pub mod session;
pub mod time;
pub mod typing;

pub use answer::Answer;
pub use clock::{ClockError, ClockState, ExamClock};
pub use frame::{FrameDecoder, FrameError, MAX_FRAME, encode_frame};
pub use messages::{
    Admission, ClientMsg, DecodeError, IncidentKind, PROTOCOL_VERSION, Phase, Refusal, ServerMsg, WireSecret, decode,
    encode,
};
pub use presented::{PresentedBody, PresentedForm, PresentedImage, PresentedPart, PresentedQuestion};
pub use session::client::{ActionError, ClientConfig, ClientEvent, ClientSession, LocalTime};
pub use session::effects::{ConnId, Effect, FinalizeReason, Incident};
pub use session::room::{
    AllowedBuild, CommandError, FormRelease, IntegrityPolicy, Room, RoomConfig, RosterEntry, SeatView, SessionRestore,
    encode_answers, pin_hash,
};
pub use time::ServerTime;
pub use typing::{InputMethod, UnknownInputMethod};
