//! A small PDF writer for Phòng Thi's printouts (score reports, the department's statistics,
//! the lab sheet; printed forms and answer sheets next): A4 pages, Noto Sans text at positions,
//! lines and rectangles, and a table that breaks across pages ([`table`]).
//!
//! Built on `pdf-writer` (the objects), `subsetter` (the font subset), `ttf-parser` (the
//! font's glyphs and advances) and `flate2` (already built for zip): pure Rust, no C. The API is in
//! points (1/72 inch) measured **from the top-left corner**, as one lays out paper; the PDF's
//! own bottom-up coordinates stay inside this crate.
//!
//! Drawing only records operations: glyph ids of the subset are known once every page is laid
//! out, so [`Document::finish`] subsets the font and writes the content streams then. Output is
//! deterministic (no timestamps), so the same report is the same bytes and its manifest entry
//! the same hash. Only the embedded font is deflated (it is most of the file; a page of text
//! comes to ~12 KB); content streams stay plain, small and readable to simple tools.

mod font;
pub mod inspect;
mod picture;
pub mod table;
mod write;

pub use picture::Picture;

#[cfg(test)]
mod picture_tests;
#[cfg(test)]
mod tests;

use font::Font;

/// A4 width in points.
pub const A4_WIDTH: f32 = 595.28;
/// A4 height in points.
pub const A4_HEIGHT: f32 = 841.89;
/// The page margin used by the reports, in points (about 18 mm).
pub const MARGIN: f32 = 50.0;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The embedded font could not be read or subset.
    #[error("lỗi phông chữ / font error: {0}")]
    Font(String),
    /// A document without pages.
    #[error("tài liệu PDF không có trang nào / a PDF document without pages")]
    NoPages,
    /// A figure that cannot be read.
    #[error("ảnh {name}: {why} / picture {name} cannot be read")]
    Picture {
        /// The picture's file name.
        name: String,
        /// What is wrong with it.
        why: String,
    },
}

/// A picture added to a document with [`Document::add_picture`], to draw with
/// [`Document::picture`] as often as needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PictureId(usize);

/// Text weight. Only Noto Sans Regular is embedded (the client's font, 500 KB); bold is drawn by
/// stroking the outlines as well as filling them, which prints as a clear bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    /// Regular.
    Regular,
    /// Bold (fill and stroke).
    Bold,
}

/// Horizontal alignment of text at a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// `x` is the left edge.
    Left,
    /// `x` is the centre.
    Center,
    /// `x` is the right edge.
    Right,
}

/// Text style.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Font size in points.
    pub size: f32,
    /// Weight.
    pub weight: Weight,
    /// Alignment at the given `x`.
    pub align: Align,
}

impl Style {
    /// Regular, left-aligned text of `size` points.
    pub fn regular(size: f32) -> Style {
        Style { size, weight: Weight::Regular, align: Align::Left }
    }

    /// Bold, left-aligned text of `size` points.
    pub fn bold(size: f32) -> Style {
        Style { size, weight: Weight::Bold, align: Align::Left }
    }

    /// The same style with another alignment.
    pub fn aligned(self, align: Align) -> Style {
        Style { align, ..self }
    }
}

/// A drawing operation, coordinates from the top-left of the page.
#[derive(Clone, Debug)]
enum Op {
    /// Text whose baseline starts at (x, y).
    Text { x: f32, y: f32, size: f32, weight: Weight, font: usize, glyphs: Vec<u16> },
    /// A straight line.
    Line { from: (f32, f32), to: (f32, f32), width: f32, dashed: bool },
    /// Connected line segments through the points (a radical sign, an arrow).
    Path { points: Vec<(f32, f32)>, width: f32 },
    /// A picture stretched over the rectangle with its top-left corner at (x, y).
    Picture { id: usize, x: f32, y: f32, width: f32, height: f32 },
    /// A rectangle with its top-left corner at (x, y), filled with a grey level (0 black, 1 white)
    /// and/or outlined.
    Rect { x: f32, y: f32, width: f32, height: f32, fill_gray: Option<f32>, outline: bool },
}

