//! End-to-end tests (real QUIC on loopback, real SQLite files, fault injection) and, later, the
//! `loadgen` benchmark binary. The exam-day set-up they share is `phongthi_store::demo`.
