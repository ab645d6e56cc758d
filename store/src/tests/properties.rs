//! Property: whatever sequence of appends arrives — resends, forks, gaps, several sessions
//! interleaved, batched however the writer happens to batch them — the store answers each one
//! as a map from (session, seq) to the first event given would, and holds exactly that map.
//!
//! Gaps are stored as given: the store keeps what it receives per (session, seq); refusing a gap
//! is the session state machine's job (`ChainVerifier`), before the store is asked.

use super::*;
use crate::{Conflict, EventOutcome, StoreError, exams, sessions};
use phongthi_crypto::{AnswerEvent, Digest};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// One append: which session, which seq, which of three contents.
type Append = (usize, u64, u8);

fn event(candidate: &Candidate, seq: u64, variant: u8) -> SignedEvent {
    let event = AnswerEvent {
        session: candidate.session,
        seq,
        item: u32::from(variant),
        response: vec![b'A' + variant],
        client_ms: seq * 1_000,
        prev: Digest::from_bytes([seq as u8; 32]),
    };
    SignedEvent::sign(event, &candidate.key).unwrap()
}

fn block<T>(answer: Answer<T>) -> Result<T, StoreError> {
    answer.blocking_recv().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_first_event_at_each_place_is_kept_and_every_answer_says_why(
        appends in proptest::collection::vec((0..3usize, 0..6u64, 0..3u8), 1..48),
    ) {
        let site = Site::new();
        let exam = toan_10();
        let key = site.store.exam_key();
        block(site.store.enqueue(move |conn, _| exams::insert(conn, &key, &exam)).unwrap()).unwrap();
        let candidates: Vec<Candidate> =
            ["0101000001", "0101000002", "0101000003"].iter().map(|id| Candidate::new(toan_10().id, id)).collect();
        for candidate in &candidates {
            let new = candidate.new_session(0);
            block(site.store.enqueue(move |conn, _| sessions::create(conn, &new)).unwrap()).unwrap();
        }

        // Queue everything at once, in order, so the writer batches as it likes.
        let sent: Vec<(Append, SignedEvent, Answer<EventOutcome>)> = appends
            .iter()
            .enumerate()
            .map(|(n, &(who, seq, variant))| {
                let signed = event(&candidates[who], seq, variant);
                let answer = site.store.enqueue_event(signed.clone(), T0 + n as u64);
                ((who, seq, variant), signed, answer)
            })
            .collect();

        let mut model: BTreeMap<(usize, u64), SignedEvent> = BTreeMap::new();
        for ((who, seq, _), signed, answer) in sent {
            let got = block(answer);
            match model.get(&(who, seq)) {
                None => {
                    prop_assert_eq!(got.unwrap(), EventOutcome::Stored);
                    model.insert((who, seq), signed);
                }
                Some(first) if first == &signed => prop_assert_eq!(got.unwrap(), EventOutcome::Duplicate),
                Some(_) => {
                    let error = got.unwrap_err();
                    let expected = Conflict::Event { session: candidates[who].session, seq };
                    prop_assert!(matches!(&error, StoreError::Conflict(c) if *c == expected), "{}", error);
                }
            }
        }

        let reader = site.store.reader().unwrap();
        for (who, candidate) in candidates.iter().enumerate() {
            let expected: Vec<SignedEvent> =
                model.range((who, 0)..(who + 1, 0)).map(|(_, signed)| signed.clone()).collect();
            prop_assert_eq!(reader.events(&candidate.session).unwrap(), expected);
        }
        prop_assert_eq!(site.store.stats().failed_batches, 0);
    }
}
