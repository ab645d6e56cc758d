//! The content of a GIFT answer block `{...}`: general feedback after `####`, then the kind by
//! content as Moodle decides it — empty → essay, `#` → numerical, any `~` → multiple choice,
//! `=` with `->` → matching, `T`/`TRUE`/`F`/`FALSE` → true/false, otherwise short answer.

use super::escape::{Token, text_of, trim, trim_start};
use super::numeric;
use super::parse::Problem;
use phongthi_items::{Body, Choice, Fraction, ItemError, MatchPair, MatchScoring, TextAnswer, TextFormat};

/// What an answer block holds: the body, the general feedback after `####`, and the per-answer
/// feedback of short-answer, numerical and true/false questions ([`phongthi_items::Item::answer_feedback`]).
pub(super) struct Block {
    pub(super) body: Body,
    pub(super) general_feedback: Option<String>,
    pub(super) answer_feedback: Vec<Option<String>>,
}

/// One answer: its marker (`=` or `~`) and the tokens up to the next marker.
pub(super) struct Answer<'t> {
    /// The `=` or `~` that starts it.
    pub(super) marker: Token,
    /// What follows the marker.
    pub(super) tokens: &'t [Token],
}

/// Reads an answer block's content; `open_at` is the offset of its `{`, where errors about the
/// block as a whole point.
pub(super) fn read(block: &[Token], open_at: usize) -> Result<Block, Problem> {
    let (content, general_feedback) = split_general_feedback(block);
    let general_feedback = general_feedback.map(feedback_text).filter(|feedback| !feedback.is_empty());
    let content = trim(content);
    let Some(first) = content.first() else {
        return Ok(Block { body: Body::Essay, general_feedback, answer_feedback: Vec::new() });
    };
    let (body, answer_feedback) = if first.is('#') {
        numeric::read(&content[1..], first.at)?
    } else if content.iter().any(|t| t.is('~')) {
        (choices(content, open_at)?, Vec::new())
    } else if content.iter().any(|t| t.is('=')) && find_arrow(content).is_some() {
        (matching(content, open_at)?, Vec::new())
    } else if let Some((answer, feedback)) = true_false(content) {
        (Body::TrueFalse { answer }, feedback)
    } else {
        short_text(content)?
    };
    let answer_feedback = phongthi_items::canonical_answer_feedback(answer_feedback);
    Ok(Block { body, general_feedback, answer_feedback })
}

/// `tokens` without a leading `[html]`, `[moodle]`, `[plain]` or `[markdown]`: Moodle reads such a
/// marker on option texts, match prompts and every feedback as that text's format. The bank keeps
/// one format per item, so the marker is consumed (never shown to students) and the text kept.
pub(super) fn without_format_marker(tokens: &[Token]) -> &[Token] {
    let tokens = trim_start(tokens);
    if !tokens.first().is_some_and(|t| t.is('[')) {
        return tokens;
    }
    let Some(close) = tokens.iter().take(12).position(|t| t.is(']')) else { return tokens };
    let word: String = tokens[1..close].iter().map(|t| t.ch).collect();
    let is_word = tokens[1..close].iter().all(|t| !t.escaped && t.ch.is_ascii_alphabetic());
    if is_word && TextFormat::parse(&word).is_some() { &tokens[close + 1..] } else { tokens }
}

/// A feedback's stored text, its format marker consumed.
pub(super) fn feedback_text(tokens: &[Token]) -> String {
    text_of(without_format_marker(tokens))
}

/// The stored feedback after a `#`, `None` when empty.
pub(super) fn feedback_of(feedback: Option<(&Token, &[Token])>) -> Option<String> {
    feedback.map(|(_, tokens)| feedback_text(tokens)).filter(|text| !text.is_empty())
}

/// Splits at the first unescaped `####`.
fn split_general_feedback(block: &[Token]) -> (&[Token], Option<&[Token]>) {
    let mut run = 0;
    for (index, token) in block.iter().enumerate() {
        run = if token.is('#') { run + 1 } else { 0 };
        if run == 4 {
            return (&block[..index - 3], Some(&block[index + 1..]));
        }
    }
    (block, None)
}

