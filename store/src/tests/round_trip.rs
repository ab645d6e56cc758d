//! Every write request round-trips through the file, and every refusal says what is wrong.

use super::*;
use crate::{
    AuditNote, Conflict, Counts, ExamAdded, Missing, NewIncident, SessionState, StoreError, SubmissionOutcome,
};

#[tokio::test]
async fn exams_round_trip_and_a_second_add_is_harmless_unless_it_differs() {
    let site = Site::new();
    let exam = toan_10();
    assert_eq!(site.store.add_exam(exam.clone(), None).await.unwrap(), ExamAdded::New);
    assert_eq!(site.store.add_exam(exam.clone(), None).await.unwrap(), ExamAdded::AlreadyPresent);
    site.store.add_exam(vat_li_10(), None).await.unwrap();

    let reader = site.store.reader().unwrap();
    assert_eq!(reader.exam(&exam.id).unwrap(), Some(exam.clone()));
    assert_eq!(reader.exams().unwrap(), vec![exam.clone(), vat_li_10()]);

    let changed = ExamRecord { duration_ms: 60 * 60 * 1000, ..exam.clone() };
    let error = site.store.add_exam(changed, None).await.unwrap_err();
    assert!(matches!(&error, StoreError::Conflict(Conflict::Exam(id)) if *id == exam.id), "{error}");
    assert!(error.to_string().contains("đã có với nội dung khác"), "{error}");
    assert_eq!(reader.exam(&exam.id).unwrap().unwrap().duration_ms, 45 * 60 * 1000);
}

#[tokio::test]
async fn the_exam_title_is_stored_in_nfc() {
    let site = Site::new();
    // "Toán" with a combining acute accent, as some Windows keyboards type it.
    let exam = ExamRecord { title: "Kiểm tra Toa\u{0301}n".to_owned(), ..toan_10() };
    site.store.add_exam(exam.clone(), None).await.unwrap();
    let stored = site.store.reader().unwrap().exam(&exam.id).unwrap().unwrap();
    assert_eq!(stored.title, "Kiểm tra Toán");
}

#[tokio::test]
async fn a_roster_import_replaces_the_whole_roster() {
    let site = Site::new();
    assert_eq!(site.store.replace_roster(lop_10a1(), None).await.unwrap(), 4);
    let reader = site.store.reader().unwrap();
    assert_eq!(reader.students().unwrap(), lop_10a1());
    assert_eq!(reader.student("0101000004").unwrap(), Some(lop_10a1()[3].clone()));

    let corrected = vec![
        student("0101000001", "Nguyễn Văn An", "10A1", Some("Máy 05")),
        student("0101000005", "Võ Minh Em", "10A1", None),
    ];
    assert_eq!(site.store.replace_roster(corrected.clone(), None).await.unwrap(), 2);
    assert_eq!(reader.students().unwrap(), corrected);
    assert_eq!(reader.student("0101000004").unwrap(), None);
}

#[tokio::test]
async fn a_roster_listing_a_student_twice_is_refused_and_the_old_one_kept() {
    let site = Site::new();
    site.store.replace_roster(lop_10a1(), None).await.unwrap();
    let mut twice = lop_10a1();
    twice.push(student("0101000002", "Trần Thị Bình", "10A2", None));
    let error = site.store.replace_roster(twice, None).await.unwrap_err();
    assert!(matches!(&error, StoreError::Conflict(Conflict::DuplicateStudent(id)) if id == "0101000002"), "{error}");
    assert!(error.to_string().contains("hai học sinh mã 0101000002"), "{error}");
    assert_eq!(site.store.reader().unwrap().students().unwrap(), lop_10a1());
}

