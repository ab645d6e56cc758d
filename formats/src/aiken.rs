//! Aiken, the simplest plain-text format Moodle reads: single-choice questions only.
//!
//! ```text
//! Nghiệm của phương trình $2x - 4 = 0$ là
//! A) $x = 1$
//! B) $x = 2$
//! C. $x = -2$
//! ANSWER: B
//! ```
//!
//! A question is one or more lines of text, then options `A) text` or `A. text` (or, as Moodle
//! also reads them, `A)text` without the space when the letter is the one expected next) with
//! letters in order from A, then `ANSWER: X` (upper case, exactly as Moodle requires) naming one option.
//! Blank lines are ignored. Every problem is reported at its line, and reading resumes after the
//! broken question, so one run shows every mistake in the file.

use crate::{ExportReport, ImportError, ImportReport, Skipped};
use phongthi_items::text::nfc;
use phongthi_items::{Body, Choice, Fraction, Item, SourceRef};

/// The keyword that ends a question, case-sensitive as in Moodle.
const ANSWER: &str = "ANSWER:";

/// Reads an Aiken file. `file_name` is only used in messages and `meta.source`. A UTF-8
/// byte-order mark is accepted.
pub fn import(file_name: &str, text: &str) -> ImportReport {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader { file: file_name, report: ImportReport::default(), state: State::Between };
    let mut last_line = 0;
    for (index, raw) in text.lines().enumerate() {
        last_line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        reader.line(last_line, raw.trim());
    }
    reader.end(last_line);
    reader.report
}

/// A question being read.
struct Question {
    /// Line of its first text line.
    line: u32,
    stem: Vec<String>,
    options: Vec<String>,
}

enum State {
    /// Before a question or after one ended.
    Between,
    /// Inside a question.
    Reading(Question),
    /// After an error inside a question: its remaining lines are dropped up to its `ANSWER:` or
    /// a blank line, so they do not produce a second error for the same mistake.
    Skipping,
}

