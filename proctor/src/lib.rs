//! The proctor server: QUIC exam distribution, the durable answer store, grading at submit,
//! grade-book publishing and the dashboard (binary `proctor`).
//!
//! - [`datadir`]: the identity key and pinned TLS certificate in the data directory.
//! - [`roster`]: who may sit the exam, from the school's CSV or XLSX class lists.
//! - [`store`]: one SQLite file per site holding exams, the roster, sessions, every
//!   acknowledged answer, sheets, receipts, scores, incidents and the signed audit log, written
//!   by one group-committing thread so that an acknowledged answer is durable.
//! - [`paper`], [`grading`], [`seating`]: the bridge to the question bank: what students see
//!   (no keys), exact scores of protocol answers, forms that differ between neighbours.
//! - [`export`]: result exports (CSV, XLSX, OneRoster) with a signed manifest.
//! - [`publish`]: results to a OneRoster 1.2 grade book over REST, through a durable outbox.
//! - [`marking`]: blind manual marking of essay answers, with exact re-scoring.
//! - [`control`]: the local channel `proctor ctl` drives a running server through.
//! - `dashboard` (feature `dashboard`): the proctor's egui window over a running room.

pub mod admin;
pub mod control;
#[cfg(feature = "dashboard")]
pub mod dashboard;
pub mod datadir;
pub mod demo;
pub mod export;
pub mod grading;
pub mod marking;
pub mod paper;
pub mod pdf;
pub mod publish;
pub mod report;
pub mod roster;
pub mod seating;
pub mod server;
pub mod stats;
pub mod store;