/// A PDF being laid out: pages of operations.
pub struct Document {
    title: String,
    /// Noto Sans, then Noto Sans Math for the symbols it lacks.
    fonts: [Font; 2],
    pages: Vec<Vec<Op>>,
    pictures: Vec<Picture>,
}

impl Document {
    /// An empty document whose metadata title is `title`.
    pub fn new(title: &str) -> Result<Document, PdfError> {
        Ok(Document {
            title: title.to_owned(),
            fonts: [Font::noto_sans()?, Font::noto_sans_math()?],
            pages: Vec::new(),
            pictures: Vec::new(),
        })
    }

    /// Starts a new A4 page; drawing goes to it from now on.
    pub fn add_page(&mut self) {
        self.pages.push(Vec::new());
    }

    /// How many pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The width of `text` at `size` points.
    pub fn text_width(&self, text: &str, size: f32) -> f32 {
        self.runs(text).iter().map(|(font, run)| self.fonts[*font].width(run, size)).sum()
    }

    /// Whether the embedded fonts can draw `character`.
    pub fn has_glyph(&self, character: char) -> bool {
        self.fonts.iter().any(|font| font.has_glyph(character))
    }

    /// `text` cut into runs of one font each: Noto Sans where it has the glyph, Noto Sans Math
    /// where only it has it (a character neither has stays with Noto Sans, as its `.notdef`).
    fn runs(&self, text: &str) -> Vec<(usize, String)> {
        let mut runs: Vec<(usize, String)> = Vec::new();
        for character in font::nfc_chars(text) {
            let font = usize::from(!self.fonts[0].has_glyph(character) && self.fonts[1].has_glyph(character));
            match runs.last_mut() {
                Some((last, run)) if *last == font => run.push(character),
                _ => runs.push((font, character.to_string())),
            }
        }
        runs
    }

    /// Draws `text` with its baseline at `y` points from the top; `x` is placed per the style's
    /// alignment. Starts a page if there is none.
    pub fn text(&mut self, x: f32, y: f32, text: &str, style: Style) {
        let width = self.text_width(text, style.size);
        let mut left = match style.align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        for (font, run) in self.runs(text) {
            let advance = self.fonts[font].width(&run, style.size);
            let glyphs = self.fonts[font].encode(&run);
            self.push(Op::Text { x: left, y, size: style.size, weight: style.weight, font, glyphs });
            left += advance;
        }
    }

    /// Draws a line `width` points wide.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.push(Op::Line { from, to, width, dashed: false });
    }

    /// Draws a dashed line (a cut-out line between slips).
    pub fn dashed_line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.push(Op::Line { from, to, width, dashed: true });
    }

    /// Draws a rectangle with its top-left corner at (x, y), filled with `fill_gray` (0 black,
    /// 1 white) when given, outlined when `outline`.
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, fill_gray: Option<f32>, outline: bool) {
        self.push(Op::Rect { x, y, width, height, fill_gray, outline });
    }

    /// Draws connected segments through `points`, `width` points wide, with round joins.
    pub fn path(&mut self, points: &[(f32, f32)], width: f32) {
        if points.len() >= 2 {
            self.push(Op::Path { points: points.to_vec(), width });
        }
    }

    /// Adds `picture` to the document; it is written once however often it is drawn.
    pub fn add_picture(&mut self, picture: Picture) -> PictureId {
        self.pictures.push(picture);
        PictureId(self.pictures.len() - 1)
    }

    /// The picture behind `id`.
    pub fn picture_info(&self, id: PictureId) -> Option<&Picture> {
        self.pictures.get(id.0)
    }

    /// Draws picture `id` over the rectangle with its top-left corner at (x, y).
    pub fn picture(&mut self, id: PictureId, x: f32, y: f32, width: f32, height: f32) {
        if id.0 < self.pictures.len() {
            self.push(Op::Picture { id: id.0, x, y, width, height });
        }
    }

    fn push(&mut self, op: Op) {
        if self.pages.is_empty() {
            self.add_page();
        }
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Writes the PDF: the subset font, one content stream per page, the ToUnicode map.
    pub fn finish(self) -> Result<Vec<u8>, PdfError> {
        write::write(self)
    }
}
