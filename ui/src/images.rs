//! The figures of a question: texts refer to images as `@@PLUGINFILE@@/NAME` (Moodle's
//! convention, bare or inside `<img src="…" alt="…">`); the form carries the bytes.
//!
//! Each image is decoded (PNG or JPEG, at most [`MAX_SIDE`] pixels a side) the first time its
//! question is shown and kept as a texture in egui's memory for the rest of the exam, scaled to
//! fit the question's width. Its alt text is its accessible name; an image that cannot be shown
//! (SVG, a damaged file) shows that alt text instead, never a panic.

use phongthi_protocol::PresentedImage;

/// Larger images are refused rather than decoded into hundreds of megabytes.
pub const MAX_SIDE: u32 = 4096;

/// Tallest a figure is drawn, in points (a student must still see the options below it).
const MAX_HEIGHT: f32 = 420.0;

/// The marker texts use before an image name.
const PLUGINFILE: &str = "@@PLUGINFILE@@/";

/// An image a text refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// File name in the form's images.
    pub name: String,
    /// Alt text (`alt="…"`), or the file name when the text gives none.
    pub alt: String,
}

/// Takes the image references out of `text`: `<img>` tags go away, a bare reference becomes
/// `[NAME]` so the sentence still points at the figure shown below it.
pub fn take_references(text: &str) -> (String, Vec<ImageRef>) {
    let mut out = String::with_capacity(text.len());
    let mut refs = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(tag) = rest.strip_prefix("<img").filter(|_| rest.contains('>'))
            && let Some(end) = tag.find('>')
        {
            let attributes = &tag[..end];
            if let Some(src) = attribute(attributes, "src").and_then(|src| src.strip_prefix(PLUGINFILE)) {
                let alt = attribute(attributes, "alt").filter(|alt| !alt.trim().is_empty());
                refs.push(ImageRef { name: src.to_owned(), alt: alt.unwrap_or(src).to_owned() });
            }
            rest = &tag[end + 1..];
            continue;
        }
        if let Some(after) = rest.strip_prefix(PLUGINFILE) {
            let length = after.find(|c: char| c.is_whitespace() || c == '"' || c == '<').unwrap_or(after.len());
            let name = after[..length].trim_end_matches(['.', ',', ';', ':', ')']);
            if !name.is_empty() {
                refs.push(ImageRef { name: name.to_owned(), alt: name.to_owned() });
                out.push('[');
                out.push_str(name);
                out.push(']');
                rest = &after[name.len()..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    (out, refs)
}

/// The value of `name="…"` in a tag's attributes.
fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    let start = attributes.find(&format!("{name}=\""))? + name.len() + 2;
    let length = attributes[start..].find('"')?;
    Some(&attributes[start..start + length])
}

/// Why an image is not drawn.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// The form has no image of that name.
    #[error("đề thi không có hình {0} / no image named {0}")]
    Missing(String),
    /// Not a PNG or JPEG, or damaged.
    #[error("không đọc được hình {name}: {reason} / cannot read image {name}")]
    Undecodable {
        /// File name.
        name: String,
        /// What the decoder said.
        reason: String,
    },
    /// Wider or taller than [`MAX_SIDE`].
    #[error("hình {0} quá lớn / image {0} is too large")]
    TooLarge(String),
}

/// Decodes a PNG or JPEG into pixels egui can upload.
pub fn decode(image: &PresentedImage) -> Result<egui::ColorImage, ImageError> {
    let undecodable = |reason: String| ImageError::Undecodable { name: image.name.clone(), reason };
    let reader = image::ImageReader::new(std::io::Cursor::new(&image.bytes))
        .with_guessed_format()
        .map_err(|error| undecodable(error.to_string()))?;
    let (width, height) = reader.into_dimensions().map_err(|error| undecodable(error.to_string()))?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(ImageError::TooLarge(image.name.clone()));
    }
    let decoded = image::load_from_memory(&image.bytes).map_err(|error| undecodable(error.to_string()))?;
    let rgba = decoded.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Ok(egui::ColorImage::from_rgba_unmultiplied(size, rgba.as_raw()))
}

