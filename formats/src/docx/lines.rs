//! A paragraph as the paper parser reads it: its text, one [`Look`] per character (so the
//! parser can ask "is this option letter underlined?"), and what it embeds.
//!
//! Equations become `$…$` in the text, pictures `@@PLUGINFILE@@/NAME` (the reference the exam
//! client resolves), super- and subscripts Unicode script characters where Unicode has them
//! (`x²`, `H₂O`) and a small formula otherwise, so a student sees them raised or lowered. Tabs
//! stay tabs: they separate options written on one line.

use super::document::{Look, Paragraph, Piece, Vert};

/// A reference the exam client turns into a figure.
pub(crate) const PLUGINFILE: &str = "@@PLUGINFILE@@/";

/// Something a line embeds that the importer must resolve or report.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Embed {
    /// A picture by relationship id, shown at `name` in the text.
    Picture {
        /// Relationship id in `document.xml.rels`.
        rel: String,
    },
    /// A MathType (or other OLE) object.
    Ole {
        /// Its `ProgID`.
        prog_id: String,
        /// Its preview picture's relationship id.
        preview: Option<String>,
    },
    /// An equation that could not be converted, and why.
    BadMath(String),
    /// A picture read from the package, under the name the text refers to, with a warning to
    /// report (a MathType preview kept in place of its equation).
    Figure {
        /// File name in the item (`image3.png`).
        name: String,
        /// The picture's bytes.
        bytes: Vec<u8>,
        /// A note for the import report.
        warning: Option<String>,
    },
    /// Something the question cannot hold, and why (a WMF picture, an unreadable equation).
    Refused(String),
}

/// One paragraph, flattened.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Line {
    /// 1-based paragraph number in the document.
    pub(crate) index: u32,
    /// The characters and the formatting each was written with.
    pub(crate) chars: Vec<(char, Look)>,
    /// Pictures and objects, in order; the text holds a `\u{FFFC}` where each one sits, replaced
    /// by its reference once the picture's name is known.
    pub(crate) embeds: Vec<Embed>,
    /// `w:pStyle`.
    pub(crate) style: Option<String>,
    /// Word drew a list label in front of the text (already part of `chars`).
    pub(crate) numbered: bool,
}

/// Where an embed sits in [`Line::chars`].
pub(crate) const EMBED: char = '\u{FFFC}';

impl Line {
    /// The plain text.
    pub(crate) fn text(&self) -> String {
        self.chars.iter().map(|(c, _)| *c).collect()
    }

    /// The first words, for messages that must let a teacher find the paragraph.
    pub(crate) fn preview(&self) -> String {
        let text: String = self.text().replace(EMBED, "").split_whitespace().collect::<Vec<_>>().join(" ");
        let mut out: String = text.chars().take(40).collect();
        if text.chars().count() > 40 {
            out.push('…');
        }
        out
    }
}

/// Flattens `paragraph`, with `label` (Word's list label, if any) in front.
pub(crate) fn flatten(paragraph: &Paragraph, label: Option<String>) -> Line {
    let mut line =
        Line { index: paragraph.index, style: paragraph.style.clone(), numbered: label.is_some(), ..Line::default() };
    if let Some(label) = label {
        // Word draws the label in the paragraph mark's formatting; the first run's is the best
        // guess we have, and underlined labels are how some teachers mark a key.
        let look = paragraph
            .pieces
            .iter()
            .find_map(|piece| if let Piece::Text(_, look) = piece { Some(*look) } else { None })
            .unwrap_or_default();
        line.chars.extend(label.chars().map(|c| (c, look)));
        line.chars.push((' ', look));
    }
    for piece in &paragraph.pieces {
        match piece {
            Piece::Text(text, look) => push_text(&mut line, text, *look),
            Piece::Tab => line.chars.push(('\t', Look::default())),
            Piece::Break => line.chars.push(('\n', Look::default())),
            Piece::Math(Ok(latex)) => {
                let latex = latex.trim();
                if !latex.is_empty() {
                    line.chars.extend(format!("${latex}$").chars().map(|c| (c, Look::default())));
                }
            }
            Piece::Math(Err(reason)) => {
                line.embeds.push(Embed::BadMath(reason.clone()));
                line.chars.push((EMBED, Look::default()));
            }
            Piece::Picture(rel) => {
                line.embeds.push(Embed::Picture { rel: rel.clone() });
                line.chars.push((EMBED, Look::default()));
            }
            Piece::Ole { prog_id, preview } => {
                line.embeds.push(Embed::Ole { prog_id: prog_id.clone(), preview: preview.clone() });
                line.chars.push((EMBED, Look::default()));
            }
        }
    }
    line
}

