//! The proctor server: QUIC exam distribution, the durable answer store, grading at submit,
//! grade-book publishing and the dashboard.
//!
//! The server itself is filled by the proctor-server issue (binary `proctor`). So far the crate
//! exports the exam store ([`store`]): one SQLite file per site holding exams, the roster,
//! sessions, every acknowledged answer, sheets, receipts, scores, incidents and the signed audit
//! log, written by one group-committing thread so that an acknowledged answer is durable.

pub mod store;
