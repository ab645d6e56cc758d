//! Forms (mã đề): shuffled versions of one test, and their answer keys.
//!
//! Each form presents the same items with the questions shuffled within each part (items of one
//! Word-style group `Nhóm` stay together and shuffle only among themselves) and the options
//! shuffled (pinned options such as "Tất cả các đáp án trên" keep their authored place). For
//! single-choice items the correct letter is not left to chance: the letters of a whole form are
//! planned first (`letters.rs`: about a quarter each of A–D, never three equal letters in a row
//! where the items allow), then the other options are arranged around them. Cluster statements keep their
//! order a–d (the paper answer sheet is laid out that way); matching answers are shuffled.
//!
//! Everything is drawn from ChaCha20 seeded by the caller, one stream per form, so a seed always
//! yields the same forms on every platform and form *k* does not depend on how many forms are
//! made. The per-question work uses fixed-size buffers: the only allocations per form are the
//! form itself and each question's option order.

use crate::assembly::Test;
use crate::blueprint::FormSpec;
use phongthi_items::text::nfc;
use phongthi_items::{Body, Fraction, Item, ItemId, MilliPoints, NumericValue};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha20Rng;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

mod letters;

use letters::{LetterScratch, plan_letters};

/// A form's code as printed on the paper (`101`, `T10-103`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FormCode(String);

impl FormCode {
    /// A code from its text (trimmed, NFC).
    pub fn new(code: &str) -> Self {
        Self(nfc(code.trim()))
    }

    /// The code's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FormCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One version of the test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    /// Form code.
    pub code: FormCode,
    /// Questions in presented order (question 1 first).
    pub questions: Vec<FormQuestion>,
}

/// One question of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormQuestion {
    /// The item shown.
    pub item: ItemId,
    /// 0-based index of its part in the test.
    pub part: usize,
    /// Points it is worth.
    pub points: MilliPoints,
    /// Presented position → authored index. For choice items: the option shown as letter `p` is
    /// authored option `option_order[p]`. For matching: the answer shown as letter `p` is entry
    /// `option_order[p]` of the pairs' answers followed by the distractors. Empty for other kinds.
    pub option_order: Vec<u8>,
}

/// One line of an answer key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    /// 1-based question number on the form.
    pub position: usize,
    /// The item.
    pub item: ItemId,
    /// The answer in the answer-sheet notation (`B`, `AC`, `ĐSĐS`, `Đúng`, `4,5`, `rỗng|tập rỗng`;
    /// empty for essays).
    pub answer: String,
}

/// Why an answer key could not be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A form question names an item that is not in the given items.
    #[error(
        "câu {position} của mã đề {form} dùng câu hỏi {item} không có trong đề / question {position} of form {form} uses item {item}, which is missing"
    )]
    MissingItem {
        /// The form.
        form: FormCode,
        /// 1-based question number.
        position: usize,
        /// The missing item.
        item: ItemId,
    },
}

/// The letter shown for 0-based presented position `index` (`A`, `B`, …).
pub fn letter(index: usize) -> char {
    u8::try_from(index).ok().filter(|i| *i < 26).map_or('?', |i| char::from(b'A' + i))
}

/// Makes `spec.count` forms of `test`. Codes are `prefix + (code_start + index × code_step)`.
pub fn make_forms(test: &Test, spec: &FormSpec, seed: u64) -> Vec<Form> {
    let plan = Plan::new(test);
    let mut scratch = Scratch::default();
    (0..spec.count)
        .map(|index| {
            let number = u64::from(spec.code_start) + u64::from(index) * u64::from(spec.code_step);
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            rng.set_stream(u64::from(index));
            Form {
                code: FormCode(format!("{}{number}", spec.code_prefix)),
                questions: plan.form(&mut rng, &mut scratch),
            }
        })
        .collect()
}

/// What shuffling needs to know about one question, worked out once for all forms.
struct QuestionPlan {
    id: ItemId,
    part: usize,
    points: MilliPoints,
    shape: Shape,
}

#[derive(Clone, Copy)]
enum Shape {
    /// Nothing to permute.
    Fixed,
    /// Choice options; `correct` is set for single choice (its letter is balanced).
    Options { count: u8, pinned: u32, correct: Option<u8> },
    /// Matching answers (all movable).
    Answers { count: u8 },
}