#[tokio::test]
async fn sessions_round_trip_through_every_change() {
    let (site, candidates) = seeded(&["0101000001"]).await;
    let an = &candidates[0];
    let reader = site.store.reader().unwrap();

    let created = reader.session(&an.session).unwrap().unwrap();
    assert_eq!(created.exam, an.exam);
    assert_eq!(created.student_id, "0101000001");
    assert_eq!(created.form_index, 0);
    assert_eq!(created.session_key, an.key.public_key());
    assert_eq!(created.journal_secret.expose_secret(), &[7; 32]);
    assert_eq!(created.state, SessionState::Waiting);
    assert_eq!((created.extension_ms, created.created_ms, created.updated_ms), (0, T0, T0));
    assert_eq!(created.submitted_ms, None);
    // The journal secret stays out of logs.
    assert!(!format!("{created:?}").contains("journal"), "{created:?}");

    site.store.set_session_state(an.session, SessionState::Running, T0 + 1_000, None).await.unwrap();
    site.store.set_extension(an.session, 5 * 60 * 1000, T0 + 2_000, None).await.unwrap();
    site.store.set_form(an.session, 3, T0 + 3_000, None).await.unwrap();
    site.store.set_session_state(an.session, SessionState::Paused, T0 + 4_000, None).await.unwrap();

    let changed = reader.session(&an.session).unwrap().unwrap();
    assert_eq!(changed.state, SessionState::Paused);
    assert_eq!(changed.extension_ms, 300_000);
    assert_eq!(changed.form_index, 3);
    assert_eq!(changed.updated_ms, T0 + 4_000);
    assert_eq!(reader.session_of_student(&an.exam, "0101000001").unwrap().unwrap().id, an.session);
    assert!(reader.session_of_student(&vat_li_10().id, "0101000001").unwrap().is_none());
}

#[tokio::test]
async fn every_session_state_reads_back() {
    let (site, candidates) = seeded(&["0101000001"]).await;
    let session = candidates[0].session;
    let reader = site.store.reader().unwrap();
    for (step, state) in SessionState::ALL.into_iter().enumerate() {
        site.store.set_session_state(session, state, T0 + step as u64, None).await.unwrap();
        assert_eq!(reader.session(&session).unwrap().unwrap().state, state);
        assert_eq!(SessionState::parse(state.as_str()), Some(state));
    }
    assert_eq!(SessionState::parse("đang thi"), None);
}

#[tokio::test]
async fn an_unknown_state_in_the_file_is_an_error_not_a_guess() {
    let (site, candidates) = seeded(&["0101000001"]).await;
    site.raw_connection().execute("UPDATE sessions SET state = 'abandoned'", []).unwrap();
    let error = site.store.reader().unwrap().session(&candidates[0].session).unwrap_err();
    assert!(error.to_string().contains("unknown session state \"abandoned\""), "{error}");
}

#[tokio::test]
async fn session_refusals_name_what_is_missing_or_taken() {
    let (site, candidates) = seeded(&["0101000001"]).await;
    let an = &candidates[0];

    let error = site.store.create_session(an.new_session(1), None).await.unwrap_err();
    assert!(matches!(&error, StoreError::Conflict(Conflict::Session(id)) if *id == an.session), "{error}");

    let again = Candidate::new(an.exam, "0101000001");
    let error = site.store.create_session(again.new_session(1), None).await.unwrap_err();
    assert!(
        matches!(&error, StoreError::Conflict(Conflict::StudentHasSession { existing, .. }) if *existing == an.session),
        "{error}"
    );
    assert!(error.to_string().contains("đã có phiên"), "{error}");

    let elsewhere = Candidate::new(vat_li_10().id, "0101000002");
    let error = site.store.create_session(elsewhere.new_session(0), None).await.unwrap_err();
    assert!(matches!(&error, StoreError::NotFound(Missing::Exam(id)) if *id == vat_li_10().id), "{error}");

    let nobody = SessionId::from_bytes([9; 16]);
    for error in [
        site.store.set_session_state(nobody, SessionState::Running, T0, None).await.unwrap_err(),
        site.store.set_extension(nobody, 60_000, T0, None).await.unwrap_err(),
        site.store.set_form(nobody, 2, T0, None).await.unwrap_err(),
        site.store.record_score(nobody, score(5_000, T0), None).await.unwrap_err(),
    ] {
        assert!(matches!(&error, StoreError::NotFound(Missing::Session(id)) if *id == nobody), "{error}");
        assert!(error.to_string().contains("không có phiên thi"), "{error}");
    }
}

