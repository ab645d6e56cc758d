//! Manual marking of essay answers, blind: markers see an opaque marking code per sheet, the
//! question and the answer text, not who wrote it (unless they ask to reveal).
//!
//! The marking code is `M-` and the first eight hex digits of the session id: the session id is
//! random, so the code says nothing about the student, and it is stable, so a marker can come
//! back to a sheet. A mark is validated (0 ≤ points ≤ the question's points, parsed exactly by
//! the question bank's `MilliPoints` decimal parser, with at most the question's precision: the
//! decimals of its points, and at least two so quarter points are possible); the submitted sheet
//! is then graded again from the stored answers with every mark applied, the score rewritten and
//! the change (who, when, old and new points and score) written to the audit log, all in one
//! transaction. Only submitted sheets are marked. This module is the API a GUI uses as well:
//! [`list_essays`], [`record_mark`], [`progress`].

use crate::grading::grade;
use phongthi_crypto::{ExamId, SessionId};
use phongthi_items::MilliPoints;
use phongthi_protocol::Answer;
use phongthi_question_bank::exam::Exam;
use phongthi_store::{MarkRecord, Reader, SessionRecord, StoreError};
use std::collections::BTreeMap;

mod points;
mod record;

pub use points::{allowed_decimals, parse_mark};
pub use record::{NewMark, record_mark};

/// Why marking failed.
#[derive(Debug, thiserror::Error)]
pub enum MarkingError {
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The exam is not in the store.
    #[error("không có kỳ thi {0} / no exam {0}")]
    UnknownExam(ExamId),
    /// The stored exam or an answer could not be read back.
    #[error("dữ liệu đã lưu hỏng: {0} / stored data unreadable: {0}")]
    Stored(String),
    /// No submitted sheet has this code.
    #[error("không có bài nào mã chấm {0:?} / no sheet has the marking code {0:?}")]
    UnknownCode(String),
    /// The question is not an answered essay of that sheet.
    #[error(
        "câu {question} của bài {code} không phải bài tự luận đã làm / question {question} of sheet {code} is not an answered essay"
    )]
    NotAnEssay {
        /// The code.
        code: String,
        /// The question position.
        question: u32,
    },
    /// The points are not a valid mark for the question.
    #[error(
        "điểm {given:?} không hợp lệ cho câu {question} (0 đến {max}, tối đa {decimals} chữ số thập phân) / points {given:?} are not valid for question {question} (0 to {max}, at most {decimals} decimals)"
    )]
    BadPoints {
        /// The text given.
        given: String,
        /// The question.
        question: u32,
        /// The question's points.
        max: MilliPoints,
        /// Decimals allowed.
        decimals: u32,
    },
    /// Grading the sheet again failed.
    #[error("không chấm lại được: {0} / cannot grade again: {0}")]
    Grade(String),
}

/// One answered essay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EssayAnswer {
    /// The sheet's marking code.
    pub code: String,
    /// The student id, only when revealed.
    pub student_id: Option<String>,
    /// The question's 1-based position on the student's form.
    pub question: u32,
    /// The question's text (stem).
    pub prompt: String,
    /// The student's answer (NFC, as stored).
    pub answer: String,
    /// The question's points.
    pub max: MilliPoints,
    /// The mark given so far, if any.
    pub mark: Option<MilliPoints>,
    /// The marker's comment so far.
    pub comment: String,
}

/// How far marking of an exam is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarkingProgress {
    /// Answered essays in submitted sheets.
    pub essays: usize,
    /// Of which marked.
    pub marked: usize,
    /// Sheets with at least one unmarked essay.
    pub sheets_pending: usize,
}

/// What recording a mark changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkOutcome {
    /// The student (for the caller's own log; the marker's view need not show it).
    pub student_id: String,
    /// The previous mark of this answer.
    pub old_points: Option<MilliPoints>,
    /// The score on the exam's scale before and after.
    pub old_scaled: Option<MilliPoints>,
    /// The new score on the exam's scale.
    pub new_scaled: MilliPoints,
}

/// The opaque marking code of a session.
pub fn marking_code(session: &SessionId) -> String {
    format!("M-{}", session.to_hex()[..8].to_ascii_uppercase())
}

/// A submitted sheet ready for marking.
pub(crate) struct Sheet {
    pub(crate) session: SessionRecord,
    pub(crate) answers: Vec<(u32, Answer)>,
    pub(crate) essays: Vec<u32>,
    pub(crate) marks: BTreeMap<u32, MarkRecord>,
}

pub(crate) fn load_exam(reader: &Reader, exam: &ExamId) -> Result<Exam, MarkingError> {
    let record = reader.exam(exam)?.ok_or(MarkingError::UnknownExam(*exam))?;
    serde_json::from_str(&record.exam_json).map_err(|e| MarkingError::Stored(format!("{exam}: {e}")))
}

