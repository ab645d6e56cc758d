//! Unicode maths characters as Word stores them, mapped to the commands the typesetter knows.
//!
//! Only commands `phongthi_ui::math::parse` accepts appear here (a test parses every one); a
//! character without a command is kept as it is, which the typesetter draws as a symbol.

/// What one character of a maths run becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sym {
    /// A command or an escaped character.
    Tex(&'static str),
    /// The character itself (or an ASCII stand-in).
    Keep(char),
    /// Nothing: invisible operators and spacing Word inserts.
    Drop,
    /// `°`: a raised circle on what comes before.
    Degree,
    /// A combining mark on its own: braced, so that NFC can never join it to the letter of a
    /// command before it (`\\to` + U+0303 would become `\\tõ`).
    Mark(char),
}

/// Characters with a command, checked in order.
pub(super) const COMMANDS: &[(char, &str)] = &[
    ('α', "\\alpha"),
    ('β', "\\beta"),
    ('γ', "\\gamma"),
    ('δ', "\\delta"),
    ('ϵ', "\\epsilon"),
    ('ε', "\\varepsilon"),
    ('ζ', "\\zeta"),
    ('η', "\\eta"),
    ('θ', "\\theta"),
    ('ϑ', "\\vartheta"),
    ('ι', "\\iota"),
    ('κ', "\\kappa"),
    ('λ', "\\lambda"),
    ('μ', "\\mu"),
    ('µ', "\\mu"),
    ('ν', "\\nu"),
    ('ξ', "\\xi"),
    ('π', "\\pi"),
    ('ρ', "\\rho"),
    ('σ', "\\sigma"),
    ('τ', "\\tau"),
    ('υ', "\\upsilon"),
    ('ϕ', "\\phi"),
    ('φ', "\\varphi"),
    ('χ', "\\chi"),
    ('ψ', "\\psi"),
    ('ω', "\\omega"),
    ('Γ', "\\Gamma"),
    ('Δ', "\\Delta"),
    // U+2206 INCREMENT: what Word's symbol gallery inserts for a discriminant or a triangle.
    ('∆', "\\Delta"),
    ('Θ', "\\Theta"),
    ('Λ', "\\Lambda"),
    ('Ξ', "\\Xi"),
    ('Π', "\\Pi"),
    ('Σ', "\\Sigma"),
    ('Φ', "\\Phi"),
    ('Ψ', "\\Psi"),
    ('Ω', "\\Omega"),
    ('·', "\\cdot"),
    ('⋅', "\\cdot"),
    ('∙', "\\cdot"),
    ('×', "\\times"),
    ('÷', "\\div"),
    ('±', "\\pm"),
    ('∓', "\\mp"),
    ('∪', "\\cup"),
    ('∩', "\\cap"),
    ('∖', "\\setminus"),
    ('∗', "\\ast"),
    ('≤', "\\le"),
    ('⩽', "\\leqslant"),
    ('≥', "\\ge"),
    ('⩾', "\\geqslant"),
    ('≠', "\\ne"),
    ('≈', "\\approx"),
    ('≡', "\\equiv"),
    ('∼', "\\sim"),
    ('~', "\\sim"),
    ('∈', "\\in"),
    ('∉', "\\notin"),
    ('∋', "\\ni"),
    ('⊂', "\\subset"),
    ('⊆', "\\subseteq"),
    ('⊃', "\\supset"),
    ('⊇', "\\supseteq"),
    ('→', "\\to"),
    ('←', "\\leftarrow"),
    ('↔', "\\leftrightarrow"),
    ('⇒', "\\Rightarrow"),
    ('⇐', "\\Leftarrow"),
    ('⇔', "\\Leftrightarrow"),
    ('↦', "\\mapsto"),
    ('∥', "\\parallel"),
    ('⊥', "\\perp"),
    ('∣', "\\mid"),
    ('∞', "\\infty"),
    ('∘', "\\circ"),
    ('∠', "\\angle"),
    ('△', "\\triangle"),
    ('∅', "\\emptyset"),
    ('∀', "\\forall"),
    ('∃', "\\exists"),
    ('∂', "\\partial"),
    ('∇', "\\nabla"),
    ('…', "\\ldots"),
    ('⋯', "\\cdots"),
    ('¬', "\\neg"),
    ('∑', "\\sum"),
    ('∏', "\\prod"),
    ('∫', "\\int"),
    ('⟨', "\\langle"),
    ('〈', "\\langle"),
    ('⟩', "\\rangle"),
    ('〉', "\\rangle"),
    ('‖', "\\|"),
    ('{', "\\{"),
    ('}', "\\}"),
    ('%', "\\%"),
    ('#', "\\#"),
    ('$', "\\$"),
    ('_', "\\_"),
    ('&', "\\&"),
    // No `\backslash` in the subset; a set difference is what a backslash means in school maths.
    ('\\', "\\setminus"),
    ('ℝ', "\\mathbb{R}"),
    ('ℕ', "\\mathbb{N}"),
    ('ℤ', "\\mathbb{Z}"),
    ('ℚ', "\\mathbb{Q}"),
    ('ℂ', "\\mathbb{C}"),
    ('″', "''"),
    ('‴', "'''"),
];

