//! The teacher's half of Phòng Thi: the question bank.
//!
//! Items of every kind the Vietnamese formats need ([`model`]), importers and exporters for GIFT,
//! Aiken, Moodle XML and the teachers' CSV/XLSX template, the SQLite store with the subject
//! group's review workflow, blueprints (ma trận đề), assembly into shuffled forms (mã đề), and
//! exact scoring. The proctor links this crate to grade; the exam client never does.

pub mod formats;
pub mod model;
pub mod store;

pub mod assembly;
pub mod blueprint;
pub mod bundle;
pub mod exam;
pub mod forms;
pub mod i18n;
pub mod schema_steps;
pub mod scoring;

#[cfg(test)]
mod test_fixtures;
