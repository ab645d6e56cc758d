//! Many students at once: every acknowledged answer is already committed when the ack arrives.

use super::*;
use crate::{EventOutcome, Reader};
use std::sync::Arc;

const STUDENTS: usize = 64;
const ANSWERS: u32 = 500;

/// Whether `event` is visible to `reader`, which starts a new read transaction per call and so
/// sees exactly what was committed before the call.
fn visible(reader: &Reader, event: &SignedEvent) -> bool {
    reader.event(&event.event.session, event.event.seq).unwrap().as_ref() == Some(event)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_students_answering_at_once_lose_nothing_and_share_commits() {
    let site = Site::new();
    site.store.add_exam(toan_10(), None).await.unwrap();
    let mut candidates = Vec::new();
    for n in 0..STUDENTS {
        let candidate = Candidate::new(toan_10().id, &format!("01010{n:05}"));
        site.store.create_session(candidate.new_session(n as u32 % 4), None).await.unwrap();
        candidates.push(candidate);
    }
    let store = Arc::new(site.store);
    let data_dir = site.dir.path().join("data");

    let mut tasks = Vec::new();
    for mut candidate in candidates {
        let store = Arc::clone(&store);
        let data_dir = data_dir.clone();
        tasks.push(tokio::spawn(async move {
            let reader = store.reader().unwrap();
            for n in 0..ANSWERS {
                let response = ["A", "B", "C", "D"][(n % 4) as usize];
                let event = candidate.answer(n % 40, response);
                let outcome = store.append_event(event.clone(), T0 + u64::from(n)).await.unwrap();
                assert_eq!(outcome, EventOutcome::Stored);
                // Acknowledged = committed: another connection sees it at once.
                assert!(visible(&reader, &event), "event {n} acked before it was committed");
                if n % 50 == 0 {
                    let fresh = Reader::open(&data_dir.join(crate::FILE_NAME)).unwrap();
                    assert!(visible(&fresh, &event), "event {n} not visible to a fresh connection");
                }
            }
            candidate
        }));
    }
    let mut finished = Vec::new();
    for task in tasks {
        finished.push(task.await.unwrap());
    }

    let reader = store.reader().unwrap();
    assert_eq!(reader.counts().unwrap().events, STUDENTS as u64 * u64::from(ANSWERS));
    for candidate in &finished {
        assert_eq!(reader.verify_session(&candidate.session).unwrap(), candidate.chain.head());
    }
    let progress = reader.sessions_of_exam(&toan_10().id).unwrap();
    assert!(progress.iter().all(|p| p.answered_items == 40 && p.events == u64::from(ANSWERS)));

    let stats = store.stats();
    assert_eq!(stats.ops, 1 + STUDENTS as u64 + STUDENTS as u64 * u64::from(ANSWERS));
    assert!(stats.largest_batch > 1, "no two requests ever shared a commit: {stats:?}");
    assert!(stats.batches < stats.ops, "{stats:?}");
}
