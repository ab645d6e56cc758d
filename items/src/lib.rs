//! The question model every part of Phòng Thi shares: items of every kind the Vietnamese
//! formats need ([`item`]), their metadata, level and review status ([`meta`]), exact point
//! units ([`points`]: integer milli-points and Moodle's ten-millionth fractions, never floats)
//! and the text rules (NFC, diacritic folding, [`text`]).
//!
//! A crate of its own so that the importers (`phongthi-formats`), the bank
//! (`phongthi-question-bank`) and the proctor's grading agree on one model without the
//! importers depending on the bank's SQLite store. The exam client links none of it.

pub mod item;
pub mod meta;
pub mod points;
pub mod text;

pub use item::{
    Body, Choice, ClusterTable, Image, Item, ItemError, ItemId, ItemKind, MatchPair, MatchScoring, NumericAnswer,
    NumericValue, Statement, TextAnswer, TextFormat, canonical_answer_feedback,
};
pub use meta::{Level, Metadata, SourceRef, Status};
pub use points::{Fraction, MilliPoints, PointsError, parse_decimal};
