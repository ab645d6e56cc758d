//! What the proctor keeps on disk, and the steps that fill it before an exam.
//!
//! - [`datadir`]: the data directory with the identity key and the pinned TLS certificate.
//! - [`roster`]: who may sit the exam, from the school's CSV or XLSX class lists.
//! - [`admin`]: `proctor exam add` and `proctor roster import` (bundle opened, content key sealed
//!   under the identity; roster stored in one transaction).
//! - [`backup`]: `proctor backup` / `restore`, an encrypted and verified copy of a data directory.
//! - [`private`]: the data directory's modes (0700 folder, 0600 files) and the check of them.
//! - [`demo`]: an exam day set up from the example files, for `proctor demo` and the tests of
//!   every crate above this one.
//! - The crate root is the exam store itself, described below; [`migrations`] owns its schema.
//!
//! # The exam store
//!
//! The proctor's exam store: exams, the roster, sessions, every answer event, sheets, receipts,
//! scores, incidents and the signed audit log, in one SQLite file per site
//! (`<data dir>/proctor.sqlite`).
//!
//! **Durability.** The file runs in WAL mode with `synchronous=FULL` and foreign keys on. All
//! writes go through one writer thread (`writer.rs`) that applies queued requests in groups, one
//! transaction and one fsync per group, and answers a request only after its group committed:
//! when [`Store::append_event`] returns `Ok`, the answer survives a crash of the process or a
//! power cut (invariant 8 in `ARCHITECTURE.md`). Readers ([`Store::reader`]) are separate
//! read-only connections; WAL lets them read while the writer writes.
//!
//! **Shape.** As in the question bank (and mozilla application-services): the schema is frozen
//! `.sql` files under `schema/` applied by [`migrations`], and each table module (`exams`,
//! `students`, `sessions`, `events`, `sheets`, `incidents`, `audit`, `builds`) is a set of free functions over
//! a [`rusqlite::Connection`]. The async API of [`Store`] wraps each call in a request for the
//! writer; [`Reader`] calls the read functions directly.
//!
//! **What the store does not check.** It keeps what it is given per (session, seq) and refuses
//! only contradictions (a different event at a stored place). Signatures, seq gaps and chain
//! links are checked by the session state machine before an event is stored, and again
//! afterwards by [`Reader::verify_session`]. Times are passed in by the caller: the store never
//! reads the clock, which keeps it deterministic in tests.
//!
//! **Sharing.** `Store` is `Send + Sync`; share it with an `Arc`. Dropping the last handle closes
//! it like [`Store::close`]: the writer commits (or fails) everything queued, answers it, and
//! stops. Cancelling a call's future does not cancel its write.

mod audit;
mod builds;
mod codec;
mod error;
mod events;
mod exams;
mod incidents;
mod marks;
pub mod migrations;
mod outbox;
mod purge;
mod read;
mod sessions;
mod sheets;
mod students;
mod trust;
mod writer;

#[cfg(test)]
mod tests;

pub mod admin;
pub mod backup;
pub mod datadir;
pub mod demo;
pub mod private;
pub mod roster;

pub use audit::AuditNote;
pub use builds::{AllowedBuildRecord, BuildAdded};
pub use error::{Conflict, Missing, Operation, StoreError};
pub use events::EventOutcome;
pub use exams::{ExamAdded, ExamRecord};
pub use incidents::{IncidentRecord, NewIncident};
pub use marks::MarkRecord;
pub use outbox::{AttemptResult, Enqueued, OutboxEntry, OutboxRequest, OutboxState};
pub use phongthi_crypto::AtRestKey;
pub use purge::{PurgeRecord, Purged};
pub use read::{Counts, Reader};
pub use sessions::{NewSession, SessionProgress, SessionRecord, SessionState};
pub use sheets::{ScoreRecord, StoredReceipt, StoredScore, Submission, SubmissionOutcome};
pub use students::StudentRecord;
pub use trust::TrustedSigner;
pub use writer::{Alarm, AlarmKind, WriterStats};

