//! A paragraph of question text with its formulas typeset inline, wrapped to the available
//! width. Words wrap between spaces; a formula never breaks. The accessibility tree gets the
//! plain reading ([`super::plain_text`]), never the LaTeX source.

use super::inline::{Segment, split};
use super::layout::{MathBox, Measure, Piece, layout};
use super::parse::parse;
use std::sync::Arc;

/// Widths through egui's fonts (the same galleys the painter draws, cached by egui).
struct FontMeasure<'a> {
    painter: &'a egui::Painter,
}

impl Measure for FontMeasure<'_> {
    fn width(&mut self, text: &str, size: f32) -> f32 {
        self.painter.layout_no_wrap(text.to_owned(), egui::FontId::proportional(size), egui::Color32::WHITE).size().x
    }
}

/// Where a galley's first baseline is, from its top.
fn galley_baseline(galley: &egui::Galley, size: f32) -> f32 {
    galley
        .rows
        .first()
        .and_then(|row| row.row.glyphs.first().map(|glyph| row.pos.y + glyph.pos.y))
        .unwrap_or(0.8 * size)
}

/// One unbreakable piece of a line.
enum Token {
    Word(Arc<egui::Galley>),
    Math(MathBox),
    Break,
}

impl Token {
    fn width(&self) -> f32 {
        match self {
            Token::Word(galley) => galley.size().x,
            Token::Math(boxed) => boxed.width,
            Token::Break => 0.0,
        }
    }
}

fn tokens(text: &str, size: f32, color: egui::Color32, painter: &egui::Painter) -> Vec<Token> {
    let mut tokens = Vec::new();
    for segment in split(text) {
        match segment {
            Segment::Text(words) => push_words(&words, size, color, painter, &mut tokens),
            Segment::Math(source) => match parse(&source) {
                Ok(nodes) => tokens.push(Token::Math(layout(&nodes, size, &mut FontMeasure { painter }))),
                // Outside the subset: the source as typed, which a student can still read.
                Err(_) => push_words(&format!("${source}$"), size, color, painter, &mut tokens),
            },
        }
    }
    tokens
}

fn push_words(text: &str, size: f32, color: egui::Color32, painter: &egui::Painter, tokens: &mut Vec<Token>) {
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            tokens.push(Token::Break);
        }
        // Each word keeps the spaces after it, so widths add up to the sentence.
        let mut start = 0;
        let mut in_space = false;
        for (at, c) in line.char_indices() {
            if c.is_whitespace() {
                in_space = true;
            } else if in_space {
                tokens.push(word(&line[start..at], size, color, painter));
                start = at;
                in_space = false;
            }
        }
        if start < line.len() {
            tokens.push(word(&line[start..], size, color, painter));
        }
    }
}

fn word(text: &str, size: f32, color: egui::Color32, painter: &egui::Painter) -> Token {
    Token::Word(painter.layout_no_wrap(text.to_owned(), egui::FontId::proportional(size), color))
}

/// Draws `text` (words and `$…$` formulas) wrapped to the available width.
pub fn show(ui: &mut egui::Ui, text: &str, sense: egui::Sense) -> egui::Response {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let size = font.size;
    let color = ui.visuals().text_color();
    let painter = ui.painter().clone();
    let tokens = tokens(text, size, color, &painter);
    let probe = painter.layout_no_wrap("Ấy".to_owned(), font.clone(), color);
    let text_ascent = galley_baseline(&probe, size);
    let text_descent = probe.size().y - text_ascent;

    // Greedy line filling: (first token, end token, ascent, descent, width).
    let max_width = ui.available_width().max(size * 4.0);
    let mut lines: Vec<(usize, usize, f32, f32, f32)> = Vec::new();
    let (mut start, mut width, mut ascent, mut descent) = (0, 0.0_f32, text_ascent, text_descent);
    for (index, token) in tokens.iter().enumerate() {
        let breaks = matches!(token, Token::Break) || (width + token.width() > max_width && index > start);
        if breaks {
            lines.push((start, index, ascent, descent, width));
            start = if matches!(token, Token::Break) { index + 1 } else { index };
            (width, ascent, descent) = (0.0, text_ascent, text_descent);
            if matches!(token, Token::Break) {
                continue;
            }
        }
        if let Token::Math(boxed) = token {
            ascent = ascent.max(boxed.ascent);
            descent = descent.max(boxed.descent);
        }
        width += token.width();
    }
    lines.push((start, tokens.len(), ascent, descent, width));

    let spacing = 0.15 * size;
    let height: f32 = lines.iter().map(|(_, _, a, d, _)| a + d + spacing).sum::<f32>() - spacing;
    let widest = lines.iter().map(|line| line.4).fold(0.0, f32::max);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(widest, height.max(0.0)), sense);
    let accessible = super::plain_text(text);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, ui.is_enabled(), &accessible));
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let mut y = rect.top();
    for (first, end, ascent, descent, _) in lines {
        let baseline = y + ascent;
        let mut x = rect.left();
        for token in tokens.get(first..end).unwrap_or_default() {
            match token {
                Token::Word(galley) => {
                    let top = baseline - galley_baseline(galley, size);
                    painter.galley(egui::pos2(x, top), galley.clone(), color);
                }
                Token::Math(boxed) => paint(&painter, boxed, egui::pos2(x, baseline), color),
                Token::Break => {}
            }
            x += token.width();
        }
        y = baseline + descent + spacing;
    }
    response
}

/// Paints a laid-out formula whose baseline starts at `origin`.
fn paint(painter: &egui::Painter, boxed: &MathBox, origin: egui::Pos2, color: egui::Color32) {
    for piece in &boxed.pieces {
        match piece {
            Piece::Text { text, size, at } => {
                let galley = painter.layout_no_wrap(text.clone(), egui::FontId::proportional(*size), color);
                let top = origin + *at - egui::vec2(0.0, galley_baseline(&galley, *size));
                painter.galley(top, galley, color);
            }
            Piece::Line { points, thickness } => {
                let points: Vec<egui::Pos2> = points.iter().map(|p| origin + *p).collect();
                painter.add(egui::Shape::line(points, egui::Stroke::new(*thickness, color)));
            }
        }
    }
}
