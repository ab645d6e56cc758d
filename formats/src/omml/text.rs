//! Runs (`m:r`): their text becomes symbols, commands and, for words, `\text{…}`.
//!
//! Word keeps a Vietnamese phrase inside an equation (`x > 0 với mọi x`) as ordinary maths text,
//! drawn italic letter by letter; the typesetter would do the same, so a stretch of letters that
//! holds a Vietnamese letter, together with the words and spaces next to it, goes into `\text`.
//! Runs marked as normal text (`m:nor`) are words throughout; upright runs (`m:sty p`) are
//! operator names (`lim`), units or upright letters (`\mathrm{d}`).

use super::row::Row;
use super::symbols::{OPERATORS, Sym, symbol};
use super::tree::Element;

/// Where a run sits.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Ctx {
    /// Inside `m:fName`: letter groups that are operator names become commands.
    pub(super) function_name: bool,
    /// Inside `m:eqArr`: `&` is Word's alignment mark, not a character.
    pub(super) eq_array: bool,
}

/// A run's style, from its `m:rPr`.
#[derive(Clone, Copy, Debug, Default)]
struct Style {
    normal: bool,
    upright: bool,
    bold: bool,
    alphabet: Option<&'static str>,
}

fn style(run: &Element) -> Style {
    let mut style = Style::default();
    // `m:rPr` and `w:rPr` share the local name; only the maths one has these children.
    for pr in run.children_named("rPr") {
        style.normal |= pr.child("nor").is_some_and(|n| !matches!(n.val.as_deref(), Some("0" | "off" | "false")));
        match pr.child("sty").and_then(|s| s.val.as_deref()) {
            Some("p") => style.upright = true,
            Some("b") => {
                style.upright = true;
                style.bold = true;
            }
            Some("bi") => style.bold = true,
            _ => {}
        }
        style.alphabet = match pr.child("scr").and_then(|s| s.val.as_deref()) {
            Some("double-struck") => Some("mathbb"),
            Some("script") => Some("mathcal"),
            _ => style.alphabet,
        };
    }
    style
}

/// The text of a run: every `t` child (any prefix), NFC so combining marks are letters.
pub(super) fn run_text(run: &Element) -> String {
    let text: String = run.children_named("t").map(|t| t.text.as_str()).collect();
    phongthi_items::text::nfc(&text)
}

/// A letter of a word: ASCII or Latin with diacritics (Vietnamese lives in Latin-1 Supplement,
/// Latin Extended-A/B and Latin Extended Additional).
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (c.is_alphabetic() && matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}'))
}

#[derive(Debug)]
enum Token {
    Letters(String),
    Space,
    Other(char),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for c in text.chars() {
        match (c, tokens.last_mut()) {
            (c, Some(Token::Letters(letters))) if is_latin_letter(c) => letters.push(c),
            (c, _) if is_latin_letter(c) => tokens.push(Token::Letters(c.to_string())),
            (' ' | '\u{A0}', _) => tokens.push(Token::Space),
            (c, _) => tokens.push(Token::Other(c)),
        }
    }
    tokens
}

/// Appends the run's text to `row`.
pub(super) fn run(run: &Element, ctx: Ctx, row: &mut Row) {
    let mut text = run_text(run);
    if ctx.eq_array {
        text.retain(|c| c != '&');
    }
    let style = style(run);
    let tokens = tokens(&text);
    let in_text = words(&tokens, style, ctx);
    let mut at = 0;
    while at < tokens.len() {
        if in_text[at] {
            let mut words = String::new();
            while at < tokens.len() && in_text[at] {
                match &tokens[at] {
                    Token::Letters(letters) => words.push_str(letters),
                    Token::Space => words.push(' '),
                    Token::Other(c) => words.push(*c),
                }
                at += 1;
            }
            row.push(format!("\\text{{{words}}}"));
            continue;
        }
        match &tokens[at] {
            Token::Letters(letters) => letters_in_maths(letters, style, ctx, row),
            Token::Space => {}
            Token::Other(',')
                if matches!(tokens.get(at.wrapping_sub(1)), Some(Token::Other('0'..='9')))
                    && matches!(tokens.get(at + 1), Some(Token::Other('0'..='9'))) =>
            {
                // A decimal comma (3,14): braced so it is not spaced as punctuation.
                row.push("{,}");
            }
            Token::Other(c) => character(*c, row),
        }
        at += 1;
    }
}

/// Which tokens go into `\text`.
fn words(tokens: &[Token], style: Style, ctx: Ctx) -> Vec<bool> {
    if style.normal {
        let has_letters = tokens.iter().any(|t| matches!(t, Token::Letters(_)));
        // Braces and dollars cannot sit inside `\text{…}`: they stay maths characters.
        return tokens.iter().map(|t| has_letters && !matches!(t, Token::Other('{' | '}' | '$'))).collect();
    }
    let long = |letters: &str| letters.chars().nth(1).is_some();
    let word = |letters: &str| {
        !letters.is_ascii() || (style.upright && !ctx.function_name && long(letters) && !OPERATORS.contains(&letters))
    };
    let joins = |token: &Token| match token {
        Token::Space => true,
        Token::Letters(letters) => long(letters) && !OPERATORS.contains(&letters.as_str()),
        Token::Other(_) => false,
    };
    let mut marked = vec![false; tokens.len()];
    for (index, token) in tokens.iter().enumerate() {
        let Token::Letters(letters) = token else { continue };
        if !word(letters) {
            continue;
        }
        marked[index] = true;
        for before in (0..index).rev() {
            if !joins(&tokens[before]) {
                break;
            }
            marked[before] = true;
        }
        for after in index + 1..tokens.len() {
            if !joins(&tokens[after]) {
                break;
            }
            marked[after] = true;
        }
    }
    marked
}

/// Letters that are maths: variables, operator names, letters of an alphabet.
fn letters_in_maths(letters: &str, style: Style, ctx: Ctx, row: &mut Row) {
    if (style.upright || ctx.function_name) && OPERATORS.contains(&letters) {
        row.push(format!("\\{letters}"));
        return;
    }
    if ctx.function_name && style.alphabet.is_none() && letters.chars().nth(1).is_some() {
        // `tg`, `cotg`, `sec`: names the typesetter has no command for, upright as in print.
        row.push(format!("\\operatorname{{{letters}}}"));
        return;
    }
    for c in letters.chars() {
        match (style.alphabet, style.bold, style.upright) {
            (Some(alphabet), _, _) => row.push(format!("\\{alphabet}{{{c}}}")),
            (None, true, _) => row.push(format!("\\mathbf{{{c}}}")),
            (None, false, true) => row.push(format!("\\mathrm{{{c}}}")),
            (None, false, false) => row.push(c.to_string()),
        }
    }
}

/// One non-letter character of a maths run.
pub(super) fn character(c: char, row: &mut Row) {
    match symbol(c) {
        Sym::Tex(tex) => row.push(tex),
        Sym::Keep(kept) => row.push(kept.to_string()),
        Sym::Drop => {}
        Sym::Degree => row.degree(),
        Sym::Mark(mark) => row.push(format!("{{{mark}}}")),
    }
}
