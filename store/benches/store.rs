//! `cargo bench -p phongthi-store --bench store`: durable answer events per second through the
//! exam store's group-committing writer, with 1, 64 and 1,024 students writing at once, each
//! waiting for its ack before sending the next answer (as an autosaving client does).
//!
//! The targets (`performance.md`): ≥ 20,000 durable events/s, ack p99 < 50 ms. The store runs in
//! a temporary directory on the machine's disk with WAL and `synchronous=FULL`, so every batch
//! really waits for fsync. The events carry a placeholder signature: the store does not verify
//! signatures (the session state machine does, and the crypto bench times it), so signing would
//! only measure the benchmark's own setup. After criterion's report the bench prints, per writer
//! count, the median events/s over the measured samples, the ack latency percentiles and the
//! writer's batching.
//!
//! Every writer is always waiting for an ack (a closed loop), so the latencies printed are those
//! of a saturated store: queueing included, the worst case rather than the exam-day one.

#![allow(clippy::expect_used, missing_docs)] // a benchmark binary: setup failures abort loudly

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use phongthi_crypto::{
    AnswerEvent, ChainWriter, Digest, ExamId, JournalSecret, PublicKey, SessionId, Signature, SignedEvent, SigningKey,
};
use phongthi_store::{ExamRecord, NewSession, Store};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WRITER_COUNTS: [usize; 3] = [1, 64, 1_024];
const SAMPLES: usize = 10;

/// One student's side: the session and where its chain stands.
struct Writer {
    session: SessionId,
    next_seq: u64,
    head: Digest,
}

impl Writer {
    fn next_event(&mut self) -> SignedEvent {
        let event = AnswerEvent {
            session: self.session,
            seq: self.next_seq,
            item: (self.next_seq % 40) as u32,
            response: vec![b'A' + (self.next_seq % 4) as u8],
            client_ms: self.next_seq * 5_000,
            prev: self.head,
        };
        self.head = event.hash();
        self.next_seq += 1;
        SignedEvent { event, signature: Signature::from_bytes([0; 64]) }
    }
}

/// What one measured sample saw.
struct Sample {
    events: u64,
    elapsed: Duration,
    ack_micros: Vec<u32>,
}

struct Setup {
    _dir: tempfile::TempDir,
    store: Arc<Store>,
    writers: Vec<Arc<Mutex<Writer>>>,
}

fn setup(runtime: &tokio::runtime::Runtime, writer_count: usize) -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Store::open(dir.path(), SigningKey::generate().expect("key")).expect("open store"));
    let exam = ExamRecord {
        id: ExamId::from_bytes(*b"toan10-giuaki-I!"),
        title: "Kiểm tra giữa kì I — Toán 10".to_owned(),
        duration_ms: 45 * 60 * 1000,
        exam_json: "{}".to_owned(),
        teacher_key: PublicKey::from_bytes([1; 32]),
        sealed_content_key: vec![0; 48],
        added_ms: 0,
        practice: false,
    };
    let writers = runtime.block_on(async {
        store.add_exam(exam.clone(), None).await.expect("exam");
        let mut tasks = Vec::new();
        for n in 0..writer_count {
            let store = Arc::clone(&store);
            tasks.push(tokio::spawn(async move {
                let session = SessionId::generate().expect("id");
                let new = NewSession {
                    id: session,
                    exam: exam.id,
                    student_id: format!("HS{n:06}"),
                    form_index: (n % 4) as u32,
                    session_key: PublicKey::from_bytes([2; 32]),
                    journal_secret: JournalSecret::from_bytes([3; 32]),
                    created_ms: 0,
                };
                store.create_session(new, None).await.expect("session");
                let head = ChainWriter::new(session).head();
                Arc::new(Mutex::new(Writer { session, next_seq: 0, head }))
            }));
        }
        let mut writers = Vec::new();
        for task in tasks {
            writers.push(task.await.expect("task"));
        }
        writers
    });
    Setup { _dir: dir, store, writers }
}

