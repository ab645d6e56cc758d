//! Texts in `html` or `moodle` format (imported from Moodle XML, QTI) reach the client with
//! their tags: shown here as paragraphs a student can read, with what carries meaning kept.
//! `<br>`, `</p>` and table rows break lines, table cells are separated by a bar, list items get
//! a bullet, `<sup>`/`<sub>` become raised or lowered characters (`x²`, `H₂O`; `^(…)` where
//! Unicode has no such character), other tags are dropped and the common entities decoded.
//! Image tags are taken out before this (see `images`).

/// Raised and lowered forms of the characters Unicode has them for.
const SCRIPTS: &[(char, char, char)] = &[
    ('0', '⁰', '₀'),
    ('1', '¹', '₁'),
    ('2', '²', '₂'),
    ('3', '³', '₃'),
    ('4', '⁴', '₄'),
    ('5', '⁵', '₅'),
    ('6', '⁶', '₆'),
    ('7', '⁷', '₇'),
    ('8', '⁸', '₈'),
    ('9', '⁹', '₉'),
    ('+', '⁺', '₊'),
    ('-', '⁻', '₋'),
    ('−', '⁻', '₋'),
    ('=', '⁼', '₌'),
    ('(', '⁽', '₍'),
    (')', '⁾', '₎'),
    ('n', 'ⁿ', 'ₙ'),
    ('i', 'ⁱ', 'ᵢ'),
    ('x', 'ˣ', 'ₓ'),
    ('a', 'ᵃ', 'ₐ'),
    ('e', 'ᵉ', 'ₑ'),
    ('o', 'ᵒ', 'ₒ'),
    ('k', 'ᵏ', 'ₖ'),
    ('m', 'ᵐ', 'ₘ'),
    ('t', 'ᵗ', 'ₜ'),
];

/// Raised (`true`) or lowered text: Unicode script characters, or `^(…)`/`_(…)` when one is
/// missing, so `10<sup>-3</sup>` reads `10⁻³` and never `10-3`.
fn script(text: &str, raised: bool) -> String {
    let mapped: Option<String> = text
        .chars()
        .map(|c| SCRIPTS.iter().find(|(plain, ..)| *plain == c).map(|(_, up, down)| if raised { *up } else { *down }))
        .collect();
    mapped.unwrap_or_else(|| format!("{}({text})", if raised { '^' } else { '_' }))
}

/// The text a student reads from a text of `format` (`plain` and `markdown` pass through).
pub fn readable(format: &str, text: &str) -> String {
    if !matches!(format, "html" | "moodle") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    // Text inside <sup>/<sub>, collected until the tag closes.
    let mut scripted: Option<(bool, String)> = None;
    let mut first_cell = true;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            let tag = rest[1..end].trim().to_ascii_lowercase();
            // `</sup>` → `/sup`, `<br/>` and `<td class="x">` → `br`, `td`.
            let closing = tag.starts_with('/');
            let word: String = tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
            let name = if closing { format!("/{word}") } else { word };
            rest = &rest[end + 1..];
            match name.as_str() {
                "sup" | "sub" => scripted = Some((name == "sup", String::new())),
                "/sup" | "/sub" => {
                    if let Some((raised, inner)) = scripted.take() {
                        out.push_str(&script(&inner, raised));
                    }
                }
                "br" | "/p" | "/div" | "/li" | "/tr" | "/h1" | "/h2" | "/h3" | "/h4" => {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    first_cell = true;
                }
                "li" => out.push_str("• "),
                "td" | "th" => {
                    if !first_cell {
                        out.push_str(" │ ");
                    }
                    first_cell = false;
                }
                _ => {}
            }
            continue;
        }
        let (piece, length) = match entity(rest).filter(|_| c == '&') {
            Some((entity, length)) => (entity, length),
            None => (c, c.len_utf8()),
        };
        match scripted.as_mut() {
            Some((_, inner)) => inner.push(piece),
            None => out.push(piece),
        }
        rest = &rest[length..];
    }
    if let Some((raised, inner)) = scripted {
        out.push_str(&script(&inner, raised));
    }
    out.trim_end().to_owned()
}

fn entity(text: &str) -> Option<(char, usize)> {
    const ENTITIES: &[(&str, char)] =
        &[("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\''), ("&nbsp;", '\u{a0}')];
    ENTITIES.iter().find(|(name, _)| text.starts_with(name)).map(|(name, c)| (*c, name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn moodle_paragraphs_become_lines() {
        let html = "<p>Quan sát hình dưới đây.</p><p>Cho <b>x &lt; 3</b> &amp; y&nbsp;&gt; 0</p>";
        assert_eq!(readable("html", html), "Quan sát hình dưới đây.\nCho x < 3 & y\u{a0}> 0");
        assert_eq!(readable("moodle", "a<br/>b"), "a\nb");
        assert_eq!(readable("plain", "<b>x</b>"), "<b>x</b>", "plain text keeps its angle brackets");
        assert_eq!(readable("html", "x < 3 và không đóng"), "x < 3 và không đóng");
    }

    #[test]
    fn scripts_tables_and_lists_keep_their_meaning() {
        assert_eq!(readable("html", "x<sup>2</sup> + 10<sup>-3</sup>, H<sub>2</sub>O"), "x² + 10⁻³, H₂O");
        assert_eq!(readable("html", "e<sup>i&pi;</sup>, a<sub>n+1</sub>"), "e^(i&pi;), aₙ₊₁");
        assert_eq!(readable("html", "2<SUP>n</SUP>"), "2ⁿ", "tag names in any case");
        let table = "<table><tr><th>x</th><th>y</th></tr><tr><td>1</td><td>2</td></tr></table>";
        assert_eq!(readable("html", table), "x │ y\n1 │ 2");
        assert_eq!(readable("html", "<ul><li>một</li><li>hai</li></ul>"), "• một\n• hai");
        assert_eq!(readable("html", "x<sup>2"), "x²", "an unclosed script still reads");
    }

    proptest! {
        #[test]
        fn any_markup_reads_without_panicking(text in "\\PC{0,80}") {
            let _ = readable("html", &text);
        }
    }
}