use audit::AuditChain;
use error::ResultExt;
use phongthi_crypto::{BuildDigest, ExamId, PublicKey, SessionId, SignedAuditEntry, SignedEvent, SigningKey};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::{Semaphore, oneshot};
use unicode_normalization::UnicodeNormalization;
use writer::{Shared, WriteOp};

/// The store's file name inside the data directory.
pub const FILE_NAME: &str = "proctor.sqlite";

/// How long a connection waits for a lock held by another process (a backup tool, an
/// `sqlite3` shell) before giving up. The writer treats giving up as a storage failure.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The writer connection's page cache, in KiB (SQLite's negative `cache_size`).
const WRITER_CACHE_KIB: i64 = 64 * 1024;

/// WAL pages after which the writer checkpoints.
const WAL_CHECKPOINT_PAGES: i64 = 16_384;

/// Tuning of the writer; the defaults suit 10,000 students on one proctor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    /// The most requests one transaction takes. Large enough that a burst of autosaves from a
    /// whole school fits in a few commits, small enough that one commit stays short.
    pub batch_cap: usize,
    /// The most requests queued or being written at once; further callers wait (asynchronously)
    /// for room, which is the back-pressure when the disk cannot keep up.
    pub queue_capacity: usize,
    /// A ceiling on the database file in bytes (`None`: only the disk limits it). SQLite then
    /// fails writes past it exactly as on a full disk, which is how the disk-full drill and an
    /// operator who wants a hard cap on a shared PC get the same, tested, refusal path.
    pub size_limit_bytes: Option<u64>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { batch_cap: 4_096, queue_capacity: 16_384, size_limit_bytes: None }
    }
}

