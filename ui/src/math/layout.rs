//! Box layout of a parsed formula: every node becomes a [`MathBox`] with a width, a height above
//! and below the baseline, and the pieces to draw (text runs and lines), after the way a printed
//! textbook sets school maths: fractions stacked on a bar at the maths axis, scripts raised or
//! lowered at 70 % size, a radical sign with an overline, delimiters as tall as what they hold.
//!
//! Only text widths come from the fonts (through [`Measure`]), so the layout is tested without
//! a window; heights are fixed fractions of the font size, which is what keeps the boxes tight.

use super::parse::{Accent, Node};
use super::symbols::Class;

/// Height above the baseline of a plain symbol, in ems (about a capital letter).
const SYMBOL_ASCENT: f32 = 0.78;
/// Depth below the baseline of a plain symbol, in ems.
const SYMBOL_DESCENT: f32 = 0.22;
/// Height of the maths axis (fraction bars, the middle of `−`), in ems.
const AXIS: f32 = 0.27;
/// Script size relative to its base.
const SCRIPT_SCALE: f32 = 0.7;
/// Numerator and denominator size relative to the surrounding text (inline fractions).
const FRACTION_SCALE: f32 = 0.9;
/// No text is drawn smaller than this, in points, however deep the nesting.
const MIN_SIZE: f32 = 7.0;

/// Text widths from the fonts.
pub trait Measure {
    /// Width of `text` at font size `size`, in points.
    fn width(&mut self, text: &str, size: f32) -> f32;
}

/// Something to draw, positioned from the box's left end on its baseline (y grows downwards).
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// A run of text whose baseline starts at `at`.
    Text {
        /// What is drawn.
        text: String,
        /// Font size, points.
        size: f32,
        /// Baseline start.
        at: egui::Vec2,
    },
    /// A polyline (fraction bar, radical sign, overline, arrow).
    Line {
        /// Points in order.
        points: Vec<egui::Vec2>,
        /// Stroke width, points.
        thickness: f32,
    },
}

/// A laid-out formula or part of one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MathBox {
    /// Advance width.
    pub width: f32,
    /// Height above the baseline.
    pub ascent: f32,
    /// Depth below the baseline.
    pub descent: f32,
    /// What to draw.
    pub pieces: Vec<Piece>,
}

impl MathBox {
    fn text(text: &str, size: f32, measure: &mut dyn Measure) -> MathBox {
        MathBox {
            width: measure.width(text, size),
            ascent: SYMBOL_ASCENT * size,
            descent: SYMBOL_DESCENT * size,
            pieces: vec![Piece::Text { text: text.to_owned(), size, at: egui::Vec2::ZERO }],
        }
    }

    /// Places `other` with its baseline start at `offset` from ours, growing our extents.
    fn place(&mut self, other: MathBox, offset: egui::Vec2) {
        self.ascent = self.ascent.max(other.ascent - offset.y);
        self.descent = self.descent.max(other.descent + offset.y);
        self.width = self.width.max(offset.x + other.width);
        self.pieces.extend(other.pieces.into_iter().map(|piece| piece.shifted(offset)));
    }

    /// Appends `other` after our right end, on the same baseline.
    fn append(&mut self, other: MathBox) {
        let offset = egui::vec2(self.width, 0.0);
        let width = self.width + other.width;
        self.place(other, offset);
        self.width = width.max(0.0);
    }

    fn line(&mut self, points: Vec<egui::Vec2>, size: f32) {
        self.pieces.push(Piece::Line { points, thickness: (0.06 * size).max(1.0) });
    }
}

impl Piece {
    fn shifted(self, offset: egui::Vec2) -> Piece {
        match self {
            Piece::Text { text, size, at } => Piece::Text { text, size, at: at + offset },
            Piece::Line { points, thickness } => {
                Piece::Line { points: points.into_iter().map(|p| p + offset).collect(), thickness }
            }
        }
    }
}

fn smaller(size: f32, scale: f32) -> f32 {
    (size * scale).max(MIN_SIZE).min(size)
}

