//! End-to-end tests (real QUIC on loopback, real SQLite files, fault injection) and the
//! `loadgen` benchmark binary.
//!
//! Filled by the proctor-server and loadgen issues; the crate-level tests live in `tests/`.
