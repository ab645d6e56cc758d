//! Exact scoring: a student's responses on a form, scored in milli-points.
//!
//! Responses refer to what the student saw (presented letters); the form's option order maps
//! them back to the authored options. Every partial credit is rounded once, half-up, to a whole
//! milli-point ([`MilliPoints::scale_by`]); the reported score is rounded once more, half-up, to
//! the blueprint's step ([`scale`]) — each in integer arithmetic, so 0.1 + 0.25 + 0.5 is exactly
//! 0.85 and 8.25 is reported as 8.3 (Circular 22/2021). A score is never below 0 nor above the
//! question's points, whatever the response.

use crate::forms::{Form, FormQuestion};
use phongthi_items::points::div_round_half_up;
use phongthi_items::text::{fold_for_search, normalize_answer};
use phongthi_items::{Body, Fraction, Item, ItemId, ItemKind, MatchScoring, MilliPoints, parse_decimal};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a student answered to one question, in presented terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
// Externally tagged (serde's default) so compact binary formats such as postcard can carry it.
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// Nothing answered.
    Unanswered,
    /// Chosen options by presented position (0 = A), ascending, without repeats.
    Choices(Vec<u8>),
    /// Đúng (`true`) or Sai (`false`).
    TrueFalse(bool),
    /// One judgement per statement a, b, c, …; `None` = left blank.
    Cluster(Vec<Option<bool>>),
    /// Typed text for a short-answer item.
    Text(String),
    /// A number as typed (kept as typed: the four-character rule looks at the characters).
    Numeric(String),
    /// For each prompt in order, the presented position of the chosen answer.
    Matching(Vec<Option<u8>>),
    /// An essay's text (marked by hand).
    Essay(String),
}

/// Why a cell of an answer sheet cannot be read for its question.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CellError {
    /// A character that is not an option letter.
    #[error("{0:?} không phải chữ cái phương án (A, B, C, …) / {0:?} is not an option letter")]
    NotALetter(char),
    /// A letter beyond the item's options.
    #[error("câu này chỉ có {options} phương án, không có {letter} / this question has {options} options, no {letter}")]
    LetterOutOfRange {
        /// The letter.
        letter: char,
        /// How many options there are.
        options: usize,
    },
    /// A true/false cell that is neither Đúng nor Sai.
    #[error("{0:?} không phải Đúng/Sai / {0:?} is not true/false (Đúng/Sai)")]
    NotTrueFalse(String),
    /// A statement mark that is not Đ/S (D/S, T/F) or `-`.
    #[error("{0:?} không phải Đ, S hoặc - / {0:?} is not Đ, S or -")]
    NotAStatementMark(char),
    /// More marks than statements or prompts.
    #[error("có {found} ý trả lời, câu hỏi chỉ có {expected} / {found} answers for {expected} statements or prompts")]
    TooManyMarks {
        /// Marks written.
        found: usize,
        /// Statements or prompts of the item.
        expected: usize,
    },
    /// A numeric cell that is not a number.
    #[error("{0:?} không phải số / {0:?} is not a number")]
    NotANumber(String),
    /// A description has no answer.
    #[error("câu mô tả không có câu trả lời / a description takes no answer")]
    NoAnswerExpected,
    /// The response is of another kind than the item.
    #[error("câu trả lời không đúng loại câu hỏi ({0}) / the response does not fit a {0} item")]
    WrongKind(ItemKind),
}

