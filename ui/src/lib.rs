//! The egui pieces every Phòng Thi window draws questions and text with: typeset maths
//! ([`math`]), html/moodle texts read as paragraphs ([`markup`]), figures ([`images`]), the
//! embedded Noto Sans ([`fonts`]) and the light and high-contrast looks with zoom ([`theme`]).
//!
//! The exam window, the proctor's dashboard and the teachers' preview all use this one crate, so
//! a formula, a figure or a Vietnamese letter looks the same in each: what teachers preview is
//! what students see, drawn by the very same code. It depends on egui, the PNG/JPEG decoders and
//! the protocol's presented types only, never on the question bank or any scoring code, so the
//! exam client can use it without an answer key coming near a student's PC. Nothing here knows about screens or sessions:
//! callers hand in texts, figures and contexts.

pub mod fonts;
pub mod images;
pub mod markup;
pub mod math;
pub mod theme;
