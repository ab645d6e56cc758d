//! Noto Sans for the PDFs: looking up glyphs and advances while pages are laid out, then
//! embedding only the glyphs used (a subset) as a CID font with a ToUnicode map.
//!
//! The font is the windows' own copy (`ui/assets/fonts/`, SIL Open Font License 1.1, licence
//! file beside it), so the proctor adds no font file of its own. Noto Sans has every precomposed
//! Vietnamese letter (U+1EA0–U+1EF9, Đ đ, Ơ ơ, Ư ư), and all text in the store is NFC, so one
//! character is one glyph: no shaping is needed for Vietnamese. Text is decomposed-and-recomposed
//! to NFC before lookup anyway, so a stray combining mark still finds its precomposed glyph.
//!
//! The subset keeps the PDF small (a page of Vietnamese text embeds ~20 KB instead of 500 KB)
//! and makes the embedding legal under the OFL either way. Because the subsetter drops the
//! font's own `cmap`, the PDF's text is encoded in the subset's glyph ids (Identity-H) and a
//! ToUnicode CMap maps them back to characters, which is what lets a reader copy or search the
//! text and what the tests read back.

use super::PdfError;
use std::collections::BTreeMap;

/// Noto Sans Regular, shared with the exam client.
const NOTO_SANS_REGULAR: &[u8] = include_bytes!("../../ui/assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Math, the client's formula font: the fallback for symbols Noto Sans lacks
/// (∀ ∃ ∈ ∉ ⊂ ∪ ∩ ≥ ≤ ≠ √ − …), embedded only when a document uses one.
const NOTO_SANS_MATH: &[u8] = include_bytes!("../../ui/assets/fonts/NotoSansMath-Regular.ttf");

/// A parsed font and the glyphs used so far.
pub(crate) struct Font {
    /// The font file.
    bytes: &'static [u8],
    /// PostScript-style name for the PDF (`NotoSans-Regular`).
    pub(crate) name: &'static str,
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Original glyph id → the character it was first used for (for ToUnicode).
    used: BTreeMap<u16, char>,
}

impl Font {
    /// Parses the embedded Noto Sans.
    pub(crate) fn noto_sans() -> Result<Font, PdfError> {
        let face =
            ttf_parser::Face::parse(NOTO_SANS_REGULAR, 0).map_err(|e| PdfError::Font(format!("Noto Sans: {e}")))?;
        let units_per_em = f32::from(face.units_per_em());
        Ok(Font { bytes: NOTO_SANS_REGULAR, name: "NotoSans-Regular", face, units_per_em, used: BTreeMap::new() })
    }

    /// Parses the embedded Noto Sans Math.
    pub(crate) fn noto_sans_math() -> Result<Font, PdfError> {
        let face =
            ttf_parser::Face::parse(NOTO_SANS_MATH, 0).map_err(|e| PdfError::Font(format!("Noto Sans Math: {e}")))?;
        let units_per_em = f32::from(face.units_per_em());
        Ok(Font { bytes: NOTO_SANS_MATH, name: "NotoSansMath-Regular", face, units_per_em, used: BTreeMap::new() })
    }

    /// Whether any glyph has been used.
    pub(crate) fn is_used(&self) -> bool {
        !self.used.is_empty()
    }

    /// The glyph ids of `text`, noting them as used. A character the font lacks becomes the
    /// `.notdef` box (glyph 0) rather than failing a whole report over one odd name.
    pub(crate) fn encode(&mut self, text: &str) -> Vec<u16> {
        let mut glyphs = Vec::new();
        for character in nfc_chars(text) {
            let glyph = self.face.glyph_index(character).map_or(0, |id| id.0);
            self.used.entry(glyph).or_insert(character);
            glyphs.push(glyph);
        }
        glyphs
    }

    /// The advance of `text` at `size` points, in points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = nfc_chars(text)
            .map(|character| {
                let glyph = self.face.glyph_index(character).unwrap_or(ttf_parser::GlyphId(0));
                u32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0))
            })
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// Whether the font has a glyph for `character`.
    pub(crate) fn has_glyph(&self, character: char) -> bool {
        self.face.glyph_index(character).is_some()
    }

    /// The advance of an original glyph in PDF glyph-space units (1/1000 em).
    fn advance_thousandths(&self, glyph: u16) -> f32 {
        let advance = self.face.glyph_hor_advance(ttf_parser::GlyphId(glyph)).unwrap_or(0);
        f32::from(advance) * 1000.0 / self.units_per_em
    }

    /// Cuts the font down to the used glyphs. Returns the subset font file and a remapper from
    /// original to subset glyph ids.
    pub(crate) fn subset(&self) -> Result<Subset, PdfError> {
        let mut remapper = subsetter::GlyphRemapper::new();
        remapper.remap(0);
        for glyph in self.used.keys() {
            remapper.remap(*glyph);
        }
        let file = subsetter::subset(self.bytes, 0, &remapper).map_err(|e| PdfError::Font(format!("subset: {e:?}")))?;
        let mut by_new_id: BTreeMap<u16, (f32, Option<char>)> = BTreeMap::new();
        by_new_id.insert(0, (self.advance_thousandths(0), None));
        for (glyph, character) in &self.used {
            if let Some(new_id) = remapper.get(*glyph) {
                by_new_id.insert(new_id, (self.advance_thousandths(*glyph), Some(*character)));
            }
        }
        Ok(Subset { file, remapper, by_new_id })
    }

    /// The font's metrics for the font descriptor, in 1/1000 em.
    pub(crate) fn metrics(&self) -> FontMetrics {
        let scale = |units: i16| f32::from(units) * 1000.0 / self.units_per_em;
        let bbox = self.face.global_bounding_box();
        FontMetrics {
            ascent: scale(self.face.ascender()),
            descent: scale(self.face.descender()),
            cap_height: scale(self.face.capital_height().unwrap_or(self.face.ascender())),
            bbox: [scale(bbox.x_min), scale(bbox.y_min), scale(bbox.x_max), scale(bbox.y_max)],
        }
    }
}

/// Font-wide metrics, in 1/1000 em.
pub(crate) struct FontMetrics {
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
    pub(crate) cap_height: f32,
    pub(crate) bbox: [f32; 4],
}

/// The embedded subset.
pub(crate) struct Subset {
    /// The TrueType file to embed.
    pub(crate) file: Vec<u8>,
    remapper: subsetter::GlyphRemapper,
    /// Subset glyph id → (advance in 1/1000 em, the character it stands for).
    pub(crate) by_new_id: BTreeMap<u16, (f32, Option<char>)>,
}

impl Subset {
    /// The Identity-H bytes (big-endian subset glyph ids) of original glyphs.
    pub(crate) fn encode(&self, glyphs: &[u16]) -> Vec<u8> {
        glyphs.iter().flat_map(|glyph| self.remapper.get(*glyph).unwrap_or(0).to_be_bytes()).collect()
    }

    /// A six-letter subset tag (`ABCDEF+NotoSans-Regular`) derived from the glyphs kept, as
    /// the PDF specification asks of embedded subsets.
    pub(crate) fn tag(&self) -> String {
        // FNV-1a over the kept glyph ids: stable, so the same report gives the same bytes.
        let mut hash: u32 = 0x811c_9dc5;
        for id in self.by_new_id.keys() {
            for byte in id.to_be_bytes() {
                hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
            }
        }
        (0..6)
            .map(|i| {
                let letter = (hash >> (i * 5)) % 26;
                char::from(b'A' + u8::try_from(letter).unwrap_or(0))
            })
            .collect()
    }
}

pub(crate) fn nfc_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().filter(|character| !character.is_control())
}
