//! Answer events: stored once, re-acknowledged when resent, never overwritten.

use super::*;
use crate::{Conflict, EventOutcome, Missing, StoreError};
use phongthi_crypto::{ChainFault, ChainVerifier, Error as CryptoError};

#[tokio::test]
async fn events_read_back_in_seq_order_exactly_as_signed() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let an = &mut candidates[0];
    let mut sent = Vec::new();
    for (item, response) in [(1, "B"), (2, "A"), (3, "x = 2"), (2, "C")] {
        let event = an.answer(item, response);
        assert_eq!(site.store.append_event(event.clone(), T0 + 500).await.unwrap(), EventOutcome::Stored);
        sent.push(event);
    }
    let reader = site.store.reader().unwrap();
    assert_eq!(reader.events(&an.session).unwrap(), sent);
    assert_eq!(reader.event(&an.session, 2).unwrap(), Some(sent[2].clone()));
    assert_eq!(reader.event(&an.session, 4).unwrap(), None);
    assert_eq!(reader.verify_session(&an.session).unwrap(), an.chain.head());

    // After a proctor restart the session's verifier resumes from the stored hashes.
    let hashes = reader.event_hashes(&an.session).unwrap();
    let mut verifier = ChainVerifier::resume(an.session, an.key.public_key(), hashes);
    assert_eq!(verifier.next_seq(), 4);
    let next = an.answer(4, "D");
    assert!(verifier.accept(&next).is_ok());
}

#[tokio::test]
async fn an_identical_resend_is_reacknowledged_and_a_different_event_is_a_conflict() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let an = &mut candidates[0];
    let first = an.answer(1, "B");
    assert_eq!(site.store.append_event(first.clone(), T0).await.unwrap(), EventOutcome::Stored);
    // The ack was lost; the client resends the same event later.
    assert_eq!(site.store.append_event(first.clone(), T0 + 5_000).await.unwrap(), EventOutcome::Duplicate);

    // A forged or forked event at the same seq.
    let mut fork = first.event.clone();
    fork.response = b"D".to_vec();
    let fork = SignedEvent::sign(fork, &an.key).unwrap();
    let error = site.store.append_event(fork, T0 + 6_000).await.unwrap_err();
    assert!(matches!(&error, StoreError::Conflict(Conflict::Event { session, seq: 0 }) if *session == an.session));
    assert!(error.to_string().contains("đã có một câu trả lời khác ở số thứ tự 0"), "{error}");

    let reader = site.store.reader().unwrap();
    let stored = reader.events(&an.session).unwrap();
    assert_eq!(stored, vec![first], "the first event stays, received time included");
    assert_eq!(reader.sessions_of_exam(&an.exam).unwrap()[0].last_event_ms, Some(T0));
}

#[tokio::test]
async fn an_event_for_an_unknown_session_is_refused() {
    let (site, _) = seeded(&[]).await;
    let mut stranger = Candidate::new(toan_10().id, "0101000009");
    let error = site.store.append_event(stranger.answer(1, "A"), T0).await.unwrap_err();
    assert!(matches!(&error, StoreError::NotFound(Missing::Session(id)) if *id == stranger.session), "{error}");
    assert_eq!(site.store.reader().unwrap().counts().unwrap().events, 0);
}

#[tokio::test]
async fn the_store_keeps_gaps_and_verify_session_reports_them() {
    // Gap checking is the session state machine's job; the store keeps what it is given, and the
    // after-the-fact verification finds the hole.
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let an = &mut candidates[0];
    let events: Vec<SignedEvent> = (0..4).map(|i| an.answer(i, "A")).collect();
    for event in [&events[0], &events[1], &events[3]] {
        site.store.append_event(event.clone(), T0).await.unwrap();
    }
    let error = site.store.reader().unwrap().verify_session(&an.session).unwrap_err();
    let StoreError::BrokenChain { source: CryptoError::BrokenChain { index, fault, .. }, .. } = &error else {
        panic!("expected a broken chain, got {error}");
    };
    assert_eq!((*index, *fault), (2, ChainFault::Gap { expected: 2, found: 3 }));
    assert!(error.to_string().contains("không hợp lệ"), "{error}");
}

#[tokio::test]
async fn verify_session_finds_an_event_edited_in_the_file() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    let an = &mut candidates[0];
    for item in 0..3 {
        site.store.append_event(an.answer(item, "B"), T0).await.unwrap();
    }
    let raw = site.raw_connection();
    raw.execute_batch("DROP TRIGGER events_are_never_changed").unwrap();
    raw.execute("UPDATE events SET response = CAST('A' AS BLOB) WHERE seq = 1", []).unwrap();
    let error = site.store.reader().unwrap().verify_session(&an.session).unwrap_err();
    assert!(
        matches!(
            &error,
            StoreError::BrokenChain {
                source: CryptoError::BrokenChain { index: 1, fault: ChainFault::BadSignature, .. },
                ..
            }
        ),
        "{error}"
    );
    let missing = SessionId::from_bytes([1; 16]);
    assert!(matches!(site.store.reader().unwrap().verify_session(&missing), Err(StoreError::NotFound(_))));
}

#[tokio::test]
async fn events_cannot_be_changed_or_deleted_through_sql() {
    let (site, mut candidates) = seeded(&["0101000001"]).await;
    site.store.append_event(candidates[0].answer(1, "B"), T0).await.unwrap();
    let raw = site.raw_connection();
    let update = raw.execute("UPDATE events SET response = x'00'", []).unwrap_err();
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = raw.execute("DELETE FROM events", []).unwrap_err();
    assert!(delete.to_string().contains("append-only"), "{delete}");
}
