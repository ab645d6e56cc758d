//! Question text as it is printed: words and typeset formulas on lines, and figures as
//! blocks of their own.
//!
//! The formulas go through the exam client's own typesetter (`phongthi_ui::math`: parse, then
//! box layout with widths from a [`Measure`]), measured here with the PDF's embedded fonts, so a
//! paper shows the fraction stacked and the radical drawn exactly as the student's screen does.
//! A formula outside the subset is printed as typed, which a student can still read.

use super::text::reduce_markup;
use phongthi_pdf::Document;
use phongthi_ui::math::{MathBox, Measure, Segment, layout, parse, split};

/// Text widths from the document's embedded fonts.
struct PdfMeasure<'a>(&'a Document);

impl Measure for PdfMeasure<'_> {
    fn width(&mut self, text: &str, size: f32) -> f32 {
        self.0.text_width(text, size)
    }
}

/// One unbreakable piece of a line.
#[derive(Clone, Debug)]
pub(crate) enum Inline {
    /// A word, with the spaces around it trimmed (the line puts one back where there was any).
    Word(String),
    /// A typeset formula.
    Math(MathBox),
}

/// An inline and whether it follows the previous one without a space ("$x = 4$:" keeps its
/// colon on the formula).
#[derive(Clone, Debug)]
pub(crate) struct Glued {
    pub(crate) inline: Inline,
    pub(crate) glued: bool,
}

/// A printed paragraph or a figure.
#[derive(Clone, Debug)]
pub(crate) enum Block {
    /// Words and formulas, wrapped to the column.
    Text(Vec<Glued>),
    /// The picture of this name (an `<img>` in the text).
    Figure(String),
}

/// A laid-out line: pieces at x offsets, and its extent around the baseline.
#[derive(Clone, Debug, Default)]
pub(crate) struct Line {
    pub(crate) pieces: Vec<(f32, Inline)>,
    pub(crate) width: f32,
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
}

/// `text` (HTML or plain, with `$…$` formulas) as blocks at font size `size`.
pub(crate) fn blocks(document: &Document, text: &str, size: f32) -> Vec<Block> {
    let mut blocks = Vec::new();
    for paragraph in reduce_markup(text).split('\n') {
        if let Some(name) = paragraph.strip_prefix(FIGURE_MARK) {
            blocks.push(Block::Figure(name.to_owned()));
            continue;
        }
        let inlines = inlines(document, paragraph, size);
        if !inlines.is_empty() {
            blocks.push(Block::Text(inlines));
        }
    }
    blocks
}

/// How [`reduce_markup`] marks the paragraph an `<img>` stood in.
pub(crate) const FIGURE_MARK: &str = "\u{1}figure:";

/// The words and formulas of one paragraph.
pub(crate) fn inlines(document: &Document, paragraph: &str, size: f32) -> Vec<Glued> {
    let mut inlines = Vec::new();
    // Whether the next piece is glued to the previous one: nothing before the first counts as a
    // space.
    let mut glued = false;
    let words = |text: &str, glued: &mut bool, inlines: &mut Vec<Glued>| {
        let mut first = true;
        for word in text.split_whitespace() {
            let joined = first && *glued && !text.starts_with(char::is_whitespace);
            inlines.push(Glued { inline: Inline::Word(word.to_owned()), glued: joined });
            first = false;
        }
        if !text.trim().is_empty() || text.is_empty() {
            *glued = !text.ends_with(char::is_whitespace);
        } else {
            *glued = false;
        }
    };
    for segment in split(paragraph) {
        match segment {
            Segment::Text(text) => words(&text, &mut glued, &mut inlines),
            Segment::Math(source) => match parse(&source) {
                Ok(nodes) => {
                    let formula = layout(&nodes, size, &mut PdfMeasure(document));
                    inlines.push(Glued { inline: Inline::Math(formula), glued: glued && !inlines.is_empty() });
                    glued = true;
                }
                Err(_) => words(&format!("${source}$"), &mut glued, &mut inlines),
            },
        }
    }
    inlines
}

fn inline_width(document: &Document, inline: &Inline, size: f32) -> f32 {
    match inline {
        Inline::Word(word) => document.text_width(word, size),
        Inline::Math(formula) => formula.width,
    }
}

/// The width of `inlines` on one line.
pub(crate) fn single_line_width(document: &Document, inlines: &[Glued], size: f32) -> f32 {
    let space = document.text_width(" ", size);
    let words: f32 = inlines.iter().map(|piece| inline_width(document, &piece.inline, size)).sum();
    let spaces = inlines.iter().skip(1).filter(|piece| !piece.glued).count();
    words + space * spaces as f32
}

/// Breaks `inlines` into lines no wider than `width`; the first line is narrower by
/// `first_indent` (room for "Câu 3." before it). A piece wider than a line gets a line of its
/// own (a formula never breaks).
pub(crate) fn wrap(document: &Document, inlines: &[Glued], width: f32, first_indent: f32, size: f32) -> Vec<Line> {
    let space = document.text_width(" ", size);
    let plain = Line { ascent: 0.78 * size, descent: 0.22 * size, ..Line::default() };
    let mut lines = Vec::new();
    let mut line = plain.clone();
    for Glued { inline, glued } in inlines {
        let room = if lines.is_empty() { width - first_indent } else { width };
        let piece = inline_width(document, inline, size);
        let at = match (line.pieces.is_empty(), glued) {
            (true, _) => 0.0,
            (false, true) => line.width,
            (false, false) => line.width + space,
        };
        if at + piece > room && !line.pieces.is_empty() {
            lines.push(std::mem::replace(&mut line, plain.clone()));
            line.pieces.push((0.0, inline.clone()));
            line.width = piece;
        } else {
            line.pieces.push((at, inline.clone()));
            line.width = at + piece;
        }
        if let Inline::Math(formula) = inline {
            line.ascent = line.ascent.max(formula.ascent);
            line.descent = line.descent.max(formula.descent);
        }
    }
    lines.push(line);
    lines
}
