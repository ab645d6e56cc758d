//! Disk full: a whole batch is refused, nothing of it is written or acknowledged, the alarm goes
//! up, and writing works again once there is room.
//!
//! The disk is "filled" with `PRAGMA max_page_count` on the writer's connection: SQLite then
//! answers SQLITE_FULL exactly as for a full disk, without needing a tiny file system.

use super::*;
use crate::error::{Operation, ResultExt};
use crate::{AlarmKind, AuditNote, EventOutcome, NewIncident, StoreError, SubmissionOutcome};

/// Sets the writer connection's page limit: to the current size when `pages` is `None`.
async fn limit_pages(store: &Store, pages: Option<i64>) {
    store
        .enqueue(move |conn: &Connection, _: &mut AuditChain| {
            let pages = match pages {
                Some(pages) => pages,
                None => conn.query_row("PRAGMA page_count", [], |row| row.get(0)).during(Operation::Read)?,
            };
            let _set: i64 = conn
                .pragma_update_and_check(None, "max_page_count", pages, |row| row.get(0))
                .during(Operation::Read)?;
            Ok(())
        })
        .unwrap()
        .await
        .unwrap()
        .unwrap();
}

/// An essay-sized answer: needs new pages whatever room is left in the current ones.
fn essay(n: usize) -> String {
    format!("Bài làm {n}: ").repeat(800)
}

#[tokio::test]
async fn a_full_disk_fails_the_whole_batch_and_raises_the_alarm_until_there_is_room() {
    let (site, mut candidates) = seeded(&["0101000001", "0101000002"]).await;
    let proctor = site.key();
    for (who, item) in [(0, 1), (1, 1)] {
        let event = candidates[who].answer(item, "B");
        site.store.append_event(event, T0).await.unwrap();
    }
    site.store.audit(AuditNote::new(T0, "giám thị", "exam.start", "{}")).await.unwrap();
    let reader = site.store.reader().unwrap();
    let counts_before = reader.counts().unwrap();
    let audit_before = reader.audit_entries().unwrap();

    limit_pages(&site.store, None).await;
    let (release, held) = site.store.hold_writer();
    let mut pending_events = Vec::new();
    let mut sent = Vec::new();
    for i in 0..20 {
        let event = candidates[i % 2].answer(10 + i as u32, &essay(i));
        sent.push(event.clone());
        pending_events.push(site.store.enqueue_event(event, T0 + 1_000));
    }
    let submission = candidates[1].submission(&proctor, T0 + 2_000);
    let pending_submission = {
        let submission = submission.clone();
        site.store.enqueue(move |conn, _| crate::sheets::record(conn, &submission)).unwrap()
    };
    let incident = NewIncident {
        at_ms: T0 + 3_000,
        session: Some(candidates[0].session),
        student_id: Some("0101000001".to_owned()),
        kind: "focus-lost".to_owned(),
        duration_ms: 1_500,
        detail: "Alt+Tab".to_owned(),
    };
    let pending_incident = {
        let incident = incident.clone();
        site.store.enqueue(move |conn, chain| crate::incidents::insert(conn, chain, &incident)).unwrap()
    };
    release.send(()).unwrap();
    held.await.unwrap().unwrap();

    for pending in pending_events {
        let error = pending.await.unwrap().unwrap_err();
        assert!(matches!(&error, StoreError::DiskFull { .. }), "{error}");
        assert!(error.is_storage_failure());
        assert!(error.to_string().contains("ĐĨA ĐẦY"), "{error}");
    }
    assert!(matches!(pending_submission.await.unwrap(), Err(StoreError::DiskFull { .. })));
    assert!(matches!(pending_incident.await.unwrap(), Err(StoreError::DiskFull { .. })));

    // Nothing of the batch is in the file, and the alarm is up.
    assert_eq!(reader.counts().unwrap(), counts_before);
    assert_eq!(reader.audit_entries().unwrap(), audit_before);
    let alarm = site.store.alarm().unwrap();
    assert_eq!(alarm.kind, AlarmKind::DiskFull);
    assert_eq!(site.store.stats().failed_batches, 1);
    assert_eq!(site.store.stats().failed_ops, 22);

    // A request arriving while the disk is full fails too and is not acknowledged.
    let late = candidates[0].answer(99, &essay(99));
    assert!(matches!(site.store.append_event(late.clone(), T0 + 4_000).await, Err(StoreError::DiskFull { .. })));
    sent.push(late);

    // The proctor frees space; the clients resend from their journals.
    limit_pages(&site.store, Some(1_000_000_000)).await;
    assert!(site.store.alarm().is_none());
    for event in sent {
        assert_eq!(site.store.append_event(event, T0 + 5_000).await.unwrap(), EventOutcome::Stored);
    }
    assert_eq!(site.store.record_submission(submission).await.unwrap(), SubmissionOutcome::Stored);
    site.store.record_incident(incident).await.unwrap();
    for candidate in &candidates {
        assert_eq!(reader.verify_session(&candidate.session).unwrap(), candidate.chain.head());
    }
    // The audit chain continues from the last committed entry, without a gap.
    let audit = reader.audit_entries().unwrap();
    assert_eq!(audit.len(), audit_before.len() + 1);
    reader.verify_audit(&proctor.public_key()).unwrap();
}

#[tokio::test]
async fn a_read_only_file_system_fails_writes_as_io_and_nothing_is_acknowledged() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    // `query_only` makes SQLite refuse writes with SQLITE_READONLY, as a read-only remount would.
    site.store
        .enqueue(|conn: &Connection, _: &mut AuditChain| {
            conn.pragma_update(None, "query_only", true).during(Operation::Read)
        })
        .unwrap()
        .await
        .unwrap()
        .unwrap();
    let error = site.store.append_event(candidates[0].answer(1, "B"), T0).await.unwrap_err();
    assert!(matches!(&error, StoreError::Io { .. }), "{error}");
    assert!(error.to_string().contains("chưa có gì được ghi"), "{error}");
    assert_eq!(site.store.alarm().unwrap().kind, AlarmKind::Io);
    assert_eq!(site.store.reader().unwrap().counts().unwrap().events, 0);
}

#[tokio::test]
async fn a_size_limit_behaves_as_a_full_disk_and_lifting_it_brings_writing_back() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let Site { dir, store, key_pem } = site;
    store.close().unwrap();
    // Capped at its current size, as `proctor serve --store-limit-mb` on a nearly full disk.
    let options = StoreOptions { size_limit_bytes: Some(0), ..StoreOptions::default() };
    let store = Store::open_with(dir.path().join("data"), parse_key(&key_pem, None).unwrap(), options).unwrap();
    let event = candidates[0].answer(1, &essay(1));
    let refused = store.append_event(event.clone(), T0).await;
    assert!(refused.is_err(), "an answer past the limit is refused, never acknowledged");
    assert!(store.alarm().is_some_and(|a| a.kind == AlarmKind::DiskFull), "{:?}", store.alarm());
    store.close().unwrap();

    let store = Store::open(dir.path().join("data"), parse_key(&key_pem, None).unwrap()).unwrap();
    assert_eq!(store.append_event(event, T0).await.unwrap(), EventOutcome::Stored);
}
