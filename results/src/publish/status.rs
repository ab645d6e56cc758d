//! Where an exam's outbox stands, for `proctor publish --status` and a GUI.

use super::PublishError;
use phongthi_crypto::ExamId;
use phongthi_store::{OutboxEntry, OutboxState, Reader};

/// Counts of an exam's outbox by state, for `proctor publish --status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxSummary {
    /// Delivered.
    pub done: usize,
    /// Waiting to be (re)sent.
    pub pending: usize,
    /// Refused or superseded.
    pub failed: usize,
}

/// The outbox of `exam` (for `target` only, when given) and its counts. Superseded entries are
/// history: the counts take only the newest entry of each object.
pub fn publish_status(
    reader: &Reader,
    exam: &ExamId,
    target: Option<&str>,
) -> Result<(Vec<OutboxEntry>, OutboxSummary), PublishError> {
    let entries = reader.outbox_of_exam(exam, target)?;
    let mut newest: std::collections::BTreeMap<(&str, &str, &str), &OutboxEntry> = std::collections::BTreeMap::new();
    for entry in &entries {
        newest.insert((entry.target.as_str(), entry.request.kind.as_str(), entry.request.sourced_id.as_str()), entry);
    }
    let mut summary = OutboxSummary::default();
    for entry in newest.values() {
        match entry.state {
            OutboxState::Done => summary.done += 1,
            OutboxState::Pending => summary.pending += 1,
            OutboxState::Failed => summary.failed += 1,
        }
    }
    Ok((entries, summary))
}
