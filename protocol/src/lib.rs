//! Wire protocol between the exam client and the proctor: framing, messages and the exam clock.
//!
//! This crate does no I/O and never reads the clock: every input takes `now`
//! (invariant 7 in `ARCHITECTURE.md`). The session state machines for both sides are built on
//! these pieces by the protocol/proctor issue.

pub mod clock;
pub mod frame;
pub mod time;

pub use clock::{ClockError, ClockState, ExamClock};
pub use frame::{FrameDecoder, FrameError, MAX_FRAME, encode_frame};
pub use time::ServerTime;
