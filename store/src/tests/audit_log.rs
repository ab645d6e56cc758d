//! The audit log: chained and signed by the writer in commit order, verifiable, and an edit made
//! behind the store's back is found.

use super::*;
use crate::{AuditNote, SessionState, StoreError};
use phongthi_crypto::{ChainFault, Error as CryptoError};
use std::sync::Arc;

fn note(at: u64, action: &str, detail: &str) -> AuditNote {
    AuditNote::new(T0 + at, "giám thị Trần Văn Hùng", action, detail)
}

#[tokio::test]
async fn two_processes_appending_to_one_store_keep_a_single_chain() {
    // `serve` holds one store; `proctor mark` or `publish`, run meanwhile, opens another.
    let site = Site::new();
    let proctor = site.key();
    let other = Store::open(site.data_dir(), site.key()).unwrap();
    for i in 0..4 {
        site.store.audit(note(2 * i, "exam.extend", "phòng")).await.unwrap();
        other.audit(note(2 * i + 1, "mark.record", "câu 3")).await.unwrap();
    }
    let entries = site.store.reader().unwrap().audit_entries().unwrap();
    assert_eq!(entries.len(), 8);
    assert!(entries.iter().enumerate().all(|(i, e)| e.entry.seq == i as u64), "one sequence, no fork");
    site.store.reader().unwrap().verify_audit(&proctor.public_key()).unwrap();
}

#[tokio::test]
async fn actions_are_chained_signed_and_verify_across_a_restart() {
    let (site, candidates) = seeded(&["0101000001"]).await;
    let proctor = site.key().public_key();
    let an = candidates[0].session;
    let first = site.store.audit(note(0, "exam.start", r#"{"exam":"Toán 10"}"#)).await.unwrap();
    assert_eq!(first.entry.seq, 0);
    site.store
        .set_extension(
            an,
            10 * 60 * 1000,
            T0 + 1,
            Some(note(1, "session.extend", "Nguyễn Văn An: +10 phút (máy hỏng)")),
        )
        .await
        .unwrap();
    site.store
        .set_session_state(an, SessionState::Paused, T0 + 2, Some(note(2, "session.pause", "mất điện")))
        .await
        .unwrap();

    let site = site.reopen();
    let last = site.store.audit(note(3, "exam.close", "{}")).await.unwrap();
    assert_eq!(last.entry.seq, 3);

    let reader = site.store.reader().unwrap();
    let entries = reader.audit_entries().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.entry.action.as_str()).collect();
    assert_eq!(actions, ["exam.start", "session.extend", "session.pause", "exam.close"]);
    assert_eq!(entries[1].entry.detail, "Nguyễn Văn An: +10 phút (máy hỏng)");
    assert_eq!(reader.verify_audit(&proctor).unwrap(), last.hash);
    assert_eq!(site.store.proctor_key(), proctor);

    let stranger = SigningKey::generate().unwrap().public_key();
    let error = reader.verify_audit(&stranger).unwrap_err();
    assert!(matches!(error, StoreError::BrokenChain { source: CryptoError::BrokenChain { index: 0, .. }, .. }));
}

#[tokio::test]
async fn an_edited_row_is_found_even_with_the_triggers_dropped() {
    let site = Site::new();
    for (at, action) in [(0, "exam.start"), (1, "session.extend"), (2, "exam.close")] {
        site.store.audit(note(at, action, "{\"phut\":5}")).await.unwrap();
    }
    let raw = site.raw_connection();
    let refused = raw.execute("UPDATE audit SET detail = 'x'", []).unwrap_err();
    assert!(refused.to_string().contains("append-only"), "{refused}");

    raw.execute_batch("DROP TRIGGER audit_is_never_changed").unwrap();
    raw.execute("UPDATE audit SET detail = '{\"phut\":50}' WHERE seq = 1", []).unwrap();
    let error = site.store.reader().unwrap().verify_audit(&site.key().public_key()).unwrap_err();
    let StoreError::BrokenChain { source: CryptoError::BrokenChain { index, fault, .. }, .. } = &error else {
        panic!("expected a broken chain, got {error}");
    };
    assert_eq!((*index, *fault), (1, ChainFault::HashMismatch));
    assert!(error.to_string().contains("nhật ký giám sát"), "{error}");
}

#[tokio::test]
async fn a_refused_action_leaves_no_entry_and_no_gap() {
    let (site, candidates) = seeded(&["0101000001"]).await;
    site.store.audit(note(0, "exam.start", "{}")).await.unwrap();
    // A second session for the same student is refused, and so is its audit entry.
    let again = Candidate::new(candidates[0].exam, "0101000001");
    let refused = site.store.create_session(again.new_session(0), Some(note(1, "session.create", "lần 2"))).await;
    assert!(refused.is_err());
    let next = site.store.audit(note(2, "exam.close", "{}")).await.unwrap();
    assert_eq!(next.entry.seq, 1);
    let reader = site.store.reader().unwrap();
    assert_eq!(reader.audit_entries().unwrap().len(), 2);
    reader.verify_audit(&site.key().public_key()).unwrap();
}

#[tokio::test]
async fn a_refused_action_inside_a_batch_leaves_the_chain_whole() {
    let (site, candidates) = seeded(&["0101000001"]).await;
    let again = Candidate::new(candidates[0].exam, "0101000001");
    let (release, held) = site.store.hold_writer();
    let store = &site.store;
    let first = store.enqueue(move |conn, chain| chain.append(conn, &note(0, "a", ""))).unwrap();
    let new_session = again.new_session(0);
    let refused = store
        .enqueue(move |conn, chain| {
            crate::with_audit(conn, chain, Some(note(1, "b", "")), |conn| crate::sessions::create(conn, &new_session))
        })
        .unwrap();
    let third = store.enqueue(move |conn, chain| chain.append(conn, &note(2, "c", ""))).unwrap();
    release.send(()).unwrap();
    held.await.unwrap().unwrap();
    assert_eq!(first.await.unwrap().unwrap().entry.seq, 0);
    assert!(refused.await.unwrap().is_err());
    assert_eq!(third.await.unwrap().unwrap().entry.seq, 1);
    site.store.reader().unwrap().verify_audit(&site.key().public_key()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_from_racing_tasks_are_chained_in_commit_order() {
    let site = Site::new();
    let proctor = site.key().public_key();
    let store = Arc::new(site.store);
    let mut tasks = Vec::new();
    for proctor_no in 0..8u64 {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            for n in 0..25u64 {
                let note = AuditNote::new(T0 + n, format!("giám thị {proctor_no}"), "room.check", format!("lần {n}"));
                store.audit(note).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let reader = store.reader().unwrap();
    let entries = reader.audit_entries().unwrap();
    assert_eq!(entries.len(), 200);
    assert!(entries.iter().enumerate().all(|(i, e)| e.entry.seq == i as u64));
    reader.verify_audit(&proctor).unwrap();
}
