//! Reads one GIFT question — `::name::`, `[format]`, the text, the answer block `{...}` and any
//! text after it — into an [`Item`] without metadata. The answer block's content is read by
//! [`super::answers`].

use super::answers;
use super::escape::{Token, text_of, tokenize, trim_start};
use super::scan::SourceLine;
use crate::ImportError;
use phongthi_items::{Body, Item, TextFormat};

/// Something wrong in a question, at a byte offset of its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Problem {
    /// Byte offset in the question's text.
    pub(super) at: usize,
    /// Bilingual message.
    pub(super) message: String,
}

impl Problem {
    /// A problem at `at`.
    pub(super) fn new(at: usize, message: impl Into<String>) -> Self {
        Self { at, message: message.into() }
    }
}

/// A question's lines joined with `\n`, remembering where each line starts so that an offset
/// in the joined text becomes a line and column of the file.
pub(super) struct QuestionText {
    /// The joined text.
    pub(super) text: String,
    /// Byte offset in `text` where each line starts, with that line's number.
    line_starts: Vec<(usize, u32)>,
}

impl QuestionText {
    /// Joins `lines` (at least one).
    pub(super) fn join(lines: &[SourceLine<'_>]) -> Self {
        let mut text = String::with_capacity(lines.iter().map(|line| line.text.len() + 1).sum());
        let mut line_starts = Vec::with_capacity(lines.len());
        for line in lines {
            if !line_starts.is_empty() {
                text.push('\n');
            }
            line_starts.push((text.len(), line.number));
            text.push_str(line.text);
        }
        Self { text, line_starts }
    }

    /// The file line of the question's first line.
    pub(super) fn first_line(&self) -> u32 {
        self.line_starts.first().map_or(1, |&(_, number)| number)
    }

    /// `problem` as an import error at its line and character column.
    pub(super) fn error(&self, file: &str, problem: Problem) -> ImportError {
        let index = self.line_starts.partition_point(|&(start, _)| start <= problem.at).saturating_sub(1);
        let (start, line) = self.line_starts.get(index).copied().unwrap_or((0, self.first_line()));
        let column = self.text.get(start..problem.at).map_or(0, |before| before.chars().count()) + 1;
        ImportError::new(file, line, Some(u32::try_from(column).unwrap_or(u32::MAX)), problem.message)
    }
}

/// Reads a question's text (metadata is the caller's).
pub(super) fn question(text: &str) -> Result<Item, Problem> {
    let tokens = tokenize(text);
    let rest = trim_start(&tokens);
    let (name, rest) = read_name(rest)?;
    let (format, rest) = read_format(trim_start(rest))?;

    let Some(open) = rest.iter().position(|t| t.is('{')) else {
        if let Some(close) = rest.iter().find(|t| t.is('}')) {
            return Err(stray_close(close));
        }
        let mut item = Item::new(text_of(rest), Body::Description);
        item.name = name;
        item.format = format;
        return Ok(item);
    };
    let (before, open_brace, inside_and_after) = (&rest[..open], rest[open], &rest[open + 1..]);
    if let Some(close) = before.iter().find(|t| t.is('}')) {
        return Err(stray_close(close));
    }
    let Some(close) = inside_and_after.iter().position(|t| t.is('}')) else {
        return Err(Problem::new(
            open_brace.at,
            "khối đáp án mở bằng { nhưng không có } đóng (dấu { trong nội dung phải viết \\{) / the answer block opened here has no closing } (write \\{ for a brace in the text)",
        ));
    };
    let (inside, after) = (&inside_and_after[..close], &inside_and_after[close + 1..]);
    if let Some(nested) = inside.iter().find(|t| t.is('{')) {
        return Err(Problem::new(
            nested.at,
            "dấu { bên trong khối đáp án, hãy viết \\{ / a { inside the answer block; write \\{",
        ));
    }
    if let Some(extra) = after.iter().find(|t| t.is('{') || t.is('}')) {
        return Err(Problem::new(
            extra.at,
            "mỗi câu hỏi chỉ có một khối đáp án {…}; dấu ngoặc trong nội dung phải viết \\{ \\} / a question has one answer block {…}; write \\{ \\} for braces in the text",
        ));
    }

    let block = answers::read(inside, open_brace.at)?;
    let mut item = Item::new(text_of(before), block.body);
    item.name = name;
    item.format = format;
    item.stem_tail = Some(text_of(after)).filter(|tail| !tail.is_empty());
    item.general_feedback = block.general_feedback;
    item.answer_feedback = block.answer_feedback;
    Ok(item)
}

fn stray_close(close: &Token) -> Problem {
    Problem::new(close.at, "dấu } không có { mở tương ứng, hãy viết \\} / a } without an opening {; write \\}")
}

/// `::name::` at the start, if present.
fn read_name(tokens: &[Token]) -> Result<(Option<String>, &[Token]), Problem> {
    let is_double_colon =
        |at: usize| tokens.get(at).is_some_and(|t| t.is(':')) && tokens.get(at + 1).is_some_and(|t| t.is(':'));
    if !is_double_colon(0) {
        return Ok((None, tokens));
    }
    let Some(end) = (2..tokens.len()).find(|&at| is_double_colon(at)) else {
        return Err(Problem::new(
            tokens[0].at,
            "tên câu hỏi mở bằng :: nhưng không có :: đóng / the question name opened with :: has no closing ::",
        ));
    };
    let name = text_of(&tokens[2..end]);
    Ok((Some(name).filter(|name| !name.is_empty()), &tokens[end + 2..]))
}

/// `[html]`, `[moodle]`, `[plain]` or `[markdown]` at the start, if present. Only a bracketed
/// ASCII word counts as a tag, so text such as `[Hình 1] ...` stays text.
fn read_format(tokens: &[Token]) -> Result<(TextFormat, &[Token]), Problem> {
    const LONGEST_TAG: usize = 24;
    let Some(first) = tokens.first().filter(|t| t.is('[')) else {
        return Ok((TextFormat::default(), tokens));
    };
    let Some(close) = tokens.iter().take(LONGEST_TAG + 2).position(|t| t.is(']')) else {
        return Ok((TextFormat::default(), tokens));
    };
    let word: String = tokens[1..close].iter().map(|t| t.ch).collect();
    let is_word =
        !word.is_empty() && tokens[1..close].iter().all(|t| !t.escaped && (t.ch.is_ascii_alphabetic() || t.ch == '_'));
    if !is_word {
        return Ok((TextFormat::default(), tokens));
    }
    match TextFormat::parse(&word) {
        Some(format) => Ok((format, &tokens[close + 1..])),
        None => Err(Problem::new(
            first.at,
            format!(
                "thẻ định dạng không rõ [{word}] (dùng [html], [moodle], [plain] hoặc [markdown]) / unknown format tag [{word}] (use [html], [moodle], [plain] or [markdown])"
            ),
        )),
    }
}
