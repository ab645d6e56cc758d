//! Turning a laid-out [`Document`] into PDF bytes: catalog, page tree, one uncompressed content
//! stream per page, and Noto Sans as a Type 0 font over a deflated CID TrueType subset
//! (Identity-H, CID = subset glyph id) with a ToUnicode CMap; each picture one image XObject
//! (its soft mask another), named `Im0`, `Im1`, … in every page's resources.

use super::font::{Font, Subset};
use super::picture::{Data, Picture, deflate};
use super::{A4_HEIGHT, A4_WIDTH, Document, Op, PdfError, Weight};
use pdf_writer::types::{CidFontType, FontFlags, LineCapStyle, LineJoinStyle, SystemInfo, TextRenderingMode};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// The page resource names of Noto Sans and Noto Sans Math.
const FONT_RESOURCES: [Name<'static>; 2] = [Name(b"F1"), Name(b"F2")];

/// Writes `document`.
pub(super) fn write(document: Document) -> Result<Vec<u8>, PdfError> {
    if document.pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    // Noto Sans always; Noto Sans Math only when a symbol needed it.
    let subsets: Vec<Option<Subset>> = document
        .fonts
        .iter()
        .enumerate()
        .map(|(index, font)| (index == 0 || font.is_used()).then(|| font.subset()).transpose())
        .collect::<Result<_, _>>()?;
    let mut next = 1;
    let mut new_ref = || {
        let id = Ref::new(next);
        next += 1;
        id
    };
    let catalog_id = new_ref();
    let tree_id = new_ref();
    let info_id = new_ref();
    let font_ids: Vec<[Ref; 5]> =
        subsets.iter().map(|_| [new_ref(), new_ref(), new_ref(), new_ref(), new_ref()]).collect();
    let page_ids: Vec<(Ref, Ref)> = document.pages.iter().map(|_| (new_ref(), new_ref())).collect();
    let picture_ids: Vec<(Ref, Ref)> = document.pictures.iter().map(|_| (new_ref(), new_ref())).collect();
    let picture_names: Vec<String> = (0..picture_ids.len()).map(|index| format!("Im{index}")).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
    pdf.document_info(info_id).title(TextStr(&document.title)).producer(TextStr("Phòng Thi proctor"));

    for ((page_id, content_id), ops) in page_ids.iter().zip(&document.pages) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, A4_WIDTH, A4_HEIGHT));
        page.parent(tree_id);
        page.contents(*content_id);
        {
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            for ((name, ids), subset) in FONT_RESOURCES.iter().zip(&font_ids).zip(&subsets) {
                if subset.is_some() {
                    fonts.pair(*name, ids[0]);
                }
            }
            fonts.finish();
            if !picture_ids.is_empty() {
                let mut objects = resources.x_objects();
                for (name, (id, _)) in picture_names.iter().zip(&picture_ids) {
                    objects.pair(Name(name.as_bytes()), *id);
                }
            }
        }
        page.finish();
        let content = content_stream(ops, &subsets, &picture_names);
        pdf.stream(*content_id, &content);
    }

    for (picture, ids) in document.pictures.iter().zip(&picture_ids) {
        write_picture(&mut pdf, picture, *ids);
    }
    for ((font, subset), ids) in document.fonts.iter().zip(&subsets).zip(&font_ids) {
        if let Some(subset) = subset {
            write_font(&mut pdf, font, subset, *ids);
        }
    }
    Ok(pdf.finish())
}

