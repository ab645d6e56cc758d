//! Moodle XML, the format Moodle's question bank exports and imports (`<quiz>` of `<question>`s).
//!
//! [`import`] reads the question types the bank has a kind for (multichoice, truefalse,
//! shortanswer, numerical, matching, essay, description) and category questions, which set
//! `meta.category` and `meta.topic` for the questions after them. Base64 `<file>` images become
//! [`phongthi_items::Image`]s while the text keeps Moodle's `@@PLUGINFILE@@/NAME` references.
//! Other types (calculated, cloze, drag-and-drop, …) and malformed XML are reported with file,
//! line and column, and reading goes on with the next question.
//!
//! [`export`] writes every kind except true/false clusters, which Moodle has no type for. What
//! Moodle XML has no element for travels in `phongthi:` tags (see `convention.rs`): cognitive level
//! (`phongthi:level=hieu`), pinned options (`phongthi:pin=D`), group, the four-character rule,
//! all-or-nothing matching and the blank of a missing-word question. Export → import gives back
//! the same items, with two documented normalisations: a numeric range becomes the equivalent
//! midpoint ± tolerance, and an item with a topic but no category gets that topic as its
//! category (the topic is always the category's last segment). Texts are trimmed on import.

mod category;
mod convention;
mod export;
mod import;
pub(crate) mod lines;
mod tree;

pub use export::export;
pub use import::import;
