//! Pictures for the page: a question's figure (PNG or JPEG, as teachers paste them into Word)
//! decoded once per document and written as one image XObject however often it is drawn.
//!
//! A baseline JPEG in grey or RGB goes into the PDF as it is (`DCTDecode`, no quality lost, no
//! size gained); everything else is decoded by the `image` crate and stored as deflated 8-bit
//! RGB, with its transparency as a soft mask so a figure drawn on white stays as the teacher
//! saw it.

use super::PdfError;
use image::ImageDecoder;
use std::io::Cursor;

/// A figure ready for the PDF.
#[derive(Clone)]
pub struct Picture {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    pub(crate) data: Data,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Picture").field("width", &self.width).field("height", &self.height).finish()
    }
}

/// How the pixels are stored.
#[derive(Clone)]
pub(crate) enum Data {
    /// A JPEG file as it is; `components` is 1 (grey) or 3 (RGB).
    Jpeg { bytes: Vec<u8>, components: u8 },
    /// Deflated RGB rows, and the deflated alpha plane when the picture has transparency.
    Rgb { rgb: Vec<u8>, alpha: Option<Vec<u8>> },
}

/// Pictures larger than this many pixels are refused: a paper figure never needs it, and the
/// decoder must not be made to allocate gigabytes by a hostile file.
const MAX_PIXELS: u64 = 40_000_000;

impl Picture {
    /// Decodes `bytes` (PNG or JPEG); `name` is what an error calls it.
    pub fn decode(name: &str, bytes: &[u8]) -> Result<Picture, PdfError> {
        let bad = |why: String| PdfError::Picture { name: name.to_owned(), why };
        let reader =
            image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| bad(e.to_string()))?;
        let format = reader.format().ok_or_else(|| bad("không phải PNG hay JPEG / not a PNG or JPEG".to_owned()))?;
        if format == image::ImageFormat::Jpeg {
            let decoder = image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
            let (width, height) = decoder.dimensions();
            check_size(width, height).map_err(bad)?;
            let components = match decoder.color_type() {
                image::ColorType::L8 => Some(1),
                image::ColorType::Rgb8 => Some(3),
                _ => None,
            };
            if let Some(components) = components {
                return Ok(Picture { width, height, data: Data::Jpeg { bytes: bytes.to_vec(), components } });
            }
        }
        let (width, height) = reader.into_dimensions().map_err(|e| bad(e.to_string()))?;
        check_size(width, height).map_err(bad)?;
        let decoded = image::load_from_memory(bytes).map_err(|e| bad(e.to_string()))?;
        let has_alpha = decoded.color().has_alpha();
        let rgba = decoded.to_rgba8();
        let mut rgb = Vec::with_capacity(rgba.len() / 4 * 3);
        let mut alpha = Vec::with_capacity(rgba.len() / 4);
        let mut opaque = true;
        for pixel in rgba.pixels() {
            rgb.extend_from_slice(&pixel.0[..3]);
            alpha.push(pixel.0[3]);
            opaque &= pixel.0[3] == 255;
        }
        let deflated = |plane: &[u8]| deflate(plane).ok_or_else(|| bad("nén ảnh thất bại / deflate failed".to_owned()));
        let alpha = if has_alpha && !opaque { Some(deflated(&alpha)?) } else { None };
        Ok(Picture { width, height, data: Data::Rgb { rgb: deflated(&rgb)?, alpha } })
    }

    /// Width over height.
    pub fn aspect(&self) -> f32 {
        self.width as f32 / self.height.max(1) as f32
    }
}

fn check_size(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err("ảnh rỗng / empty picture".to_owned());
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!("ảnh quá lớn ({width}×{height} điểm ảnh) / picture too large ({width}×{height} pixels)"));
    }
    Ok(())
}

/// Zlib-deflates `bytes` (PDF's FlateDecode); `None` only if the in-memory encoder fails.
pub(crate) fn deflate(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}
