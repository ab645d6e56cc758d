//! From an exam form to what a student sees: the [`PresentedForm`] sealed into each package.
//!
//! Texts are put in the form's order and every key is left behind: which option is right,
//! credit fractions, accepted answers, tolerances, the matching pairs' pairing. The client can
//! only show what it is given (invariant 9 of `ARCHITECTURE.md`).

use phongthi_items::{Body, Item};
use phongthi_protocol::{PresentedBody, PresentedForm, PresentedImage, PresentedPart, PresentedQuestion};
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::forms::{Form, FormQuestion};

/// Why a form cannot be presented (a bundle that passed the exam's own checks cannot hit these).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaperError {
    /// The form names an item the exam does not hold.
    #[error("mã đề {form}: câu {position} không có trong đề / form {form}: question {position} is missing")]
    MissingItem {
        /// Form code.
        form: String,
        /// 1-based position.
        position: usize,
    },
    /// An option order that does not fit the item.
    #[error("mã đề {form}: thứ tự phương án câu {position} sai / form {form}: bad option order at question {position}")]
    BadOrder {
        /// Form code.
        form: String,
        /// 1-based position.
        position: usize,
    },
}

fn reorder(texts: &[String], order: &[u8]) -> Option<Vec<String>> {
    order.iter().map(|&i| texts.get(usize::from(i)).cloned()).collect()
}

fn present_body(item: &Item, question: &FormQuestion) -> Option<PresentedBody> {
    Some(match &item.body {
        Body::SingleChoice { options } => {
            let texts: Vec<String> = options.iter().map(|o| o.text.clone()).collect();
            PresentedBody::SingleChoice { options: reorder(&texts, &question.option_order)? }
        }
        Body::MultipleResponse { options } => {
            let texts: Vec<String> = options.iter().map(|o| o.text.clone()).collect();
            PresentedBody::MultipleResponse { options: reorder(&texts, &question.option_order)? }
        }
        Body::TrueFalse { .. } => PresentedBody::TrueFalse,
        Body::TrueFalseCluster { statements, .. } => {
            PresentedBody::TrueFalseCluster { statements: statements.iter().map(|s| s.text.clone()).collect() }
        }
        Body::ShortText { .. } => PresentedBody::ShortText,
        Body::Numeric { four_char_rule, .. } => PresentedBody::Numeric { four_char_rule: *four_char_rule },
        Body::Matching { pairs, distractors, .. } => {
            let answers: Vec<String> =
                pairs.iter().map(|p| p.answer.clone()).chain(distractors.iter().cloned()).collect();
            PresentedBody::Matching {
                prompts: pairs.iter().map(|p| p.prompt.clone()).collect(),
                answers: reorder(&answers, &question.option_order)?,
            }
        }
        Body::Essay => PresentedBody::Essay,
        Body::Description => PresentedBody::Description,
    })
}

/// The student-facing content of `form`.
pub fn present(exam: &Exam, form: &Form) -> Result<PresentedForm, PaperError> {
    let code = form.code.to_string();
    let mut parts: Vec<PresentedPart> = Vec::new();
    let mut current_part = None;
    let mut images: Vec<PresentedImage> = Vec::new();
    for (index, question) in form.questions.iter().enumerate() {
        let position = index + 1;
        let item =
            exam.items().get(&question.item).ok_or_else(|| PaperError::MissingItem { form: code.clone(), position })?;
        let body = present_body(item, question).ok_or_else(|| PaperError::BadOrder { form: code.clone(), position })?;
        if current_part != Some(question.part) {
            let name = exam.parts().get(question.part).map(|p| p.name.clone()).unwrap_or_default();
            parts.push(PresentedPart { name, questions: Vec::new() });
            current_part = Some(question.part);
        }
        for image in &item.images {
            if !images.iter().any(|i| i.name == image.name) {
                images.push(PresentedImage { name: image.name.clone(), bytes: image.bytes.clone() });
            }
        }
        let presented = PresentedQuestion {
            number: u32::try_from(position).unwrap_or(u32::MAX),
            points_milli: question.points.milli(),
            format: item.format.name().to_owned(),
            stem: item.stem.clone(),
            stem_tail: item.stem_tail.clone(),
            body,
        };
        if let Some(part) = parts.last_mut() {
            part.questions.push(presented);
        }
    }
    Ok(PresentedForm { exam_title: exam.title().to_owned(), form_code: code, parts, images })
}
