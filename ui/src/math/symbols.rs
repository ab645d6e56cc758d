//! The symbol tables: which character a letter, a digit or a command such as `\le` is drawn as,
//! and how it is spaced.
//!
//! Letters become Unicode mathematical italic (𝑥, 𝑦) as in a printed textbook; the embedded Noto
//! Sans Math has every character these tables produce (a test renders them all).

use super::parse::{Em, Node};

/// How a symbol is spaced from its neighbours (after TeX's atom classes, simplified).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Letters, digits, ∞: no extra space.
    Ordinary,
    /// `sin`, `log`: upright, a thin space after.
    Operator,
    /// `+ − × ⋅ ±`: a medium space each side.
    Binary,
    /// `= < ≤ ∈ ⇒`: a thick space each side.
    Relation,
    /// `, ;`: a thin space after.
    Punctuation,
    /// `( [ {`.
    Open,
    /// `) ] }`.
    Close,
}

fn symbol(text: &str, class: Class) -> Node {
    Node::Symbol { text: text.to_owned(), class }
}

/// Characters that are relations when typed directly (`≤` pasted from Word).
const RELATION_CHARACTERS: &str = "=<>≤≥≠≈≡∼∈∉∋⊂⊆⊃⊇→←⇒⇐⇔↔↦∥⊥∣⩽⩾";
/// Characters that are binary operators when typed directly.
const BINARY_CHARACTERS: &str = "+−×÷⋅±∓∪∩∖∗";

/// A character typed in a formula.
pub(crate) fn character(c: char) -> Node {
    let class = match c {
        ',' | ';' => Class::Punctuation,
        '(' | '[' => Class::Open,
        ')' | ']' => Class::Close,
        '-' => return symbol("−", Class::Binary),
        '*' => return symbol("∗", Class::Binary),
        '\'' => return symbol("′", Class::Ordinary),
        '~' => return Node::Space(Em(0.25)),
        'a'..='z' | 'A'..='Z' => return symbol(&italic(c).to_string(), Class::Ordinary),
        _ if RELATION_CHARACTERS.contains(c) => Class::Relation,
        _ if BINARY_CHARACTERS.contains(c) => Class::Binary,
        _ => Class::Ordinary,
    };
    Node::Symbol { text: c.to_string(), class }
}

/// Mathematical italic for an ASCII letter (`h` has its own code point, ℎ).
fn italic(c: char) -> char {
    let offset = |base: char| u32::from(c) - u32::from(base);
    let code = match c {
        'h' => return 'ℎ',
        'a'..='z' => 0x1D44E + offset('a'),
        'A'..='Z' => 0x1D434 + offset('A'),
        _ => return c,
    };
    char::from_u32(code).unwrap_or(c)
}

/// Named operators, drawn upright.
const OPERATORS: &[&str] = &[
    "sin", "cos", "tan", "cot", "log", "ln", "lg", "lim", "max", "min", "exp", "arcsin", "arccos", "arctan", "sinh",
    "cosh", "tanh", "deg", "det", "gcd", "sup", "inf",
];

