//! The plain-text reading of a formula: what the accessibility tree (screen readers, tests)
//! gets instead of the LaTeX source, e.g. `x² − 5x + 6 = 0` for `x^2 - 5x + 6 = 0`.

use super::parse::{Accent, Node};
use super::symbols::Class;

/// A formula in one line of ordinary characters.
pub(crate) fn plain(nodes: &[Node]) -> String {
    let mut out = String::new();
    row(nodes, &mut out);
    out.trim().to_owned()
}

fn row(nodes: &[Node], out: &mut String) {
    let mut previous: Option<Class> = None;
    for node in nodes {
        match node {
            Node::Symbol { text, class } => {
                let unary = matches!(previous, None | Some(Class::Open | Class::Relation | Class::Binary));
                let spaced = matches!(class, Class::Relation) || (*class == Class::Binary && !unary);
                if spaced {
                    push_spaced(out, &ascii_letters(text));
                } else {
                    out.push_str(&ascii_letters(text));
                    if matches!(class, Class::Punctuation | Class::Operator) {
                        out.push(' ');
                    }
                }
                previous = Some(*class);
                continue;
            }
            Node::Text(text) => out.push_str(text),
            Node::Group(nodes) => row(nodes, out),
            Node::Space(em) => {
                if em.0 > 0.0 && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            Node::Fraction { numerator, denominator } => {
                wrapped(numerator, out);
                out.push('/');
                wrapped(denominator, out);
            }
            Node::Root { degree, radicand } => {
                match degree.as_deref().map(plain).as_deref() {
                    None => out.push('√'),
                    Some("3") => out.push('∛'),
                    Some("4") => out.push('∜'),
                    Some(index) => {
                        out.push_str(index);
                        out.push('√');
                    }
                }
                wrapped(radicand, out);
            }
            Node::Scripts { base, sup, sub } => {
                row(std::slice::from_ref(base), out);
                if let Some(sub) = sub {
                    script(sub, '_', SUBSCRIPTS, out);
                }
                if let Some(sup) = sup {
                    script(sup, '^', SUPERSCRIPTS, out);
                }
            }
            Node::Delimited { open, body, close } => {
                out.push_str(open);
                row(body, out);
                out.push_str(close);
            }
            Node::Accent { accent, body } => {
                out.push_str(match accent {
                    Accent::Bar => "‾",
                    Accent::Arrow => "→",
                    Accent::Hat => "∠",
                });
                row(body, out);
            }
            Node::Cases(rows) => {
                out.push_str("{ ");
                let texts: Vec<String> =
                    rows.iter().map(|cells| cells.iter().map(|c| plain(c)).collect::<Vec<_>>().join(" ")).collect();
                out.push_str(&texts.join("; "));
                out.push_str(" }");
            }
        }
        previous = Some(Class::Ordinary);
    }
}

fn push_spaced(out: &mut String, symbol: &str) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    out.push_str(symbol);
    out.push(' ');
}

/// `(x + 1)` for anything longer than one symbol, so `a/b` stays unambiguous.
fn wrapped(nodes: &[Node], out: &mut String) {
    let text = plain(nodes);
    if text.chars().count() <= 1 || text.chars().all(|c| c.is_alphanumeric()) {
        out.push_str(&text);
    } else {
        out.push('(');
        out.push_str(&text);
        out.push(')');
    }
}

const SUPERSCRIPTS: &[(char, char)] = &[
    ('0', '⁰'),
    ('1', '¹'),
    ('2', '²'),
    ('3', '³'),
    ('4', '⁴'),
    ('5', '⁵'),
    ('6', '⁶'),
    ('7', '⁷'),
    ('8', '⁸'),
    ('9', '⁹'),
    ('+', '⁺'),
    ('−', '⁻'),
    ('n', 'ⁿ'),
    ('∘', '°'),
];
const SUBSCRIPTS: &[(char, char)] = &[
    ('0', '₀'),
    ('1', '₁'),
    ('2', '₂'),
    ('3', '₃'),
    ('4', '₄'),
    ('5', '₅'),
    ('6', '₆'),
    ('7', '₇'),
    ('8', '₈'),
    ('9', '₉'),
    ('+', '₊'),
    ('−', '₋'),
];

/// `x²` when every character has a small form, else `x^(n+1)`.
fn script(nodes: &[Node], mark: char, table: &[(char, char)], out: &mut String) {
    let text = plain(nodes);
    let small: Option<String> =
        text.chars().map(|c| table.iter().find(|(from, _)| *from == c).map(|(_, to)| *to)).collect();
    match small {
        Some(small) if !small.is_empty() => out.push_str(&small),
        _ => {
            out.push(mark);
            wrapped(nodes, out);
        }
    }
}

/// Mathematical italic letters back to ASCII, so a screen reader says "x", not a symbol name.
fn ascii_letters(text: &str) -> String {
    text.chars()
        .map(|c| {
            let code = u32::from(c);
            let letter = match code {
                0x1D434..=0x1D44D => char::from_u32(code - 0x1D434 + u32::from('A')),
                0x1D44E..=0x1D467 => char::from_u32(code - 0x1D44E + u32::from('a')),
                0x210E => Some('h'),
                _ => None,
            };
            letter.unwrap_or(c)
        })
        .collect()
}