impl Response {
    /// Reads one answer-sheet cell for an item of `kind` (notation of `examples/README.md`).
    ///
    /// An empty cell is unanswered for every kind. Choice letters are case-insensitive and may be
    /// separated by spaces or commas (`AC`, `a, c`). Clusters take one mark per statement: `Đ`,
    /// `D` or `T` for true, `S` or `F` for false, `-` or a space for blank. True/false takes
    /// `Đúng`/`Sai`, `Đ`/`S`, `T`/`F`, `True`/`False`, `1`/`0`. Numbers take `,` or `.`. Matching takes one
    /// letter per prompt, `-` for blank.
    pub fn parse_cell(kind: ItemKind, text: &str) -> Result<Self, CellError> {
        if text.trim().is_empty() {
            return Ok(Response::Unanswered);
        }
        match kind {
            ItemKind::SingleChoice | ItemKind::MultipleResponse => {
                let mut chosen = Vec::new();
                for c in text.chars().filter(|c| !c.is_whitespace() && *c != ',' && *c != ';') {
                    chosen.push(letter_index(c).ok_or(CellError::NotALetter(c))?);
                }
                chosen.sort_unstable();
                chosen.dedup();
                Ok(Response::Choices(chosen))
            }
            ItemKind::TrueFalse => match fold_for_search(text.trim()).as_str() {
                "dung" | "d" | "t" | "true" | "1" => Ok(Response::TrueFalse(true)),
                "sai" | "s" | "f" | "false" | "0" => Ok(Response::TrueFalse(false)),
                _ => Err(CellError::NotTrueFalse(text.trim().to_owned())),
            },
            ItemKind::TrueFalseCluster => {
                // Only the end is trimmed: a leading space is a blank first statement.
                let marks = text.trim_end().chars().map(statement_mark).collect::<Result<Vec<_>, _>>()?;
                Ok(Response::Cluster(marks))
            }
            ItemKind::ShortText => Ok(Response::Text(phongthi_items::text::nfc(text.trim()))),
            ItemKind::Numeric => {
                let typed = text.trim();
                parse_decimal(typed).ok_or_else(|| CellError::NotANumber(typed.to_owned()))?;
                Ok(Response::Numeric(typed.to_owned()))
            }
            ItemKind::Matching => {
                let marks = text
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != ',' && *c != ';')
                    .map(
                        |c| if c == '-' { Ok(None) } else { letter_index(c).map(Some).ok_or(CellError::NotALetter(c)) },
                    )
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Response::Matching(marks))
            }
            ItemKind::Essay => Ok(Response::Essay(phongthi_items::text::nfc(text.trim()))),
            ItemKind::Description => Err(CellError::NoAnswerExpected),
        }
    }

    /// Checks that the response fits the item as shown: letters within its options, no more
    /// marks than statements or prompts, and a response of the item's kind.
    pub fn check_fits(&self, item: &Item) -> Result<(), CellError> {
        match (self, &item.body) {
            (Response::Unanswered, _) => Ok(()),
            (Response::Choices(chosen), Body::SingleChoice { options } | Body::MultipleResponse { options }) => {
                out_of_range(chosen.iter().copied(), options.len())
            }
            (Response::TrueFalse(_), Body::TrueFalse { .. })
            | (Response::Text(_), Body::ShortText { .. })
            | (Response::Numeric(_), Body::Numeric { .. })
            | (Response::Essay(_), Body::Essay) => Ok(()),
            (Response::Cluster(marks), Body::TrueFalseCluster { statements, .. }) => {
                if marks.len() > statements.len() {
                    return Err(CellError::TooManyMarks { found: marks.len(), expected: statements.len() });
                }
                Ok(())
            }
            (Response::Matching(marks), Body::Matching { pairs, distractors, .. }) => {
                if marks.len() > pairs.len() {
                    return Err(CellError::TooManyMarks { found: marks.len(), expected: pairs.len() });
                }
                out_of_range(marks.iter().flatten().copied(), pairs.len() + distractors.len())
            }
            _ => Err(CellError::WrongKind(item.kind())),
        }
    }
}

fn out_of_range(mut positions: impl Iterator<Item = u8>, options: usize) -> Result<(), CellError> {
    positions
        .find(|p| usize::from(*p) >= options)
        .map_or(Ok(()), |p| Err(CellError::LetterOutOfRange { letter: crate::forms::letter(usize::from(p)), options }))
}

fn letter_index(c: char) -> Option<u8> {
    let upper = c.to_ascii_uppercase();
    upper.is_ascii_uppercase().then(|| upper as u8 - b'A')
}

fn statement_mark(c: char) -> Result<Option<bool>, CellError> {
    match c {
        'Đ' | 'đ' | 'D' | 'd' | 'T' | 't' => Ok(Some(true)),
        'S' | 's' | 'F' | 'f' => Ok(Some(false)),
        '-' | ' ' | '_' => Ok(None),
        other => Err(CellError::NotAStatementMark(other)),
    }
}

