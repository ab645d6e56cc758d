//! End-to-end tests (real QUIC on loopback, real SQLite files, fault injection) and, later, the
//! `loadgen` benchmark binary.
//!
//! [`fixture`] builds what a school brings on exam day from the example files: a proctor data
//! directory with an exam bundle added and the class roster imported.

pub mod fixture;
