//! Networking of the exam client, without any GUI: the task that speaks to the proctor and the
//! encrypted journal it keeps on disk.

pub mod driver;
pub mod journal;
pub mod readiness;

pub use driver::{Command, DriverConfig, DriverEvent, DriverHandle, Link, Login, spawn, spawn_on};
