//! Pictures of a question as inline Word drawings (`w:drawing/wp:inline/pic:pic`, the picture
//! itself in `word/media/` through `a:blip r:embed`), sized from the picture's pixels at 96 dpi
//! as Word sizes a pasted picture, then shrunk (never stretched) as the PDF booklet shrinks
//! them: at most 60 % of the text width and 180 pt high, and never wider than the column it
//! sits in.
//!
//! Whether the bytes are a picture at all is checked before the layout starts (see
//! `form::check_pictures`), with the PDF's own decoder, so both formats refuse the same files.

use super::package::{Package, Picture};
use super::xml::Xml;

/// English Metric Units per pixel at 96 dpi (914 400 per inch).
const EMU_PER_PIXEL: u64 = 9_525;
/// EMU per twentieth of a point, for widths given in twips.
pub(super) const EMU_PER_TWIP: u64 = 635;
/// The tallest a figure is printed: the PDF's 180 pt (about 6.4 cm).
pub(super) const MAX_HEIGHT: u64 = 180 * 12_700;
/// The widest a figure is printed, in twips: the PDF's 60 % of the text width.
pub(super) const MAX_WIDTH: u32 = super::body::TEXT_WIDTH * 3 / 5;

/// The printed size in EMU of a `width`×`height` pixel picture fitted into `room` (EMU).
pub(super) fn extent(width: u32, height: u32, room: (u64, u64)) -> (u64, u64) {
    let (w, h) = (u64::from(width.max(1)) * EMU_PER_PIXEL, u64::from(height.max(1)) * EMU_PER_PIXEL);
    let (max_w, max_h) = (room.0.max(1), room.1.max(1));
    // The smallest of 1, max_w / w and max_h / h, compared in integers.
    if w <= max_w && h <= max_h {
        return (w, h);
    }
    if w * max_h >= h * max_w { (max_w, (h * max_w / w).max(1)) } else { ((w * max_h / h).max(1), max_h) }
}

/// The pixel size of PNG or JPEG `bytes`, read from the header only.
pub(super) fn pixels(bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().ok()?.into_dimensions().ok()
}

/// Writes `bytes` as an inline picture run no larger than `room`; `false` (nothing written)
/// when they are not a PNG or JPEG whose size can be read, so the caller can print the name.
pub(super) fn write(xml: &mut Xml, package: &mut Package, name: &str, bytes: &[u8], room: (u64, u64)) -> bool {
    let (Some(kind), Some((width, height))) = (Picture::of(bytes), pixels(bytes)) else { return false };
    let (cx, cy) = extent(width, height, room);
    let (cx, cy) = (cx.to_string(), cy.to_string());
    let relationship = package.add_picture(bytes, kind);
    let id = package.next_drawing().to_string();
    let title = format!("Hình {id}");
    xml.open("w:r", &[]).open("w:drawing", &[]);
    xml.open("wp:inline", &[("distT", "0"), ("distB", "0"), ("distL", "0"), ("distR", "0")]);
    xml.empty("wp:extent", &[("cx", &cx), ("cy", &cy)]);
    xml.empty("wp:effectExtent", &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")]);
    xml.empty("wp:docPr", &[("id", &id), ("name", &title), ("descr", name)]);
    xml.open("wp:cNvGraphicFramePr", &[]).empty("a:graphicFrameLocks", &[("noChangeAspect", "1")]);
    xml.close("wp:cNvGraphicFramePr");
    xml.open("a:graphic", &[]);
    xml.open("a:graphicData", &[("uri", "http://schemas.openxmlformats.org/drawingml/2006/picture")]);
    xml.open("pic:pic", &[]);
    xml.open("pic:nvPicPr", &[]).empty("pic:cNvPr", &[("id", &id), ("name", name)]).empty("pic:cNvPicPr", &[]);
    xml.close("pic:nvPicPr");
    xml.open("pic:blipFill", &[]).empty("a:blip", &[("r:embed", &relationship)]);
    xml.open("a:stretch", &[]).empty("a:fillRect", &[]).close("a:stretch").close("pic:blipFill");
    xml.open("pic:spPr", &[]).open("a:xfrm", &[]).empty("a:off", &[("x", "0"), ("y", "0")]);
    xml.empty("a:ext", &[("cx", &cx), ("cy", &cy)]).close("a:xfrm");
    xml.open("a:prstGeom", &[("prst", "rect")]).empty("a:avLst", &[]).close("a:prstGeom").close("pic:spPr");
    xml.close("pic:pic").close("a:graphicData").close("a:graphic");
    xml.close("wp:inline").close("w:drawing").close("w:r");
    true
}