/// Whether typed text keeps the Vietnamese answer-sheet rule for short answers: at most four
/// characters, all from `-` (first only), digits and one decimal mark.
pub fn fits_four_char_rule(typed: &str) -> bool {
    let typed = typed.trim();
    typed.chars().count() <= 4
        && typed.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == ',' || c == '.' || (c == '-' && i == 0))
        && typed.matches([',', '.']).count() <= 1
}

/// The points a response earns on one question, exactly, between 0 and the question's points.
///
/// Single choice: the chosen option's credit (nothing when several are chosen). Multiple
/// response: the sum of the chosen options' credits, clamped to 0..=100 %. True/false: all or
/// nothing. Cluster: the credit table for the number of statements judged right (blank = wrong).
/// Short text: the best credit among accepted answers equal after [`normalize_answer`].
/// Numeric: the best credit among accepted numbers; 0 when the item keeps the four-character
/// rule and the typed text breaks it. Matching: per pair, `points × right / pairs` rounded
/// half-up once, or all-or-nothing. Essays and descriptions: 0 here (essays are marked by hand;
/// see [`score_sheet`]). A response of the wrong kind earns 0.
pub fn score_question(item: &Item, question: &FormQuestion, response: &Response) -> MilliPoints {
    let points = question.points.max(MilliPoints::ZERO);
    let authored = |presented: u8| question.option_order.get(usize::from(presented)).map(|a| usize::from(*a));
    let credit = match (&item.body, response) {
        (Body::SingleChoice { options }, Response::Choices(chosen)) if chosen.len() == 1 => {
            let fraction = authored(chosen[0]).and_then(|a| options.get(a)).map_or(Fraction::ZERO, |o| o.fraction);
            Fraction::clamped_sum([fraction])
        }
        (Body::MultipleResponse { options }, Response::Choices(chosen)) => {
            let mut seen = 0u32;
            let mut fractions = Vec::with_capacity(chosen.len());
            for &presented in chosen {
                if let Some(index) = authored(presented).filter(|a| *a < 32 && seen & (1 << a) == 0) {
                    seen |= 1 << index;
                    fractions.extend(options.get(index).map(|o| o.fraction));
                }
            }
            Fraction::clamped_sum(fractions)
        }
        (Body::TrueFalse { answer }, Response::TrueFalse(given)) => full_if(answer == given),
        (Body::TrueFalseCluster { statements, table }, Response::Cluster(marks)) => {
            let right = statements.iter().zip(marks).filter(|(s, m)| **m == Some(s.correct)).count();
            Fraction::clamped_sum([table.credit(right)])
        }
        (Body::ShortText { answers, case_sensitive }, Response::Text(text)) => {
            let typed = normalize_answer(text, *case_sensitive);
            best(answers.iter().filter(|a| normalize_answer(&a.text, *case_sensitive) == typed).map(|a| a.fraction))
        }
        (Body::Numeric { answers, four_char_rule }, Response::Numeric(typed)) => {
            match parse_decimal(typed).filter(|_| !*four_char_rule || fits_four_char_rule(typed)) {
                Some(value) => best(answers.iter().filter(|a| a.value.accepts(value)).map(|a| a.fraction)),
                None => Fraction::ZERO,
            }
        }
        (Body::Matching { pairs, distractors, scoring }, Response::Matching(marks)) => {
            let answer_text = |index: usize| {
                pairs
                    .get(index)
                    .map(|p| p.answer.as_str())
                    .or_else(|| distractors.get(index - pairs.len()).map(String::as_str))
            };
            let right = pairs
                .iter()
                .zip(marks)
                .filter(|(pair, mark)| {
                    // Compared by text: two prompts may share one answer.
                    mark.and_then(authored)
                        .and_then(answer_text)
                        .is_some_and(|text| normalize_answer(text, true) == normalize_answer(&pair.answer, true))
                })
                .count();
            return match scoring {
                MatchScoring::AllOrNothing => {
                    if right == pairs.len() {
                        points
                    } else {
                        MilliPoints::ZERO
                    }
                }
                MatchScoring::PerPair if pairs.is_empty() => MilliPoints::ZERO,
                MatchScoring::PerPair => MilliPoints::from_milli(div_round_half_up(
                    i128::from(points.milli()) * right as i128,
                    pairs.len() as i128,
                ) as i64),
            };
        }
        _ => Fraction::ZERO,
    };
    points.scale_by(credit)
}

