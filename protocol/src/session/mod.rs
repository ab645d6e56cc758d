//! The session state machines: the proctor's room and (in `client.rs`) the student's client.

pub mod client;
pub mod effects;
pub mod room;
