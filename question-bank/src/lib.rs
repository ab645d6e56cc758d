//! The teacher's half of Phòng Thi: the question bank.
//!
//! The SQLite store of items (`phongthi_items`) with full-text search and the subject group's
//! review workflow ([`store`]), blueprints (ma trận đề), assembly into shuffled forms (mã đề),
//! exact scoring, the exam and its sealed bundle with the items' signed approvals
//! ([`approval`]), and the teacher's CLI `qbank`. Items come in
//! and go out through `phongthi-formats`. The proctor links this crate to grade; the exam
//! client never does.

pub mod store;

pub mod approval;
pub mod assembly;
pub mod blueprint;
pub mod bundle;
pub mod exam;
pub mod forms;
pub mod i18n;
pub mod print;
pub mod schema_steps;
pub mod scoring;

#[cfg(test)]
mod test_fixtures;
