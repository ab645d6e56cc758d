//! Test support shared by integration tests.

#[allow(unreachable_pub)]
pub mod gradebook;