fn content_stream(ops: &[Op], subsets: &[Option<Subset>], picture_names: &[String]) -> Vec<u8> {
    let mut content = Content::new();
    let flip = |y: f32| A4_HEIGHT - y;
    for op in ops {
        match op {
            Op::Text { x, y, size, weight, font, glyphs } => {
                let Some(subset) = subsets.get(*font).and_then(Option::as_ref) else { continue };
                content.save_state();
                content.begin_text();
                content.set_font(FONT_RESOURCES[*font], *size);
                match weight {
                    Weight::Regular => content.set_text_rendering_mode(TextRenderingMode::Fill),
                    Weight::Bold => {
                        content.set_line_width(size * 0.035);
                        content.set_text_rendering_mode(TextRenderingMode::FillStroke)
                    }
                };
                content.next_line(*x, flip(*y));
                content.show(Str(&subset.encode(glyphs)));
                content.end_text();
                content.restore_state();
            }
            Op::Line { from, to, width, dashed } => {
                content.save_state();
                content.set_line_width(*width);
                content.set_line_cap(LineCapStyle::ButtCap);
                if *dashed {
                    content.set_dash_pattern([4.0, 3.0], 0.0);
                }
                content.move_to(from.0, flip(from.1));
                content.line_to(to.0, flip(to.1));
                content.stroke();
                content.restore_state();
            }
            Op::Path { points, width } => {
                content.save_state();
                content.set_line_width(*width);
                content.set_line_join(LineJoinStyle::RoundJoin);
                content.set_line_cap(LineCapStyle::RoundCap);
                for (index, (x, y)) in points.iter().enumerate() {
                    if index == 0 {
                        content.move_to(*x, flip(*y));
                    } else {
                        content.line_to(*x, flip(*y));
                    }
                }
                content.stroke();
                content.restore_state();
            }
            Op::Picture { id, x, y, width, height } => {
                let Some(name) = picture_names.get(*id) else { continue };
                content.save_state();
                // The image space is the unit square; scale it over the rectangle.
                content.transform([*width, 0.0, 0.0, *height, *x, flip(*y + *height)]);
                content.x_object(Name(name.as_bytes()));
                content.restore_state();
            }
            Op::Rect { x, y, width, height, fill_gray, outline } => {
                content.save_state();
                content.set_line_width(0.6);
                content.rect(*x, flip(*y + *height), *width, *height);
                match (fill_gray, outline) {
                    (Some(gray), true) => {
                        content.set_fill_gray(*gray);
                        content.fill_nonzero_and_stroke();
                    }
                    (Some(gray), false) => {
                        content.set_fill_gray(*gray);
                        content.fill_nonzero();
                    }
                    (None, true) => {
                        content.stroke();
                    }
                    (None, false) => {
                        content.end_path();
                    }
                }
                content.restore_state();
            }
        }
    }
    content.finish().to_vec()
}

fn write_font(pdf: &mut Pdf, font: &Font, subset: &Subset, ids: [Ref; 5]) {
    let [type0_id, cid_id, descriptor_id, file_id, cmap_id] = ids;
    let base_name = format!("{}+{}", subset.tag(), font.name);
    let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

    pdf.type0_font(type0_id)
        .base_font(Name(base_name.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2);
    cid.base_font(Name(base_name.as_bytes()));
    cid.system_info(system_info);
    cid.font_descriptor(descriptor_id);
    cid.cid_to_gid_map_predefined(Name(b"Identity"));
    cid.default_width(0.0);
    {
        let mut widths = cid.widths();
        for (new_id, (advance, _)) in &subset.by_new_id {
            widths.consecutive(*new_id, [*advance]);
        }
    }
    cid.finish();

    let metrics = font.metrics();
    let [x_min, y_min, x_max, y_max] = metrics.bbox;
    pdf.font_descriptor(descriptor_id)
        .name(Name(base_name.as_bytes()))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(x_min, y_min, x_max, y_max))
        .italic_angle(0.0)
        .ascent(metrics.ascent)
        .descent(metrics.descent)
        .cap_height(metrics.cap_height)
        .stem_v(80.0)
        .font_file2(file_id);

    // The font program is the bulk of the file and compresses to about half; content streams
    // stay plain so the text remains readable to simple tools.
    let length1 = i32::try_from(subset.file.len()).unwrap_or(i32::MAX);
    match deflate(&subset.file) {
        Some(compressed) => {
            pdf.stream(file_id, &compressed).filter(Filter::FlateDecode).pair(Name(b"Length1"), length1);
        }
        None => {
            pdf.stream(file_id, &subset.file).pair(Name(b"Length1"), length1);
        }
    }

    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"PhongThi-UTF16"), system_info);
    for (new_id, (_, character)) in &subset.by_new_id {
        if let Some(character) = character {
            cmap.pair(*new_id, *character);
        }
    }
    pdf.cmap(cmap_id, &cmap.finish());
}

fn write_picture(pdf: &mut Pdf, picture: &Picture, (image_id, mask_id): (Ref, Ref)) {
    let width = i32::try_from(picture.width).unwrap_or(i32::MAX);
    let height = i32::try_from(picture.height).unwrap_or(i32::MAX);
    match &picture.data {
        Data::Jpeg { bytes, components } => {
            let mut image = pdf.image_xobject(image_id, bytes);
            image.filter(Filter::DctDecode);
            image.width(width).height(height).bits_per_component(8);
            if *components == 1 {
                image.color_space().device_gray();
            } else {
                image.color_space().device_rgb();
            }
        }
        Data::Rgb { rgb, alpha } => {
            let mut image = pdf.image_xobject(image_id, rgb);
            image.filter(Filter::FlateDecode);
            image.width(width).height(height).bits_per_component(8);
            image.color_space().device_rgb();
            if alpha.is_some() {
                image.s_mask(mask_id);
            }
            image.finish();
            if let Some(alpha) = alpha {
                let mut mask = pdf.image_xobject(mask_id, alpha);
                mask.filter(Filter::FlateDecode);
                mask.width(width).height(height).bits_per_component(8);
                mask.color_space().device_gray();
            }
        }
    }
}
