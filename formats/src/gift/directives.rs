//! The project's comment conventions above a GIFT question (`// level: Hiểu`, `// points: 0.25`,
//! `// pin: D`, `// topic: ...`, `// group: ...`, `// scoring: ...`): what the bank knows that
//! GIFT itself cannot say, kept in comments so Moodle still reads the file. Other comments are
//! ignored.

use super::scan::SourceLine;
use crate::ImportError;
use phongthi_items::text::{fold_for_search, nfc};
use phongthi_items::{Body, Level, MatchScoring, MilliPoints};

/// A scoring rule GIFT has no syntax for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScoringRule {
    /// Numeric: the Vietnamese four-character answer-sheet rule.
    FourChar,
    /// Short text: compare case-sensitively.
    CaseSensitive,
    /// Matching: full points only when every pair is right.
    AllOrNothing,
}

impl ScoringRule {
    /// Every rule, as written in files.
    pub(super) const ALL: [ScoringRule; 3] =
        [ScoringRule::FourChar, ScoringRule::CaseSensitive, ScoringRule::AllOrNothing];

    /// The name written after `// scoring:`.
    pub(super) fn name(self) -> &'static str {
        match self {
            ScoringRule::FourChar => "four-char",
            ScoringRule::CaseSensitive => "case-sensitive",
            ScoringRule::AllOrNothing => "all-or-nothing",
        }
    }
}

/// A value and where its comment is, for errors found once the question is read.
#[derive(Clone, Debug)]
struct Placed<T> {
    value: T,
    line: u32,
    column: u32,
}

/// What the comments above one question say.
#[derive(Clone, Debug, Default)]
pub(super) struct Directives {
    /// `// level:`.
    pub(super) level: Option<Level>,
    /// `// points:`.
    pub(super) points: Option<MilliPoints>,
    /// `// topic:`: `Some(None)` when written empty, meaning "no topic" despite the category.
    pub(super) topic: Option<Option<String>>,
    /// `// group:`.
    pub(super) group: Option<String>,
    /// `// pin:` as option indexes.
    pins: Option<Placed<Vec<usize>>>,
    /// `// scoring:` rules.
    scoring: Option<Placed<Vec<ScoringRule>>>,
}

