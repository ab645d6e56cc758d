//! The proctor server: QUIC exam distribution, the durable answer store, grading at submit,
//! grade-book publishing and the dashboard.
//!
//! The server itself is filled by the proctor-server issue (binary `proctor`). So far the crate
//! exports the class roster import ([`roster`]): who may sit the exam, read from the school's
//! CSV or XLSX class lists.

pub mod control;
pub mod datadir;
pub mod grading;
pub mod paper;
pub mod roster;
pub mod seating;
