//! The exam: what an exam bundle (`.exam`) carries from the teacher's machine to the proctor —
//! the test's header and parts, its items by id and its shuffled forms — and the grading of
//! answer sheets against it.
//!
//! An `Exam` is checked when it is made and again when it is read back (serde goes through the
//! same check), so a bundle whose forms name missing items, unknown parts or impossible option
//! orders is refused on load instead of mis-scoring students later.

mod sheets_csv;

pub use sheets_csv::{SheetError, SheetErrors, StudentResult};

use crate::assembly::Test;
use crate::forms::{Form, FormCode, key_answer};
use phongthi_items::{Body, Item, ItemId, ItemKind, MilliPoints};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A test with its forms, ready to be sealed into a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ExamFields")]
pub struct Exam {
    title: String,
    subject: String,
    grade: u8,
    duration_minutes: u32,
    scale: MilliPoints,
    rounding_step: MilliPoints,
    parts: Vec<ExamPart>,
    items: BTreeMap<ItemId, Item>,
    forms: Vec<Form>,
}

/// One part of the exam as the paper shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamPart {
    /// Heading.
    pub name: String,
    /// Kind of every item in it.
    pub kind: ItemKind,
    /// Points of each item.
    pub points_each: MilliPoints,
}

/// One row of the printed answer key: `form,question,answer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRow {
    /// Form code.
    pub form: FormCode,
    /// 1-based question number on that form.
    pub question: usize,
    /// The answer in the answer-sheet notation.
    pub answer: String,
}

/// Why an exam is inconsistent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExamError {
    /// No form at all.
    #[error("đề thi không có mã đề nào / the exam has no forms")]
    NoForms,
    /// Two forms share a code.
    #[error("mã đề {0} bị lặp / form code {0} appears twice")]
    DuplicateForm(FormCode),
    /// Forms of different lengths (one answer sheet layout must fit every form).
    #[error(
        "mã đề {form} có {found} câu, các mã khác có {expected} / form {form} has {found} questions, the others {expected}"
    )]
    FormLength {
        /// The form.
        form: FormCode,
        /// Its question count.
        found: usize,
        /// The first form's question count.
        expected: usize,
    },
    /// A question names an item the exam does not carry.
    #[error(
        "mã đề {form}, câu {position}: thiếu câu hỏi {item} / form {form}, question {position}: item {item} is missing"
    )]
    MissingItem {
        /// The form.
        form: FormCode,
        /// 1-based question number.
        position: usize,
        /// The item.
        item: ItemId,
    },
    /// A question names a part that does not exist or whose kind is not the item's.
    #[error("mã đề {form}, câu {position}: không thuộc phần nào hợp lệ / form {form}, question {position}: bad part")]
    BadPart {
        /// The form.
        form: FormCode,
        /// 1-based question number.
        position: usize,
    },
    /// A question's option order is not a permutation of the item's options or answers.
    #[error(
        "mã đề {form}, câu {position}: thứ tự phương án không hợp lệ / form {form}, question {position}: bad option order"
    )]
    BadOptionOrder {
        /// The form.
        form: FormCode,
        /// 1-based question number.
        position: usize,
    },
}

/// The serialised shape, checked by `TryFrom` on the way in.
#[derive(Deserialize)]
struct ExamFields {
    title: String,
    subject: String,
    grade: u8,
    duration_minutes: u32,
    scale: MilliPoints,
    rounding_step: MilliPoints,
    parts: Vec<ExamPart>,
    items: BTreeMap<ItemId, Item>,
    forms: Vec<Form>,
}

impl TryFrom<ExamFields> for Exam {
    type Error = ExamError;

    fn try_from(fields: ExamFields) -> Result<Self, ExamError> {
        let exam = Exam {
            title: fields.title,
            subject: fields.subject,
            grade: fields.grade,
            duration_minutes: fields.duration_minutes,
            scale: fields.scale,
            rounding_step: fields.rounding_step,
            parts: fields.parts,
            items: fields.items,
            forms: fields.forms,
        };
        exam.check()?;
        Ok(exam)
    }
}

