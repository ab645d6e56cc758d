//! A booklet being laid out: lines of text and rules recorded page by page, with the cursor and
//! the page breaks, drawn into the PDF at the end once the page count is known.

use phongthi_pdf::{A4_HEIGHT, A4_WIDTH, Document, Style};

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
                }
            }
            footer(document, index, count);
        }
    }
}

fn shift(mark: Mark, dy: f32) -> Mark {
    match mark {
        Mark::Text { x, y, text, style } => Mark::Text { x, y: y + dy, text, style },
        Mark::Line { from, to } => Mark::Line { from: (from.0, from.1 + dy), to: (to.0, to.1 + dy) },
        Mark::Rect { x, y, width, height } => Mark::Rect { x, y: y + dy, width, height },
    }
}
