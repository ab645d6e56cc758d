//! The locked-down exam client students use on lab PCs (binary `exam-client`).
//!
//! It never depends on `phongthi-question-bank`: answer keys and scoring code must not reach
//! student PCs. [`ime`] is the built-in Vietnamese input method (Telex and VNI) that text answers
//! are typed with inside the lockdown, where external input methods are neither trusted nor
//! available; [`integrity`] is this build's value for the proctor's client check (SHA-256 of the
//! executable); [`net`] is the network task, the encrypted journal and the readiness checks
//! (no GUI: the proctor's demo and the tests drive it); `app` (feature `gui`) is the exam
//! window: screens, lockdown incidents and readiness, drawing question texts with the shared
//! typesetting, figures, fonts and theme of `phongthi-ui`. See `docs/client.md`.

pub mod ime;
pub mod integrity;
pub mod net;

#[cfg(feature = "gui")]
pub mod app;
