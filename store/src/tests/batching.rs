//! Group commit: queued requests share one transaction, a failing request fails alone, and
//! shutting down answers everything queued.

use super::*;
use crate::{Conflict, EventOutcome, Missing, StoreError, WriterStats};

#[tokio::test]
async fn requests_queued_while_the_disk_is_busy_share_one_commit() {
    let (site, mut candidates) = seeded(&["0101000001", "0101000002"]).await;
    let before = site.store.stats();
    let (release, held) = site.store.hold_writer();
    let answers: Vec<_> = (0..100)
        .map(|i| {
            let event = candidates[i % 2].answer(i as u32, "B");
            site.store.enqueue_event(event, T0 + i as u64)
        })
        .collect();
    assert_eq!(site.store.stats().in_flight, 101);
    release.send(()).unwrap();
    held.await.unwrap().unwrap();
    for answer in answers {
        assert_eq!(answer.await.unwrap().unwrap(), EventOutcome::Stored);
    }
    let after = site.store.stats();
    assert_eq!(
        after,
        WriterStats {
            ops: before.ops + 101,
            batches: before.batches + 2,
            largest_batch: 100,
            failed_batches: 0,
            failed_ops: 0,
            in_flight: 0
        }
    );
}

#[tokio::test]
async fn a_batch_cap_splits_a_long_queue() {
    let site = Site::with_options(StoreOptions { batch_cap: 16, queue_capacity: 1_000, ..StoreOptions::default() });
    site.store.add_exam(toan_10(), None).await.unwrap();
    let mut an = Candidate::new(toan_10().id, "0101000001");
    site.store.create_session(an.new_session(0), None).await.unwrap();
    let (release, held) = site.store.hold_writer();
    let answers: Vec<_> = (0..40).map(|i| site.store.enqueue_event(an.answer(i, "C"), T0)).collect();
    release.send(()).unwrap();
    held.await.unwrap().unwrap();
    for answer in answers {
        answer.await.unwrap().unwrap();
    }
    // 2 setup batches, the hold, then 16 + 16 + 8.
    let stats = site.store.stats();
    assert_eq!((stats.batches, stats.largest_batch, stats.ops), (6, 16, 43));
}

#[tokio::test]
async fn a_request_that_fails_its_own_checks_fails_alone() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let an = &mut candidates[0];
    let first = an.answer(1, "B");
    site.store.append_event(first.clone(), T0).await.unwrap();
    let mut fork = first.event.clone();
    fork.response = b"A".to_vec();
    let fork = SignedEvent::sign(fork, &an.key).unwrap();
    let mut stranger = Candidate::new(an.exam, "0101000004");

    let (release, held) = site.store.hold_writer();
    let second = site.store.enqueue_event(an.answer(2, "C"), T0 + 1);
    let conflicting = site.store.enqueue_event(fork, T0 + 2);
    let unknown = site.store.enqueue_event(stranger.answer(1, "D"), T0 + 3);
    let resent = site.store.enqueue_event(first, T0 + 4);
    let third = site.store.enqueue_event(an.answer(3, "A"), T0 + 5);
    release.send(()).unwrap();
    held.await.unwrap().unwrap();

    assert_eq!(second.await.unwrap().unwrap(), EventOutcome::Stored);
    assert!(matches!(conflicting.await.unwrap(), Err(StoreError::Conflict(Conflict::Event { seq: 0, .. }))));
    assert!(matches!(unknown.await.unwrap(), Err(StoreError::NotFound(Missing::Session(_)))));
    assert_eq!(resent.await.unwrap().unwrap(), EventOutcome::Duplicate);
    assert_eq!(third.await.unwrap().unwrap(), EventOutcome::Stored);

    let reader = site.store.reader().unwrap();
    assert_eq!(reader.events(&an.session).unwrap().len(), 3);
    assert_eq!(reader.verify_session(&an.session).unwrap(), an.chain.head());
    assert!(site.store.alarm().is_none());
    assert_eq!(site.store.stats().failed_batches, 0);
}

#[tokio::test]
async fn close_commits_and_answers_everything_queued() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let an = &mut candidates[0];
    let (release, held) = site.store.hold_writer();
    let answers: Vec<_> = (0..50).map(|i| site.store.enqueue_event(an.answer(i, "B"), T0)).collect();
    release.send(()).unwrap();
    let site = site.reopen();
    held.await.unwrap().unwrap();
    for answer in answers {
        assert_eq!(answer.await.unwrap().unwrap(), EventOutcome::Stored);
    }
    assert_eq!(site.store.reader().unwrap().verify_session(&an.session).unwrap(), an.chain.head());
}

#[tokio::test]
async fn close_folds_the_wal_into_the_database() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    site.store.append_event(candidates[0].answer(1, "B"), T0).await.unwrap();
    let wal = site.data_dir().join("proctor.sqlite-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    let Site { dir, store, .. } = site;
    store.close().unwrap();
    let wal_left = std::fs::metadata(dir.path().join("data/proctor.sqlite-wal")).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal_left, 0);
}

#[tokio::test]
async fn a_dead_writer_answers_closed() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let queued = site.store.enqueue_event(candidates[0].answer(1, "B"), T0);
    let crash = site
        .store
        .enqueue(|_: &Connection, _: &mut AuditChain| -> Result<(), StoreError> {
            panic!("lỗi giả lập / simulated bug")
        })
        .unwrap();
    assert!(crash.await.is_err(), "the panicking request gets no answer");
    // The event was in the same batch as the panic, or in an earlier one; either way its
    // caller hears something and is never left waiting.
    let _ = queued.await;
    let error = site.store.append_event(candidates[0].answer(2, "C"), T0).await.unwrap_err();
    assert!(matches!(error, StoreError::Closed), "{error}");
    assert!(error.to_string().contains("đã đóng"), "{error}");
    let Site { store, .. } = site;
    let error = store.close().unwrap_err();
    assert!(matches!(&error, StoreError::Io { detail } if detail.contains("panicked")), "{error}");
}