impl Exam {
    /// An exam from an assembled test and its forms; refuses forms that do not fit the test.
    pub fn new(test: Test, forms: Vec<Form>) -> Result<Self, ExamError> {
        let parts = test
            .parts
            .iter()
            .map(|p| ExamPart { name: p.name.clone(), kind: p.kind, points_each: p.points_each })
            .collect();
        let used: BTreeSet<ItemId> = forms.iter().flat_map(|f| f.questions.iter().map(|q| q.item)).collect();
        let items = test.items.into_iter().filter(|(id, _)| used.contains(id)).collect();
        ExamFields {
            title: test.title,
            subject: test.subject,
            grade: test.grade,
            duration_minutes: test.duration_minutes,
            scale: test.scale,
            rounding_step: test.rounding_step,
            parts,
            items,
            forms,
        }
        .try_into()
    }

    fn check(&self) -> Result<(), ExamError> {
        let first = self.forms.first().ok_or(ExamError::NoForms)?;
        let mut codes = BTreeSet::new();
        for form in &self.forms {
            if !codes.insert(&form.code) {
                return Err(ExamError::DuplicateForm(form.code.clone()));
            }
            if form.questions.len() != first.questions.len() {
                return Err(ExamError::FormLength {
                    form: form.code.clone(),
                    found: form.questions.len(),
                    expected: first.questions.len(),
                });
            }
            for (index, question) in form.questions.iter().enumerate() {
                let position = index + 1;
                let item = self.items.get(&question.item).ok_or_else(|| ExamError::MissingItem {
                    form: form.code.clone(),
                    position,
                    item: question.item,
                })?;
                if self.parts.get(question.part).is_none_or(|p| p.kind != item.kind()) {
                    return Err(ExamError::BadPart { form: form.code.clone(), position });
                }
                if !is_permutation(&question.option_order, presented_count(item)) {
                    return Err(ExamError::BadOptionOrder { form: form.code.clone(), position });
                }
            }
        }
        Ok(())
    }

    /// Title printed on the paper.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Subject (môn).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Grade (khối).
    pub fn grade(&self) -> u8 {
        self.grade
    }

    /// Working time in minutes.
    pub fn duration_minutes(&self) -> u32 {
        self.duration_minutes
    }

    /// Score scale.
    pub fn scale(&self) -> MilliPoints {
        self.scale
    }

    /// Rounding step of reported scores.
    pub fn rounding_step(&self) -> MilliPoints {
        self.rounding_step
    }

    /// Parts in order.
    pub fn parts(&self) -> &[ExamPart] {
        &self.parts
    }

    /// Items by id.
    pub fn items(&self) -> &BTreeMap<ItemId, Item> {
        &self.items
    }

    /// Forms in order.
    pub fn forms(&self) -> &[Form] {
        &self.forms
    }

    /// The form with this code.
    pub fn form(&self, code: &FormCode) -> Option<&Form> {
        self.forms.iter().find(|f| &f.code == code)
    }

    /// Number of questions on every form.
    pub fn question_count(&self) -> usize {
        self.forms.first().map_or(0, |f| f.questions.len())
    }

    /// The answer key of every form, form by form, question by question.
    pub fn key_rows(&self) -> Vec<KeyRow> {
        self.forms
            .iter()
            .flat_map(|form| {
                form.questions.iter().enumerate().map(|(index, question)| KeyRow {
                    form: form.code.clone(),
                    question: index + 1,
                    // Every item is present: `check` guarantees it.
                    answer: self.items.get(&question.item).map(|item| key_answer(item, question)).unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// How many entries a question's option order must have.
fn presented_count(item: &Item) -> usize {
    match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => options.len(),
        Body::Matching { pairs, distractors, .. } => pairs.len() + distractors.len(),
        _ => 0,
    }
}

fn is_permutation(order: &[u8], count: usize) -> bool {
    if order.len() != count {
        return false;
    }
    let mut seen = vec![false; count];
    order.iter().all(|&i| seen.get_mut(usize::from(i)).is_some_and(|s| !std::mem::replace(s, true)))
}

#[cfg(test)]
mod tests;
