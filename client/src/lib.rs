//! The locked-down exam client students use on lab PCs (binary `exam-client`).
//!
//! Filled by the exam-client issue. It will never depend on `phongthi-question-bank`: answer keys
//! and scoring code must not reach student PCs. It deliberately exports nothing yet.
