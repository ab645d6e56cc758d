//! Test support shared by integration tests. Each test binary compiles this module and uses a
//! part of it, so items unused by one binary are expected.

#![allow(dead_code)]

pub(crate) mod cli;
pub mod gradebook;
pub(crate) mod sessions;
