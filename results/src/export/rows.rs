//! The rows of a result export: one per roster student, in Vietnamese class-list order, with the
//! score on the 0.1 scale computed exactly from milli-points.
//!
//! Every roster student gets a row, including those who never logged in (note `Vắng`, no score)
//! and those who logged in but never submitted (note `Chưa nộp bài`, no score): a grade book
//! import that silently drops a student is worse than one that shows the gap. A score whose
//! student is no longer on the roster (the roster was replaced after the exam) is not dropped
//! either: it gets a row at the end with the note `Không có trong danh sách lớp`.

use phongthi_store::roster::vietnamese_collation_key;
use phongthi_store::{SessionProgress, StoredScore, StudentRecord};
use std::collections::BTreeMap;

/// The note of a student who never logged in.
pub const NOTE_ABSENT: &str = "Vắng";
/// The note of a student who logged in but has no score (did not submit).
pub const NOTE_NOT_SUBMITTED: &str = "Chưa nộp bài";
/// The note of a score whose student is not on the current roster.
pub const NOTE_NOT_ON_ROSTER: &str = "Không có trong danh sách lớp";

/// Where a student stands in the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowStatus {
    /// A score is stored.
    Graded,
    /// Logged in (a session exists) but no score: did not submit.
    NotSubmitted,
    /// Never logged in.
    Absent,
}

/// One line of the grade sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    /// Row number within the class, from 1 (STT).
    pub number: u32,
    /// Student id (Mã học sinh).
    pub student_id: String,
    /// Full name (Họ và tên).
    pub full_name: String,
    /// Class (Lớp); empty when the roster has none.
    pub class: String,
    /// The score in tenths of a point (83 = 8.3), when there is one.
    pub score_tenths: Option<i64>,
    /// Where the student stands.
    pub status: RowStatus,
    /// Ghi chú: empty for a plain score.
    pub note: String,
    /// Proctor time the score was computed, when there is one.
    pub scored_ms: Option<u64>,
    /// Answered essays still waiting for a manual mark (the score is then partial: OneRoster's
    /// `partially graded`); set by [`crate::marking::unmarked_essays`] through
    /// [`super::load_rows`], 0 from [`build_rows`] alone.
    pub unmarked_essays: usize,
}

/// Rounds milli-points half-up to tenths (Circular 22/2021: 8.25 → 8.3), exactly.
pub fn milli_to_tenths(milli: i64) -> i64 {
    // Half-up towards +∞ also for negative values (never produced by grading, but never panics).
    (milli + 50).div_euclid(100)
}

/// The score text with one decimal: `8,3` or `8.3`; `10,0`; `0,0`.
pub fn format_tenths(tenths: i64, separator: char) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let magnitude = tenths.unsigned_abs();
    format!("{sign}{}{separator}{}", magnitude / 10, magnitude % 10)
}

/// Builds the rows: every roster student ordered by class then by Vietnamese name order, STT
/// restarting at 1 in each class (as on the printed class lists), then any score of a student no
/// longer on the roster.
pub fn build_rows(students: &[StudentRecord], sessions: &[SessionProgress], scores: &[StoredScore]) -> Vec<ExportRow> {
    let scores_by_student: BTreeMap<&str, &StoredScore> =
        scores.iter().map(|score| (score.student_id.as_str(), score)).collect();
    let with_session: std::collections::BTreeSet<&str> =
        sessions.iter().map(|progress| progress.session.student_id.as_str()).collect();

    let mut ordered: Vec<&StudentRecord> = students.iter().collect();
    ordered.sort_by_cached_key(|student| {
        (student.class.clone(), vietnamese_collation_key(&student.full_name), student.student_id.clone())
    });

    let mut rows = Vec::with_capacity(ordered.len());
    let mut number = 0;
    let mut previous_class: Option<&str> = None;
    for student in ordered {
        if previous_class != Some(student.class.as_str()) {
            number = 0;
            previous_class = Some(student.class.as_str());
        }
        number += 1;
        let score = scores_by_student.get(student.student_id.as_str());
        let (score_tenths, status, note) = match score {
            Some(score) => (Some(milli_to_tenths(score.score.scaled_milli)), RowStatus::Graded, ""),
            None if with_session.contains(student.student_id.as_str()) => {
                (None, RowStatus::NotSubmitted, NOTE_NOT_SUBMITTED)
            }
            None => (None, RowStatus::Absent, NOTE_ABSENT),
        };
        rows.push(ExportRow {
            number,
            student_id: student.student_id.clone(),
            full_name: student.full_name.clone(),
            class: student.class.clone(),
            score_tenths,
            status,
            note: note.to_owned(),
            scored_ms: score.map(|score| score.score.scored_ms),
            unmarked_essays: 0,
        });
    }

    let on_roster: std::collections::BTreeSet<&str> =
        students.iter().map(|student| student.student_id.as_str()).collect();
    let strays = scores.iter().filter(|score| !on_roster.contains(score.student_id.as_str()));
    for (number, score) in (1..).zip(strays) {
        rows.push(ExportRow {
            number,
            student_id: score.student_id.clone(),
            full_name: String::new(),
            class: String::new(),
            score_tenths: Some(milli_to_tenths(score.score.scaled_milli)),
            status: RowStatus::Graded,
            note: NOTE_NOT_ON_ROSTER.to_owned(),
            scored_ms: Some(score.score.scored_ms),
            unmarked_essays: 0,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_to_tenths() {
        for (milli, tenths) in
            [(8_250, 83), (8_249, 82), (8_300, 83), (10_000, 100), (0, 0), (49, 0), (50, 1), (-50, 0)]
        {
            assert_eq!(milli_to_tenths(milli), tenths, "{milli}");
        }
    }

    #[test]
    fn notes_are_nfc() {
        for note in [NOTE_ABSENT, NOTE_NOT_SUBMITTED, NOTE_NOT_ON_ROSTER] {
            assert_eq!(phongthi_items::text::nfc(note), note);
        }
    }

    #[test]
    fn formatting_keeps_one_decimal() {
        for (tenths, comma, dot) in [(83, "8,3", "8.3"), (100, "10,0", "10.0"), (0, "0,0", "0.0"), (5, "0,5", "0.5")] {
            assert_eq!(format_tenths(tenths, ','), comma);
            assert_eq!(format_tenths(tenths, '.'), dot);
        }
        assert_eq!(format_tenths(-5, '.'), "-0.5");
    }
}