/// The exam store: a handle to the writer thread, and a factory of readers.
pub struct Store {
    path: PathBuf,
    sender: Option<SyncSender<WriteOp>>,
    permits: Arc<Semaphore>,
    queue_capacity: usize,
    shared: Arc<Shared>,
    writer: Option<JoinHandle<()>>,
    proctor_key: PublicKey,
    exam_key: AtRestKey,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` with default options. `proctor_key`
    /// signs the audit log.
    pub fn open(data_dir: impl AsRef<Path>, proctor_key: SigningKey) -> Result<Store, StoreError> {
        Store::open_with(data_dir, proctor_key, StoreOptions::default())
    }

    /// Opens (creating if needed) the store in `data_dir`.
    ///
    /// Creates the directory (0700) and the database file (0600) if needed, brings the schema up to date (refusing a newer schema
    /// with [`StoreError::NewerSchema`] and another program's file with
    /// [`StoreError::NotAProctorDatabase`]), reads the head of the audit log, and starts the
    /// writer thread.
    pub fn open_with(
        data_dir: impl AsRef<Path>,
        proctor_key: SigningKey,
        options: StoreOptions,
    ) -> Result<Store, StoreError> {
        let data_dir = data_dir.as_ref();
        private::create_private_dir(data_dir).map_err(|e| StoreError::Io {
            detail: format!(
                "không tạo được thư mục dữ liệu {0} / cannot create the data directory {0}: {e}",
                data_dir.display()
            ),
        })?;
        let path = data_dir.join(FILE_NAME);
        // Created 0600 before SQLite sees it: SQLite gives the -wal and -shm files the
        // database file's mode, so this one mode keeps all three private.
        private::ensure_private_file(&path).map_err(|e| StoreError::Io {
            detail: format!("không tạo được {0} / cannot create {0}: {e}", path.display()),
        })?;
        let conn = Connection::open(&path).during(Operation::Open)?;
        configure_writer(&conn).during(Operation::Open)?;
        migrations::migrate(&conn)?;
        if let Some(bytes) = options.size_limit_bytes {
            limit_size(&conn, bytes).during(Operation::Open)?;
        }
        let public = proctor_key.public_key();
        let exam_key = AtRestKey::exam_content(&proctor_key);
        if exams::seal_clear_rows(&conn, &exam_key)? > 0 {
            // The clear JSON of an older store must not stay readable in free pages nor in old
            // WAL frames: rewrite the file, then fold and truncate the WAL.
            conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);").during(Operation::Migrate)?;
        }
        let audit = AuditChain::load(&conn, proctor_key)?;

        let queue_capacity = options.queue_capacity.max(1);
        let (sender, receiver) = sync_channel(queue_capacity);
        let shared = Arc::new(Shared::default());
        let writer = writer::spawn(conn, audit, receiver, Arc::clone(&shared), options.batch_cap).map_err(|e| {
            StoreError::Io {
                detail: format!("không chạy được luồng ghi / cannot start the writer thread: {e}")
            }
        })?;
        Ok(Store {
            path,
            sender: Some(sender),
            permits: Arc::new(Semaphore::new(queue_capacity)),
            queue_capacity,
            shared,
            writer: Some(writer),
            proctor_key: public,
            exam_key,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The public key of the proctor key that signs the audit log.
    pub fn proctor_key(&self) -> PublicKey {
        self.proctor_key
    }

    /// A new read-only connection. Each reader sees every batch committed before each of its
    /// calls; create one per thread or task (a `Reader` is not `Sync`).
    pub fn reader(&self) -> Result<Reader, StoreError> {
        Ok(Reader::open(&self.path)?.with_exam_key(self.exam_key.clone()))
    }

    /// The key that opens the stored exams, for a component that makes its own readers (the
    /// server's room handle). It lives in memory only.
    pub fn exam_key(&self) -> AtRestKey {
        self.exam_key.clone()
    }

    /// The alarm, while the last batch failed for a storage reason (disk full, I/O error).
    pub fn alarm(&self) -> Option<Alarm> {
        self.shared.alarm()
    }

    /// The writer's counters.
    pub fn stats(&self) -> WriterStats {
        let in_flight = self.queue_capacity.saturating_sub(self.permits.available_permits());
        WriterStats { in_flight: in_flight as u64, ..self.shared.stats() }
    }

    /// Stores one answer event received at `received_ms`. `Ok` means it is durable:
    /// acknowledge it to the student. [`EventOutcome::Duplicate`] is a resend of the same event
    /// (acknowledge again); a different event at the same seq is [`Conflict::Event`], and the
    /// stored one stays.
    pub async fn append_event(&self, event: SignedEvent, received_ms: u64) -> Result<EventOutcome, StoreError> {
        // Hashed here, on the caller's thread, to keep the writer's critical path short.
        let hash = event.event.hash();
        self.submit(move |conn, _| events::append(conn, &event, &hash, received_ms)).await
    }

    /// Adds an exam; adding the same exam again is [`ExamAdded::AlreadyPresent`].
    pub async fn add_exam(&self, mut exam: ExamRecord, audit: Option<AuditNote>) -> Result<ExamAdded, StoreError> {
        exam.title = nfc(&exam.title);
        let key = self.exam_key.clone();
        self.submit(move |conn, chain| with_audit(conn, chain, audit, |conn| exams::insert(conn, &key, &exam))).await
    }

    /// Trusts `signer`'s key (or renames it), audited as `trust.add` by `actor`; returns whether
    /// the key is new.
    pub async fn trust_signer(&self, signer: TrustedSigner, actor: &str) -> Result<bool, StoreError> {
        let note = AuditNote::new(
            signer.added_ms,
            actor,
            "trust.add",
            format!("{{\"key\":\"{}\",\"name\":{:?}}}", signer.key, nfc(&signer.name)),
        );
        let signer = TrustedSigner { name: nfc(signer.name.trim()), ..signer };
        self.submit(move |conn, chain| with_audit(conn, chain, Some(note), |conn| trust::add(conn, &signer))).await
    }

    /// Stops trusting `key`, audited as `trust.remove`; returns whether it was trusted. Exams
    /// already added stay.
    pub async fn distrust_signer(&self, key: PublicKey, at_ms: u64, actor: &str) -> Result<bool, StoreError> {
        let note = AuditNote::new(at_ms, actor, "trust.remove", format!("{{\"key\":\"{key}\"}}"));
        self.submit(move |conn, chain| with_audit(conn, chain, Some(note), |conn| trust::remove(conn, &key))).await
    }

    /// Erases `exam`'s personal data (module `purge`), audited as `exam.purge` by `actor`; with
    /// `roster`, also the roster entries of its students who sat no other exam. Run
    /// [`Store::compact`] after closing the store so no copy lingers in the WAL.
    pub async fn purge_exam(&self, exam: ExamId, roster: bool, at_ms: u64, actor: &str) -> Result<Purged, StoreError> {
        let actor = nfc(actor);
        self.submit(move |conn, chain| {
            let purged = purge::purge(conn, &exam, roster, at_ms, &actor)?;
            let detail = format!("{{\"exam\":\"{exam}\",\"erased\":{}}}", purged.to_json());
            chain.append(conn, &normalize_note(AuditNote::new(at_ms, actor.clone(), "exam.purge", detail)))?;
            Ok(purged)
        })
        .await
    }

    /// Rewrites the database file of the store in `data_dir` (closed by every writer) without its
    /// free pages, and empties its WAL: what was deleted is then in no file.
    pub fn compact(data_dir: &Path) -> Result<(), StoreError> {
        let conn = Connection::open(data_dir.join(FILE_NAME)).during(Operation::Open)?;
        conn.busy_timeout(BUSY_TIMEOUT).during(Operation::Open)?;
        conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);").during(Operation::Purge)
    }

    /// Replaces the whole roster; returns how many students are stored.
    pub async fn replace_roster(
        &self,
        mut students: Vec<StudentRecord>,
        audit: Option<AuditNote>,
    ) -> Result<usize, StoreError> {
        for student in &mut students {
            student.student_id = nfc(&student.student_id);
            student.full_name = nfc(&student.full_name);
            student.class = nfc(&student.class);
            student.seat = student.seat.as_deref().map(nfc);
        }
        self.submit(move |conn, chain| with_audit(conn, chain, audit, |conn| students::replace(conn, &students))).await
    }

    /// Creates a session (state [`SessionState::Waiting`]).
    pub async fn create_session(&self, mut session: NewSession, audit: Option<AuditNote>) -> Result<(), StoreError> {
        session.student_id = nfc(&session.student_id);
        self.submit(move |conn, chain| with_audit(conn, chain, audit, |conn| sessions::create(conn, &session))).await
    }

    /// Moves a session to `state` at `at_ms`.
    pub async fn set_session_state(
        &self,
        session: SessionId,
        state: SessionState,
        at_ms: u64,
        audit: Option<AuditNote>,
    ) -> Result<(), StoreError> {
        self.submit(move |conn, chain| {
            with_audit(conn, chain, audit, |conn| sessions::set_state(conn, &session, state, at_ms))
        })
        .await
    }

    /// Sets a student's total extra time (not an increment, so a retried call is harmless).
    pub async fn set_extension(
        &self,
        session: SessionId,
        extension_ms: u64,
        at_ms: u64,
        audit: Option<AuditNote>,
    ) -> Result<(), StoreError> {
        self.submit(move |conn, chain| {
            with_audit(conn, chain, audit, |conn| sessions::set_extension(conn, &session, extension_ms, at_ms))
        })
        .await
    }

    /// Registers another key of a session (after an approved seat move or a client restart).
    pub async fn add_session_key(
        &self,
        session: SessionId,
        key: PublicKey,
        at_ms: u64,
        audit: Option<AuditNote>,
    ) -> Result<(), StoreError> {
        self.submit(move |conn, chain| {
            with_audit(conn, chain, audit, |conn| sessions::add_key(conn, &session, &key, at_ms))
        })
        .await
    }

    /// Gives a session another form.
    pub async fn set_form(
        &self,
        session: SessionId,
        form_index: u32,
        at_ms: u64,
        audit: Option<AuditNote>,
    ) -> Result<(), StoreError> {
        self.submit(move |conn, chain| {
            with_audit(conn, chain, audit, |conn| sessions::set_form(conn, &session, form_index, at_ms))
        })
        .await
    }

    /// Stores a submission — sheet, receipt and score in one transaction — and marks the
    /// session submitted. The same sheet again returns the receipt stored the first time.
    pub async fn record_submission(&self, submission: Submission) -> Result<SubmissionOutcome, StoreError> {
        self.submit(move |conn, _| sheets::record(conn, &submission)).await
    }

    /// Stores or rewrites a session's score (manual marks, a regrade).
    pub async fn record_score(
        &self,
        session: SessionId,
        score: ScoreRecord,
        audit: Option<AuditNote>,
    ) -> Result<(), StoreError> {
        self.submit(move |conn, chain| {
            with_audit(conn, chain, audit, |conn| sheets::record_score(conn, &session, &score))
        })
        .await
    }

    /// Queues grade-book requests for (`exam`, `target`) in one transaction with its audit entry,
    /// skipping those identical to one already delivered or pending (`outbox.rs`).
    pub async fn enqueue_publish(
        &self,
        exam: ExamId,
        target: String,
        requests: Vec<OutboxRequest>,
        now_ms: u64,
        audit: Option<AuditNote>,
    ) -> Result<Enqueued, StoreError> {
        self.submit(move |conn, chain| {
            with_audit(conn, chain, audit, |conn| outbox::enqueue(conn, &exam, &target, &requests, now_ms))
        })
        .await
    }

    /// Records one delivery attempt of outbox entry `id` (only a pending entry changes).
    pub async fn record_publish_attempt(&self, id: i64, result: AttemptResult, now_ms: u64) -> Result<(), StoreError> {
        self.submit(move |conn, _| outbox::record_attempt(conn, id, &result, now_ms)).await
    }

    /// Stores (or replaces) a manual mark and the session's recomputed score together, with the
    /// audit entry, in one transaction.
    pub async fn record_mark(
        &self,
        mark: MarkRecord,
        score: ScoreRecord,
        audit: Option<AuditNote>,
    ) -> Result<(), StoreError> {
        let mut mark = mark;
        mark.comment = nfc(&mark.comment);
        mark.marker = nfc(&mark.marker);
        self.submit(move |conn, chain| {
            with_audit(conn, chain, audit, |conn| {
                marks::upsert(conn, &mark)?;
                sheets::record_score(conn, &mark.session, &score)
            })
        })
        .await
    }

    /// Records an incident, with its audit entry; returns the incident's number.
    pub async fn record_incident(&self, mut incident: NewIncident) -> Result<i64, StoreError> {
        incident.kind = nfc(&incident.kind);
        incident.detail = nfc(&incident.detail);
        incident.student_id = incident.student_id.as_deref().map(nfc);
        self.submit(move |conn, chain| incidents::insert(conn, chain, &incident)).await
    }

    /// Allows a client build (or renames an allowed one), with its audit entry.
    pub async fn allow_build(&self, mut build: AllowedBuildRecord, audit: AuditNote) -> Result<BuildAdded, StoreError> {
        build.name = nfc(build.name.trim());
        self.submit(move |conn, chain| with_audit(conn, chain, Some(audit), |conn| builds::upsert(conn, &build))).await
    }

    /// Stops allowing a client build, with its audit entry (written only when something was
    /// removed); returns what was removed.
    pub async fn remove_build(
        &self,
        digest: BuildDigest,
        audit: AuditNote,
    ) -> Result<Option<AllowedBuildRecord>, StoreError> {
        self.submit(move |conn, chain| {
            let removed = builds::remove(conn, &digest)?;
            if removed.is_some() {
                chain.append(conn, &normalize_note(audit))?;
            }
            Ok(removed)
        })
        .await
    }

    /// Appends an entry to the audit log; the writer chains and signs it in commit order.
    pub async fn audit(&self, note: AuditNote) -> Result<SignedAuditEntry, StoreError> {
        let note = normalize_note(note);
        self.submit(move |conn, chain| chain.append(conn, &note)).await
    }

    /// Stops the writer after it has committed and answered everything queued, and folds the
    /// WAL into the database file. Dropping the store does the same; `close` also reports a
    /// writer that died.
    pub fn close(mut self) -> Result<(), StoreError> {
        self.shut_down()
    }

    fn shut_down(&mut self) -> Result<(), StoreError> {
        // The writer's `recv` drains the queue, then sees the channel closed.
        drop(self.sender.take());
        match self.writer.take() {
            Some(handle) => handle.join().map_err(|_| StoreError::Io {
                detail: "luồng ghi của kho bài thi đã dừng bất thường / the exam store's writer thread panicked"
                    .to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// Queues `body` for the writer and waits for its answer, after its batch committed.
    async fn submit<T, F>(&self, body: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &mut AuditChain) -> Result<T, StoreError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits).acquire_owned().await.map_err(|_| StoreError::Closed)?;
        let (reply, answer) = oneshot::channel();
        self.send(WriteOp::new(body, reply, Some(permit)))?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Queues `body` at once, without waiting for room (tests that must know the order in
    /// which requests reach the writer).
    #[cfg(test)]
    pub(crate) fn enqueue<T, F>(&self, body: F) -> Result<oneshot::Receiver<Result<T, StoreError>>, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &mut AuditChain) -> Result<T, StoreError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits).try_acquire_owned().map_err(|_| StoreError::Closed)?;
        let (reply, answer) = oneshot::channel();
        self.send(WriteOp::new(body, reply, Some(permit)))?;
        Ok(answer)
    }

    fn send(&self, op: WriteOp) -> Result<(), StoreError> {
        let sender = self.sender.as_ref().ok_or(StoreError::Closed)?;
        match sender.try_send(op) {
            Ok(()) => Ok(()),
            // Cannot happen while every request holds one of `queue_capacity` permits; blocking
            // is still the right answer if it ever did.
            Err(TrySendError::Full(op)) => sender.send(op).map_err(|_| StoreError::Closed),
            Err(TrySendError::Disconnected(_)) => Err(StoreError::Closed),
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Err(error) = self.shut_down() {
            tracing::error!(%error, "exam store: closing failed");
        }
    }
}

/// Runs `body`, then appends `audit` in the same savepoint, so an action and its audit entry
/// are stored together or not at all.
fn with_audit<T>(
    conn: &Connection,
    chain: &mut AuditChain,
    audit: Option<AuditNote>,
    body: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let out = body(conn)?;
    if let Some(note) = audit {
        chain.append(conn, &normalize_note(note))?;
    }
    Ok(out)
}

fn normalize_note(note: AuditNote) -> AuditNote {
    AuditNote { at_ms: note.at_ms, actor: nfc(&note.actor), action: nfc(&note.action), detail: nfc(&note.detail) }
}

/// All stored text is NFC (invariant 6).
fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Settings of the write connection; they must be set outside a transaction.
/// Caps the file at `bytes` (at least its current size: a limit below it would refuse even the
/// reads' bookkeeping, and the drill wants "full from now on", not a broken file).
fn limit_size(conn: &Connection, bytes: u64) -> rusqlite::Result<()> {
    let page_size: i64 = conn.pragma_query_value(None, "page_size", |row| row.get(0))?;
    let current: i64 = conn.pragma_query_value(None, "page_count", |row| row.get(0))?;
    let wanted = i64::try_from(bytes).unwrap_or(i64::MAX) / page_size.max(1);
    let pages: i64 = conn.pragma_update_and_check(None, "max_page_count", wanted.max(current), |row| row.get(0))?;
    tracing::info!(pages, page_size, "exam store: size limit set");
    Ok(())
}

fn configure_writer(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // `journal_mode` answers with the mode it ended up in. Only exotic file systems refuse WAL;
    // the rollback journal with FULL is still durable there, only slower, so it is logged.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(%mode, "exam store: WAL refused by the file system; using the {mode} journal");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Each batch touches the index page of every session in it: with thousands of students the
    // index is larger than SQLite's default 2 MiB cache, and every insert would re-read a page.
    conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
    // A checkpoint copies every page changed since the last one into the database and fsyncs
    // it, inside the COMMIT that crosses the threshold. At the default (1,000 pages) a busy
    // exam checkpoints every other batch and copies the same hot index pages again and again;
    // at 16,384 pages (64 MiB) the copies are rare and mostly distinct pages.
    conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;
    // After a checkpoint the WAL is reused from its start; this caps what stays on disk.
    conn.pragma_update(None, "journal_size_limit", WAL_CHECKPOINT_PAGES * 4096)?;
    // The writer runs a few dozen statements over and over.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}