#[tokio::test]
async fn a_submission_stores_sheet_receipt_and_score_and_a_resend_gets_the_same_receipt() {
    let (site, mut candidates) = seeded(&["0101000001", "0101000002"]).await;
    let proctor = site.key();
    let an = &mut candidates[0];
    for (item, response) in [(1, "B"), (2, "A"), (3, "C")] {
        let event = an.answer(item, response);
        site.store.append_event(event, T0 + 10_000).await.unwrap();
    }
    let submission = an.submission(&proctor, T0 + 2_700_000);
    let outcome = site.store.record_submission(submission.clone()).await.unwrap();
    assert_eq!(outcome, SubmissionOutcome::Stored);

    let reader = site.store.reader().unwrap();
    assert_eq!(reader.sheet(&an.session).unwrap(), Some(submission.sheet.clone()));
    let stored = reader.receipt_of_session(&an.session).unwrap().unwrap();
    assert_eq!(verified(&stored.receipt, &proctor), submission.receipt);
    let code = submission.receipt.short_code();
    let by_code = reader.receipt_by_code(&code).unwrap().unwrap();
    assert_eq!((by_code.session, by_code.receipt.clone()), (an.session, submission.receipt.clone()));
    let session = reader.session(&an.session).unwrap().unwrap();
    assert_eq!(session.state, SessionState::Submitted);
    assert_eq!(session.submitted_ms, Some(T0 + 2_700_000));
    let scores = reader.scores_of_exam(&an.exam).unwrap();
    assert_eq!(scores.len(), 1);
    assert_eq!((scores[0].session, scores[0].student_id.as_str()), (an.session, "0101000001"));
    assert_eq!(scores[0].score, submission.score);

    // The client did not get the reply and sends the sheet again: a new receipt was signed
    // (another time), but the student gets back the first one.
    let resend = an.submission(&proctor, T0 + 2_760_000);
    let resend = Submission { sheet: submission.sheet.clone(), ..resend };
    let resend = Submission {
        receipt: Receipt { received_ms: T0 + 2_760_000, ..submission.receipt.receipt().clone() }
            .sign(&proctor)
            .unwrap(),
        ..resend
    };
    assert_eq!(
        site.store.record_submission(resend).await.unwrap(),
        SubmissionOutcome::AlreadyStored(submission.receipt.clone())
    );

    // Another sheet for the same session is refused.
    an.answer(4, "D");
    let other = an.submission(&proctor, T0 + 2_800_000);
    let error = site.store.record_submission(other).await.unwrap_err();
    assert!(matches!(&error, StoreError::Conflict(Conflict::Submission(id)) if *id == an.session), "{error}");
    assert_eq!(reader.receipt_of_session(&an.session).unwrap().unwrap().receipt, submission.receipt);

    // A typed code that matches nothing.
    let unknown = phongthi_crypto::ShortCode::parse("00000-00000").unwrap();
    assert_eq!(reader.receipt_by_code(&unknown).unwrap(), None);
}

#[tokio::test]
async fn a_manual_mark_rewrites_the_score() {
    let (site, candidates) = seeded(&["0101000001"]).await;
    let an = &candidates[0];
    site.store.record_submission(an.submission(&site.key(), T0 + 2_700_000)).await.unwrap();
    let marked = score(8_500, T0 + 86_400_000);
    site.store
        .record_score(
            an.session,
            marked.clone(),
            Some(AuditNote::new(T0 + 86_400_000, "cô Hạnh", "score.mark", "câu 5: 1,25")),
        )
        .await
        .unwrap();
    let reader = site.store.reader().unwrap();
    assert_eq!(reader.scores_of_exam(&an.exam).unwrap()[0].score, marked);
    assert_eq!(reader.audit_entries().unwrap().last().unwrap().entry.action, "score.mark");
}

#[tokio::test]
async fn a_receipt_that_does_not_fit_its_session_or_sheet_is_refused() {
    let (site, candidates) = seeded(&["0101000001", "0101000002"]).await;
    let proctor = site.key();
    let an = &candidates[0];

    let mut wrong_sheet = an.submission(&proctor, T0 + 2_700_000);
    wrong_sheet.sheet.push(0);
    let error = site.store.record_submission(wrong_sheet).await.unwrap_err();
    assert!(matches!(&error, StoreError::Mismatch(m) if m.contains("does not name this answer sheet")), "{error}");

    // A receipt naming Bình for An's session.
    let good = an.submission(&proctor, T0 + 2_700_000);
    let receipt =
        Receipt { student_id: "0101000002".to_owned(), ..good.receipt.receipt().clone() }.sign(&proctor).unwrap();
    let error = site.store.record_submission(Submission { receipt, ..good }).await.unwrap_err();
    assert!(matches!(&error, StoreError::Mismatch(m) if m.contains("belongs to exam")), "{error}");

    let stranger = Candidate::new(an.exam, "0101000003");
    let error = site.store.record_submission(stranger.submission(&proctor, T0)).await.unwrap_err();
    assert!(matches!(&error, StoreError::NotFound(Missing::Session(id)) if *id == stranger.session), "{error}");
    let reader = site.store.reader().unwrap();
    assert_eq!(reader.counts().unwrap().sheets, 0);
    assert_eq!(reader.counts().unwrap().receipts, 0);
}

