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
use crate::store::{AuditNote, MarkRecord, Reader, ScoreRecord, SessionRecord, Store, StoreError};
use phongthi_crypto::{ExamId, SessionId};
use phongthi_protocol::Answer;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::model::{Body, MilliPoints};
use std::collections::BTreeMap;

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
struct Sheet {
    session: SessionRecord,
    answers: Vec<(u32, Answer)>,
    essays: Vec<u32>,
    marks: BTreeMap<u32, MarkRecord>,
}

fn load_exam(reader: &Reader, exam: &ExamId) -> Result<Exam, MarkingError> {
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

fn submitted_sheets(reader: &Reader, exam_id: &ExamId, exam: &Exam) -> Result<Vec<Sheet>, MarkingError> {
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
            let Some(form_question) = form.questions.get(question as usize - 1) else { continue };
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

/// Decimals a mark of a question worth `max` may have: those of `max`, at least two.
pub fn allowed_decimals(max: MilliPoints) -> u32 {
    let milli = max.milli();
    let own = if milli % 1000 == 0 {
        0
    } else if milli % 100 == 0 {
        1
    } else if milli % 10 == 0 {
        2
    } else {
        3
    };
    own.max(2)
}

/// Parses a mark for a question worth `max`: a decimal with `.` or `,`, 0 ≤ points ≤ max, at most
/// [`allowed_decimals`] decimals. `None` when it is not a valid mark.
pub fn parse_mark(text: &str, max: MilliPoints) -> Option<MilliPoints> {
    let points = MilliPoints::parse(text).ok()?;
    let step = 10_i64.pow(3 - allowed_decimals(max));
    (points >= MilliPoints::ZERO && points <= max && points.milli() % step == 0).then_some(points)
}

/// What a marker records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMark {
    /// The sheet's marking code (`M-3F9A12C0`, case-insensitive).
    pub code: String,
    /// The question's 1-based position on the sheet's form.
    pub question: u32,
    /// The points as typed (`1.5`, `1,5`).
    pub points: String,
    /// A comment (may be empty).
    pub comment: String,
    /// Who marks (the audit log's actor).
    pub marker: String,
}

/// Records a mark, grades the sheet again exactly with every mark, and stores mark, score and
/// audit entry together.
pub async fn record_mark(
    store: &Store,
    exam_id: &ExamId,
    mark: NewMark,
    now_ms: u64,
) -> Result<MarkOutcome, MarkingError> {
    let reader = store.reader()?;
    let exam = load_exam(&reader, exam_id)?;
    let code = mark.code.trim().to_ascii_uppercase();
    let mut matching =
        submitted_sheets(&reader, exam_id, &exam)?.into_iter().filter(|s| marking_code(&s.session.id) == code);
    let sheet = matching.next().ok_or_else(|| MarkingError::UnknownCode(mark.code.clone()))?;
    if matching.next().is_some() {
        return Err(MarkingError::UnknownCode(mark.code.clone()));
    }
    if !sheet.essays.contains(&mark.question) {
        return Err(MarkingError::NotAnEssay { code, question: mark.question });
    }
    let form = exam
        .forms()
        .get(sheet.session.form_index as usize)
        .ok_or_else(|| MarkingError::Stored(format!("form {}", sheet.session.form_index)))?;
    let max = form.questions.get(mark.question as usize - 1).map_or(MilliPoints::ZERO, |q| q.points);
    let points = parse_mark(&mark.points, max).ok_or_else(|| MarkingError::BadPoints {
        given: mark.points.clone(),
        question: mark.question,
        max,
        decimals: allowed_decimals(max),
    })?;

    let graded = grade(&exam, form, &sheet.answers).map_err(|e| MarkingError::Grade(e.to_string()))?;
    let mut per_question = graded.per_question.clone();
    for (position, points) in
        sheet.marks.iter().map(|(q, m)| (*q, MilliPoints::from_milli(m.points_milli))).chain([(mark.question, points)])
    {
        let is_essay = form
            .questions
            .get(position as usize - 1)
            .and_then(|q| exam.items().get(&q.item))
            .is_some_and(|item| matches!(item.body, Body::Essay));
        if let Some(slot) = per_question.get_mut(position as usize - 1).filter(|_| is_essay) {
            *slot = points;
        }
    }
    let raw: MilliPoints = per_question.iter().copied().sum();
    let scaled = phongthi_question_bank::scoring::scale(raw, graded.max, exam.scale(), exam.rounding_step());
    let old_scaled = reader
        .scores_of_exam(exam_id)?
        .into_iter()
        .find(|s| s.session == sheet.session.id)
        .map(|s| MilliPoints::from_milli(s.score.scaled_milli));
    let old_points = sheet.marks.get(&mark.question).map(|m| MilliPoints::from_milli(m.points_milli));
    let per_question_text: Vec<String> = per_question.iter().map(ToString::to_string).collect();
    let score = ScoreRecord {
        raw_milli: raw.milli(),
        max_milli: graded.max.milli(),
        scaled_milli: scaled.milli(),
        per_question_json: serde_json::to_string(&per_question_text).unwrap_or_default(),
        scored_ms: now_ms,
    };
    let audit = AuditNote::new(
        now_ms,
        mark.marker.clone(),
        "essay.mark",
        serde_json::json!({
            "exam": exam_id.to_hex(), "session": sheet.session.id.to_hex(), "code": code,
            "question": mark.question,
            "old_points": old_points.map(|p| p.to_string()), "new_points": points.to_string(),
            "old_score": old_scaled.map(|p| p.to_string()), "new_score": scaled.to_string(),
        })
        .to_string(),
    );
    let record = MarkRecord {
        session: sheet.session.id,
        question: mark.question,
        points_milli: points.milli(),
        comment: mark.comment,
        marker: mark.marker,
        marked_ms: now_ms,
    };
    store.record_mark(record, score, Some(audit)).await?;
    Ok(MarkOutcome { student_id: sheet.session.student_id, old_points, old_scaled, new_scaled: scaled })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn marks_are_exact_and_bounded() {
        let two = MilliPoints::from_milli(2_000);
        assert_eq!(parse_mark("1.5", two), Some(MilliPoints::from_milli(1_500)));
        assert_eq!(parse_mark("1,25", two), Some(MilliPoints::from_milli(1_250)));
        assert_eq!(parse_mark("0", two), Some(MilliPoints::ZERO));
        assert_eq!(parse_mark("2", two), Some(two));
        for bad in ["2.01", "-0.5", "1.125", "abc", "", "1,5,0", "1e0"] {
            assert_eq!(parse_mark(bad, two), None, "{bad}");
        }
        let odd = MilliPoints::from_milli(1_125);
        assert_eq!(allowed_decimals(odd), 3);
        assert_eq!(parse_mark("1.125", odd), Some(odd));
    }

    #[test]
    fn codes_are_opaque_and_stable() {
        let session = SessionId::from_bytes([0x3f; 16]);
        assert_eq!(marking_code(&session), "M-3F3F3F3F");
        assert_eq!(marking_code(&session), marking_code(&SessionId::from_bytes([0x3f; 16])));
    }

    proptest! {
        #[test]
        fn a_parsed_mark_is_always_within_bounds(text in "\\PC{0,12}", max in 0i64..20_000) {
            let max = MilliPoints::from_milli(max);
            if let Some(points) = parse_mark(&text, max) {
                prop_assert!(points >= MilliPoints::ZERO && points <= max);
            }
        }
    }
}
