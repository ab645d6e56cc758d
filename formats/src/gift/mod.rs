//! GIFT, Moodle's plain-text question format: the importer teachers use for hand-written banks
//! and the exporter that hands our items back to Moodle.
//!
//! The syntax is the one in `design/formats.md`: questions separated by blank lines, `//`
//! comments, `$CATEGORY: a/b/c`, `::name::`, `[html]`-style format tags and one answer block
//! `{...}` whose content decides the kind. Escapes are `\~ \= \# \{ \} \:`, `\n` for a line break
//! and `\\` for a backslash; any other backslash is kept as written, so LaTeX such as `\frac`
//! needs no escaping.
//!
//! GIFT cannot say everything the bank knows, so the project adds comment conventions written
//! directly above a question (Moodle ignores them as ordinary comments):
//!
//! | comment | sets |
//! |---|---|
//! | `// level: Hiểu` (`mức độ`) | `meta.level` |
//! | `// points: 0.25` (`điểm`) | `meta.points` |
//! | `// pin: D` | `Choice::pinned` of the listed option letters |
//! | `// topic: Mệnh đề` (`chủ đề`) | `meta.topic` when it is not the category's last segment; empty = none |
//! | `// group: Nhóm 1` (`nhóm`) | `Item::group` |
//! | `// scoring: four-char`, `case-sensitive`, `all-or-nothing` | numeric, short-text and matching scoring rules |
//! | `// [id:T10-01] [tag:hàm số]` (Moodle's own, anywhere in the comments) | `meta.idnumber`, `meta.tags` |
//!
//! The category's last segment is the topic (`$CATEGORY: Toán 10/Mệnh đề` → `Mệnh đề`), and
//! `$CATEGORY:` with an empty path ends the category. Subject, grade and author are not
//! written: `qbank import --subject --grade` supplies them.

mod answers;
mod directives;
mod escape;
mod export;
mod import;
mod numeric;
mod parse;
mod scan;

pub use export::export;
pub use import::import;

/// The topic a category path implies: its last non-empty segment (`Toán 10/Mệnh đề` → `Mệnh đề`).
fn topic_of_category(category: &str) -> Option<&str> {
    category.rsplit('/').map(str::trim).find(|segment| !segment.is_empty())
}