/// What kind of line it is.
enum Line<'l> {
    Blank,
    /// `ANSWER: rest` (the rest trimmed).
    Answer(&'l str),
    /// `answer:` or `Answer:` — the keyword in the wrong case.
    WrongCaseAnswer,
    /// `B) text` or `B. text`: 0-based letter index and the text.
    Option(usize, &'l str),
    /// `B)text` or `B.text`, without a space: an option when it is the letter expected next
    /// (Moodle reads it so), otherwise text.
    TightOption(usize, &'l str),
    Text(&'l str),
}

fn classify(line: &str) -> Line<'_> {
    if line.is_empty() {
        return Line::Blank;
    }
    if let Some(rest) = line.strip_prefix(ANSWER) {
        return Line::Answer(rest.trim());
    }
    if line.get(..ANSWER.len()).is_some_and(|start| start.eq_ignore_ascii_case(ANSWER)) {
        return Line::WrongCaseAnswer;
    }
    let bytes = line.as_bytes();
    if let [letter @ b'A'..=b'Z', b')' | b'.', rest @ ..] = bytes
        && (rest.is_empty() || rest[0] == b' ' || rest[0] == b'\t')
    {
        // The first three bytes are ASCII, so byte 2 is a character boundary.
        return Line::Option(usize::from(letter - b'A'), line[2..].trim());
    }
    if let [letter @ b'A'..=b'Z', b')' | b'.', ..] = bytes {
        return Line::TightOption(usize::from(letter - b'A'), line[2..].trim());
    }
    Line::Text(line)
}

/// `b) text` or `b. text`.
fn is_lowercase_option(line: &str) -> bool {
    matches!(line.as_bytes(), [b'a'..=b'z', b')' | b'.', b' ' | b'\t', ..] | [b'a'..=b'z', b')' | b'.'])
}

struct Reader<'f> {
    file: &'f str,
    report: ImportReport,
    state: State,
}

impl Reader<'_> {
    fn error(&mut self, line: u32, message: String) {
        self.report.errors.push(ImportError::new(self.file, line, None, message));
    }

    /// Reports a problem in the current question and drops the rest of it.
    fn fail(&mut self, line: u32, message: String, skip_rest: bool) {
        self.error(line, message);
        self.state = if skip_rest { State::Skipping } else { State::Between };
    }

    fn line(&mut self, number: u32, text: &str) {
        let state = std::mem::replace(&mut self.state, State::Between);
        let line = match (&state, classify(text)) {
            (State::Reading(question), Line::TightOption(letter, option)) if letter == question.options.len() => {
                Line::Option(letter, option)
            }
            (_, Line::TightOption(..)) => Line::Text(text),
            (_, line) => line,
        };
        match (state, line) {
            (State::Skipping, Line::Blank | Line::Answer(_) | Line::WrongCaseAnswer) => self.state = State::Between,
            (State::Skipping, _) => self.state = State::Skipping,
            (state, Line::Blank) => self.state = state,
            (State::Between, Line::Text(text)) => {
                self.state = State::Reading(Question { line: number, stem: vec![text.to_owned()], options: Vec::new() });
            }
            (State::Between, Line::Option(..)) => self.fail(
                number,
                "phương án đứng trước mọi câu hỏi: thiếu nội dung câu hỏi / an option comes before any question text"
                    .to_owned(),
                true,
            ),
            (State::Between, Line::Answer(_)) => {
                self.error(number, "dòng ANSWER: không thuộc câu hỏi nào / ANSWER: line without a question".to_owned());
            }
            (_, Line::WrongCaseAnswer) => self.fail(
                number,
                format!(
                    "phải viết \"{ANSWER}\" bằng chữ hoa, gặp \"{}\" / the keyword must be upper-case \"{ANSWER}\", found \"{}\"",
                    text.get(..ANSWER.len()).unwrap_or(text),
                    text.get(..ANSWER.len()).unwrap_or(text)
                ),
                false,
            ),
            (State::Reading(mut question), Line::Text(text)) => {
                if question.options.is_empty() {
                    question.stem.push(text.to_owned());
                    self.state = State::Reading(question);
                } else if is_lowercase_option(text) {
                    // Before the options, "a) …" is part of the question (its sub-items); after
                    // them it can only be an option written in lower case.
                    self.fail(
                        number,
                        format!(
                            "chữ cái phương án phải in hoa (A, B, C…), gặp \"{0}\" / option letters must be upper case, found \"{0}\"",
                            text.get(..2).unwrap_or(text)
                        ),
                        true,
                    );
                } else {
                    // Most likely the ANSWER: line was forgotten and this starts the next question.
                    self.error(
                        number,
                        format!(
                            "câu hỏi ở dòng {0} thiếu dòng \"{ANSWER} X\" sau các phương án / \
                             the question at line {0} has no \"{ANSWER} X\" line after its options",
                            question.line
                        ),
                    );
                    self.state = State::Reading(Question { line: number, stem: vec![text.to_owned()], options: Vec::new() });
                }
            }
            (State::Reading(mut question), Line::Option(letter, option)) => {
                let expected = question.options.len();
                if letter != expected {
                    self.fail(
                        number,
                        format!(
                            "cần phương án {0} nhưng gặp {1} (các phương án phải theo thứ tự A, B, C…) / \
                             expected option {0}, found {1} (options run A, B, C…)",
                            letter_of(expected),
                            letter_of(letter)
                        ),
                        true,
                    );
                } else if option.is_empty() {
                    self.fail(
                        number,
                        format!("phương án {0} để trống / option {0} is empty", letter_of(letter)),
                        true,
                    );
                } else {
                    question.options.push(option.to_owned());
                    self.state = State::Reading(question);
                }
            }
            (State::Reading(question), Line::Answer(answer)) => self.finish(question, number, answer),
            // Resolved to an option or to text above; kept whole if it ever were not.
            (state, Line::TightOption(..)) => self.state = state,
        }
    }

    fn finish(&mut self, question: Question, number: u32, answer: &str) {
        if question.options.len() < 2 {
            return self.error(
                number,
                format!(
                    "câu hỏi ở dòng {0} cần ít nhất 2 phương án, có {1} / the question at line {0} needs at least 2 options, found {1}",
                    question.line,
                    question.options.len()
                ),
            );
        }
        let correct = match answer.as_bytes() {
            [letter @ b'A'..=b'Z'] => usize::from(letter - b'A'),
            [] => return self.error(number, format!("{ANSWER} thiếu chữ cái đáp án / {ANSWER} names no option")),
            _ => {
                return self.error(
                    number,
                    format!(
                        "{ANSWER} phải là đúng một chữ cái in hoa, gặp \"{answer}\" (Aiken chỉ có một đáp án đúng) / \
                         {ANSWER} must be one upper-case letter, found \"{answer}\" (Aiken has a single answer)"
                    ),
                );
            }
        };
        if correct >= question.options.len() {
            return self.error(
                number,
                format!(
                    "đáp án {0} không có trong các phương án A–{1} / answer {0} is not among the options A–{1}",
                    letter_of(correct),
                    letter_of(question.options.len() - 1)
                ),
            );
        }
        let options = question
            .options
            .iter()
            .enumerate()
            .map(|(index, text)| Choice {
                text: nfc(text),
                fraction: if index == correct { Fraction::ONE } else { Fraction::ZERO },
                pinned: false,
                feedback: None,
            })
            .collect();
        let mut item = Item::new(nfc(&question.stem.join("\n")), Body::SingleChoice { options });
        item.meta.source = Some(SourceRef { file: self.file.to_owned(), line: question.line });
        match item.validate() {
            Ok(()) => self.report.items.push(item),
            Err(error) => self.error(question.line, error.to_string()),
        }
    }

    fn end(&mut self, last_line: u32) {
        if let State::Reading(question) = std::mem::replace(&mut self.state, State::Between) {
            let message = if question.options.is_empty() {
                format!(
                    "câu hỏi ở dòng {0} không có phương án và dòng \"{ANSWER} X\" / the question at line {0} has no options and no \"{ANSWER} X\" line",
                    question.line
                )
            } else {
                format!(
                    "câu hỏi ở dòng {0} thiếu dòng \"{ANSWER} X\" ở cuối tệp / the question at line {0} has no \"{ANSWER} X\" line before the end of the file",
                    question.line
                )
            };
            self.error(last_line.max(question.line), message);
        }
    }
}

