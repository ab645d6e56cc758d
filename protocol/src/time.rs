//! Time as the protocol sees it: milliseconds on the proctor's clock.
//!
//! The protocol never reads a clock (invariant 7 in `ARCHITECTURE.md`): every input carries
//! `now`. Time is server-authoritative, so deadlines are [`ServerTime`]s; a client converts them
//! with the offset it measured, and its own clock can never buy a student extra time.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, Sub};
use std::time::Duration;

/// Milliseconds since the Unix epoch on the proctor's clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServerTime(u64);

impl ServerTime {
    /// From milliseconds since the epoch.
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// Time from `earlier` to `self`, zero if `earlier` is later.
    pub fn saturating_since(self, earlier: ServerTime) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for ServerTime {
    type Output = ServerTime;
    fn add(self, rhs: Duration) -> ServerTime {
        ServerTime(self.0.saturating_add(u64::try_from(rhs.as_millis()).unwrap_or(u64::MAX)))
    }
}

impl Sub<Duration> for ServerTime {
    type Output = ServerTime;
    fn sub(self, rhs: Duration) -> ServerTime {
        ServerTime(self.0.saturating_sub(u64::try_from(rhs.as_millis()).unwrap_or(u64::MAX)))
    }
}

impl fmt::Display for ServerTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}