/// Index of the first unescaped `->`.
fn find_arrow(tokens: &[Token]) -> Option<usize> {
    tokens.windows(2).position(|pair| pair[0].is('-') && pair[1].is('>'))
}

/// Splits content into answers at each unescaped `=` and `~`; anything but whitespace before
/// the first marker is an error.
pub(super) fn split_answers(content: &[Token]) -> Result<Vec<Answer<'_>>, Problem> {
    let is_marker = |t: &Token| t.is('=') || t.is('~');
    let first = content.iter().position(is_marker).unwrap_or(content.len());
    if let Some(stray) = trim(&content[..first]).first() {
        return Err(Problem::new(
            stray.at,
            "mỗi đáp án phải bắt đầu bằng = (đúng) hoặc ~ (sai) / each answer must start with = (right) or ~ (wrong)",
        ));
    }
    let mut answers = Vec::new();
    let mut start = first;
    while start < content.len() {
        let end = content[start + 1..].iter().position(is_marker).map_or(content.len(), |next| start + 1 + next);
        answers.push(Answer { marker: content[start], tokens: &content[start + 1..end] });
        start = end;
    }
    Ok(answers)
}

/// A leading `%n%` credit, and what follows it.
pub(super) fn read_weight(tokens: &[Token]) -> Result<(Option<Fraction>, &[Token]), Problem> {
    let tokens = trim_start(tokens);
    let Some(open) = tokens.first().filter(|t| t.is('%')) else {
        return Ok((None, tokens));
    };
    let Some(close) = tokens[1..].iter().position(|t| t.is('%')).map(|close| close + 1) else {
        return Err(Problem::new(open.at, "tỉ lệ điểm %…% thiếu dấu % đóng / the credit %…% has no closing %"));
    };
    let percent: String = tokens[1..close].iter().map(|t| t.ch).collect();
    let fraction = crate::moodle_grades::grade_from_percent(&percent).map_err(|error| Problem::new(open.at, error))?;
    Ok((Some(fraction), &tokens[close + 1..]))
}

/// Splits an answer at its first unescaped `#` into text and feedback.
pub(super) fn split_feedback(tokens: &[Token]) -> (&[Token], Option<(&Token, &[Token])>) {
    match tokens.iter().position(|t| t.is('#')) {
        Some(hash) => (&tokens[..hash], Some((&tokens[hash], &tokens[hash + 1..]))),
        None => (tokens, None),
    }
}

/// Refuses non-empty `#feedback` on an answer whose kind has nowhere to keep it; an empty `#`
/// (which Moodle's own export writes after every answer) loses nothing and is accepted.
pub(super) fn refuse_feedback(
    feedback: Option<(&Token, &[Token])>,
    (vietnamese, english): (&str, &str),
) -> Result<(), Problem> {
    match feedback {
        Some((hash, text)) if !trim(text).is_empty() => Err(Problem::new(
            hash.at,
            format!(
                "{vietnamese}: phản hồi riêng cho đáp án không được lưu, hãy dùng #### cho phản hồi chung hoặc viết \\# / {english}: per-answer feedback cannot be kept; use #### for general feedback or write \\#"
            ),
        )),
        _ => Ok(()),
    }
}

/// Multiple choice: one `=` → single choice; only `~` (with `%n%` credit) → multiple response.
fn choices(content: &[Token], open_at: usize) -> Result<Body, Problem> {
    let answers = split_answers(content)?;
    let mut options = Vec::with_capacity(answers.len());
    let mut any_right_marker = false;
    for answer in &answers {
        let right_marker = answer.marker.ch == '=';
        any_right_marker |= right_marker;
        let (weight, rest) = read_weight(answer.tokens)?;
        let (text, feedback) = split_feedback(rest);
        let fraction = weight.unwrap_or(if right_marker { Fraction::ONE } else { Fraction::ZERO });
        options.push(Choice {
            text: text_of(without_format_marker(text)),
            fraction,
            pinned: false,
            feedback: feedback_of(feedback),
        });
    }
    if options.len() < 2 {
        return Err(Problem::new(open_at, ItemError::TooFewOptions(options.len()).to_string()));
    }
    let checked = if any_right_marker {
        crate::moodle_grades::check_single(&options)
    } else {
        crate::moodle_grades::check_multiple(&options)
    };
    checked.map_err(|message| Problem::new(open_at, message))?;
    Ok(if any_right_marker { Body::SingleChoice { options } } else { Body::MultipleResponse { options } })
}

