//! Word test papers (`.docx`), read the way Vietnamese teachers write them (the conventions of
//! Azota, OLM and HC-Mix/McMIX): `Câu N.` questions, `PHẦN I/II/III` parts of the 2025 format,
//! options `A.`–`H.` (one per paragraph, several on a line, or in table cells) with the key
//! marked by an underlined letter, red, a highlight or a `*`, `#` pins, `[NB]`…`[VDC]` levels,
//! `Chủ đề:` topics, `a)`–`d)` true/false statements, `Đáp án:` short answers, `Lời giải`
//! explanations, pictures and Word equations (converted to the LaTeX the exam client typesets).
//!
//! Read straight from the package with `zip` + `quick-xml`, no other program: [`package`] opens
//! the ZIP, [`document`] walks `document.xml`, [`numbering`] supplies Word's automatic labels,
//! [`lines`] flattens each paragraph with its formatting, [`markers`] recognises the marks and
//! [`paper`] puts questions together. Locations in messages are paragraph numbers (as Word's
//! navigation counts them, tables included) with the paragraph's first words.

mod document;
mod lines;
mod markers;
mod numbering;
mod package;
mod paper;

pub use markers::CorrectMarks;
pub use package::{PackageError, looks_like_docx};

use crate::{ImportError, ImportReport};
use lines::{Embed, Line};
use package::Package;

/// A convention a paper used, for the report ("this file marks keys by underlining…").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Convention {
    /// `PHẦN I`, `Phần 2`, `III.` headings.
    Parts,
    /// `Chủ đề:` lines or headings.
    Topics,
    /// Word's automatic numbering for questions or options.
    AutoNumbering,
    /// `[NB]` … `[VDC]`.
    LevelTags,
    /// Several options on one line or in a table row.
    OptionsOnOneLine,
    /// `#` pinned options.
    Pins,
    /// `Đáp án:` lines.
    AnswerLines,
    /// `Lời giải` / `Hướng dẫn giải`.
    Explanations,
    /// Word equations.
    Equations,
    /// Pictures.
    Pictures,
    /// Options in table cells.
    Tables,
}

impl Convention {
    /// Vietnamese, then English.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Parts => "chia phần (PHẦN I, II, III) / parts",
            Self::Topics => "chủ đề (Chủ đề: …) / topics",
            Self::AutoNumbering => "đánh số tự động của Word / Word's automatic numbering",
            Self::LevelTags => "mức độ [NB] [TH] [VD] [VDC] / level tags",
            Self::OptionsOnOneLine => "nhiều phương án trên một dòng / several options on one line",
            Self::Pins => "phương án cố định (#) / pinned options",
            Self::AnswerLines => "dòng «Đáp án:» / answer lines",
            Self::Explanations => "lời giải / explanations",
            Self::Equations => "công thức Word / Word equations",
            Self::Pictures => "hình ảnh / pictures",
            Self::Tables => "phương án trong bảng / options in tables",
        }
    }
}

/// What the Word importer read: the items and errors every importer reports, plus notes that
/// change nothing (skipped header lines, a MathType preview kept) and the conventions seen.
#[derive(Clone, Debug, Default)]
pub struct WordReport {
    /// Items and errors.
    pub import: ImportReport,
    /// Things a teacher should know that are not errors, by paragraph.
    pub notes: Vec<ImportError>,
    /// Conventions the paper used, in the order first seen.
    pub conventions: Vec<Convention>,
}

/// How to read a paper.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordOptions {
    /// Which marks make an option correct.
    pub correct: CorrectMarks,
}

