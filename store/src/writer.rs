//! The one writer: a dedicated OS thread that owns the store's only write connection and commits
//! requests in groups.
//!
//! **Why group commit.** With WAL and `synchronous=FULL` every commit waits for the disk
//! (~5,900 single-row commits/s on the reference VM), while one transaction takes ~740,000
//! rows/s. So the thread takes one request, then drains whatever else is already queued (up to
//! a cap), applies them all in one `BEGIN IMMEDIATE` transaction, commits — the fsync — and only
//! then answers each caller. That order is what makes "acknowledged = durable" true (invariant 8
//! in `ARCHITECTURE.md`): no reply leaves this thread before the `COMMIT` that contains it has
//! returned. Under light load a batch is one request and costs one fsync; under heavy load the
//! queue fills while the disk works, and the next batch takes everything at once.
//!
//! **Failures.** Each request runs inside its own `SAVEPOINT`: a request that fails its own
//! checks (a conflicting answer event, a missing session, a constraint) is rolled back to its
//! savepoint and fails alone; the rest of the batch commits. A storage failure (disk full,
//! read-only file system, I/O error, a lock held by another program), or SQLite rolling the
//! transaction back by itself, fails the **whole** batch: everything is rolled back, every waiter
//! gets [`StoreError::DiskFull`] or [`StoreError::Io`], nothing is acknowledged, and the alarm
//! ([`Alarm`]) is raised until a later batch commits.
//!
//! **Shutdown.** The thread ends when the store drops its sender: `recv` then still yields every
//! queued request before reporting the channel closed, so pending requests are committed (or
//! failed) and answered, never dropped silently.

use super::audit::AuditChain;
use super::error::StoreError;
use rusqlite::{Connection, ErrorCode};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use tokio::sync::{OwnedSemaphorePermit, oneshot};

/// Where a request's answer goes.
pub(crate) type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// One request for the writer: what to do inside the transaction, and whom to tell.
pub(crate) struct WriteOp {
    job: Box<dyn Job>,
    /// Held until the request is answered: the store's bound on requests in flight.
    permit: Option<OwnedSemaphorePermit>,
}

impl WriteOp {
    /// A request that runs `body` inside the batch's transaction and sends its result to
    /// `reply` once the batch has committed.
    pub(crate) fn new<T, F>(body: F, reply: Reply<T>, permit: Option<OwnedSemaphorePermit>) -> Self
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &mut AuditChain) -> Result<T, StoreError> + Send + 'static,
    {
        Self { job: Box::new(TypedJob { body: Some(body), result: None, reply }), permit }
    }
}

/// What became of one request inside the open transaction.
enum Fate {
    /// It succeeded: keep its changes.
    Kept,
    /// It failed its own checks: undo it alone.
    Undone,
    /// Storage failed: the whole batch is lost.
    Fatal(BatchFailure),
}

/// A request with its result type erased, so one queue carries every kind of request.
trait Job: Send {
    /// Runs the request's statements.
    fn apply(&mut self, conn: &Connection, audit: &mut AuditChain) -> Fate;
    /// Answers the caller: its own result, or the batch's failure.
    fn finish(self: Box<Self>, failure: Option<&BatchFailure>);
}

struct TypedJob<T, F> {
    body: Option<F>,
    result: Option<Result<T, StoreError>>,
    reply: Reply<T>,
}

impl<T, F> Job for TypedJob<T, F>
where
    T: Send + 'static,
    F: FnOnce(&Connection, &mut AuditChain) -> Result<T, StoreError> + Send + 'static,
{
    fn apply(&mut self, conn: &Connection, audit: &mut AuditChain) -> Fate {
        let Some(body) = self.body.take() else {
            return Fate::Kept;
        };
        let result = body(conn, audit);
        let fate = match &result {
            Ok(_) => Fate::Kept,
            Err(error) => classify(conn, error),
        };
        self.result = Some(result);
        fate
    }

    fn finish(self: Box<Self>, failure: Option<&BatchFailure>) {
        let answer = match (failure, self.result) {
            (Some(failure), _) => Err(failure.to_error()),
            (None, Some(result)) => result,
            // Only requests of a failed batch can be left unapplied.
            (None, None) => Err(StoreError::Closed),
        };
        // The caller may have stopped waiting (its task was cancelled); the write stands anyway.
        let _ = self.reply.send(answer);
    }
}

