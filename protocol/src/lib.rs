//! Wire protocol between the exam client and the proctor.
//!
//! This crate will hold the versioned messages (serde + postcard), length-prefixed framing with
//! a size cap, and the sans-IO student-session state machines for both sides, driven by
//! `handle_message(now, ..)`, `handle_timeout(now)` and `poll_*` (see `ARCHITECTURE.md`).
//! It does no I/O and never reads the clock. It is filled by the protocol/proctor issue; until
//! then it deliberately exports nothing, so nothing can depend on a half-made protocol.