/// Matching: `=prompt -> answer`; an empty prompt makes the answer an extra distractor.
fn matching(content: &[Token], open_at: usize) -> Result<Body, Problem> {
    let mut pairs = Vec::new();
    let mut distractors = Vec::new();
    for answer in split_answers(content)? {
        let (tokens, feedback) = split_feedback(answer.tokens);
        refuse_feedback(feedback, ("câu ghép đôi", "matching"))?;
        let Some(arrow) = find_arrow(tokens) else {
            return Err(Problem::new(
                answer.marker.at,
                "cặp ghép thiếu dấu -> giữa hai vế / a matching pair has no -> between its sides",
            ));
        };
        let prompt = text_of(without_format_marker(&tokens[..arrow]));
        let matched = text_of(&tokens[arrow + 2..]);
        if matched.is_empty() {
            return Err(Problem::new(
                answer.marker.at,
                "cặp ghép thiếu vế sau dấu -> / a matching pair has nothing after ->",
            ));
        }
        if prompt.is_empty() {
            distractors.push(matched);
        } else {
            pairs.push(MatchPair { prompt, answer: matched });
        }
    }
    if pairs.len() < 2 {
        return Err(Problem::new(open_at, ItemError::TooFewPairs(pairs.len()).to_string()));
    }
    Ok(Body::Matching { pairs, distractors, scoring: MatchScoring::PerPair })
}

/// `T`, `TRUE`, `F` or `FALSE` (any case), with Moodle's `#feedback if wrong#feedback if right`,
/// as the answer and `[if answered true, if answered false]`; `None` for anything else.
fn true_false(content: &[Token]) -> Option<(bool, Vec<Option<String>>)> {
    const LONGEST_WORD: usize = 5;
    let (word, feedback) = split_feedback(content);
    let word = trim(word);
    if word.len() > LONGEST_WORD || word.iter().any(|t| t.escaped) {
        return None;
    }
    let word: String = word.iter().map(|t| t.ch.to_ascii_uppercase()).collect();
    let answer = match word.as_str() {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        _ => return None,
    };
    let (wrong, right) = match feedback {
        None => (None, None),
        Some((_, after)) => {
            let (wrong, right) = split_feedback(after);
            (Some(feedback_text(wrong)).filter(|t| !t.is_empty()), feedback_of(right))
        }
    };
    Some((answer, if answer { vec![right, wrong] } else { vec![wrong, right] }))
}

/// Short answer: `=text` answers, `=%50%text` for partial credit, compared case-insensitively.
fn short_text(content: &[Token]) -> Result<(Body, Vec<Option<String>>), Problem> {
    let mut answers = Vec::new();
    let mut feedbacks = Vec::new();
    for answer in split_answers(content)? {
        let (weight, rest) = read_weight(answer.tokens)?;
        let (text, feedback) = split_feedback(rest);
        let (text, fraction) = (text_of(text), weight.unwrap_or(Fraction::ONE));
        if text == "*" {
            // Moodle's "any other answer": at 0 % it only carries feedback, which has no place
            // in the bank; with credit it would accept any text.
            if fraction == Fraction::ZERO {
                continue;
            }
            return Err(Problem::new(
                answer.marker.at,
                "đáp án * (mọi câu trả lời) có điểm chưa được hỗ trợ / a credited * (any answer) is not supported",
            ));
        }
        answers.push(TextAnswer { text, fraction });
        feedbacks.push(feedback_of(feedback));
    }
    Ok((Body::ShortText { answers, case_sensitive: false }, feedbacks))
}