/// Lays out a row of nodes at font size `size`.
pub fn layout(nodes: &[Node], size: f32, measure: &mut dyn Measure) -> MathBox {
    let mut row = MathBox { ascent: SYMBOL_ASCENT * size, descent: SYMBOL_DESCENT * size, ..MathBox::default() };
    let mut previous: Option<Class> = None;
    for node in nodes {
        let mut class = match node {
            Node::Symbol { class, .. } => Some(*class),
            Node::Space(_) => previous,
            _ => Some(Class::Ordinary),
        };
        // A minus or plus after nothing, `(`, `=` or `,` is a sign, not an operation: no spaces.
        let unary = matches!(previous, None | Some(Class::Open | Class::Relation | Class::Binary | Class::Punctuation));
        if class == Some(Class::Binary) && unary {
            class = Some(Class::Ordinary);
        }
        let space = match (previous, class) {
            (Some(_), Some(Class::Relation)) | (Some(Class::Relation), Some(_)) => 0.28,
            (Some(_), Some(Class::Binary)) | (Some(Class::Binary), Some(_)) => 0.22,
            (Some(Class::Punctuation | Class::Operator), Some(_)) => 0.17,
            _ => 0.0,
        };
        if !matches!(node, Node::Space(_)) && space > 0.0 {
            row.width += space * size;
        }
        row.append(node_box(node, size, measure));
        previous = class;
    }
    row
}

fn node_box(node: &Node, size: f32, measure: &mut dyn Measure) -> MathBox {
    match node {
        Node::Symbol { text, .. } => MathBox::text(text, size, measure),
        Node::Text(text) => MathBox::text(text, size, measure),
        Node::Group(nodes) => layout(nodes, size, measure),
        Node::Space(em) => MathBox { width: em.0 * size, ..MathBox::default() },
        Node::Fraction { numerator, denominator } => fraction(numerator, denominator, size, measure),
        Node::Root { degree, radicand } => root(degree.as_deref(), radicand, size, measure),
        Node::Scripts { base, sup, sub } => scripts(base, sup.as_deref(), sub.as_deref(), size, measure),
        Node::Delimited { open, body, close } => {
            let body = layout(body, size, measure);
            delimited(open, body, close, size, measure)
        }
        Node::Accent { accent, body } => accented(*accent, layout(body, size, measure), size),
        Node::Cases(rows) => cases(rows, size, measure),
    }
}

fn fraction(numerator: &[Node], denominator: &[Node], size: f32, measure: &mut dyn Measure) -> MathBox {
    let inner = smaller(size, FRACTION_SCALE);
    let top = layout(numerator, inner, measure);
    let bottom = layout(denominator, inner, measure);
    let (gap, pad) = (0.12 * size, 0.1 * size);
    let width = top.width.max(bottom.width) + 2.0 * pad;
    let mut frac = MathBox { width, ..MathBox::default() };
    frac.place(top.clone(), egui::vec2((width - top.width) / 2.0, -AXIS * size - gap - top.descent));
    frac.place(bottom.clone(), egui::vec2((width - bottom.width) / 2.0, -AXIS * size + gap + bottom.ascent));
    frac.line(vec![egui::vec2(pad / 2.0, -AXIS * size), egui::vec2(width - pad / 2.0, -AXIS * size)], size);
    // Thin spaces either side keep a fraction from touching its neighbours.
    let mut spaced = MathBox { width: 0.08 * size, ..MathBox::default() };
    spaced.append(frac);
    spaced.width += 0.08 * size;
    spaced
}

fn root(degree: Option<&[Node]>, radicand: &[Node], size: f32, measure: &mut dyn Measure) -> MathBox {
    let body = layout(radicand, size, measure);
    let top = body.ascent + 0.14 * size;
    let bottom = body.descent;
    let middle = (bottom - top) / 2.0 + 0.1 * (top + bottom);
    let index = degree.map(|nodes| layout(nodes, smaller(size, 0.55), measure));
    // The index sits over the short stroke; a wide index pushes the sign right.
    let lead = index.as_ref().map_or(0.0, |index| (index.width - 0.25 * size).max(0.0));
    let sign = 0.55 * size;
    let mut boxed = MathBox { width: lead, ..MathBox::default() };
    let start = lead;
    boxed.line(
        vec![
            egui::vec2(start, middle + 0.06 * size),
            egui::vec2(start + 0.12 * size, middle),
            egui::vec2(start + 0.3 * size, bottom),
            egui::vec2(start + sign - 0.05 * size, -top),
            egui::vec2(start + sign + body.width + 0.08 * size, -top),
        ],
        size,
    );
    if let Some(index) = index {
        let at = egui::vec2(start + 0.2 * size - index.width, middle - 0.12 * size - index.descent);
        boxed.place(index, at);
    }
    boxed.place(body, egui::vec2(start + sign, 0.0));
    boxed.width += 0.12 * size;
    boxed.ascent = boxed.ascent.max(top + 0.06 * size);
    boxed
}

