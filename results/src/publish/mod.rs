//! Publishing an exam's results to a OneRoster 1.2 grade book over its REST binding, through a
//! durable outbox.
//!
//! `proctor publish` first turns the results into requests ([`payload`]: the category, a line
//! item per class, a result per student, with the OneRoster CSV export's sourcedIds) and queues
//! them in the store's outbox **in one transaction** together with an audit entry; unchanged
//! requests already delivered or pending are not queued again. Then the worker ([`drain`]) sends
//! the pending entries in order ([`client`]): a 2xx marks an entry done (never sent again); 408,
//! 429, 5xx and connection failures are retried after an exponential, jittered, capped delay
//! that honours `Retry-After` ([`backoff`]); any other 4xx marks the entry failed with the
//! server's message. A run stops after [`RetryPolicy::give_up_after`] with the rest still
//! pending: the next `publish` resumes them, as it does after a crash.
//!
//! Delivery is at least once: a crash between the grade book's 2xx and the `done` mark sends
//! that one entry again on the next run, which a `PUT` (an upsert by sourcedId) makes harmless.
//!
//! The client secret is read from a file ([`ClientSecret`]); it has no `Debug`, is never logged
//! and never stored. The audit log records each run's start (target, client id, counts) and end.

pub mod backoff;
pub mod client;
pub mod payload;
pub mod secret;
mod status;
mod target;

pub use backoff::RetryPolicy;
pub use client::{Attempt, GradebookClient};
pub use secret::ClientSecret;
pub use status::{OutboxSummary, publish_status};
pub use target::PublishTarget;

use crate::export::{ExportError, load_rows};
use phongthi_crypto::ExamId;
use phongthi_store::{AttemptResult, AuditNote, Store, StoreError};
use std::time::{Duration, Instant};

/// The OAuth 2 scope asked for: creating and replacing gradebook objects.
pub const SCOPE: &str = "https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.createput";

/// A publish that could not run or was stopped.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The base or token URL is not an `http://` or `https://` URL.
    #[error("địa chỉ sổ điểm không hợp lệ {url:?}: {detail} / bad grade-book URL {url:?}: {detail}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong.
        detail: String,
    },
    /// The client secret file.
    #[error("tệp client secret {file}: {detail} / the client secret file {file}: {detail}")]
    SecretFile {
        /// The file.
        file: String,
        /// What is wrong.
        detail: String,
    },
    /// Reading the results.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The grade book refuses the credentials; what was not sent stays pending.
    #[error("{0}")]
    Unauthorized(String),
    /// Another `publish` is running on this data directory (it would send the same entries).
    #[error("một lần gửi khác đang chạy trên thư mục dữ liệu này / another publish is running on this data directory")]
    Busy,
    /// A worker thread died.
    #[error("luồng gửi dừng bất thường / the sending thread failed: {0}")]
    Worker(String),
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishReport {
    /// Requests queued by this run.
    pub queued: usize,
    /// Requests unchanged since an earlier run (delivered or already pending), not queued again.
    pub unchanged: usize,
    /// Entries delivered by this run.
    pub delivered: usize,
    /// Entries the grade book refused in this run.
    pub refused: usize,
    /// Entries still pending when the run ended.
    pub pending: usize,
    /// Attempts that will be retried (429, 5xx, connection failures) during this run.
    pub retries: usize,
    /// Why the run stopped with entries pending, if it did.
    pub stopped: Option<String>,
}

/// Publishes `exam` to `target`: queue what changed, then drain (see the module doc).
/// `actor` names who ran it in the audit log.
pub async fn publish_exam(
    store: &Store,
    exam: &ExamId,
    target: &PublishTarget,
    secret: ClientSecret,
    policy: &RetryPolicy,
    actor: &str,
) -> Result<PublishReport, PublishError> {
    // One run at a time per data directory: two would send the same pending entries. An OS file
    // lock, so a crashed run leaves no stale lock behind.
    let _lock = lock_data_dir(store)?;
    let now = phongthi_store::admin::now_ms();
    let (facts, rows) = load_rows(&store.reader()?, exam, now)?;
    let requests = payload::requests(&facts, &rows, target.school.as_deref());
    let total = requests.len();
    let start = AuditNote::new(
        now,
        actor,
        "publish.start",
        serde_json::json!({
            "exam": exam.to_hex(), "target": target.base_url, "client_id": target.client_id, "requests": total,
        })
        .to_string(),
    );
    let enqueued = store.enqueue_publish(*exam, target.base_url.clone(), requests, now, Some(start)).await?;
    let mut report = PublishReport { queued: enqueued.queued, unchanged: enqueued.unchanged, ..Default::default() };
    let outcome = drain(store, exam, target, secret, policy, &mut report).await;
    report.pending = store.reader()?.outbox_pending(exam, &target.base_url)?.len();
    let end = AuditNote::new(
        phongthi_store::admin::now_ms(),
        actor,
        "publish.end",
        serde_json::json!({
            "exam": exam.to_hex(), "target": target.base_url, "delivered": report.delivered,
            "refused": report.refused, "pending": report.pending, "stopped": report.stopped,
        })
        .to_string(),
    );
    store.audit(end).await?;
    outcome.map(|()| report)
}