/// The texture of one image, or why there is none.
type Slot = Result<egui::TextureHandle, ImageError>;

/// How many figures stay decoded. A student sees one question (rarely two or three figures) at
/// a time; keeping every figure of a 50-question test as a texture cost ~1 MiB each, which
/// under software OpenGL (old lab PCs without a driver) is process memory: 165 MB for 50
/// figures, over the 150 MB budget. Going back to a question decodes its figure again (a few
/// milliseconds).
const DECODED_FIGURES: usize = 8;

/// The most recently shown figures, newest last (in egui's memory, one per window).
#[derive(Clone, Default)]
struct Recent(std::collections::VecDeque<(String, Slot)>);

/// Draws the image `reference` names from `images`, scaled to the available width.
pub fn show(ui: &mut egui::Ui, images: &[PresentedImage], reference: &ImageRef) -> egui::Response {
    let id = egui::Id::unique("form_images_recent");
    let slot = ui.ctx().data_mut(|data| {
        let recent: &mut Recent = data.get_temp_mut_or_default(id);
        recent.0.iter().position(|(name, _)| *name == reference.name).and_then(|i| recent.0.remove(i))
    });
    let slot = match slot {
        Some((_, slot)) => slot,
        None => images
            .iter()
            .find(|image| image.name == reference.name)
            .ok_or_else(|| ImageError::Missing(reference.name.clone()))
            .and_then(decode)
            .map(|pixels| ui.ctx().load_texture(&reference.name, pixels, egui::TextureOptions::LINEAR)),
    };
    ui.ctx().data_mut(|data| {
        let recent: &mut Recent = data.get_temp_mut_or_default(id);
        recent.0.push_back((reference.name.clone(), slot.clone()));
        while recent.0.len() > DECODED_FIGURES {
            // Dropping the last handle frees the texture.
            recent.0.pop_front();
        }
    });
    match slot {
        Ok(texture) => {
            let size = fit(texture.size_vec2(), ui.available_width());
            let response = ui.add(egui::Image::from_texture((texture.id(), size)).alt_text(&reference.alt));
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &reference.alt));
            response
        }
        Err(error) => ui.label(format!("[{}] — {error}", reference.alt)),
    }
}