/// Why a whole batch failed: repeated to every waiter of the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BatchFailure {
    kind: AlarmKind,
    detail: String,
}

impl BatchFailure {
    fn of_sqlite(error: &rusqlite::Error) -> Self {
        let kind = match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => AlarmKind::DiskFull,
            _ => AlarmKind::Io,
        };
        Self { kind, detail: error.to_string() }
    }

    fn to_error(&self) -> StoreError {
        match self.kind {
            AlarmKind::DiskFull => StoreError::DiskFull { detail: self.detail.clone() },
            AlarmKind::Io => StoreError::Io { detail: self.detail.clone() },
        }
    }
}

/// Tells a request's own failure from a failure of the storage under the whole batch.
fn classify(conn: &Connection, error: &StoreError) -> Fate {
    if let StoreError::Sqlite { source, .. } = error
        && is_storage_failure(source)
    {
        return Fate::Fatal(BatchFailure::of_sqlite(source));
    }
    // SQLite may roll the whole transaction back after some errors; then nothing of the batch
    // is left to commit, whatever the error looked like.
    if conn.is_autocommit() {
        return Fate::Fatal(BatchFailure {
            kind: AlarmKind::Io,
            detail: format!("SQLite đã hủy giao dịch / SQLite rolled the transaction back: {error}"),
        });
    }
    Fate::Undone
}

/// Errors that say the disk or the file, not the request, is at fault.
fn is_storage_failure(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(
            ErrorCode::DiskFull
                | ErrorCode::SystemIoFailure
                | ErrorCode::ReadOnly
                | ErrorCode::CannotOpen
                | ErrorCode::DatabaseCorrupt
                | ErrorCode::NotADatabase
                | ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::FileLockingProtocolFailed
                | ErrorCode::PermissionDenied
                | ErrorCode::OutOfMemory
        )
    )
}

/// Which kind of storage failure raised the alarm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlarmKind {
    /// The disk (or the database's size limit) is full.
    DiskFull,
    /// Another input/output failure.
    Io,
}

/// The store's alarm: the last batch failed and answers are **not** being stored. The server
/// shows it loudly to the proctor; it clears when a later batch commits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alarm {
    /// What failed.
    pub kind: AlarmKind,
    /// SQLite's message.
    pub detail: String,
}

/// The writer's counters, for tests, the dashboard and the `loadgen` report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriterStats {
    /// Requests answered from committed batches.
    pub ops: u64,
    /// Batches committed.
    pub batches: u64,
    /// The most requests one committed batch held.
    pub largest_batch: u64,
    /// Batches that failed as a whole (storage failures).
    pub failed_batches: u64,
    /// Requests in failed batches.
    pub failed_ops: u64,
    /// Requests queued or being written right now.
    pub in_flight: u64,
}

/// What the writer thread and the store's handles share.
#[derive(Default)]
pub(crate) struct Shared {
    ops: AtomicU64,
    batches: AtomicU64,
    largest_batch: AtomicU64,
    failed_batches: AtomicU64,
    failed_ops: AtomicU64,
    alarm: Mutex<Option<Alarm>>,
}

impl Shared {
    pub(crate) fn stats(&self) -> WriterStats {
        WriterStats {
            ops: self.ops.load(Ordering::Relaxed),
            batches: self.batches.load(Ordering::Relaxed),
            largest_batch: self.largest_batch.load(Ordering::Relaxed),
            failed_batches: self.failed_batches.load(Ordering::Relaxed),
            failed_ops: self.failed_ops.load(Ordering::Relaxed),
            in_flight: 0,
        }
    }

