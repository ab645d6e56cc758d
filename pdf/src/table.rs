//! A simple table that flows down the page and continues on new pages, repeating its header
//! row, as printed class lists do.

use super::{A4_HEIGHT, Align, Document, MARGIN, Style};

/// A column: its header, width in points and the alignment of its cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// Width in points.
    pub width: f32,
    /// Alignment of the cells (the header is centred).
    pub align: Align,
}

impl Column {
    /// A column.
    pub fn new(header: &str, width: f32, align: Align) -> Column {
        Column { header: header.to_owned(), width, align }
    }
}

/// Text size of the table's cells.
const CELL_SIZE: f32 = 9.5;
/// Row height.
const ROW_HEIGHT: f32 = 17.0;
/// Space between a cell's border and its text.
const PADDING: f32 = 4.0;

/// Draws `rows` under `columns` from `top` (points from the page top) at `left`, starting new
/// pages (with the header again) when the bottom margin is reached. Returns where the next
/// content may start on the last page. A cell too wide for its column is cut with `…`.
pub fn draw_table(document: &mut Document, left: f32, top: f32, columns: &[Column], rows: &[Vec<String>]) -> f32 {
    let bottom = A4_HEIGHT - MARGIN;
    let mut y = top;
    if y + 2.0 * ROW_HEIGHT > bottom {
        document.add_page();
        y = MARGIN;
    }
    y = draw_row(document, left, y, columns, None, true);
    for row in rows {
        if y + ROW_HEIGHT > bottom {
            document.add_page();
            y = draw_row(document, left, MARGIN, columns, None, true);
        }
        y = draw_row(document, left, y, columns, Some(row), false);
    }
    y
}

fn draw_row(
    document: &mut Document,
    left: f32,
    top: f32,
    columns: &[Column],
    cells: Option<&Vec<String>>,
    header: bool,
) -> f32 {
    let fill = if header { Some(0.88) } else { None };
    let mut x = left;
    for (index, column) in columns.iter().enumerate() {
        document.rect(x, top, column.width, ROW_HEIGHT, fill, true);
        let text = match cells {
            Some(cells) => cells.get(index).map(String::as_str).unwrap_or(""),
            None => column.header.as_str(),
        };
        let style = if header { Style::bold(CELL_SIZE) } else { Style::regular(CELL_SIZE) };
        let align = if header { Align::Center } else { column.align };
        let fitted = fit(document, text, column.width - 2.0 * PADDING, CELL_SIZE);
        let anchor = match align {
            Align::Left => x + PADDING,
            Align::Center => x + column.width / 2.0,
            Align::Right => x + column.width - PADDING,
        };
        document.text(anchor, top + ROW_HEIGHT - 5.0, &fitted, style.aligned(align));
        x += column.width;
    }
    top + ROW_HEIGHT
}

/// `text`, or as much of it as fits in `width` followed by `…`.
pub fn fit(document: &Document, text: &str, width: f32, size: f32) -> String {
    if document.text_width(text, size) <= width {
        return text.to_owned();
    }
    let mut kept: String = text.to_owned();
    while !kept.is_empty() {
        kept.pop();
        let candidate = format!("{}…", kept.trim_end());
        if document.text_width(&candidate, size) <= width {
            return candidate;
        }
    }
    String::new()
}