/// Commands that stand for one symbol: name, character, class.
pub(super) const COMMANDS: &[(&str, &str, Class)] = &[
    // Greek, lower then upper case.
    ("alpha", "α", Class::Ordinary),
    ("beta", "β", Class::Ordinary),
    ("gamma", "γ", Class::Ordinary),
    ("delta", "δ", Class::Ordinary),
    ("epsilon", "ϵ", Class::Ordinary),
    ("varepsilon", "ε", Class::Ordinary),
    ("zeta", "ζ", Class::Ordinary),
    ("eta", "η", Class::Ordinary),
    ("theta", "θ", Class::Ordinary),
    ("vartheta", "ϑ", Class::Ordinary),
    ("iota", "ι", Class::Ordinary),
    ("kappa", "κ", Class::Ordinary),
    ("lambda", "λ", Class::Ordinary),
    ("mu", "μ", Class::Ordinary),
    ("nu", "ν", Class::Ordinary),
    ("xi", "ξ", Class::Ordinary),
    ("pi", "π", Class::Ordinary),
    ("rho", "ρ", Class::Ordinary),
    ("sigma", "σ", Class::Ordinary),
    ("tau", "τ", Class::Ordinary),
    ("upsilon", "υ", Class::Ordinary),
    ("phi", "ϕ", Class::Ordinary),
    ("varphi", "φ", Class::Ordinary),
    ("chi", "χ", Class::Ordinary),
    ("psi", "ψ", Class::Ordinary),
    ("omega", "ω", Class::Ordinary),
    ("Gamma", "Γ", Class::Ordinary),
    ("Delta", "Δ", Class::Ordinary),
    ("Theta", "Θ", Class::Ordinary),
    ("Lambda", "Λ", Class::Ordinary),
    ("Xi", "Ξ", Class::Ordinary),
    ("Pi", "Π", Class::Ordinary),
    ("Sigma", "Σ", Class::Ordinary),
    ("Phi", "Φ", Class::Ordinary),
    ("Psi", "Ψ", Class::Ordinary),
    ("Omega", "Ω", Class::Ordinary),
    // Operators.
    ("cdot", "⋅", Class::Binary),
    ("times", "×", Class::Binary),
    ("div", "÷", Class::Binary),
    ("pm", "±", Class::Binary),
    ("mp", "∓", Class::Binary),
    ("cup", "∪", Class::Binary),
    ("cap", "∩", Class::Binary),
    ("setminus", "∖", Class::Binary),
    ("ast", "∗", Class::Binary),
    // Relations and arrows.
    ("le", "≤", Class::Relation),
    ("leq", "≤", Class::Relation),
    ("leqslant", "⩽", Class::Relation),
    ("ge", "≥", Class::Relation),
    ("geq", "≥", Class::Relation),
    ("geqslant", "⩾", Class::Relation),
    ("lt", "<", Class::Relation),
    ("gt", ">", Class::Relation),
    ("ne", "≠", Class::Relation),
    ("neq", "≠", Class::Relation),
    ("approx", "≈", Class::Relation),
    ("equiv", "≡", Class::Relation),
    ("sim", "∼", Class::Relation),
    ("in", "∈", Class::Relation),
    ("notin", "∉", Class::Relation),
    ("ni", "∋", Class::Relation),
    ("subset", "⊂", Class::Relation),
    ("subseteq", "⊆", Class::Relation),
    ("supset", "⊃", Class::Relation),
    ("supseteq", "⊇", Class::Relation),
    ("to", "→", Class::Relation),
    ("rightarrow", "→", Class::Relation),
    ("leftarrow", "←", Class::Relation),
    ("leftrightarrow", "↔", Class::Relation),
    ("Rightarrow", "⇒", Class::Relation),
    ("Leftarrow", "⇐", Class::Relation),
    ("Leftrightarrow", "⇔", Class::Relation),
    ("iff", "⇔", Class::Relation),
    ("implies", "⇒", Class::Relation),
    ("mapsto", "↦", Class::Relation),
    ("parallel", "∥", Class::Relation),
    ("perp", "⊥", Class::Relation),
    ("mid", "∣", Class::Relation),
    // Ordinary symbols.
    ("infty", "∞", Class::Ordinary),
    ("circ", "∘", Class::Ordinary),
    ("degree", "°", Class::Ordinary),
    ("angle", "∠", Class::Ordinary),
    ("triangle", "△", Class::Ordinary),
    ("emptyset", "∅", Class::Ordinary),
    ("varnothing", "∅", Class::Ordinary),
    ("forall", "∀", Class::Ordinary),
    ("exists", "∃", Class::Ordinary),
    ("partial", "∂", Class::Ordinary),
    ("nabla", "∇", Class::Ordinary),
    ("prime", "′", Class::Ordinary),
    ("ldots", "…", Class::Ordinary),
    ("dots", "…", Class::Ordinary),
    ("cdots", "⋯", Class::Ordinary),
    ("neg", "¬", Class::Ordinary),
    ("sum", "∑", Class::Ordinary),
    ("prod", "∏", Class::Ordinary),
    ("int", "∫", Class::Ordinary),
    ("%", "%", Class::Ordinary),
    ("#", "#", Class::Ordinary),
    ("&", "&", Class::Ordinary),
    ("$", "$", Class::Ordinary),
    ("_", "_", Class::Ordinary),
    ("|", "‖", Class::Ordinary),
    ("{", "{", Class::Open),
    ("lbrace", "{", Class::Open),
    ("langle", "⟨", Class::Open),
    ("}", "}", Class::Close),
    ("rbrace", "}", Class::Close),
    ("rangle", "⟩", Class::Close),
];