/// The lock file next to the store.
pub const LOCK_FILE: &str = "publish.lock";

fn lock_data_dir(store: &Store) -> Result<std::fs::File, PublishError> {
    let path = store.path().with_file_name(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| PublishError::Worker(format!("{}: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(PublishError::Busy),
        Err(std::fs::TryLockError::Error(e)) => Err(PublishError::Worker(format!("{}: {e}", path.display()))),
    }
}

/// Sends the pending entries of (`exam`, `target`) in order until none is left, the grade book
/// refuses the credentials, or the run's time is up.
pub async fn drain(
    store: &Store,
    exam: &ExamId,
    target: &PublishTarget,
    secret: ClientSecret,
    policy: &RetryPolicy,
    report: &mut PublishReport,
) -> Result<(), PublishError> {
    let deadline = Instant::now() + policy.give_up_after;
    let pending = store.reader()?.outbox_pending(exam, &target.base_url)?;
    let mut client = Some(GradebookClient::new(target.clone(), secret));
    for entry in pending {
        let Some(collection) = payload::collection(&entry.request.kind) else {
            let error = format!("loại không rõ / unknown kind {:?}", entry.request.kind);
            store.record_publish_attempt(entry.id, AttemptResult::Refused { status: 0, error }, now()).await?;
            report.refused += 1;
            continue;
        };
        let mut attempts = entry.attempts;
        // The entry's own due time (set by an earlier run) is respected too.
        if !wait_until_due(entry.next_attempt_ms, deadline, report).await {
            return Ok(());
        }
        loop {
            let mut taken = client.take().ok_or_else(|| PublishError::Worker("client".to_owned()))?;
            let (id, body) = (entry.request.sourced_id.clone(), entry.request.body.clone());
            let (returned, attempt) = tokio::task::spawn_blocking(move || {
                let attempt = taken.put(collection, &id, &body);
                (taken, attempt)
            })
            .await
            .map_err(|e| PublishError::Worker(e.to_string()))?;
            client = Some(returned);
            attempts = attempts.saturating_add(1);
            match attempt {
                Attempt::Delivered(status) => {
                    store.record_publish_attempt(entry.id, AttemptResult::Delivered { status }, now()).await?;
                    report.delivered += 1;
                    break;
                }
                Attempt::Refused { status, error } => {
                    store.record_publish_attempt(entry.id, AttemptResult::Refused { status, error }, now()).await?;
                    report.refused += 1;
                    break;
                }
                Attempt::Unauthorized(error) => {
                    let retry =
                        AttemptResult::Retry { status: Some(401), error: error.clone(), next_attempt_ms: now() };
                    store.record_publish_attempt(entry.id, retry, now()).await?;
                    report.stopped = Some(error.clone());
                    return Err(PublishError::Unauthorized(error));
                }
                Attempt::Retry { status, error, retry_after } => {
                    let delay = policy.delay(attempts, entry.id.unsigned_abs(), retry_after);
                    let next_attempt_ms = now().saturating_add(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX));
                    let result = AttemptResult::Retry { status, error: error.clone(), next_attempt_ms };
                    store.record_publish_attempt(entry.id, result, now()).await?;
                    report.retries += 1;
                    if Instant::now() + delay > deadline {
                        report.stopped = Some(error);
                        return Ok(());
                    }
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
    Ok(())
}

/// Sleeps until `due_ms` on the wall clock, unless that is after the run's deadline.
/// Sleeps until `due_ms` on the wall clock; `false` (and no sleep) when that is after the run's
/// deadline.
async fn wait_until_due(due_ms: u64, deadline: Instant, report: &mut PublishReport) -> bool {
    let wait = Duration::from_millis(due_ms.saturating_sub(now()));
    if wait.is_zero() {
        return true;
    }
    if Instant::now() + wait > deadline {
        report.stopped = Some("lần thử sau còn xa / the next attempt is due later".to_owned());
        return false;
    }
    tokio::time::sleep(wait).await;
    true
}

fn now() -> u64 {
    phongthi_store::admin::now_ms()
}