fn scripts(base: &Node, sup: Option<&[Node]>, sub: Option<&[Node]>, size: f32, measure: &mut dyn Measure) -> MathBox {
    let base = node_box(base, size, measure);
    let small = smaller(size, SCRIPT_SCALE);
    let raised = sup.map(|nodes| layout(nodes, small, measure));
    let lowered = sub.map(|nodes| layout(nodes, small, measure));
    let mut up = (base.ascent - 0.5 * size).max(0.42 * size);
    let mut down = (base.descent + 0.05 * size).max(0.22 * size);
    if let (Some(raised), Some(lowered)) = (&raised, &lowered) {
        // Keep a visible gap between a superscript and a subscript on the same base.
        let gap = (up - raised.descent) - (lowered.ascent - down);
        if gap < 0.12 * size {
            let missing = 0.12 * size - gap;
            up += missing / 2.0;
            down += missing / 2.0;
        }
    }
    let x = base.width + 0.03 * size;
    let mut boxed = base;
    let mut width = boxed.width;
    if let Some(raised) = raised {
        width = width.max(x + raised.width);
        boxed.place(raised, egui::vec2(x, -up));
    }
    if let Some(lowered) = lowered {
        width = width.max(x + lowered.width);
        boxed.place(lowered, egui::vec2(x, down));
    }
    boxed.width = width + 0.03 * size;
    boxed
}

/// A delimiter glyph scaled to cover `ascent`..`descent` around the body's middle.
fn delimiter(text: &str, ascent: f32, descent: f32, size: f32, measure: &mut dyn Measure) -> MathBox {
    if text.is_empty() {
        return MathBox::default();
    }
    let height = ascent + descent;
    let glyph_size = size.max(height * 0.95);
    // A parenthesis spans about 0.76 em above its baseline and 0.2 em below.
    let baseline = (descent - ascent) / 2.0 + 0.28 * glyph_size;
    let mut boxed = MathBox::default();
    boxed.place(MathBox::text(text, glyph_size, measure), egui::vec2(0.0, baseline));
    boxed.ascent = 0.76 * glyph_size - baseline;
    boxed.descent = baseline + 0.2 * glyph_size;
    boxed
}

fn delimited(open: &str, body: MathBox, close: &str, size: f32, measure: &mut dyn Measure) -> MathBox {
    let (ascent, descent) = (body.ascent, body.descent);
    let mut boxed = delimiter(open, ascent, descent, size, measure);
    boxed.append(body);
    boxed.append(delimiter(close, ascent, descent, size, measure));
    boxed
}

fn accented(accent: Accent, body: MathBox, size: f32) -> MathBox {
    let width = body.width;
    let mark = -(body.ascent + 0.1 * size);
    let mut boxed = body;
    match accent {
        Accent::Bar => {
            boxed.line(vec![egui::vec2(0.05 * size, mark), egui::vec2(width - 0.02 * size, mark)], size);
        }
        Accent::Arrow => {
            let tip = egui::vec2(width, mark);
            boxed.line(vec![egui::vec2(0.05 * size, mark), tip], size);
            boxed.line(
                vec![tip + egui::vec2(-0.18 * size, -0.09 * size), tip, tip + egui::vec2(-0.18 * size, 0.09 * size)],
                size,
            );
        }
        Accent::Hat => {
            boxed.line(
                vec![
                    egui::vec2(0.1 * width, mark + 0.08 * size),
                    egui::vec2(width / 2.0, mark - 0.1 * size),
                    egui::vec2(0.9 * width, mark + 0.08 * size),
                ],
                size,
            );
        }
    }
    boxed.ascent = -mark + 0.14 * size;
    boxed
}

fn cases(rows: &[Vec<Vec<Node>>], size: f32, measure: &mut dyn Measure) -> MathBox {
    let laid: Vec<Vec<MathBox>> =
        rows.iter().map(|row| row.iter().map(|cell| layout(cell, size, measure)).collect()).collect();
    let columns = laid.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<f32> = (0..columns)
        .map(|c| laid.iter().filter_map(|row| row.get(c)).map(|cell| cell.width).fold(0.0, f32::max))
        .collect();
    let mut table = MathBox::default();
    let mut y = 0.0;
    for (index, row) in laid.into_iter().enumerate() {
        let ascent = row.iter().map(|cell| cell.ascent).fold(0.0, f32::max);
        let descent = row.iter().map(|cell| cell.descent).fold(0.0, f32::max);
        if index > 0 {
            y += ascent + 0.3 * size;
        }
        let mut x = 0.0;
        for (column, cell) in row.into_iter().enumerate() {
            table.place(cell, egui::vec2(x, y));
            x += widths.get(column).copied().unwrap_or(0.0) + size;
        }
        y += descent;
    }
    // Centre the table on the maths axis.
    let shift = -AXIS * size - (table.descent - table.ascent) / 2.0;
    let mut centred = MathBox::default();
    centred.place(table, egui::vec2(0.0, shift));
    let mut boxed = delimiter("{", centred.ascent, centred.descent, size, measure);
    boxed.width += 0.15 * size;
    boxed.append(centred);
    boxed
}
