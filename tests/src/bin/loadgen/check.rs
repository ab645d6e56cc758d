//! The end-of-run check: every answer the proctor acknowledged must be in its store, at the
//! same place in the student's chain, with the same question and the same answer; every chain
//! must verify; every receipt the students hold must be the stored one.

use crate::student::Outcome;
use anyhow::Context;
use phongthi_protocol::Answer;
use phongthi_store::Reader;
use std::path::Path;

/// What the check found.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    /// Acknowledged answers missing from the store or different there.
    pub(crate) lost_answers: u64,
    /// Sessions whose stored chain does not verify.
    pub(crate) broken_chains: u64,
    /// Receipts whose code differs from the stored receipt.
    pub(crate) receipt_mismatches: u64,
    /// The first few problems, for the summary.
    pub(crate) examples: Vec<String>,
}

impl Findings {
    fn note(&mut self, text: String) {
        if self.examples.len() < 10 {
            self.examples.push(text);
        }
    }
}

/// Reads the proctor's store in `data_dir` and checks every outcome against it.
pub(crate) fn check(data_dir: &Path, outcomes: &[Outcome]) -> anyhow::Result<Findings> {
    let reader = Reader::open_in(data_dir).context("open the proctor's store")?;
    let mut findings = Findings::default();
    for outcome in outcomes {
        let acked: Vec<_> = outcome.sent.iter().filter(|s| s.acked).collect();
        let Some(session) = outcome.session else {
            findings.lost_answers += acked.len() as u64;
            continue;
        };
        let events = reader.events(&session).context("read events")?;
        for sent in acked {
            let stored = usize::try_from(sent.seq).ok().and_then(|i| events.get(i));
            let same = stored.is_some_and(|e| {
                e.event.seq == sent.seq
                    && e.event.item == sent.number
                    && Answer::decode(&e.event.response).is_ok_and(|a| a == sent.answer)
            });
            if !same {
                findings.lost_answers += 1;
                findings.note(format!(
                    "{} seq {} (câu {}): acknowledged, not in the store",
                    outcome.student_id, sent.seq, sent.number
                ));
            }
        }
        if let Err(e) = reader.verify_session(&session) {
            findings.broken_chains += 1;
            findings.note(format!("{}: stored chain does not verify: {e}", outcome.student_id));
        }
        if let Some(code) = &outcome.receipt_code {
            let stored = reader.receipt_of_session(&session).context("read receipts")?;
            if stored.is_none_or(|r| r.receipt.short_code().to_string() != *code) {
                findings.receipt_mismatches += 1;
                findings.note(format!("{}: receipt {code} is not the stored one", outcome.student_id));
            }
        }
    }
    Ok(findings)
}
