//! GIFT's backslash escapes: reading text into characters that remember whether they were
//! escaped (so an escaped `{` is never syntax), turning such characters back into stored text,
//! and writing text with exactly the escapes a reader needs.

use phongthi_items::text::nfc;

/// The characters a backslash escapes to themselves.
const SELF_ESCAPED: [char; 7] = ['~', '=', '#', '{', '}', ':', '\\'];

/// One character of a question after escapes are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Token {
    /// The character the text means: `{` for `\{`, a line break for `\n`.
    pub(super) ch: char,
    /// Whether it came from an escape, which makes it plain text, never syntax.
    pub(super) escaped: bool,
    /// Byte offset in the question's text (of the backslash, for an escape), for error columns.
    pub(super) at: usize,
}

impl Token {
    /// Whether this is the unescaped syntax character `ch`.
    pub(super) fn is(&self, ch: char) -> bool {
        !self.escaped && self.ch == ch
    }

    /// Whether this is unescaped whitespace (an escaped `\n` is content and survives trimming).
    pub(super) fn is_blank(&self) -> bool {
        !self.escaped && self.ch.is_whitespace()
    }
}

/// Resolves the escapes of `text`. A backslash before any other character stays a backslash,
/// because GIFT files are full of LaTeX (`\frac`, `\in`) that nobody escapes.
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        if ch != '\\' {
            tokens.push(Token { ch, escaped: false, at });
            continue;
        }
        let meant = match chars.peek() {
            Some(&(_, next)) if SELF_ESCAPED.contains(&next) => Some(next),
            Some(&(_, 'n')) => Some('\n'),
            _ => None,
        };
        match meant {
            Some(meant) => {
                chars.next();
                tokens.push(Token { ch: meant, escaped: true, at });
            }
            None => tokens.push(Token { ch: '\\', escaped: true, at }),
        }
    }
    tokens
}

/// `tokens` without unescaped whitespace at either end.
pub(super) fn trim(tokens: &[Token]) -> &[Token] {
    let Some(start) = tokens.iter().position(|t| !t.is_blank()) else {
        return &[];
    };
    let end = tokens.iter().rposition(|t| !t.is_blank()).map_or(start, |last| last + 1);
    tokens.get(start..end).unwrap_or_default()
}

/// `tokens` without unescaped whitespace at the start.
pub(super) fn trim_start(tokens: &[Token]) -> &[Token] {
    let start = tokens.iter().position(|t| !t.is_blank()).unwrap_or(tokens.len());
    tokens.get(start..).unwrap_or_default()
}

/// The stored text of `tokens`: trimmed, NFC, and with the indentation around a real line break
/// dropped (teachers indent continuation lines; the break itself is kept as `\n`), except inside
/// an HTML `<pre>`, where it is kept as Moodle keeps it.
pub(super) fn text_of(tokens: &[Token]) -> String {
    let tokens = trim(tokens);
    let mut out = String::with_capacity(tokens.len());
    let mut after_line_break = false;
    let (mut pre_depth, mut line_start) = (0, 0);
    for token in tokens {
        if token.is('\n') {
            while out.ends_with([' ', '\t']) {
                out.pop();
            }
            // Inside an HTML `<pre>` the indentation is the content (code), as Moodle keeps it.
            // Each line is scanned once, when it ends.
            pre_depth = pre_depth_after(pre_depth, &out[line_start..]);
            out.push('\n');
            line_start = out.len();
            after_line_break = pre_depth == 0;
            continue;
        }
        if after_line_break && (token.is(' ') || token.is('\t')) {
            continue;
        }
        after_line_break = false;
        out.push(token.ch);
    }
    nfc(&out)
}

/// How many `<pre>` elements are open after `line`, given `depth` open before it.
fn pre_depth_after(depth: usize, line: &str) -> usize {
    let lower = line.to_ascii_lowercase();
    let opened = lower.matches("<pre>").count() + lower.matches("<pre ").count();
    (depth + opened).saturating_sub(lower.matches("</pre>").count())
}

/// Writes `text` so that [`tokenize`] and [`text_of`] give it back, for answers, feedback and
/// names: every GIFT special character and line break is escaped.
pub(super) fn escape(text: &str) -> String {
    escape_only(text, &['~', '=', '#', '{', '}', ':'])
}

/// Writes question text (before and after the answer block), where only braces are syntax, so
/// equations keep a readable `=`. Colons are escaped too when the text could pass for a
/// `::name::` or a `$CATEGORY:` line.
pub(super) fn escape_question_text(text: &str) -> String {
    let start = text.trim_start();
    let looks_like_syntax =
        start.starts_with(':') || start.get(..10).is_some_and(|head| head.eq_ignore_ascii_case("$CATEGORY:"));
    if looks_like_syntax { escape(text) } else { escape_only(text, &['{', '}']) }
}

/// Escapes `special` and line breaks, and doubles a backslash only where a reader would
/// otherwise take it for an escape, so LaTeX stays readable (`\frac`, but `\\nu` for `\nu`).
fn escape_only(text: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\n' => out.push_str("\\n"),
            '\\' => {
                // At the end, the next thing written (` {`, `::`, ` #`) could join it into an escape.
                let would_escape =
                    chars.peek().is_none_or(|next| SELF_ESCAPED.contains(next) || matches!(next, 'n' | '\n'));
                out.push_str(if would_escape { "\\\\" } else { "\\" });
            }
            _ if special.contains(&ch) => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(written: &str) -> String {
        text_of(&tokenize(written))
    }

    #[test]
    fn escapes_resolve_as_the_example_file_documents() {
        let cases = [
            (r"$\mathbb\{R\}$", r"$\mathbb{R}$"),
            (r"$\\\{1; 2\\\}$", r"$\{1; 2\}$"),
            (r"$\frac\{1\}\{2\}$", r"$\frac{1}{2}$"),
            (r"a\nb", "a\nb"),
            (r"giờ 10\:30 \~ \= \#", "giờ 10:30 ~ = #"),
            ("dòng 1   \n    dòng 2", "dòng 1\ndòng 2"),
            (r"kết thúc\", r"kết thúc\"),
        ];
        for (written, meant) in cases {
            assert_eq!(read_back(written), meant, "{written}");
        }
    }

    #[test]
    fn escaped_characters_are_not_syntax() {
        let tokens = tokenize(r"\{x}");
        assert!(!tokens[0].is('{'));
        assert!(tokens[2].is('}'));
        assert!(!tokenize(r"\n")[0].is_blank());
    }

    #[test]
    fn escape_round_trips_awkward_backslashes() {
        for text in [r"\nu", r"\\", r"a\", r"\~", "\\\n", r"$\sqrt\{2\}$", "x = 1: {y} # ~z", r"\\\\n"] {
            let written = escape(text);
            assert_eq!(read_back(&written), text, "{text} was written as {written}");
        }
        assert_eq!(escape(r"$\frac{1}{2}$"), r"$\frac\{1\}\{2\}$");
    }

    #[test]
    fn question_text_keeps_equations_readable() {
        let cases = [
            (r"Giải $x^2 = 4$: chọn \{đáp án\}?", r"Giải $x^2 = 4$: chọn \\\{đáp án\\\}?"),
            ("::không phải tên", r"\:\:không phải tên"),
            ("$category: x = 1", r"$category\: x \= 1"),
        ];
        for (text, written) in cases {
            assert_eq!(escape_question_text(text), written);
            assert_eq!(read_back(written), text);
        }
    }
}