impl Shape {
    fn of(item: &Item) -> Self {
        match &item.body {
            Body::SingleChoice { options } | Body::MultipleResponse { options } => {
                let count = options.len().min(26) as u8;
                let pinned =
                    options.iter().take(26).enumerate().filter(|(_, o)| o.pinned).fold(0u32, |m, (i, _)| m | 1 << i);
                let correct = match item.body {
                    Body::SingleChoice { .. } => {
                        options.iter().take(26).position(|o| o.fraction.is_full()).map(|i| i as u8)
                    }
                    _ => None,
                };
                Shape::Options { count, pinned, correct }
            }
            Body::Matching { pairs, distractors, .. } => {
                Shape::Answers { count: (pairs.len() + distractors.len()).min(26) as u8 }
            }
            _ => Shape::Fixed,
        }
    }

    /// Letters the correct option may take: its own place when pinned, else any unpinned place.
    fn correct_letters(self) -> u32 {
        match self {
            Shape::Options { count, pinned, correct: Some(correct) } => {
                if pinned & (1 << correct) != 0 {
                    1 << correct
                } else {
                    ((1u32 << count) - 1) & !pinned
                }
            }
            _ => 0,
        }
    }
}

struct Plan {
    questions: Vec<QuestionPlan>,
    /// Per part, its shuffle units: a lone item, or all items of one group.
    units: Vec<Vec<Vec<usize>>>,
}

/// Buffers reused from form to form.
#[derive(Default)]
struct Scratch {
    order: Vec<usize>,
    unit_order: Vec<usize>,
    members: Vec<usize>,
    allowed_letters: Vec<u32>,
    letters: Vec<u8>,
    letter_scratch: LetterScratch,
}

impl Plan {
    fn new(test: &Test) -> Self {
        let mut questions = Vec::with_capacity(test.question_count());
        let mut units = Vec::with_capacity(test.parts.len());
        for (part_index, part) in test.parts.iter().enumerate() {
            let mut part_units: Vec<Vec<usize>> = Vec::new();
            let mut group_unit: BTreeMap<&str, usize> = BTreeMap::new();
            for id in &part.items {
                let item = test.items.get(id);
                let index = questions.len();
                questions.push(QuestionPlan {
                    id: *id,
                    part: part_index,
                    points: part.points_each,
                    shape: item.map_or(Shape::Fixed, Shape::of),
                });
                match item.and_then(|i| i.group.as_deref()) {
                    Some(group) => match group_unit.get(group) {
                        Some(&unit) => part_units[unit].push(index),
                        None => {
                            group_unit.insert(group, part_units.len());
                            part_units.push(vec![index]);
                        }
                    },
                    None => part_units.push(vec![index]),
                }
            }
            units.push(part_units);
        }
        Self { questions, units }
    }

    fn form(&self, rng: &mut ChaCha20Rng, scratch: &mut Scratch) -> Vec<FormQuestion> {
        scratch.order.clear();
        for part_units in &self.units {
            scratch.unit_order.clear();
            scratch.unit_order.extend(0..part_units.len());
            scratch.unit_order.shuffle(rng);
            for &unit in &scratch.unit_order {
                scratch.members.clear();
                scratch.members.extend_from_slice(&part_units[unit]);
                scratch.members.shuffle(rng);
                scratch.order.extend_from_slice(&scratch.members);
            }
        }
        let order = &scratch.order;
        scratch.allowed_letters.clear();
        scratch.allowed_letters.extend(
            order
                .iter()
                .map(|&i| self.questions[i].shape)
                .filter(|s| matches!(s, Shape::Options { correct: Some(_), .. }))
                .map(Shape::correct_letters),
        );
        plan_letters(&scratch.allowed_letters, rng, &mut scratch.letter_scratch, &mut scratch.letters);
        let mut planned_letters = scratch.letters.iter().copied();
        let mut questions = Vec::with_capacity(order.len());
        for &index in order {
            let plan = &self.questions[index];
            let option_order = match plan.shape {
                Shape::Fixed => Vec::new(),
                Shape::Answers { count } => {
                    let mut answers: Vec<u8> = (0..count).collect();
                    answers.shuffle(rng);
                    answers
                }
                Shape::Options { count, pinned, correct: None } => arrange(count, pinned, None, rng),
                Shape::Options { count, pinned, correct: Some(correct) } => {
                    let target = planned_letters.next().unwrap_or(correct);
                    arrange(count, pinned, Some((target, correct)), rng)
                }
            };
            questions.push(FormQuestion { item: plan.id, part: plan.part, points: plan.points, option_order });
        }
        questions
    }
}

