//! Students "logged in" and scored directly in the store, for tests of what comes after the
//! exam (exports, reports, publishing) that need sessions and scores but no QUIC.

use phongthi_crypto::{ExamId, JournalSecret, SessionId, SigningKey};
use phongthi_store::{NewSession, ScoreRecord, Store};

/// When the fixtures' students logged in and were scored (22/11/2026, Vietnam morning).
pub(crate) const LOGIN_MS: u64 = 1_795_336_200_000;
/// When the fixtures' sheets were graded.
pub(crate) const SCORED_MS: u64 = 1_795_338_900_000;

/// A session for `student` on form `form_index`, as the server creates one at login.
pub(crate) async fn log_in(store: &Store, exam: ExamId, student: &str, form_index: u32) -> SessionId {
    let session = SessionId::generate().unwrap();
    let new = NewSession {
        id: session,
        exam,
        student_id: student.into(),
        form_index,
        session_key: SigningKey::generate().unwrap().public_key(),
        journal_secret: JournalSecret::from_bytes([3; 32]),
        created_ms: LOGIN_MS,
    };
    store.create_session(new, None).await.unwrap();
    session
}

/// `milli` thousandths out of 10, on the 10-point scale.
pub(crate) fn score(milli: i64) -> ScoreRecord {
    ScoreRecord {
        raw_milli: milli,
        max_milli: 10_000,
        scaled_milli: milli,
        per_question_json: "[]".into(),
        scored_ms: SCORED_MS,
    }
}

/// Logs each student in on `form_index` and records the score of those that have one (the
/// others logged in and did not submit). Returns the sessions in the same order.
pub(crate) async fn scored(
    store: &Store,
    exam: ExamId,
    form_index: u32,
    students: &[(&str, Option<i64>)],
) -> Vec<(String, SessionId)> {
    let mut sessions = Vec::new();
    for &(student, milli) in students {
        let session = log_in(store, exam, student, form_index).await;
        if let Some(milli) = milli {
            store.record_score(session, score(milli), None).await.unwrap();
        }
        sessions.push((student.to_owned(), session));
    }
    sessions
}
