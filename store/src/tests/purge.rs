//! `proctor purge`: an exam's personal data goes, in one audited transaction, down to the bytes
//! of the file; other exams' answers stay append-only and untouched.

use super::*;
use crate::{NewIncident, Purged, Reader};

const ANSWER: &str = "câu trả lời riêng của An: x = 42";

async fn answered(site: &Site, exam: ExamId, student: &str, response: &str) -> Candidate {
    let mut candidate = Candidate::new(exam, student);
    site.store.create_session(candidate.new_session(1), None).await.unwrap();
    site.store.append_event(candidate.answer(1, response), T0 + 1_000).await.unwrap();
    site.store.append_event(candidate.answer(2, "B"), T0 + 2_000).await.unwrap();
    candidate
}

#[tokio::test]
async fn a_purge_erases_one_exams_personal_data_and_is_audited() {
    let site = Site::new();
    let proctor = site.key();
    site.store.add_exam(toan_10(), None).await.unwrap();
    site.store.add_exam(vat_li_10(), None).await.unwrap();
    site.store.replace_roster(lop_10a1(), None).await.unwrap();
    let an = answered(&site, toan_10().id, "0101000001", ANSWER).await;
    site.store.record_submission(an.submission(&proctor, T0 + 2_700_000)).await.unwrap();
    answered(&site, toan_10().id, "0101000002", "A").await;
    let other = answered(&site, vat_li_10().id, "0101000002", "vật lí").await;
    site.store
        .record_incident(NewIncident {
            at_ms: T0 + 500,
            session: Some(an.session),
            student_id: Some("0101000001".into()),
            kind: "focus-lost".into(),
            duration_ms: 3_000,
            detail: String::new(),
        })
        .await
        .unwrap();
    let reader = site.store.reader().unwrap();
    assert!(reader.last_activity(&toan_10().id).unwrap().unwrap() >= T0);
    assert_eq!(reader.last_activity(&ExamId::from_bytes([9; 16])).unwrap(), None);

    let purged = site.store.purge_exam(toan_10().id, true, T0 + 86_400_000, "cô Lan").await.unwrap();
    assert_eq!(purged, Purged { sessions: 2, events: 4, sheets: 1, scores: 1, incidents: 1, students: 1 });

    let reader = site.store.reader().unwrap();
    assert!(reader.sessions_of_exam(&toan_10().id).unwrap().is_empty());
    assert!(reader.sheet(&an.session).unwrap().is_none());
    assert!(reader.incidents(None).unwrap().is_empty());
    // 0101000002 sat Vật lí too: still on the roster, with that exam's answers intact.
    let left: Vec<String> = reader.students().unwrap().into_iter().map(|s| s.student_id).collect();
    assert!(!left.contains(&"0101000001".to_owned()) && left.contains(&"0101000002".to_owned()), "{left:?}");
    assert_eq!(reader.events(&other.session).unwrap().len(), 2);
    assert_eq!(reader.exam(&toan_10().id).unwrap(), Some(toan_10()), "the exam itself stays");
    let record = reader.purge_of(&toan_10().id).unwrap().unwrap();
    assert_eq!((record.purged_ms, record.actor.as_str()), (T0 + 86_400_000, "cô Lan"));
    let last = reader.audit_entries().unwrap().pop().unwrap();
    assert_eq!((last.entry.action.as_str(), last.entry.actor.as_str()), ("exam.purge", "cô Lan"));
    assert!(last.entry.detail.contains("\"events\":4"), "{}", last.entry.detail);
    reader.verify_audit(&proctor.public_key()).unwrap();

    // The other exam's events are still append-only.
    let error = site.raw_connection().execute("DELETE FROM events", []).unwrap_err();
    assert!(error.to_string().contains("append-only"), "{error}");

    // Compacted after closing, no file of the store holds the answer any more.
    let dir = site.data_dir();
    site.store.close().unwrap();
    Store::compact(&dir).unwrap();
    let mut bytes = Vec::new();
    for path in store_files(&dir) {
        bytes.extend(std::fs::read(path).unwrap_or_default());
    }
    assert!(!bytes.windows(ANSWER.len()).any(|w| w == ANSWER.as_bytes()), "the purged answer is still in the file");
    assert!(Reader::open_in(&dir).unwrap().verify_audit(&proctor.public_key()).is_ok());
}

#[tokio::test]
async fn purging_an_unknown_exam_changes_nothing() {
    let site = Site::new();
    site.store.add_exam(toan_10(), None).await.unwrap();
    let before = site.store.reader().unwrap().counts().unwrap();
    let error = site.store.purge_exam(vat_li_10().id, false, T0, "x").await.unwrap_err();
    assert!(matches!(error, StoreError::NotFound(_)), "{error}");
    assert_eq!(site.store.reader().unwrap().counts().unwrap(), before);
}
