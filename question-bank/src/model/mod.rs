//! The domain model: items, their metadata, exact point units and text rules.

pub mod item;
pub mod meta;
pub mod points;
pub mod text;

pub use item::{
    Body, Choice, ClusterTable, Image, Item, ItemError, ItemId, ItemKind, MatchPair, MatchScoring, NumericAnswer,
    NumericValue, Statement, TextAnswer, TextFormat,
};
pub use meta::{Level, Metadata, SourceRef, Status};
pub use points::{Fraction, MilliPoints, PointsError, parse_decimal};
