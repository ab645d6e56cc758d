//! Grading at submit: the student's final answers (as the protocol carries them) mapped onto the
//! question bank's responses and scored exactly with the question bank's scoring.

use phongthi_items::{ItemKind, MilliPoints};
use phongthi_protocol::Answer;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::forms::Form;
use phongthi_question_bank::scoring::{Response, ScoreError, scale, score_sheet};

/// A graded sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graded {
    /// Points earned.
    pub raw: MilliPoints,
    /// Points possible.
    pub max: MilliPoints,
    /// On the exam's scale, rounded half-up once to its step.
    pub scaled: MilliPoints,
    /// Points per question, in the form's order.
    pub per_question: Vec<MilliPoints>,
    /// 1-based positions of answered essays waiting for a mark.
    pub pending_manual: Vec<usize>,
}

/// Turns one protocol answer into the scoring response for an item of `kind`. An answer of the
/// wrong shape for the item (a client bug or a forgery that got past the signature) counts as
/// unanswered rather than being guessed at.
pub fn response_for(kind: ItemKind, answer: &Answer) -> Response {
    match (kind, answer) {
        (ItemKind::SingleChoice | ItemKind::MultipleResponse, Answer::Choices(choices)) => {
            let mut sorted = choices.clone();
            sorted.sort_unstable();
            sorted.dedup();
            if kind == ItemKind::SingleChoice && sorted.len() != 1 {
                return Response::Unanswered;
            }
            Response::Choices(sorted)
        }
        (ItemKind::TrueFalse, Answer::TrueFalse(value)) => Response::TrueFalse(*value),
        (ItemKind::TrueFalseCluster, Answer::Cluster(marks)) => Response::Cluster(marks.clone()),
        (ItemKind::ShortText, Answer::Text(text)) => Response::Text(text.clone()),
        (ItemKind::Numeric, Answer::Text(text)) => Response::Numeric(text.clone()),
        (ItemKind::Essay, Answer::Text(text)) => Response::Essay(text.clone()),
        (ItemKind::Matching, Answer::Matching(matches)) => Response::Matching(matches.clone()),
        _ => Response::Unanswered,
    }
}

/// Scores `answers` (question number → answer) on `form` of `exam`.
pub fn grade(exam: &Exam, form: &Form, answers: &[(u32, Answer)]) -> Result<Graded, ScoreError> {
    let responses: Vec<Response> = form
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let kind = exam.items().get(&question.item).map(|item| item.kind());
            match (kind, answers.iter().find(|(n, _)| *n == number)) {
                (Some(kind), Some((_, answer))) => response_for(kind, answer),
                _ => Response::Unanswered,
            }
        })
        .collect();
    let sheet = score_sheet(form, exam.items(), &responses)?;
    let scaled = scale(sheet.raw, sheet.max, exam.scale(), exam.rounding_step());
    Ok(Graded {
        raw: sheet.raw,
        max: sheet.max,
        scaled,
        per_question: sheet.per_question,
        pending_manual: sheet.pending_manual,
    })
}