fn letter_of(index: usize) -> char {
    u8::try_from(index).ok().filter(|i| *i < 26).map_or('?', |i| char::from(b'A' + i))
}

/// Writes single-choice items as Aiken. Everything else, and what Aiken cannot carry (partial
/// credit, more than 26 options, text that would read back as an option or `ANSWER:` line),
/// is skipped with a reason. Names, feedback, images and metadata have no place in Aiken and are
/// left out.
pub fn export(items: &[Item]) -> ExportReport {
    let mut report = ExportReport::default();
    for (index, item) in items.iter().enumerate() {
        match write_item(item) {
            Ok(text) => {
                report.text.push_str(&text);
                report.text.push('\n');
            }
            Err(reason) => report.skipped.push(Skipped { index, reason }),
        }
    }
    report
}

fn write_item(item: &Item) -> Result<String, String> {
    let Body::SingleChoice { options } = &item.body else {
        return Err(format!(
            "Aiken chỉ có câu một lựa chọn, đây là câu {0} / Aiken holds single-choice items only, this is {0}",
            item.kind()
        ));
    };
    if item.stem_tail.is_some() {
        return Err("Aiken không có câu điền khuyết / Aiken has no missing-word questions".to_owned());
    }
    if options.iter().any(|o| o.fraction != Fraction::ZERO && !o.fraction.is_full()) {
        return Err("Aiken không có điểm từng phần / Aiken has no partial credit".to_owned());
    }
    if options.len() > 26 {
        return Err(format!(
            "Aiken có tối đa 26 phương án, câu có {0} / Aiken allows 26 options, found {0}",
            options.len()
        ));
    }
    let correct = options
        .iter()
        .position(|o| o.fraction.is_full())
        .ok_or_else(|| "câu không có phương án đúng / the item has no correct option".to_owned())?;
    let mut text = String::new();
    for line in item.stem.lines() {
        let line = line.trim();
        if !matches!(classify(line), Line::Text(_)) {
            return Err(format!(
                "dòng \"{line}\" của câu hỏi sẽ bị đọc thành phương án, ANSWER: hoặc dòng trống / \
                 the question line \"{line}\" would read back as an option, ANSWER: or a blank line"
            ));
        }
        text.push_str(line);
        text.push('\n');
    }
    if text.is_empty() {
        return Err("câu hỏi không có nội dung / the question has no text".to_owned());
    }
    for (index, option) in options.iter().enumerate() {
        if option.text.contains(['\n', '\r']) || option.text.trim().is_empty() {
            return Err(format!(
                "phương án {0} phải nằm trên một dòng và không trống / option {0} must be one non-empty line",
                letter_of(index)
            ));
        }
        text.push(letter_of(index));
        text.push_str(") ");
        text.push_str(option.text.trim());
        text.push('\n');
    }
    text.push_str(ANSWER);
    text.push(' ');
    text.push(letter_of(correct));
    text.push('\n');
    Ok(text)
}
