//! Splits a GIFT file into what the importer acts on, in file order: category changes and
//! questions, each question with the comment lines written directly above it.
//!
//! GIFT's rules: a blank line ends a question; a line whose first non-blank characters are `//`
//! is a comment wherever it is; `$CATEGORY:` at the head of a block names the category for the
//! questions that follow. One pass over the lines, so the cost is linear in the file's size.

/// One line of the file, without its line ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SourceLine<'a> {
    /// 1-based line number.
    pub(super) number: u32,
    /// The line's text (a UTF-8 byte-order mark and a `\r` before the `\n` are removed).
    pub(super) text: &'a str,
}

/// A unit of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Chunk<'a> {
    /// `$CATEGORY: path`.
    Category {
        /// The path, trimmed (empty ends the category).
        path: &'a str,
    },
    /// One question.
    Question {
        /// Comment lines directly above it, where the project's conventions live.
        comments: Vec<SourceLine<'a>>,
        /// Its lines, comments inside it removed.
        lines: Vec<SourceLine<'a>>,
    },
}

/// The chunks of `text`, in file order.
pub(super) fn chunks(text: &str) -> Vec<Chunk<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut chunks = Vec::new();
    let mut comments = Vec::new();
    let mut lines = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = SourceLine {
            number: u32::try_from(index + 1).unwrap_or(u32::MAX),
            text: raw.strip_suffix('\r').unwrap_or(raw),
        };
        let trimmed = line.text.trim();
        if trimmed.is_empty() {
            finish_block(&mut chunks, &mut comments, &mut lines);
        } else if trimmed.starts_with("//") {
            // Comments inside a question are dropped; only those above it carry conventions.
            if lines.is_empty() {
                comments.push(line);
            }
        } else if let Some(path) = lines.is_empty().then(|| category_path(trimmed)).flatten() {
            // Comments above a category line describe the file, not the next question.
            comments.clear();
            chunks.push(Chunk::Category { path });
        } else {
            lines.push(line);
        }
    }
    finish_block(&mut chunks, &mut comments, &mut lines);
    chunks
}

fn finish_block<'a>(chunks: &mut Vec<Chunk<'a>>, comments: &mut Vec<SourceLine<'a>>, lines: &mut Vec<SourceLine<'a>>) {
    if !lines.is_empty() {
        chunks.push(Chunk::Question { comments: std::mem::take(comments), lines: std::mem::take(lines) });
    }
    comments.clear();
}

/// The path of a `$CATEGORY:` line (the keyword in any ASCII case).
fn category_path(trimmed: &str) -> Option<&str> {
    const KEYWORD: &str = "$CATEGORY:";
    let head = trimmed.get(..KEYWORD.len())?;
    head.eq_ignore_ascii_case(KEYWORD).then(|| trimmed[KEYWORD.len()..].trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(number: u32, text: &str) -> SourceLine<'_> {
        SourceLine { number, text }
    }

    #[test]
    fn blocks_comments_and_categories_are_told_apart() {
        let text = "\u{feff}// tệp mẫu\r\n$CATEGORY: Vật lí 10/Động học\r\n\r\n// level: Biết\r\nCâu 1 {\r\n// ghi chú\r\n=a ~b}\r\n\r\n\r\n// lạc lõng\r\n\r\nCâu 2 {T}";
        assert_eq!(
            chunks(text),
            vec![
                Chunk::Category { path: "Vật lí 10/Động học" },
                Chunk::Question {
                    comments: vec![line(4, "// level: Biết")],
                    lines: vec![line(5, "Câu 1 {"), line(7, "=a ~b}")],
                },
                Chunk::Question { comments: vec![], lines: vec![line(12, "Câu 2 {T}")] },
            ]
        );
    }

    #[test]
    fn category_keyword_only_counts_at_the_head_of_a_block() {
        let found = chunks("Câu hỏi\n$CATEGORY: không phải");
        assert_eq!(found.len(), 1);
        assert!(matches!(&found[0], Chunk::Question { lines, .. } if lines.len() == 2));
        assert_eq!(chunks("$category:   ")[0], Chunk::Category { path: "" });
    }
}
