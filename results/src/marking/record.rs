//! Recording a mark: validate it, grade the sheet again exactly with every mark applied, and
//! store mark, score and audit entry in one transaction.

use super::{MarkOutcome, MarkingError, allowed_decimals, load_exam, marking_code, parse_mark, submitted_sheets};
use crate::grading::grade;
use phongthi_crypto::ExamId;
use phongthi_items::{Body, MilliPoints};
use phongthi_store::{AuditNote, MarkRecord, ScoreRecord, Store};

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
    let max = form.questions.get((mark.question as usize).wrapping_sub(1)).map_or(MilliPoints::ZERO, |q| q.points);
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
            .get((position as usize).wrapping_sub(1))
            .and_then(|q| exam.items().get(&q.item))
            .is_some_and(|item| matches!(item.body, Body::Essay));
        if let Some(slot) = per_question.get_mut((position as usize).wrapping_sub(1)).filter(|_| is_essay) {
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