#[tokio::test]
async fn incidents_are_recorded_filtered_and_audited() {
    let (site, candidates) = seeded(&["0101000001", "0101000002"]).await;
    let (an, binh) = (&candidates[0], &candidates[1]);
    let focus = NewIncident {
        at_ms: T0 + 60_000,
        session: Some(an.session),
        student_id: Some("0101000001".to_owned()),
        kind: "focus-lost".to_owned(),
        duration_ms: 4_200,
        detail: "chuyển sang cửa sổ khác".to_owned(),
    };
    let monitors = NewIncident {
        at_ms: T0 + 61_000,
        session: Some(binh.session),
        student_id: Some("0101000002".to_owned()),
        kind: "multiple-monitors".to_owned(),
        duration_ms: 0,
        detail: "2 màn hình".to_owned(),
    };
    let room = NewIncident {
        at_ms: T0 + 62_000,
        session: None,
        student_id: None,
        kind: "power-cut".to_owned(),
        duration_ms: 90_000,
        detail: "mất điện phòng máy 2".to_owned(),
    };
    let first = site.store.record_incident(focus.clone()).await.unwrap();
    let second = site.store.record_incident(monitors.clone()).await.unwrap();
    let third = site.store.record_incident(room.clone()).await.unwrap();
    assert!(first < second && second < third);

    let reader = site.store.reader().unwrap();
    let all = reader.incidents(None).unwrap();
    assert_eq!(all.iter().map(|i| i.incident.clone()).collect::<Vec<_>>(), vec![focus.clone(), monitors, room]);
    let only_focus = reader.incidents(Some("focus-lost")).unwrap();
    assert_eq!(only_focus.len(), 1);
    assert_eq!(only_focus[0].id, first);
    assert_eq!(reader.incidents_of_session(&an.session).unwrap()[0].incident, focus);
    assert!(reader.incidents(Some("clipboard")).unwrap().is_empty());

    let audit = reader.audit_entries().unwrap();
    let actions: Vec<(&str, &str)> = audit.iter().map(|e| (e.entry.actor.as_str(), e.entry.action.as_str())).collect();
    assert_eq!(
        actions,
        [
            ("0101000001", "incident.focus-lost"),
            ("0101000002", "incident.multiple-monitors"),
            ("system", "incident.power-cut")
        ]
    );
    assert_eq!(audit[0].entry.detail, format!("#{first} 4200 ms: chuyển sang cửa sổ khác"));

    let ghost = NewIncident { session: Some(SessionId::from_bytes([3; 16])), ..focus };
    let error = site.store.record_incident(ghost).await.unwrap_err();
    assert!(matches!(error, StoreError::NotFound(Missing::Session(_))), "{error}");
    assert_eq!(reader.audit_entries().unwrap().len(), 3, "a refused incident leaves no audit entry");
}

#[tokio::test]
async fn progress_counts_distinct_answered_questions() {
    let (site, mut candidates) = seeded(&["0101000001", "0101000002", "0101000003"]).await;
    // An answers questions 1, 2, then changes 1; Bình answers question 5; Cường nothing yet.
    let events = [(0, 1, "A"), (0, 2, "C"), (0, 1, "B"), (1, 5, "D")];
    for (who, item, response) in events {
        let event = candidates[who].answer(item, response);
        site.store.append_event(event, T0 + 1_000 * u64::from(item)).await.unwrap();
    }
    let progress = site.store.reader().unwrap().sessions_of_exam(&toan_10().id).unwrap();
    let seen: Vec<(&str, u64, u64, Option<u64>)> =
        progress.iter().map(|p| (p.session.student_id.as_str(), p.answered_items, p.events, p.last_event_ms)).collect();
    assert_eq!(
        seen,
        [("0101000001", 2, 3, Some(T0 + 2_000)), ("0101000002", 1, 1, Some(T0 + 5_000)), ("0101000003", 0, 0, None)]
    );
}

#[tokio::test]
async fn counts_follow_every_table() {
    let (site, mut candidates) = seeded(&["0101000001", "0101000002"]).await;
    let event = candidates[0].answer(1, "B");
    site.store.append_event(event, T0).await.unwrap();
    site.store.record_submission(candidates[1].submission(&site.key(), T0 + 1)).await.unwrap();
    site.store.audit(AuditNote::new(T0, "giám thị", "exam.start", "{}")).await.unwrap();
    assert_eq!(
        site.store.reader().unwrap().counts().unwrap(),
        Counts {
            exams: 1,
            students: 4,
            sessions: 2,
            events: 1,
            sheets: 1,
            receipts: 1,
            scores: 1,
            incidents: 0,
            audit_entries: 1
        }
    );
}