fn push_text(line: &mut Line, text: &str, look: Look) {
    let plain = Look { vert: Vert::Baseline, ..look };
    match look.vert {
        Vert::Baseline => line.chars.extend(text.chars().map(|c| (c, look))),
        vert => match text.chars().map(|c| script(c, vert)).collect::<Option<String>>() {
            Some(mapped) => line.chars.extend(mapped.chars().map(|c| (c, plain))),
            None => {
                // No Unicode form: a formula raises it, on the letter before as its base.
                let base = match line.chars.last() {
                    Some((c, _)) if c.is_alphanumeric() => {
                        let c = *c;
                        line.chars.pop();
                        format!("\\text{{{c}}}")
                    }
                    _ => "{}".to_owned(),
                };
                let mark = if vert == Vert::Super { '^' } else { '_' };
                let formula = format!("${base}{mark}{{\\text{{{}}}}}$", escape_text(text));
                line.chars.extend(formula.chars().map(|c| (c, plain)));
            }
        },
    }
}

/// Escapes what `\text{…}` would read as commands or groups.
fn escape_text(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '{' | '}' | '$' | '\\' | '&' | '%' | '#' | '_' | '^' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// The Unicode superscript or subscript of `c`, where there is one.
fn script(c: char, vert: Vert) -> Option<char> {
    const SUPER: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    const SUB: &str = "₀₁₂₃₄₅₆₇₈₉";
    if let Some(digit) = c.to_digit(10) {
        let table = if vert == Vert::Super { SUPER } else { SUB };
        return table.chars().nth(usize::try_from(digit).ok()?);
    }
    match (vert, c) {
        (Vert::Super, '+') => Some('⁺'),
        (Vert::Super, '-' | '−') => Some('⁻'),
        (Vert::Super, '=') => Some('⁼'),
        (Vert::Super, '(') => Some('⁽'),
        (Vert::Super, ')') => Some('⁾'),
        (Vert::Super, 'n') => Some('ⁿ'),
        (Vert::Super, 'o' | '°') => Some('°'),
        (Vert::Sub, '+') => Some('₊'),
        (Vert::Sub, '-' | '−') => Some('₋'),
        (Vert::Sub, '=') => Some('₌'),
        (Vert::Sub, '(') => Some('₍'),
        (Vert::Sub, ')') => Some('₎'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(pieces: Vec<Piece>) -> Paragraph {
        Paragraph { index: 3, pieces, ..Paragraph::default() }
    }

    #[test]
    fn scripts_become_unicode_or_a_formula() {
        let sup = Look { vert: Vert::Super, ..Look::default() };
        let sub = Look { vert: Vert::Sub, ..Look::default() };
        let line = flatten(
            &paragraph(vec![
                Piece::Text("x".into(), Look::default()),
                Piece::Text("2".into(), sup),
                Piece::Text(" + H".into(), Look::default()),
                Piece::Text("2".into(), sub),
                Piece::Text("O, e".into(), Look::default()),
                Piece::Text("ab".into(), sup),
            ]),
            None,
        );
        assert_eq!(line.text(), "x² + H₂O, $\\text{e}^{\\text{ab}}$");
    }

    #[test]
    fn labels_equations_and_pictures_have_their_places() {
        let underlined = Look { underline: true, ..Look::default() };
        let line = flatten(
            &paragraph(vec![
                Piece::Text("Cho ".into(), underlined),
                Piece::Math(Ok("\\frac{1}{2}".into())),
                Piece::Tab,
                Piece::Picture("rId9".into()),
            ]),
            Some("Câu 4.".into()),
        );
        assert_eq!(line.text(), "Câu 4. Cho $\\frac{1}{2}$\t\u{FFFC}");
        assert!(line.chars[0].1.underline, "the label takes the first run's look");
        assert!(line.numbered);
        assert_eq!(line.embeds, vec![Embed::Picture { rel: "rId9".into() }]);
        assert_eq!(line.preview(), "Câu 4. Cho $\\frac{1}{2}$");
    }
}