/// Spacing commands, in ems.
const SPACES: &[(&str, f32)] =
    &[(",", 0.17), (":", 0.22), (">", 0.22), (";", 0.28), (" ", 0.25), ("quad", 1.0), ("qquad", 2.0), ("!", -0.17)];

/// Commands that change nothing drawn inline (`\displaystyle`, `\limits`).
const IGNORED: &[&str] = &["displaystyle", "textstyle", "limits", "nolimits"];

/// A command that stands for one symbol, a space or nothing; `None` for commands with arguments
/// and unknown ones.
pub(crate) fn command(name: &str) -> Option<Node> {
    if let Some((_, text, class)) = COMMANDS.iter().find(|(known, _, _)| *known == name) {
        return Some(symbol(text, *class));
    }
    if let Some(op) = OPERATORS.iter().find(|op| **op == name) {
        return Some(symbol(op, Class::Operator));
    }
    if let Some((_, width)) = SPACES.iter().find(|(known, _)| *known == name) {
        return Some(Node::Space(Em(*width)));
    }
    IGNORED.contains(&name).then(|| Node::Group(Vec::new()))
}

/// The letters of `\mathbb{R}`, `\mathbf{u}`, `\mathcal{F}`, `\mathit{x}` in their alphabets;
/// `None` for an alphabet not here.
pub(crate) fn alphabet(command: &str, text: &str) -> Option<Vec<Node>> {
    let convert: fn(char) -> char = match command {
        "mathbb" => double_struck,
        "mathbf" => bold,
        "mathcal" => script,
        "mathit" => italic,
        _ => return None,
    };
    Some(
        text.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| {
                if c.is_ascii_alphanumeric() { symbol(&convert(c).to_string(), Class::Ordinary) } else { character(c) }
            })
            .collect(),
    )
}

fn shifted(c: char, upper: u32, lower: Option<u32>, digits: Option<u32>) -> char {
    let code = match c {
        'A'..='Z' => upper + (u32::from(c) - u32::from('A')),
        'a'..='z' => match lower {
            Some(lower) => lower + (u32::from(c) - u32::from('a')),
            None => return c,
        },
        '0'..='9' => match digits {
            Some(digits) => digits + (u32::from(c) - u32::from('0')),
            None => return c,
        },
        _ => return c,
    };
    char::from_u32(code).unwrap_or(c)
}

/// ℝ ℕ ℤ ℚ ℂ and the other double-struck letters (five live in the Letterlike Symbols block).
fn double_struck(c: char) -> char {
    match c {
        'C' => 'ℂ',
        'H' => 'ℍ',
        'N' => 'ℕ',
        'P' => 'ℙ',
        'Q' => 'ℚ',
        'R' => 'ℝ',
        'Z' => 'ℤ',
        _ => shifted(c, 0x1D538, Some(0x1D552), Some(0x1D7D8)),
    }
}

fn bold(c: char) -> char {
    shifted(c, 0x1D400, Some(0x1D41A), Some(0x1D7CE))
}

/// Script capitals (eight live in the Letterlike Symbols block); lower case stays as typed.
fn script(c: char) -> char {
    match c {
        'B' => 'ℬ',
        'E' => 'ℰ',
        'F' => 'ℱ',
        'H' => 'ℋ',
        'I' => 'ℐ',
        'L' => 'ℒ',
        'M' => 'ℳ',
        'R' => 'ℛ',
        _ => shifted(c, 0x1D49C, None, None),
    }
}
