//! Inline maths, typeset: question texts carry `$…$` (and `\(…\)`) in the LaTeX subset school
//! teachers write, and students see fractions stacked, scripts raised and radicals drawn, never
//! the raw source.
//!
//! `inline` finds the formulas in a text, `parse` turns one into [`Node`]s (or an error, and the
//! source is then shown as typed), `symbols` maps letters and commands to characters the embedded
//! Noto Sans Math draws, `layout` computes boxes, `paragraph` wraps words and formulas and paints
//! them, `plain` gives the accessibility tree a readable line (`x² − 5x + 6 = 0`).

mod inline;
mod layout;
mod paragraph;
mod parse;
mod plain;
mod symbols;

#[cfg(test)]
mod tests;

pub use inline::{Segment, has_math, split};
pub use layout::{MathBox, Measure, Piece, layout};
pub use paragraph::show;
pub use parse::{Accent, Em, MathError, Node, parse};
pub use symbols::Class;

/// The readable line of a text with formulas: words as they are, each formula in plain
/// characters, and a formula outside the subset as typed.
pub fn plain_text(text: &str) -> String {
    split(text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(words) => words,
            Segment::Math(source) => match parse(&source) {
                Ok(nodes) => plain::plain(&nodes),
                Err(_) => format!("${source}$"),
            },
        })
        .collect()
}