fn full_if(right: bool) -> Fraction {
    if right { Fraction::ONE } else { Fraction::ZERO }
}

/// The best credit, never below zero (a penalised answer earns nothing, not minus).
fn best(fractions: impl Iterator<Item = Fraction>) -> Fraction {
    fractions.max().map_or(Fraction::ZERO, |f| Fraction::clamped_sum([f]))
}

/// The score of one answer sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetScore {
    /// Points earned on automatically scored questions.
    pub raw: MilliPoints,
    /// Points of the whole form, essays included.
    pub max: MilliPoints,
    /// Points per question, in form order (0 for essays awaiting marks).
    pub per_question: Vec<MilliPoints>,
    /// 1-based positions of answered essays that wait for a teacher's mark.
    pub pending_manual: Vec<usize>,
}

/// Why a sheet could not be scored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// A form question names an item that is not in the given items.
    #[error(
        "câu {position} dùng câu hỏi {item} không có trong đề / question {position} uses item {item}, which is missing"
    )]
    MissingItem {
        /// 1-based question number.
        position: usize,
        /// The missing item.
        item: ItemId,
    },
    /// More responses than questions on the form.
    #[error("có {responses} câu trả lời cho {questions} câu hỏi / {responses} responses for {questions} questions")]
    TooManyResponses {
        /// Questions on the form.
        questions: usize,
        /// Responses given.
        responses: usize,
    },
}

/// Scores a sheet: `responses[i]` answers question `i + 1` of `form`; missing trailing responses
/// are unanswered. Unanswered essays score 0; answered ones are listed as pending.
pub fn score_sheet(
    form: &Form,
    items: &BTreeMap<ItemId, Item>,
    responses: &[Response],
) -> Result<SheetScore, ScoreError> {
    if responses.len() > form.questions.len() {
        return Err(ScoreError::TooManyResponses { questions: form.questions.len(), responses: responses.len() });
    }
    let mut score = SheetScore {
        raw: MilliPoints::ZERO,
        max: MilliPoints::ZERO,
        per_question: Vec::with_capacity(form.questions.len()),
        pending_manual: Vec::new(),
    };
    for (index, question) in form.questions.iter().enumerate() {
        let item =
            items.get(&question.item).ok_or(ScoreError::MissingItem { position: index + 1, item: question.item })?;
        let response = responses.get(index).unwrap_or(&Response::Unanswered);
        if matches!((&item.body, response), (Body::Essay, Response::Essay(_))) {
            score.pending_manual.push(index + 1);
        }
        let points = score_question(item, question, response);
        score.raw += points;
        score.max += question.points.max(MilliPoints::ZERO);
        score.per_question.push(points);
    }
    Ok(score)
}

/// `raw / max` on a scale of `scale` points, rounded half-up to a multiple of `step`, with one
/// rounding in integer arithmetic: 8.25 / 10 at step 0.1 is 8.3; 2 / 3 is 6.7.
///
/// A `max` of zero or less gives 0; a `step` of zero or less means a thousandth.
pub fn scale(raw: MilliPoints, max: MilliPoints, scale: MilliPoints, step: MilliPoints) -> MilliPoints {
    if max <= MilliPoints::ZERO {
        return MilliPoints::ZERO;
    }
    let step = if step > MilliPoints::ZERO { step.milli() } else { 1 };
    let numerator = i128::from(raw.milli()) * i128::from(scale.milli());
    let steps = div_round_half_up(numerator, i128::from(max.milli()) * i128::from(step));
    MilliPoints::from_milli(i64::try_from(steps * i128::from(step)).unwrap_or(i64::MAX))
}

#[cfg(test)]
#[path = "scoring_tests.rs"]
mod tests;
