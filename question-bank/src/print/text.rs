//! Item texts reduced to printable text: HTML/Moodle markup to text and line breaks (formulas
//! kept for [`super::rich`] to typeset, or read out plainly where only a line of text fits), and
//! greedy word wrapping of plain text against the embedded font's advances.

use super::rich::FIGURE_MARK;
use phongthi_pdf::Document;

/// `text` with its markup reduced: tags dropped (`<br>`, `</p>`, `</div>`, `</li>` become line
/// breaks, an `<img>` a paragraph of its own marked [`FIGURE_MARK`] + its file name), the
/// common entities decoded; formulas (`$…$`) stay as they are.
pub(crate) fn reduce_markup(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        plain.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            plain.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        if tag.starts_with("br") || tag.starts_with("/p") || tag.starts_with("/div") || tag.starts_with("/li") {
            plain.push('\n');
        } else if let Some(name) = image_name(&tag) {
            plain.push_str(&format!("\n{FIGURE_MARK}{name}\n"));
        }
        rest = &rest[start + end + 1..];
    }
    plain.push_str(rest);
    plain
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The file name of an `<img src=…>` tag, for the placeholder.
fn image_name(tag: &str) -> Option<String> {
    if !tag.starts_with("img") {
        return None;
    }
    let src = tag.split("src=").nth(1)?;
    let src = src.trim_start_matches(['"', '\'']);
    let end = src.find(['"', '\'', ' ']).unwrap_or(src.len());
    Some(src[..end].rsplit('/').next().unwrap_or("").to_owned())
}

/// Breaks `paragraphs` into lines no wider than `width` at `size` points; the first line may be
/// narrower by `first_indent` (room for "Câu 3." before it). A word wider than a line is cut.
pub(crate) fn wrap(
    document: &Document,
    paragraphs: &[String],
    width: f32,
    first_indent: f32,
    size: f32,
) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in paragraphs {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let room = if lines.is_empty() { width - first_indent } else { width };
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if document.text_width(&candidate, size) <= room || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_owned();
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}
