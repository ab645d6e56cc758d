//! The marks teachers type into a paper, recognised on one line of text: question starts
//! (`Câu 3.`), level tags (`[VD]`), part headings (`PHẦN II. …`), option and statement letters
//! (`A.`, `*B)`, `#C.`, `a)`), and the keyword lines (`Đáp án:`, `Lời giải`, `Chủ đề:`, `HẾT`).
//!
//! Pure functions over `&str` (and over characters with their [`Look`] for the correct-answer
//! marks), so each convention is tested alone and the parser above reads like the paper.

use super::document::Look;
use super::lines::Line;
use phongthi_items::Level;
use phongthi_items::text::fold_for_search;

/// What kind of questions a part holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PartKind {
    /// Trắc nghiệm nhiều phương án lựa chọn (one correct option).
    SingleChoice,
    /// Trắc nghiệm đúng sai (statements a–d).
    TrueFalse,
    /// Trả lời ngắn (a typed number or word).
    ShortAnswer,
    /// Tự luận (marked by a teacher).
    Essay,
}

/// A `Câu N.` start: the number, the level tag if any, and where the stem begins (in chars).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct QuestionStart {
    /// The number as written.
    pub(crate) number: u32,
    /// `[NB]` … `[VDC]`.
    pub(crate) level: Option<Level>,
    /// Char index in the line where the stem text starts.
    pub(crate) stem_from: usize,
}

/// Char-index view of a line's text.
fn chars(text: &str) -> Vec<char> {
    text.chars().collect()
}

