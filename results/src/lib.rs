//! Everything from a submitted answer sheet to the school's grade book, on the proctor PC.
//!
//! - [`grading`]: the protocol's answers scored exactly with the question bank's scoring, at
//!   submit and again after every manual mark.
//! - [`marking`]: blind manual marking of essays (opaque codes, exact marks, audited).
//! - [`export`]: grade-book files (CSV and XLSX laid out for SMAS / vnEdu, OneRoster 1.2 CSV)
//!   with a signed manifest, and a school's column mapping.
//! - [`publish`]: results to a OneRoster 1.2 grade book over REST, through the store's durable
//!   outbox.
//! - [`stats`]: score statistics per exam and class; [`report`]: the PDF reports (department
//!   statistics, score slips, the lab sheet) on `phongthi-pdf`.
//!
//! Everything reads the exam store through `phongthi_store::Reader` and writes only through its
//! `Store`, so the server, the CLI and the dashboard share one path.

pub mod export;
pub mod grading;
pub mod marking;
pub mod publish;
pub mod report;
pub mod stats;
