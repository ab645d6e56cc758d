//! When to try a failed request again: exponential back-off with jitter, capped, and at least as
//! late as the server's `Retry-After`.
//!
//! Jitter spreads retries from many proctors that lost the same grade book at the same time.
//! It is "equal jitter": half the exponential delay is kept, the other half is drawn, so a retry
//! never comes sooner than half the planned delay. The draw is a hash of the entry and the
//! attempt (no random source needed, reproducible in tests).

use std::time::Duration;

/// How the publisher retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay before the first retry (doubled for each further one).
    pub first_delay: Duration,
    /// The longest delay between attempts, whatever the attempt count.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured (a server asking for an hour gets this instead).
    pub max_retry_after: Duration,
    /// How long one `publish` run keeps trying before it stops and leaves the rest pending for
    /// the next run.
    pub give_up_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(300),
            give_up_after: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// The delay after failed attempt number `attempt` (1 for the first) of entry `seed`, given
    /// the server's `Retry-After`.
    pub fn delay(&self, attempt: u32, seed: u64, retry_after: Option<Duration>) -> Duration {
        let doublings = attempt.saturating_sub(1).min(30);
        let planned = self.first_delay.saturating_mul(1 << doublings).min(self.max_delay);
        let half = planned / 2;
        let span = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        let drawn = if span == 0 { 0 } else { mix(seed ^ u64::from(attempt).rotate_left(32)) % (span + 1) };
        let jittered = half + Duration::from_millis(drawn);
        match retry_after {
            Some(asked) => jittered.max(asked.min(self.max_retry_after)),
            None => jittered,
        }
    }
}

/// SplitMix64's finaliser: a cheap, well-spread hash.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Parses `Retry-After` in its delay-seconds form; the HTTP-date form is ignored (the back-off
/// applies), as is anything malformed.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let trimmed = value.trim();
    if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    trimmed.parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn delays_grow_then_stop_at_the_cap() {
        let policy = RetryPolicy {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(8),
            ..Default::default()
        };
        for attempt in 1..=10 {
            let planned = Duration::from_secs(1 << (attempt - 1).min(3));
            let delay = policy.delay(attempt, 42, None);
            assert!(delay >= planned / 2 && delay <= planned, "attempt {attempt}: {delay:?}");
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_its_cap() {
        let policy = RetryPolicy::default();
        assert!(policy.delay(1, 7, Some(Duration::from_secs(30))) >= Duration::from_secs(30));
        assert_eq!(policy.delay(1, 7, Some(Duration::from_secs(86_400))), policy.max_retry_after);
    }

    #[test]
    fn retry_after_seconds_only() {
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
        for bad in ["", "-1", "1.5", "Wed, 21 Oct 2026 07:28:00 GMT", "99999999999999999999999"] {
            assert_eq!(parse_retry_after(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn a_delay_is_never_below_half_the_plan_nor_above_the_caps(
            attempt in 1u32..200, seed in any::<u64>(), first_ms in 0u64..5_000, max_ms in 0u64..120_000,
            asked in proptest::option::of(0u64..100_000),
        ) {
            let policy = RetryPolicy {
                first_delay: Duration::from_millis(first_ms),
                max_delay: Duration::from_millis(max_ms),
                ..Default::default()
            };
            let delay = policy.delay(attempt, seed, asked.map(Duration::from_millis));
            let planned = Duration::from_millis(first_ms).saturating_mul(1 << (attempt - 1).min(30)).min(policy.max_delay);
            prop_assert!(delay >= planned / 2);
            let ceiling = planned.max(asked.map_or(Duration::ZERO, |a| Duration::from_millis(a).min(policy.max_retry_after)));
            prop_assert!(delay <= ceiling);
        }

        #[test]
        fn retry_after_never_panics(text in ".{0,40}") {
            let _ = parse_retry_after(&text);
        }
    }
}