fn skip_spaces(text: &[char], mut at: usize) -> usize {
    while text.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

fn starts_with_word(text: &[char], at: usize, word: &str) -> bool {
    let word: Vec<char> = word.chars().collect();
    text.len() >= at + word.len()
        && text[at..at + word.len()].iter().zip(&word).all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
}

/// `Câu 12.`, `Câu 12:`, `Bài 3)`, `Question 4.`, `Câu 5 [VD].`, `Câu 5. [VD]`.
pub(crate) fn question_start(text: &str) -> Option<QuestionStart> {
    let text = chars(text);
    let mut at = skip_spaces(&text, 0);
    let word = ["Câu", "Cau", "Bài", "Bai", "Question"].into_iter().find(|w| starts_with_word(&text, at, w))?;
    at += word.chars().count();
    at = skip_spaces(&text, at);
    let digits_from = at;
    while text.get(at).is_some_and(char::is_ascii_digit) {
        at += 1;
    }
    if at == digits_from || at - digits_from > 4 {
        return None;
    }
    let number: u32 = text[digits_from..at].iter().collect::<String>().parse().ok()?;
    let mut level = None;
    let after_tag = |text: &[char], at: usize, level: &mut Option<Level>| -> usize {
        let at_tag = skip_spaces(text, at);
        match level_tag(&text[at_tag.min(text.len())..]) {
            Some((found, length)) => {
                *level = Some(found);
                at_tag + length
            }
            None => at,
        }
    };
    at = after_tag(&text, at, &mut level);
    match text.get(at) {
        Some('.' | ':' | ')') => at += 1,
        // `Câu 3 Cho …` is a question too, but `Câu 3a` or `Câu 30%` are not a start.
        Some(c) if c.is_whitespace() => {}
        None => {}
        Some(_) => return None,
    }
    at = after_tag(&text, at, &mut level);
    Some(QuestionStart { number, level, stem_from: skip_spaces(&text, at) })
}

/// `[NB]`, `[TH]`, `[VD]`, `[VDC]` (also in round brackets), and its length in chars.
fn level_tag(text: &[char]) -> Option<(Level, usize)> {
    let close = match text.first()? {
        '[' => ']',
        '(' => ')',
        _ => return None,
    };
    let end = text.iter().position(|c| *c == close)?;
    let inner: String = text[1..end].iter().collect::<String>().trim().to_uppercase();
    let level = match inner.as_str() {
        "NB" => Level::Biet,
        "TH" => Level::Hieu,
        "VD" => Level::VanDung,
        "VDC" => Level::VanDungCao,
        _ => return None,
    };
    Some((level, end + 1))
}

/// `PHẦN I. …`, `Phần 2: …`, `II. …`: the part's number and what its words say it holds.
pub(crate) fn part_heading(text: &str) -> Option<(u32, Option<PartKind>)> {
    let trimmed = text.trim();
    let folded = fold_for_search(trimmed);
    let rest = if let Some(rest) = folded.strip_prefix("phan ") {
        rest.trim_start()
    } else {
        // A bare Roman numeral heading needs its dot and something after it.
        let (numeral, after) = folded.split_once(['.', ':'])?;
        if numeral.is_empty() || !numeral.chars().all(|c| matches!(c, 'i' | 'v' | 'x')) || after.trim().is_empty() {
            return None;
        }
        &folded
    };
    let token: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let number = token.parse().ok().or_else(|| roman_value(&token))?;
    Some((
        number,
        part_kind_from_words(&folded).or(match number {
            1 => Some(PartKind::SingleChoice),
            2 => Some(PartKind::TrueFalse),
            3 => Some(PartKind::ShortAnswer),
            _ => None,
        }),
    ))
}

/// What a part's own words say it holds; they win over its number.
fn part_kind_from_words(folded: &str) -> Option<PartKind> {
    if folded.contains("dung sai") || folded.contains("dung/sai") || folded.contains("dung - sai") {
        Some(PartKind::TrueFalse)
    } else if folded.contains("tra loi ngan") {
        Some(PartKind::ShortAnswer)
    } else if folded.contains("tu luan") {
        Some(PartKind::Essay)
    } else if folded.contains("nhieu phuong an") || folded.contains("lua chon") {
        Some(PartKind::SingleChoice)
    } else {
        None
    }
}

fn roman_value(token: &str) -> Option<u32> {
    match token {
        "i" => Some(1),
        "ii" => Some(2),
        "iii" => Some(3),
        "iv" => Some(4),
        "v" => Some(5),
        "vi" => Some(6),
        _ => None,
    }
}

/// `Chủ đề: Hàm số` → `Hàm số`.
pub(crate) fn topic_line(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let (head, rest) = trimmed.split_once(':')?;
    (fold_for_search(head).trim() == "chu de").then(|| rest.trim().to_owned()).filter(|t| !t.is_empty())
}

/// `Lời giải`, `Hướng dẫn giải`, `Hướng dẫn`, `Giải` (with `:` or `.` or alone): the rest of
/// the line, which belongs to the explanation.
pub(crate) fn explanation_start(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    let folded = fold_for_search(trimmed);
    for word in ["huong dan giai", "loi giai chi tiet", "loi giai", "huong dan", "giai"] {
        // `Giải:` opens an explanation, `Giải thích vì sao` is a stem: the one-word form needs
        // its colon or full stop.
        let separators: &[char] = if word == "giai" { &[':', '.'] } else { &[':', '.', ' ', '\t', '\n'] };
        if let Some(after) = folded.strip_prefix(word)
            && (after.is_empty() || after.starts_with(separators))
        {
            // Folding keeps one char per char, so the same count skips the word in the original.
            let rest: String = trimmed.chars().skip(word.chars().count()).collect();
            return Some(rest.trim_start_matches([':', '.']).trim().to_owned());
        }
    }
    None
}

/// `Đáp án: 2,5; 2.5` → the accepted answers (also `Đáp số:`, `ĐA:`).
pub(crate) fn answer_line(text: &str) -> Option<Vec<String>> {
    let (head, rest) = text.trim().split_once(':')?;
    matches!(fold_for_search(head).trim(), "dap an" | "dap so" | "da").then(|| {
        rest.split(';').map(|a| a.trim().trim_end_matches('.').trim().to_owned()).filter(|a| !a.is_empty()).collect()
    })
}

/// The end of the paper: `HẾT`, `--- HẾT ---`, `----------HẾT----------`.
pub(crate) fn end_line(text: &str) -> bool {
    let folded = fold_for_search(text.trim());
    let core = folded.trim_matches(|c: char| c == '-' || c == '*' || c == '.' || c == '—' || c.is_whitespace());
    core == "het"
}

/// Which correct-answer marks count (`--correct underline,red,highlight,star`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CorrectMarks {
    /// The option's letter underlined.
    pub underline: bool,
    /// The letter or the option's text in red.
    pub red: bool,
    /// The letter or the text highlighted or shaded.
    pub highlight: bool,
    /// A `*` right before the letter.
    pub star: bool,
}

impl Default for CorrectMarks {
    fn default() -> Self {
        Self { underline: true, red: true, highlight: true, star: true }
    }
}

impl CorrectMarks {
    /// Reads `underline,red,highlight,star` (any subset, `all`); the error names the bad word.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut marks = Self { underline: false, red: false, highlight: false, star: false };
        for word in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match fold_for_search(word).as_str() {
                "underline" | "gach chan" => marks.underline = true,
                "red" | "do" => marks.red = true,
                "highlight" | "to mau" => marks.highlight = true,
                "star" | "*" => marks.star = true,
                "all" => marks = Self::default(),
                _ => {
                    return Err(format!(
                        "không hiểu dấu đáp án \"{word}\" (dùng underline, red, highlight, star) / \
                         unknown correct-answer mark \"{word}\" (use underline, red, highlight, star)"
                    ));
                }
            }
        }
        if marks == (Self { underline: false, red: false, highlight: false, star: false }) {
            return Err("cần ít nhất một dấu đáp án / at least one correct-answer mark is needed".to_owned());
        }
        Ok(marks)
    }
}