/// Named operators the typesetter draws upright (`\sin`); the same list as its own.
pub(super) const OPERATORS: &[&str] = &[
    "sin", "cos", "tan", "cot", "log", "ln", "lg", "lim", "max", "min", "exp", "arcsin", "arccos", "arctan", "sinh",
    "cosh", "tanh", "deg", "det", "gcd", "sup", "inf",
];

/// What character `c` of a maths run becomes.
pub(super) fn symbol(c: char) -> Sym {
    if let Some((_, tex)) = COMMANDS.iter().find(|(known, _)| *known == c) {
        return Sym::Tex(tex);
    }
    match c {
        '°' | '˚' => Sym::Degree,
        // Word's minus and the typographic dashes all mean minus in a formula.
        '−' | '‐' | '‑' | '–' => Sym::Keep('-'),
        '′' => Sym::Keep('\''),
        '∶' => Sym::Keep(':'),
        // `^` alone would start a superscript.
        '^' => Sym::Keep('ˆ'),
        // Function application, invisible times and separator, zero-width space, soft hyphen.
        '\u{2061}'..='\u{2064}' | '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{AD}' => Sym::Drop,
        _ if c.is_whitespace() || c.is_control() => Sym::Drop,
        _ if is_combining(c) => Sym::Mark(spacing_accent(c)),
        _ => Sym::Keep(italic_to_ascii(c).unwrap_or(c)),
    }
}

/// Pasted mathematical italic letters (𝑥, 𝐴) back to ASCII: the typesetter italicises letters
/// itself.
fn italic_to_ascii(c: char) -> Option<char> {
    let code = u32::from(c);
    let letter = match code {
        0x1D434..=0x1D44D => u32::from('A') + (code - 0x1D434),
        0x1D44E..=0x1D467 => u32::from('a') + (code - 0x1D44E),
        0x210E => u32::from('h'),
        _ => return None,
    };
    char::from_u32(letter)
}

/// The `\left`/`\right` form of a delimiter character; `None` when the typesetter has no tall
/// form of it (the character is then written plainly).
pub(super) fn delimiter(text: &str) -> Option<&'static str> {
    let mut chars = text.chars();
    let (first, rest) = (chars.next(), chars.next());
    if rest.is_some() {
        return None;
    }
    Some(match first {
        None => ".",
        Some('(') => "(",
        Some(')') => ")",
        Some('[') => "[",
        Some(']') => "]",
        Some('|') => "|",
        Some('{') => "\\{",
        Some('}') => "\\}",
        Some('‖') => "\\|",
        Some('⟨' | '〈') => "\\langle",
        Some('⟩' | '〉') => "\\rangle",
        Some(_) => return None,
    })
}

/// The combining marks that compose with Latin letters under NFC, and the other blocks of them.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// A combining accent as its spacing form, which stands alone (in a superscript, say).
pub(super) fn spacing_accent(c: char) -> char {
    match c {
        '\u{303}' => '˜',
        '\u{307}' => '˙',
        '\u{308}' => '¨',
        '\u{30C}' => 'ˇ',
        '\u{306}' => '˘',
        '\u{301}' => '´',
        '\u{300}' => '`',
        other => other,
    }
}