/// The final answers of a session from its stored events: the last event per question wins, a
/// cleared answer is no answer.
fn final_answers(reader: &Reader, session: &SessionId) -> Result<Vec<(u32, Answer)>, MarkingError> {
    let mut answers: BTreeMap<u32, Answer> = BTreeMap::new();
    for event in reader.events(session)? {
        let answer = Answer::decode(&event.event.response)
            .map_err(|e| MarkingError::Stored(format!("{session} #{}: {e}", event.event.seq)))?;
        if answer == Answer::Cleared {
            answers.remove(&event.event.item);
        } else {
            answers.insert(event.event.item, answer);
        }
    }
    Ok(answers.into_iter().collect())
}

pub(crate) fn submitted_sheets(reader: &Reader, exam_id: &ExamId, exam: &Exam) -> Result<Vec<Sheet>, MarkingError> {
    let mut sheets = Vec::new();
    for progress in reader.sessions_of_exam(exam_id)? {
        let session = progress.session;
        if reader.sheet(&session.id)?.is_none() {
            continue;
        }
        let form = exam
            .forms()
            .get(session.form_index as usize)
            .ok_or_else(|| MarkingError::Stored(format!("{}: form {}", session.id, session.form_index)))?;
        let answers = final_answers(reader, &session.id)?;
        let graded = grade(exam, form, &answers).map_err(|e| MarkingError::Grade(e.to_string()))?;
        let essays = graded.pending_manual.iter().filter_map(|p| u32::try_from(*p).ok()).collect();
        let marks = reader.marks_of_session(&session.id)?.into_iter().map(|m| (m.question, m)).collect();
        sheets.push(Sheet { session, answers, essays, marks });
    }
    Ok(sheets)
}

/// The answered essays of `exam`'s submitted sheets, by marking code then question; only the
/// unmarked ones unless `include_marked`; student ids only when `reveal`.
pub fn list_essays(
    reader: &Reader,
    exam_id: &ExamId,
    include_marked: bool,
    reveal: bool,
) -> Result<Vec<EssayAnswer>, MarkingError> {
    let exam = load_exam(reader, exam_id)?;
    let mut out = Vec::new();
    for sheet in submitted_sheets(reader, exam_id, &exam)? {
        let Some(form) = exam.forms().get(sheet.session.form_index as usize) else { continue };
        for &question in &sheet.essays {
            let mark = sheet.marks.get(&question);
            if mark.is_some() && !include_marked {
                continue;
            }
            let Some(form_question) = form.questions.get((question as usize).wrapping_sub(1)) else { continue };
            let prompt = exam.items().get(&form_question.item).map(|item| item.stem.clone()).unwrap_or_default();
            let answer = match sheet.answers.iter().find(|(n, _)| *n == question) {
                Some((_, Answer::Text(text))) => text.clone(),
                _ => String::new(),
            };
            out.push(EssayAnswer {
                code: marking_code(&sheet.session.id),
                student_id: reveal.then(|| sheet.session.student_id.clone()),
                question,
                prompt,
                answer,
                max: form_question.points,
                mark: mark.map(|m| MilliPoints::from_milli(m.points_milli)),
                comment: mark.map(|m| m.comment.clone()).unwrap_or_default(),
            });
        }
    }
    out.sort_by(|a, b| (&a.code, a.question).cmp(&(&b.code, b.question)));
    Ok(out)
}

/// How far marking of `exam` is.
pub fn progress(reader: &Reader, exam_id: &ExamId) -> Result<MarkingProgress, MarkingError> {
    let exam = load_exam(reader, exam_id)?;
    let mut progress = MarkingProgress::default();
    for sheet in submitted_sheets(reader, exam_id, &exam)? {
        let marked = sheet.essays.iter().filter(|q| sheet.marks.contains_key(q)).count();
        progress.essays += sheet.essays.len();
        progress.marked += marked;
        progress.sheets_pending += usize::from(marked < sheet.essays.len());
    }
    Ok(progress)
}

/// Unmarked answered essays per student of `exam` (students with none are absent).
pub fn unmarked_essays(
    reader: &Reader,
    exam_id: &ExamId,
    exam: &Exam,
) -> Result<BTreeMap<String, usize>, MarkingError> {
    let mut out = BTreeMap::new();
    for sheet in submitted_sheets(reader, exam_id, exam)? {
        let unmarked = sheet.essays.iter().filter(|q| !sheet.marks.contains_key(q)).count();
        if unmarked > 0 {
            out.insert(sheet.session.student_id.clone(), unmarked);
        }
    }
    Ok(out)
}

/// [`unmarked_essays`], reading the exam from the store.
pub fn unmarked_essays_of(reader: &Reader, exam_id: &ExamId) -> Result<BTreeMap<String, usize>, MarkingError> {
    let exam = load_exam(reader, exam_id)?;
    unmarked_essays(reader, exam_id, &exam)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_opaque_and_stable() {
        let session = SessionId::from_bytes([0x3f; 16]);
        assert_eq!(marking_code(&session), "M-3F3F3F3F");
        assert_eq!(marking_code(&session), marking_code(&SessionId::from_bytes([0x3f; 16])));
    }
}
