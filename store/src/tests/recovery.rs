//! Recovery: after the store is dropped without closing, or from a copy of its files taken
//! mid-run (what a crash leaves on disk), every acknowledged answer is there.

use super::*;
use crate::EventOutcome;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn dropping_the_store_with_requests_queued_commits_and_answers_them() {
    let (site, mut candidates) = seeded(&["0101000001", "0101000002"]).await;
    let mut acked = Vec::new();
    for n in 0..10 {
        let event = candidates[n % 2].answer(n as u32, "B");
        site.store.append_event(event.clone(), T0).await.unwrap();
        acked.push(event);
    }
    let (release, held) = site.store.hold_writer();
    let queued: Vec<(SignedEvent, Answer<EventOutcome>)> = (10..60)
        .map(|n| {
            let event = candidates[n % 2].answer(n as u32, "C");
            (event.clone(), site.store.enqueue_event(event, T0))
        })
        .collect();
    release.send(()).unwrap();
    let Site { dir, store, key_pem } = site;
    drop(store);
    held.await.unwrap().unwrap();
    for (event, answer) in queued {
        assert_eq!(answer.await.unwrap().unwrap(), EventOutcome::Stored);
        acked.push(event);
    }

    let store = Store::open(dir.path().join("data"), parse_key(&key_pem, None).unwrap()).unwrap();
    let reader = store.reader().unwrap();
    for event in &acked {
        assert_eq!(reader.event(&event.event.session, event.event.seq).unwrap().as_ref(), Some(event));
    }
    for candidate in &candidates {
        assert_eq!(reader.verify_session(&candidate.session).unwrap(), candidate.chain.head());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_of_the_files_taken_mid_run_holds_every_acknowledged_answer() {
    let (site, candidates) = seeded(&["0101000001", "0101000002", "0101000003", "0101000004"]).await;
    let proctor = site.key();
    let data_dir = site.data_dir();
    let store = Arc::new(site.store);
    let acked: Arc<Mutex<Vec<SignedEvent>>> = Arc::default();

    let mut tasks = Vec::new();
    for mut candidate in candidates {
        let store = Arc::clone(&store);
        let acked = Arc::clone(&acked);
        tasks.push(tokio::spawn(async move {
            for n in 0..300 {
                let event = candidate.answer(n % 25, &format!("đáp án {n}"));
                store.append_event(event.clone(), T0 + u64::from(n)).await.unwrap();
                acked.lock().unwrap().push(event);
            }
        }));
    }
    // Let the students get going, then take the crash image while the writer sits inside an
    // open transaction: the files are exactly what a power cut at this instant would leave.
    while acked.lock().unwrap().len() < 400 {
        tokio::task::yield_now().await;
    }
    let (release, held) = store.hold_writer();
    let acked_before_crash = acked.lock().unwrap().clone();
    let crash_dir = site.dir.path().join("crash-image");
    std::fs::create_dir(&crash_dir).unwrap();
    for file in store_files(&data_dir) {
        std::fs::copy(&file, crash_dir.join(file.file_name().unwrap())).unwrap();
    }
    release.send(()).unwrap();
    held.await.unwrap().unwrap();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(acked.lock().unwrap().len(), 1_200);

    let recovered = Store::open(&crash_dir, proctor).unwrap();
    let reader = recovered.reader().unwrap();
    assert!(acked_before_crash.len() >= 400);
    for event in &acked_before_crash {
        assert_eq!(
            reader.event(&event.event.session, event.event.seq).unwrap().as_ref(),
            Some(event),
            "acked event lost in the crash image"
        );
    }
    // Whatever else the image holds is a valid prefix of each chain.
    for progress in reader.sessions_of_exam(&toan_10().id).unwrap() {
        reader.verify_session(&progress.session.id).unwrap();
    }
}
