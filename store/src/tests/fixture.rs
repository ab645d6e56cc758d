//! A store written by schema version 1 (`fixtures/proctor_v1.sql`, frozen) opens with today's
//! code, reads back every row as it was written, verifies, and takes new writes.

use super::*;
use crate::migrations::CURRENT_VERSION;
use crate::{AuditNote, EventOutcome, SessionState};
use phongthi_crypto::{ShortCode, sha256};

const V1: &str = include_str!("fixtures/proctor_v1.sql");
const V1_KEY: &str = include_str!("fixtures/proctor_v1.key.pem");

fn session(hex: &str) -> SessionId {
    SessionId::from_hex(hex).unwrap()
}

/// A data directory holding the version-1 fixture, as an older proctor left it.
fn v1_site() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join(crate::FILE_NAME)).unwrap();
    conn.execute_batch(V1).unwrap();
    dir
}

#[tokio::test]
async fn a_version_1_store_reads_back_verifies_and_keeps_working() {
    let dir = v1_site();
    let proctor = parse_key(V1_KEY, None).unwrap();
    let proctor_public = proctor.public_key();
    let store = Store::open(dir.path(), proctor).unwrap();
    let conn = Connection::open(dir.path().join(crate::FILE_NAME)).unwrap();
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap();
    assert_eq!(version, CURRENT_VERSION);

    let reader = store.reader().unwrap();
    let exam = reader.exam(&toan_10().id).unwrap().unwrap();
    assert_eq!(exam, toan_10());
    assert_eq!(reader.students().unwrap(), lop_10a1());

    let an = session("6fe60058068f4537c5e870cc6ed8ed4f");
    let binh = session("6140607c00bdb5099572acd59c57054c");
    let progress = reader.sessions_of_exam(&exam.id).unwrap();
    let summary: Vec<(SessionId, &str, SessionState, u32, u64, u64, u64)> = progress
        .iter()
        .map(|p| {
            let s = &p.session;
            (s.id, s.student_id.as_str(), s.state, s.form_index, s.extension_ms, p.answered_items, p.events)
        })
        .collect();
    assert_eq!(
        summary,
        [
            (an, "0101000001", SessionState::Submitted, 1, 0, 2, 3),
            (binh, "0101000002", SessionState::Running, 2, 300_000, 2, 2)
        ]
    );
    assert_eq!(progress[0].session.submitted_ms, Some(T0 + 2_640_000));
    assert_eq!(progress[1].session.journal_secret.expose_secret(), &[0x42; 32]);
    assert_eq!(
        reader.verify_session(&an).unwrap().to_hex(),
        "a187104c12e318c7050331114bb9f47c77fed59b5031fc1da9d5b0d11f9cefb8"
    );
    assert_eq!(
        reader.verify_session(&binh).unwrap().to_hex(),
        "0377cb9d2abffcd62633fafc5bf5fea14fffa3250e2138ae479489e6b49850c6"
    );
    let responses: Vec<Vec<u8>> = reader.events(&binh).unwrap().into_iter().map(|e| e.event.response).collect();
    assert_eq!(responses, [b"x = 2".to_vec(), b"D".to_vec()]);

    let receipt = reader.receipt_by_code(&ShortCode::parse("F8QM3-ZPDQ9").unwrap()).unwrap().unwrap();
    assert_eq!(receipt.session, an);
    assert_eq!(receipt.receipt.signer(), proctor_public);
    assert_eq!(receipt.receipt.receipt().sheet_hash, sha256(&reader.sheet(&an).unwrap().unwrap()));
    let scores = reader.scores_of_exam(&exam.id).unwrap();
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0].score, score(7_250, T0 + 2_640_000));

    let incidents = reader.incidents(Some("focus-lost")).unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!((incidents[0].id, incidents[0].incident.duration_ms), (1, 3_500));
    let actions: Vec<String> = reader.audit_entries().unwrap().into_iter().map(|e| e.entry.action).collect();
    assert_eq!(actions, ["exam.add", "roster.import", "exam.start", "session.extend", "incident.focus-lost"]);
    reader.verify_audit(&proctor_public).unwrap();

    // New writes continue where version 1 left off.
    let mut cuong = Candidate::new(exam.id, "0101000003");
    store.create_session(cuong.new_session(3), None).await.unwrap();
    assert_eq!(store.append_event(cuong.answer(1, "A"), T0 + 3_000_000).await.unwrap(), EventOutcome::Stored);
    let next = store.audit(AuditNote::new(T0 + 3_000_000, "giám thị Trần Văn Hùng", "exam.close", "{}")).await.unwrap();
    assert_eq!(next.entry.seq, 5);
    reader.verify_audit(&proctor_public).unwrap();
    assert_eq!(reader.counts().unwrap().sessions, 3);
}
