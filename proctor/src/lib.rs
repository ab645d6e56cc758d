//! The proctor server: QUIC exam distribution, the durable answer store, grading at submit,
//! grade-book publishing and the dashboard.
//!
//! Filled by the proctor-server issue (binary `proctor`). It deliberately exports nothing yet.