/// An option order: pinned options stay in place, `target = (letter, option)` puts one option
/// at a chosen letter, and the remaining options fill the remaining places in random order.
fn arrange(count: u8, pinned: u32, target: Option<(u8, u8)>, rng: &mut ChaCha20Rng) -> Vec<u8> {
    const EMPTY: u8 = u8::MAX;
    let mut order = vec![EMPTY; usize::from(count)];
    for index in 0..count {
        if pinned & (1 << index) != 0 {
            order[usize::from(index)] = index;
        }
    }
    if let Some((letter, option)) = target
        && let Some(slot) = order.get_mut(usize::from(letter))
    {
        *slot = option;
    }
    let placed = target.map(|(_, option)| option);
    let mut movable = [0u8; 26];
    let mut movable_count = 0;
    for index in (0..count).filter(|i| pinned & (1 << i) == 0 && Some(*i) != placed) {
        movable[movable_count] = index;
        movable_count += 1;
    }
    movable[..movable_count].shuffle(rng);
    let mut next = movable[..movable_count].iter();
    for slot in order.iter_mut().filter(|s| **s == EMPTY) {
        *slot = next.next().copied().unwrap_or(EMPTY);
    }
    order
}

/// The answer key of one form, question by question.
pub fn answer_key(form: &Form, items: &BTreeMap<ItemId, Item>) -> Result<Vec<KeyEntry>, FormError> {
    form.questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let item = items.get(&question.item).ok_or_else(|| FormError::MissingItem {
                form: form.code.clone(),
                position: index + 1,
                item: question.item,
            })?;
            Ok(KeyEntry { position: index + 1, item: question.item, answer: key_answer(item, question) })
        })
        .collect()
}

/// The key of one question in the answer-sheet notation of `examples/README.md`.
///
/// Choice items give the presented letters of the options with positive credit; clusters `Đ`/`S`
/// per statement; true/false `Đúng`/`Sai`; short text the full-credit answers joined with `|`;
/// numeric one full-credit number with a decimal comma (the lower bound of a range); matching
/// the presented answer letter for each prompt in order; essays nothing.
pub fn key_answer(item: &Item, question: &FormQuestion) -> String {
    match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => question
            .option_order
            .iter()
            .enumerate()
            .filter(|(_, authored)| options.get(usize::from(**authored)).is_some_and(|o| o.fraction > Fraction::ZERO))
            .map(|(presented, _)| letter(presented))
            .collect(),
        Body::TrueFalse { answer } => if *answer { "Đúng" } else { "Sai" }.to_owned(),
        Body::TrueFalseCluster { statements, .. } => {
            statements.iter().map(|s| if s.correct { 'Đ' } else { 'S' }).collect()
        }
        Body::ShortText { answers, .. } => {
            answers.iter().filter(|a| a.fraction.is_full()).map(|a| a.text.as_str()).collect::<Vec<_>>().join("|")
        }
        Body::Numeric { answers, .. } => answers
            .iter()
            .find(|a| a.fraction.is_full())
            .map(|a| match a.value {
                NumericValue::Exact { value, .. } => decimal_with_comma(value),
                NumericValue::Range { min, .. } => decimal_with_comma(min),
                NumericValue::Any => "*".to_owned(),
            })
            .unwrap_or_default(),
        Body::Matching { pairs, .. } => (0..pairs.len())
            .map(|prompt| {
                question.option_order.iter().position(|&answer| usize::from(answer) == prompt).map_or('?', letter)
            })
            .collect(),
        Body::Essay | Body::Description => String::new(),
    }
}

/// A decimal as Vietnamese papers write it: shortest form, decimal comma (`4,5`, `-1,25`, `5`).
pub fn decimal_with_comma(value: Decimal) -> String {
    value.normalize().to_string().replace('.', ",")
}

#[cfg(test)]
#[path = "forms_tests.rs"]
mod tests;
