//! The locked-down exam client students use on lab PCs (binary `exam-client`).
//!
//! It never depends on `phongthi-question-bank`: answer keys and scoring code must not reach
//! student PCs. [`ime`] is the built-in Vietnamese input method (Telex and VNI) that text answers
//! are typed with inside the lockdown, where external input methods are neither trusted nor
//! available; [`net`] is the network task, the encrypted journal and the readiness checks
//! (no GUI: the proctor's demo and the tests drive it); `app` (feature `gui`) is the exam
//! window: screens, typeset maths, figures, themes, lockdown incidents. See `docs/client.md`.

pub mod ime;
pub mod net;

#[cfg(feature = "gui")]
pub mod app;

/// The embedded fonts (also `app::fonts`): the same file, compiled alone when only the `fonts`
/// feature is on, so the proctor's dashboard draws Vietnamese without the exam window.
#[cfg(all(feature = "fonts", not(feature = "gui")))]
#[path = "app/fonts.rs"]
pub mod fonts;
#[cfg(feature = "gui")]
pub use app::fonts;
