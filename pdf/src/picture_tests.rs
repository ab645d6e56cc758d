//! Pictures written into a PDF and read back by poppler's `pdfimages` (a reader that is not
//! ours): a JPEG passed through as DCT, a PNG with transparency as RGB plus a soft mask, one
//! object for a picture drawn twice; bad files refused with their name, never a panic.

use super::*;
use proptest::prelude::*;
use std::io::Cursor;
use std::process::Command;

fn png(width: u32, height: u32, transparent: bool) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, y| {
        let alpha = if transparent && x < width / 2 { 0 } else { 255 };
        image::Rgba([(x * 7) as u8, (y * 5) as u8, 90, alpha])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(image).write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 3) as u8, (y * 3) as u8, 200]));
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(&image::DynamicImage::ImageRgb8(image))
        .unwrap();
    bytes
}

/// `pdfimages -list` rows as (type, width, height, color, encoding).
fn listed(pdf: &[u8]) -> Vec<(String, u32, u32, String, String)> {
    // One directory per call: the tests run in parallel in one process.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("phongthi-pdf-pictures-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pictures.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages (poppler-utils) is needed: scripts/test.sh installs it");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .skip(2)
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            (f[2].to_owned(), f[3].parse().unwrap(), f[4].parse().unwrap(), f[5].to_owned(), f[8].to_owned())
        })
        .collect()
}

#[test]
fn a_jpeg_and_a_transparent_png_are_embedded() {
    let mut document = Document::new("Hình").unwrap();
    let photo = document.add_picture(Picture::decode("anh.jpg", &jpeg(64, 48)).unwrap());
    let drawing = document.add_picture(Picture::decode("hinh.png", &png(40, 30, true)).unwrap());
    document.picture(photo, MARGIN, 60.0, 128.0, 96.0);
    document.picture(drawing, MARGIN, 200.0, 80.0, 60.0);
    document.add_page();
    document.picture(photo, MARGIN, 60.0, 64.0, 48.0);
    let list = listed(&written_pdf(document));
    assert_eq!(
        list,
        vec![
            ("image".to_owned(), 64, 48, "rgb".to_owned(), "jpeg".to_owned()),
            ("image".to_owned(), 40, 30, "rgb".to_owned(), "image".to_owned()),
            ("smask".to_owned(), 40, 30, "gray".to_owned(), "image".to_owned()),
            ("image".to_owned(), 64, 48, "rgb".to_owned(), "jpeg".to_owned()),
        ]
    );
}

#[test]
fn an_opaque_png_has_no_mask_and_its_pixels_survive() {
    let mut document = Document::new("Hình").unwrap();
    let bytes = png(20, 10, false);
    let id = document.add_picture(Picture::decode("a.png", &bytes).unwrap());
    document.picture(id, 10.0, 10.0, 20.0, 10.0);
    let pdf = written_pdf(document);
    assert_eq!(listed(&pdf), vec![("image".to_owned(), 20, 10, "rgb".to_owned(), "image".to_owned())]);
}

fn written_pdf(document: Document) -> Vec<u8> {
    document.finish().unwrap()
}

#[test]
fn what_is_not_a_picture_is_refused_with_its_name() {
    let error = Picture::decode("hinh-3.emf", b"\x01\x00\x00\x00 not a png").unwrap_err();
    let message = error.to_string();
    assert!(message.contains("hinh-3.emf"), "{message}");
    let truncated = &png(30, 30, false)[..60];
    assert!(Picture::decode("cut.png", truncated).is_err());
}

proptest! {
    #[test]
    fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Picture::decode("x", &bytes);
    }

    #[test]
    fn a_damaged_png_never_panics(cut in 8_usize..300, flip in 0_usize..300) {
        let mut bytes = png(12, 12, true);
        let flip = flip % bytes.len();
        bytes[flip] ^= 0x5a;
        bytes.truncate(cut.min(bytes.len()));
        let _ = Picture::decode("x", &bytes);
    }
}