    pub(crate) fn alarm(&self) -> Option<Alarm> {
        self.alarm.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set_alarm(&self, alarm: Option<Alarm>) {
        *self.alarm.lock().unwrap_or_else(PoisonError::into_inner) = alarm;
    }
}

/// Starts the writer thread.
pub(crate) fn spawn(
    conn: Connection,
    audit: AuditChain,
    receiver: Receiver<WriteOp>,
    shared: Arc<Shared>,
    batch_cap: usize,
) -> std::io::Result<JoinHandle<()>> {
    let writer = Writer { conn, audit, receiver, shared, batch_cap: batch_cap.max(1) };
    thread::Builder::new().name("proctor-store-writer".to_owned()).spawn(move || writer.run())
}

struct Writer {
    conn: Connection,
    audit: AuditChain,
    receiver: Receiver<WriteOp>,
    shared: Arc<Shared>,
    batch_cap: usize,
}

impl Writer {
    fn run(mut self) {
        while let Ok(first) = self.receiver.recv() {
            let mut batch = Vec::with_capacity(64);
            batch.push(first);
            while batch.len() < self.batch_cap {
                match self.receiver.try_recv() {
                    Ok(op) => batch.push(op),
                    Err(_) => break,
                }
            }
            self.write(batch);
        }
        // Every sender is gone and every request answered. Folding the WAL into the database
        // leaves one tidy file behind; if it fails, the WAL is still there and still valid.
        if let Err(error) = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)") {
            tracing::warn!(%error, "kho bài thi: không gộp được WAL khi đóng / exam store: WAL checkpoint at close failed");
        }
    }

    /// Applies and commits one batch, then answers every request in it.
    fn write(&mut self, batch: Vec<WriteOp>) {
        let size = batch.len() as u64;
        let mut done: Vec<WriteOp> = Vec::with_capacity(batch.len());
        let failure = self.apply(batch, &mut done);
        match &failure {
            None => {
                self.audit.batch_committed();
                self.shared.ops.fetch_add(size, Ordering::Relaxed);
                self.shared.batches.fetch_add(1, Ordering::Relaxed);
                self.shared.largest_batch.fetch_max(size, Ordering::Relaxed);
                if self.shared.alarm().is_some() {
                    tracing::warn!("kho bài thi ghi lại được / exam store is writing again");
                    self.shared.set_alarm(None);
                }
            }
            Some(failure) => {
                if !self.conn.is_autocommit()
                    && let Err(error) = self.conn.execute_batch("ROLLBACK")
                {
                    tracing::error!(%error, "exam store: rollback after a failed batch failed");
                }
                self.audit.batch_undone();
                self.shared.failed_batches.fetch_add(1, Ordering::Relaxed);
                self.shared.failed_ops.fetch_add(size, Ordering::Relaxed);
                tracing::error!(
                    requests = size,
                    detail = %failure.detail,
                    "KHO BÀI THI KHÔNG GHI ĐƯỢC, không xác nhận gì / EXAM STORE CANNOT WRITE, nothing acknowledged"
                );
                self.shared.set_alarm(Some(Alarm { kind: failure.kind, detail: failure.detail.clone() }));
            }
        }
        // Only now, after COMMIT returned (or the batch was rolled back), does any caller hear.
        for WriteOp { job, permit } in done {
            // Room is given back before the caller hears, so a caller that got its answer
            // never sees its own request still counted in flight.
            drop(permit);
            job.finish(failure.as_ref());
        }
    }

    /// Runs the batch inside one transaction; moves every request into `done`. Returns the
    /// batch's failure, if any (the transaction is then still to be rolled back).
    fn apply(&mut self, batch: Vec<WriteOp>, done: &mut Vec<WriteOp>) -> Option<BatchFailure> {
        if let Some(failure) = self.control("BEGIN IMMEDIATE") {
            done.extend(batch);
            return Some(failure);
        }
        let mut failure = None;
        for mut op in batch {
            if failure.is_none() {
                failure = self.apply_one(&mut op);
            }
            done.push(op);
        }
        if failure.is_some() {
            return failure;
        }
        self.control("COMMIT")
    }

    /// Runs one request inside its savepoint.
    fn apply_one(&mut self, op: &mut WriteOp) -> Option<BatchFailure> {
        if let Some(failure) = self.control("SAVEPOINT request") {
            return Some(failure);
        }
        match op.job.apply(&self.conn, &mut self.audit) {
            Fate::Kept => {
                self.audit.request_kept();
                self.control("RELEASE request")
            }
            Fate::Undone => {
                self.audit.request_undone();
                self.control("ROLLBACK TO request").or_else(|| self.control("RELEASE request"))
            }
            Fate::Fatal(failure) => Some(failure),
        }
    }

    /// Runs one transaction-control statement. They run for every request, so they are
    /// prepared once and kept in the connection's statement cache.
    fn control(&self, sql: &str) -> Option<BatchFailure> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut statement| statement.execute([]))
            .err()
            .map(|error| BatchFailure::of_sqlite(&error))
    }
}