/// One option (or statement) found on a line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Marked {
    /// Its letter, upper case for options and lower case for statements.
    pub(crate) letter: char,
    /// Its text (chars of the line after the marker, trimmed).
    pub(crate) text: Vec<(char, Look)>,
    /// Marked correct (by the marks that count).
    pub(crate) correct: bool,
    /// `#` before the letter.
    pub(crate) pinned: bool,
}

/// Whether `line` starts with an option (upper) or statement (lower) marker whose letter is
/// `first` or later; then every marker on the line, split where the next letter in sequence
/// follows white space (`A. 2\tB. 3  C. 4`).
pub(crate) fn marked_items(line: &Line, upper: bool, first: char, marks: CorrectMarks) -> Option<Vec<Marked>> {
    let chars = &line.chars;
    let start = skip_spaces(&chars.iter().map(|(c, _)| *c).collect::<Vec<_>>(), 0);
    let (letter, _) = marker_at(chars, start, upper)?;
    if letter < first {
        return None;
    }
    let mut found = Vec::new();
    let mut at = start;
    let mut expected = letter;
    while let Some((letter, after)) = marker_at(chars, at, upper).filter(|(l, _)| *l == expected) {
        // The next marker: the following letter, after white space.
        let next_letter = char::from_u32(u32::from(letter) + 1).unwrap_or(letter);
        let mut end = after;
        let mut next = None;
        while end < chars.len() {
            if chars[end].0.is_whitespace() {
                let candidate = skip_spaces(&chars.iter().map(|(c, _)| *c).collect::<Vec<_>>(), end);
                if let Some((l, _)) = marker_at(chars, candidate, upper)
                    && l == next_letter
                {
                    next = Some(candidate);
                    break;
                }
            }
            end += 1;
        }
        let stop = next.unwrap_or(chars.len());
        found.push(marked(chars, at, after, stop, letter, marks));
        match next {
            Some(n) => {
                at = n;
                expected = next_letter;
            }
            None => break,
        }
    }
    (!found.is_empty()).then_some(found)
}

/// The marker at `at`: optional `*`/`#` (and `#!`/`#$`), the letter, `.` or `)`; returns the
/// letter and the index after the marker.
fn marker_at(chars: &[(char, Look)], at: usize, upper: bool) -> Option<(char, usize)> {
    let mut i = at;
    while matches!(chars.get(i).map(|(c, _)| *c), Some('*' | '#' | '!' | '$')) && i < at + 2 {
        i += 1;
    }
    let (letter, _) = *chars.get(i)?;
    let in_range = if upper { ('A'..='H').contains(&letter) } else { ('a'..='h').contains(&letter) };
    if !in_range {
        return None;
    }
    let punctuation = chars.get(i + 1).map(|(c, _)| *c)?;
    let ok = if upper { matches!(punctuation, '.' | ')') } else { matches!(punctuation, ')' | '.') };
    // `A.B.C` (points of a figure) is not a marker, but `A.` followed by anything else is.
    let abbreviation = chars.get(i + 2).is_some_and(|(c, _)| c.is_alphabetic())
        && chars.get(i + 3).is_some_and(|(c, _)| matches!(c, '.' | ')'));
    (ok && !abbreviation).then_some((letter, i + 2))
}

fn marked(chars: &[(char, Look)], at: usize, after: usize, stop: usize, letter: char, marks: CorrectMarks) -> Marked {
    let prefix: String = chars[at..after - 2].iter().map(|(c, _)| *c).collect();
    let letter_look = chars[after - 2].1;
    let text: Vec<(char, Look)> = trim(&chars[after..stop]);
    let visible: Vec<&Look> = text.iter().filter(|(c, _)| !c.is_whitespace()).map(|(_, l)| l).collect();
    let mostly =
        |test: fn(&Look) -> bool| !visible.is_empty() && visible.iter().filter(|l| test(l)).count() * 2 > visible.len();
    let star = prefix.contains('*') || prefix == "#!";
    let correct = (marks.underline && letter_look.underline)
        || (marks.red && (letter_look.red || mostly(|l| l.red)))
        || (marks.highlight && (letter_look.highlight || mostly(|l| l.highlight)))
        || (marks.star && star);
    Marked { letter, text, correct, pinned: prefix.starts_with('#') }
}

/// Drops white space at both ends.
pub(crate) fn trim(chars: &[(char, Look)]) -> Vec<(char, Look)> {
    let start = chars.iter().position(|(c, _)| !c.is_whitespace()).unwrap_or(chars.len());
    let end = chars.iter().rposition(|(c, _)| !c.is_whitespace()).map_or(start, |e| e + 1);
    chars[start..end.max(start)].to_vec()
}

#[cfg(test)]
#[path = "markers_tests.rs"]
mod tests;
