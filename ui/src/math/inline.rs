//! Finding the formulas in a question text: `$…$`, `$$…$$` and `\(…\)` are maths, `\$` is a
//! dollar sign, and a `$` never closed is just a dollar sign (prices in word problems).

/// A run of a question text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Words, shown as they are.
    Text(String),
    /// The source of a formula, without its delimiters.
    Math(String),
}

/// Splits `text` into words and formulas.
pub fn split(text: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("\\$") {
            plain.push('$');
            rest = after;
            continue;
        }
        let opening = if rest.starts_with("$$") {
            Some(("$$", "$$"))
        } else if c == '$' {
            Some(("$", "$"))
        } else if rest.starts_with("\\(") {
            Some(("\\(", "\\)"))
        } else {
            None
        };
        if let Some((open, close)) = opening {
            let inside = &rest[open.len()..];
            if let Some(end) = closing(inside, close)
                && !inside[..end].trim().is_empty()
            {
                if !plain.is_empty() {
                    segments.push(Segment::Text(std::mem::take(&mut plain)));
                }
                segments.push(Segment::Math(inside[..end].to_owned()));
                rest = &inside[end + close.len()..];
                continue;
            }
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !plain.is_empty() {
        segments.push(Segment::Text(plain));
    }
    segments
}

/// Where `close` ends the formula starting at `inside`, skipping escaped dollars (`\$`).
fn closing(inside: &str, close: &str) -> Option<usize> {
    let mut at = 0;
    while at < inside.len() {
        let rest = &inside[at..];
        if rest.starts_with("\\$") {
            at += 2;
            continue;
        }
        if rest.starts_with(close) {
            return Some(at);
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Whether `text` holds a formula at all (most option texts do not).
pub fn has_math(text: &str) -> bool {
    split(text).iter().any(|segment| matches!(segment, Segment::Math(_)))
}