/// Reads the conventions in `comments`; the first malformed one is an error at its line.
pub(super) fn read(file: &str, comments: &[SourceLine<'_>]) -> Result<Directives, ImportError> {
    let mut directives = Directives::default();
    for line in comments {
        let Some((key, value)) = line.text.trim_start().strip_prefix("//").and_then(|rest| rest.split_once(':')) else {
            continue;
        };
        let value_start = line.text.len() - value.trim_start().len();
        let at = Located { file, line: line.number, text: line.text, value_start };
        let value = value.trim();
        // Long keys are prose ("Lưu ý: ..."), not conventions; skip folding them.
        if key.len() > 24 {
            continue;
        }
        match fold_for_search(key.trim()).as_str() {
            "level" | "muc do" => {
                directives.level = if value.is_empty() { None } else { Some(read_level(value, &at)?) };
            }
            "points" | "diem" => {
                directives.points = if value.is_empty() { None } else { Some(read_points(value, &at)?) };
            }
            "topic" | "chu de" => directives.topic = Some(Some(nfc(value)).filter(|topic| !topic.is_empty())),
            "group" | "nhom" => directives.group = Some(nfc(value)).filter(|group| !group.is_empty()),
            "pin" => directives.pins = Some(at.place(read_pins(value, &at)?)),
            "scoring" => directives.scoring = Some(at.place(read_scoring(value, &at)?)),
            _ => {}
        }
    }
    Ok(directives)
}

impl Directives {
    /// Applies `// pin:` and `// scoring:` to the question's body, which must have what they name.
    pub(super) fn apply_to_body(&self, file: &str, body: &mut Body) -> Result<(), ImportError> {
        if let Some(pins) = &self.pins {
            let error = |message: String| ImportError::new(file, pins.line, Some(pins.column), message);
            let options = match body {
                Body::SingleChoice { options } | Body::MultipleResponse { options } => options,
                _ => {
                    return Err(error(
                        "chỉ câu trắc nghiệm mới có phương án để cố định / only choice questions have options to pin"
                            .to_owned(),
                    ));
                }
            };
            let count = options.len();
            for &index in &pins.value {
                let option = options.get_mut(index).ok_or_else(|| {
                    error(format!(
                        "không có phương án {letter} để cố định (câu có {count} phương án) / there is no option {letter} to pin (the question has {count} options)",
                        letter = option_letter(index)
                    ))
                })?;
                option.pinned = true;
            }
        }
        if let Some(scoring) = &self.scoring {
            for &rule in &scoring.value {
                match (rule, &mut *body) {
                    (ScoringRule::FourChar, Body::Numeric { four_char_rule, .. }) => *four_char_rule = true,
                    (ScoringRule::CaseSensitive, Body::ShortText { case_sensitive, .. }) => *case_sensitive = true,
                    (ScoringRule::AllOrNothing, Body::Matching { scoring, .. }) => {
                        *scoring = MatchScoring::AllOrNothing
                    }
                    _ => {
                        let (vietnamese, english) = match rule {
                            ScoringRule::FourChar => ("câu trả lời số", "numerical questions"),
                            ScoringRule::CaseSensitive => ("câu trả lời ngắn", "short-answer questions"),
                            ScoringRule::AllOrNothing => ("câu ghép đôi", "matching questions"),
                        };
                        return Err(ImportError::new(
                            file,
                            scoring.line,
                            Some(scoring.column),
                            format!(
                                "quy tắc chấm {name} chỉ dùng cho {vietnamese} / the {name} scoring rule is only for {english}",
                                name = rule.name()
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The letter of the option at `index` (`0` → `A`), as `// pin:` writes it.
pub(super) fn option_letter(index: usize) -> char {
    u8::try_from(index).ok().filter(|i| *i < 26).map_or('?', |i| char::from(b'A' + i))
}

/// Where a comment's value is, to put columns on its errors.
struct Located<'a> {
    file: &'a str,
    line: u32,
    text: &'a str,
    value_start: usize,
}

impl Located<'_> {
    /// 1-based character column of byte `offset` within the value.
    fn column(&self, offset: usize) -> u32 {
        let prefix = self.text.get(..self.value_start + offset).unwrap_or(self.text);
        u32::try_from(prefix.chars().count() + 1).unwrap_or(u32::MAX)
    }

    fn error(&self, offset: usize, message: String) -> ImportError {
        ImportError::new(self.file, self.line, Some(self.column(offset)), message)
    }

    fn place<T>(&self, value: T) -> Placed<T> {
        Placed { value, line: self.line, column: self.column(0) }
    }
}

fn read_level(value: &str, at: &Located<'_>) -> Result<Level, ImportError> {
    Level::parse(value).ok_or_else(|| {
        at.error(
            0,
            format!(
                "mức độ không hợp lệ \"{value}\" (Biết, Hiểu, Vận dụng, Vận dụng cao) / unknown level \"{value}\" (Biết, Hiểu, Vận dụng, Vận dụng cao)"
            ),
        )
    })
}

fn read_points(value: &str, at: &Located<'_>) -> Result<MilliPoints, ImportError> {
    let points = MilliPoints::parse(value).map_err(|error| at.error(0, error.to_string()))?;
    if points < MilliPoints::ZERO {
        return Err(at.error(0, format!("điểm không được âm / points must not be negative: \"{value}\"")));
    }
    Ok(points)
}

/// `D`, `CD`, `C, D` or `c d` → option indexes.
fn read_pins(value: &str, at: &Located<'_>) -> Result<Vec<usize>, ImportError> {
    let mut pins = Vec::new();
    for (offset, ch) in value.char_indices() {
        if ch.is_ascii_alphabetic() {
            pins.push(usize::from(ch.to_ascii_uppercase() as u8 - b'A'));
        } else if !(ch.is_whitespace() || ch == ',' || ch == ';') {
            return Err(at.error(
                offset,
                format!(
                    "phương án cố định phải là chữ cái A, B, C…, gặp \"{ch}\" / pinned options are letters A, B, C…, found \"{ch}\""
                ),
            ));
        }
    }
    Ok(pins)
}

/// `four-char`, `case-sensitive`, `all-or-nothing`, separated by commas.
fn read_scoring(value: &str, at: &Located<'_>) -> Result<Vec<ScoringRule>, ImportError> {
    let mut rules = Vec::new();
    let mut offset = 0;
    for part in value.split(',') {
        let name = part.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        if !name.is_empty() {
            let rule = ScoringRule::ALL.into_iter().find(|rule| rule.name() == name).ok_or_else(|| {
                let part_start = offset + (part.len() - part.trim_start().len());
                at.error(
                    part_start,
                    format!(
                        "quy tắc chấm không rõ \"{}\" (four-char, case-sensitive, all-or-nothing) / unknown scoring rule \"{}\" (four-char, case-sensitive, all-or-nothing)",
                        part.trim(),
                        part.trim()
                    ),
                )
            })?;
            rules.push(rule);
        }
        offset += part.len() + 1;
    }
    Ok(rules)
}

/// Moodle's `[id:…]` and `[tag:…]` anywhere in the comments above a question (Moodle's GIFT
/// exporter writes `// [id:myid] [tag:a] [tag:b]`): the first idnumber and every tag, trimmed, with
/// `\]` for a `]` inside. A bracket is closed on its own line, never across lines.
pub(super) fn idnumber_and_tags(comments: &[SourceLine<'_>]) -> (Option<String>, Vec<String>) {
    let mut idnumber = None;
    let mut tags = Vec::new();
    for line in comments {
        let mut rest = line.text;
        while let Some(open) = rest.find('[') {
            rest = &rest[open + 1..];
            let (is_tag, after) = if let Some(after) = rest.strip_prefix("tag:") {
                (true, after)
            } else if let Some(after) = rest.strip_prefix("id:") {
                (false, after)
            } else {
                continue;
            };
            let Some((value, remaining)) = bracketed(after) else { break };
            rest = remaining;
            let value = nfc(value.trim());
            if value.is_empty() {
                continue;
            }
            if is_tag {
                tags.push(value);
            } else if idnumber.is_none() {
                idnumber = Some(value);
            }
        }
    }
    (idnumber, tags)
}

/// The text up to the first unescaped `]` (with `\]` and `\\` unescaped), and what follows it.
fn bracketed(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((at, ch)) = chars.next() {
        match ch {
            ']' => return Some((value, &text[at + 1..])),
            '\\' => match chars.clone().next() {
                Some((_, next @ (']' | '\\'))) => {
                    chars.next();
                    value.push(next);
                }
                _ => value.push('\\'),
            },
            _ => value.push(ch),
        }
    }
    None
}