/// The drawn size: never wider than the column nor taller than [`MAX_HEIGHT`], never enlarged.
pub fn fit(pixels: egui::Vec2, available_width: f32) -> egui::Vec2 {
    if pixels.x <= 0.0 || pixels.y <= 0.0 {
        return egui::Vec2::ZERO;
    }
    let scale = (available_width / pixels.x).min(MAX_HEIGHT / pixels.y).clamp(0.0, 1.0);
    pixels * scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
        let pixels = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        pixels.write_to(&mut bytes, format).map(|()| bytes.into_inner()).unwrap_or_default()
    }

    fn named(name: &str, bytes: Vec<u8>) -> PresentedImage {
        PresentedImage { name: name.into(), bytes }
    }

    #[test]
    fn references_come_out_of_tags_and_bare_names() {
        let (text, refs) =
            take_references(r#"<p>Quan sát hình.</p><p><img src="@@PLUGINFILE@@/hinh1.png" alt="Đường sức điện"></p>"#);
        assert_eq!(text, "<p>Quan sát hình.</p><p></p>");
        assert_eq!(refs, vec![ImageRef { name: "hinh1.png".into(), alt: "Đường sức điện".into() }]);
        let (text, refs) =
            take_references("Dựa vào hình @@PLUGINFILE@@/hinh1.png và @@PLUGINFILE@@/truc.png, tìm $A$.");
        assert_eq!(text, "Dựa vào hình [hinh1.png] và [truc.png], tìm $A$.");
        assert_eq!(refs.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["hinh1.png", "truc.png"]);
        let (_, refs) = take_references(r#"<img src="@@PLUGINFILE@@/a.png" alt="">"#);
        assert_eq!(refs[0].alt, "a.png", "an empty alt falls back to the name");
        let (text, refs) = take_references(r#"<img src="http://example.com/x.png"> x <img"#);
        assert_eq!((text.as_str(), refs.len()), (" x <img", 0), "only the form's own images");
    }

    #[test]
    fn only_the_recently_shown_figures_stay_decoded() {
        let images: Vec<PresentedImage> =
            (0..12).map(|i| named(&format!("hinh{i}.png"), encoded(64, 48, image::ImageFormat::Png))).collect();
        let ctx = egui::Context::default();
        let textures = |ctx: &egui::Context| ctx.tex_manager().read().num_allocated();
        // A frame, with its texture changes handed over as a renderer would take them.
        let frame = |ctx: &egui::Context, show_figure: &dyn Fn(&mut egui::Ui)| {
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| show_figure(ui));
            output.textures_delta.clear();
        };
        frame(&ctx, &|_| {});
        let fonts_only = textures(&ctx);
        for i in 0..12 {
            let reference = ImageRef { name: format!("hinh{i}.png"), alt: format!("Hình {i}") };
            frame(&ctx, &|ui| {
                show(ui, &images, &reference);
            });
        }
        assert_eq!(textures(&ctx) - fonts_only, DECODED_FIGURES, "older figures' textures are freed");
        // Showing one again that is still recent decodes nothing new.
        let again = ImageRef { name: "hinh11.png".into(), alt: "Hình 11".into() };
        frame(&ctx, &|ui| {
            show(ui, &images, &again);
        });
        assert_eq!(textures(&ctx) - fonts_only, DECODED_FIGURES);
    }

    #[test]
    fn png_and_jpeg_decode_and_the_rest_is_refused_by_name() {
        let png = decode(&named("a.png", encoded(30, 20, image::ImageFormat::Png))).map(|i| i.size);
        assert_eq!(png, Ok([30, 20]));
        let jpeg = decode(&named("b.jpg", encoded(16, 8, image::ImageFormat::Jpeg))).map(|i| i.size);
        assert_eq!(jpeg, Ok([16, 8]));
        let svg = decode(&named("c.svg", b"<svg/>".to_vec()));
        assert!(matches!(svg, Err(ImageError::Undecodable { ref name, .. }) if name == "c.svg"), "{svg:?}");
        let cut = encoded(30, 20, image::ImageFormat::Png)[..40].to_vec();
        assert!(matches!(decode(&named("d.png", cut)), Err(ImageError::Undecodable { .. })));
        let huge = decode(&named("e.png", encoded(MAX_SIDE + 1, 1, image::ImageFormat::Png)));
        assert_eq!(huge.map(|i| i.size), Err(ImageError::TooLarge("e.png".into())));
    }

    #[test]
    fn figures_shrink_to_fit_and_never_grow() {
        assert_eq!(fit(egui::vec2(320.0, 200.0), 800.0), egui::vec2(320.0, 200.0));
        assert_eq!(fit(egui::vec2(1600.0, 400.0), 800.0), egui::vec2(800.0, 200.0));
        assert_eq!(fit(egui::vec2(100.0, 840.0), 800.0), egui::vec2(50.0, 420.0));
        assert_eq!(fit(egui::vec2(0.0, 10.0), 800.0), egui::Vec2::ZERO);
    }

    proptest! {
        #[test]
        fn any_bytes_decode_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let mut with_header = b"\x89PNG\r\n\x1a\n".to_vec();
            with_header.extend_from_slice(&bytes);
            let _ = decode(&named("x.png", bytes));
            let _ = decode(&named("y.png", with_header));
        }

        #[test]
        fn any_text_gives_up_its_references_without_panicking(text in "(\\PC|<img |@@PLUGINFILE@@/|src=\"|>){0,40}") {
            let _ = take_references(&text);
        }
    }
}