/// `events` answers spread over every writer, each writer one at a time.
async fn run(store: &Arc<Store>, writers: &[Arc<Mutex<Writer>>], events: u64) -> Sample {
    let count = writers.len() as u64;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (index, writer) in writers.iter().enumerate() {
        let share = events / count + u64::from((index as u64) < events % count);
        if share == 0 {
            continue;
        }
        let store = Arc::clone(store);
        let writer = Arc::clone(writer);
        tasks.push(tokio::spawn(async move {
            let mut acks = Vec::with_capacity(share as usize);
            for _ in 0..share {
                let event = writer.lock().expect("writer").next_event();
                let sent = Instant::now();
                store.append_event(event, 0).await.expect("durable append");
                acks.push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
            }
            acks
        }));
    }
    let mut ack_micros = Vec::with_capacity(events as usize);
    for task in tasks {
        ack_micros.extend(task.await.expect("task"));
    }
    Sample { events, elapsed: started.elapsed(), ack_micros }
}

fn millis_at(sorted_micros: &[u32], percent: usize) -> f64 {
    let index = (sorted_micros.len() * percent / 100).min(sorted_micros.len().saturating_sub(1));
    sorted_micros.get(index).map_or(0.0, |m| f64::from(*m) / 1_000.0)
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let mut summaries = Vec::new();
    let mut group = c.benchmark_group("durable answer events");
    group.sample_size(SAMPLES).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(6));
    group.throughput(Throughput::Elements(1));
    for writer_count in WRITER_COUNTS {
        let Setup { _dir, store, writers } = setup(&runtime, writer_count);
        let samples: Mutex<Vec<Sample>> = Mutex::new(Vec::new());
        group.bench_function(format!("{writer_count} concurrent writers"), |b| {
            b.iter_custom(|iters| {
                let sample = runtime.block_on(run(&store, &writers, iters));
                let elapsed = sample.elapsed;
                samples.lock().expect("samples").push(sample);
                elapsed
            })
        });
        let mut samples = samples.into_inner().expect("samples");
        if samples.is_empty() {
            continue; // filtered out on the command line
        }
        // The last SAMPLES calls are criterion's measured samples (the earlier ones warmed up).
        let measured = samples.split_off(samples.len().saturating_sub(SAMPLES));
        let mut rates: Vec<f64> =
            measured.iter().map(|s| s.events as f64 / s.elapsed.as_secs_f64().max(f64::EPSILON)).collect();
        rates.sort_by(f64::total_cmp);
        let mut acks: Vec<u32> = measured.iter().flat_map(|s| s.ack_micros.iter().copied()).collect();
        acks.sort_unstable();

        let stats = store.stats();
        let stored = store.reader().expect("reader").counts().expect("counts").events;
        let sent: u64 = writers.iter().map(|w| w.lock().expect("writer").next_seq).sum();
        assert_eq!(stored, sent, "every acknowledged event is stored");
        summaries.push(format!(
            "{writer_count:>5} writers: median {:>7.0} events/s | ack ms p50 {:>6.2}  p99 {:>6.2}  max {:>7.2} | \
             {} batches, largest {}, mean {:.1} per batch",
            rates[rates.len() / 2],
            millis_at(&acks, 50),
            millis_at(&acks, 99),
            millis_at(&acks, 100),
            stats.batches,
            stats.largest_batch,
            stats.ops as f64 / stats.batches.max(1) as f64,
        ));
        drop(writers);
        Arc::try_unwrap(store).ok().expect("last handle").close().expect("close");
    }
    group.finish();
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    eprintln!("\nexam store, durable answer events (WAL + synchronous=FULL, {cpus} CPUs):");
    for line in summaries {
        eprintln!("  {line}");
    }
}

criterion_group!(store, benches);
criterion_main!(store);