/// Reads a Word paper. `file` names it in messages and `meta.source`; `bytes` is the `.docx`.
pub fn import(file: &str, bytes: &[u8], options: WordOptions) -> WordReport {
    let mut package = match Package::open(bytes) {
        Ok(package) => package,
        Err(error) => return failed(file, error.to_string()),
    };
    let convert = |xml: &str| crate::omml::to_latex(xml).map_err(|e| e.to_string());
    let paragraphs = match document::read(&package.document, &convert) {
        Ok(paragraphs) => paragraphs,
        Err(broken) => {
            return failed(
                file,
                format!(
                    "word/document.xml hỏng ở byte {0} / word/document.xml is broken at byte {0}: {1}",
                    broken.offset, broken.message
                ),
            );
        }
    };
    let mut numbering = package.numbering.as_deref().map(numbering::Numbering::read).unwrap_or_default();
    let mut paper = paper::Paper::new(file, options.correct);
    let mut used = Vec::new();
    for paragraph in &paragraphs {
        let label = paragraph.numbering.as_ref().and_then(|(id, level)| numbering.next_label(id, *level));
        let mut line = lines::flatten(paragraph, label);
        resolve(&mut package, &mut line, &mut used);
        if paragraph.in_table && line.text().trim_start().starts_with(|c: char| ('A'..='H').contains(&c)) {
            used.push(Convention::Tables);
        }
        paper.line(&line);
    }
    let mut report = paper.end();
    for convention in used {
        if !report.conventions.contains(&convention) {
            report.conventions.push(convention);
        }
    }
    report
}

fn failed(file: &str, message: String) -> WordReport {
    let mut report = WordReport::default();
    report.import.errors.push(ImportError::new(file, 1, None, message));
    report
}

/// Replaces each embed's place in the text by its reference and reads its picture.
fn resolve(package: &mut Package, line: &mut Line, used: &mut Vec<Convention>) {
    if line.text().contains('$') {
        used.push(Convention::Equations);
    }
    let mut resolved = Vec::with_capacity(line.embeds.len());
    for embed in std::mem::take(&mut line.embeds) {
        resolved.push(match embed {
            Embed::Picture { rel } => {
                used.push(Convention::Pictures);
                figure(package, &rel, None)
            }
            Embed::Ole { prog_id, preview } => {
                let mathtype = prog_id.starts_with("Equation");
                let what = if mathtype {
                    "công thức MathType / a MathType equation"
                } else {
                    "đối tượng nhúng / an embedded object"
                };
                match preview {
                    Some(rel) => figure(
                        package,
                        &rel,
                        Some(format!(
                            "{what} được giữ dưới dạng ảnh xem trước, học sinh thấy ảnh chứ không phải công thức; \
                             nên gõ lại bằng công cụ phương trình của Word / \
                             kept as its preview picture; students see a picture, not a formula: \
                             retype it with Word's equation editor"
                        )),
                    ),
                    None => {
                        Embed::Refused(format!("{what} không có ảnh xem trước / has no preview picture ({prog_id})"))
                    }
                }
            }
            Embed::BadMath(reason) => Embed::Refused(reason),
            done => done,
        });
    }
    let mut pieces = resolved.iter();
    let mut chars = Vec::with_capacity(line.chars.len());
    for (c, look) in std::mem::take(&mut line.chars) {
        if c != lines::EMBED {
            chars.push((c, look));
            continue;
        }
        if let Some(Embed::Figure { name, .. }) = pieces.next() {
            let reference = format!("{}{name}", lines::PLUGINFILE);
            chars.extend(reference.chars().map(|c| (c, look)));
        }
    }
    line.chars = chars;
    line.embeds = resolved;
}

/// The picture a relationship points at, if the exam client can show it.
fn figure(package: &mut Package, rel: &str, warning: Option<String>) -> Embed {
    let Some(target) = package.target(rel).map(str::to_owned) else {
        return Embed::Refused(format!("ảnh {rel} không có trong tệp / picture {rel} is missing from the file"));
    };
    let name = target.rsplit('/').next().unwrap_or(&target).to_owned();
    let extension = name.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
    if !matches!(extension.as_str(), "png" | "jpg" | "jpeg") {
        return Embed::Refused(format!(
            "ảnh {name} ở định dạng {extension} mà máy thi không hiển thị được; hãy chèn lại ảnh dạng PNG hoặc JPEG / \
             picture {name} is {extension}, which the exam client cannot show: insert it again as PNG or JPEG"
        ));
    }
    match package.bytes(&target) {
        Ok(Some(bytes)) => Embed::Figure { name, bytes, warning },
        Ok(None) => Embed::Refused(format!("ảnh {name} không có trong tệp / picture {name} is missing from the file")),
        Err(error) => Embed::Refused(error.to_string()),
    }
}