#[tokio::test]
async fn a_value_sqlite_cannot_hold_is_refused_alone() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let mut event = candidates[0].answer(1, "B");
    event.event.client_ms = u64::MAX;
    let error = site.store.append_event(event, T0).await.unwrap_err();
    assert!(matches!(error, StoreError::Sqlite { operation: crate::Operation::AppendEvent, .. }), "{error}");
    assert!(error.to_string().contains("lưu câu trả lời"), "{error}");
    assert!(site.store.alarm().is_none());
}

#[tokio::test]
async fn a_data_directory_that_cannot_be_created_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-directory");
    std::fs::write(&file, "x").unwrap();
    let error = Store::open(file.join("data"), SigningKey::generate().unwrap()).err().unwrap();
    assert!(
        matches!(&error, StoreError::Io { detail } if detail.contains("cannot create the data directory")),
        "{error}"
    );
}

#[tokio::test]
async fn a_question_bank_is_not_opened_as_an_exam_store() {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join(crate::FILE_NAME)).unwrap();
    conn.execute_batch("PRAGMA application_id = 1347703106; PRAGMA user_version = 1; CREATE TABLE items (id)").unwrap();
    drop(conn);
    let error = Store::open(dir.path(), SigningKey::generate().unwrap()).err().unwrap();
    assert!(matches!(error, StoreError::NotAProctorDatabase { application_id: 1_347_703_106 }), "{error}");
}

#[tokio::test]
async fn a_newer_store_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join(crate::FILE_NAME)).unwrap();
    let newer = crate::migrations::CURRENT_VERSION + 1;
    conn.execute_batch(&format!(
        "PRAGMA application_id = 1347702866; PRAGMA user_version = {newer}; CREATE TABLE outbox (id)"
    ))
    .unwrap();
    drop(conn);
    let error = Store::open(dir.path(), SigningKey::generate().unwrap()).err().unwrap();
    assert!(
        matches!(error, StoreError::NewerSchema { found, supported } if found == newer && supported == newer - 1),
        "{error}"
    );
}

#[tokio::test]
async fn a_receipt_damaged_in_the_file_reads_as_corrupt() {
    let (site, candidates) = seeded(&["0101000001"]).await;
    let an = &candidates[0];
    let submission = an.submission(&site.key(), T0 + 2_700_000);
    site.store.record_submission(submission.clone()).await.unwrap();
    site.raw_connection().execute("UPDATE receipts SET signed = substr(signed, 1, 40)", []).unwrap();
    let reader = site.store.reader().unwrap();
    let error = reader.receipt_of_session(&an.session).unwrap_err();
    assert!(matches!(&error, StoreError::Corrupt { what, .. } if what.contains("receipts")), "{error}");
    assert!(error.to_string().contains("dữ liệu hỏng"), "{error}");
    let error = reader.receipt_by_code(&submission.receipt.short_code()).unwrap_err();
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error}");

    // A resend finds the sheet but cannot hand back a receipt it cannot read.
    let error = site.store.record_submission(submission).await.unwrap_err();
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error}");
}

#[tokio::test]
async fn a_short_code_already_taken_is_a_conflict() {
    let (site, candidates) = seeded(&["0101000001", "0101000002"]).await;
    let (an, binh) = (&candidates[0], &candidates[1]);
    let submission = an.submission(&site.key(), T0 + 2_700_000);
    let code = submission.receipt.short_code().compact();
    // 45 bits make a real collision astronomically unlikely; plant one by hand.
    site.raw_connection()
        .execute(
            "INSERT INTO receipts (session_id, short_code, signed, received_ms) VALUES (?1, ?2, x'00', 0)",
            rusqlite::params![binh.session.as_bytes(), code],
        )
        .unwrap();
    let error = site.store.record_submission(submission).await.unwrap_err();
    assert!(matches!(&error, StoreError::Conflict(Conflict::ShortCode(c)) if *c == code), "{error}");
    assert_eq!(site.store.reader().unwrap().sheet(&an.session).unwrap(), None, "nothing half-written");
}

#[test]
fn the_store_can_be_shared_between_tasks_and_a_reader_moved_into_one() {
    fn shared<T: Send + Sync>() {}
    fn movable<T: Send>() {}
    shared::<Store>();
    movable::<crate::Reader>();
}
