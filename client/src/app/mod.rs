//! The exam window (egui), behind the `gui` feature.
//!
//! So far only its font: see [`fonts`].

pub mod fonts;
