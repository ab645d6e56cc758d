//! A booklet being laid out: lines of text and rules recorded page by page, with the cursor and
//! the page breaks, drawn into the PDF at the end once the page count is known.

use phongthi_pdf::{A4_HEIGHT, A4_WIDTH, Document, PictureId, Style};
use phongthi_ui::math::{MathBox, Piece};

/// Left and right margins, in points (about 16 mm).
pub(crate) const SIDE: f32 = 45.0;
/// Top margin.
pub(crate) const TOP: f32 = 40.0;
/// Space kept at the bottom for the footer.
pub(crate) const BOTTOM: f32 = 55.0;
/// Width between the margins.
pub(crate) const WIDTH: f32 = A4_WIDTH - 2.0 * SIDE;

/// One recorded drawing operation.
#[derive(Clone, Debug)]
pub(crate) enum Mark {
    /// Text with its baseline at `y`.
    Text { x: f32, y: f32, text: String, style: Style },
    /// A line.
    Line { from: (f32, f32), to: (f32, f32) },
    /// An outlined rectangle.
    Rect { x: f32, y: f32, width: f32, height: f32 },
    /// A typeset formula with its baseline starting at (x, y).
    Math { x: f32, y: f32, formula: MathBox },
    /// A figure over the rectangle with its top-left corner at (x, y).
    Picture { id: PictureId, x: f32, y: f32, width: f32, height: f32 },
}

/// One line of a block: its height and what it draws, `y` relative to the line's top.
#[derive(Clone, Debug, Default)]
pub(crate) struct Row {
    pub(crate) height: f32,
    pub(crate) marks: Vec<Mark>,
}

/// Pages of marks and the cursor.
pub(crate) struct Pages {
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl Pages {
    pub(crate) fn new() -> Pages {
        Pages { pages: vec![Vec::new()], y: TOP }
    }

    /// Moves the cursor down.
    pub(crate) fn skip(&mut self, height: f32) {
        self.y += height;
    }

    /// Draws directly at absolute positions on the current page.
    pub(crate) fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    fn break_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn room(&self) -> f32 {
        A4_HEIGHT - BOTTOM - self.y
    }

    /// Places a block of rows: on a new page when it does not fit here but fits on a fresh page
    /// (a question stays with its options); otherwise row by row, breaking where needed.
    pub(crate) fn block(&mut self, rows: Vec<Row>) {
        let total: f32 = rows.iter().map(|r| r.height).sum();
        let fresh = A4_HEIGHT - BOTTOM - TOP;
        if total > self.room() && total <= fresh && self.y > TOP {
            self.break_page();
        }
        for row in rows {
            if row.height > self.room() && self.y > TOP {
                self.break_page();
            }
            let top = self.y;
            for mark in row.marks {
                self.mark(shift(mark, top));
            }
            self.y += row.height;
        }
    }

    /// Draws every page into `document`, calling `footer(document, page index, page count)` on each.
    pub(crate) fn draw(self, document: &mut Document, mut footer: impl FnMut(&mut Document, usize, usize)) {
        let count = self.pages.len();
        for (index, page) in self.pages.into_iter().enumerate() {
            document.add_page();
            for mark in page {
                match mark {
                    Mark::Text { x, y, text, style } => document.text(x, y, &text, style),
                    Mark::Line { from, to } => document.line(from, to, 0.6),
                    Mark::Rect { x, y, width, height } => document.rect(x, y, width, height, None, true),
                    Mark::Math { x, y, formula } => draw_formula(document, x, y, &formula),
                    Mark::Picture { id, x, y, width, height } => document.picture(id, x, y, width, height),
                }
            }
            footer(document, index, count);
        }
    }
}

/// The formula's pieces in the document's fonts: its glyphs as text (Noto Sans Math where Noto
/// Sans lacks them), its bars and radical signs as paths.
fn draw_formula(document: &mut Document, x: f32, y: f32, formula: &MathBox) {
    for piece in &formula.pieces {
        match piece {
            Piece::Text { text, size, at } => document.text(x + at.x, y + at.y, text, Style::regular(*size)),
            Piece::Line { points, thickness } => {
                let points: Vec<(f32, f32)> = points.iter().map(|p| (x + p.x, y + p.y)).collect();
                // The screen's one-pixel minimum is too heavy on paper.
                document.path(&points, thickness.min(0.7));
            }
        }
    }
}

fn shift(mark: Mark, dy: f32) -> Mark {
    match mark {
        Mark::Text { x, y, text, style } => Mark::Text { x, y: y + dy, text, style },
        Mark::Line { from, to } => Mark::Line { from: (from.0, from.1 + dy), to: (to.0, to.1 + dy) },
        Mark::Rect { x, y, width, height } => Mark::Rect { x, y: y + dy, width, height },
        Mark::Math { x, y, formula } => Mark::Math { x, y: y + dy, formula },
        Mark::Picture { id, x, y, width, height } => Mark::Picture { id, x, y: y + dy, width, height },
    }
}
