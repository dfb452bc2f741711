//! The client-side rate limit: requests wait their turn instead of bursting into 429s.
//!
//! Identity Security Cloud allows about 100 requests per 10 seconds per client id and API
//! version, and a client that keeps hitting the limit is made to wait longer and longer (tiers
//! up to 1,200 s). So the client spaces its own requests: one limiter per [`Client`] (shared by
//! its clones), with one budget per API version: `v3`, `v2024`, `beta`, ... for the year
//! versions, and each service's version (`accounts/v1`, `sources/v2`) for the per-service API.
//!
//! The limiter is governor's GCRA. GCRA allows `burst + window / period` requests in any window,
//! so to keep every window of the server's length at or under its limit the limiter lets one
//! request through each `window / (requests - 1)` with a burst of one: 99 requests per 10 s by
//! default, and one period of slack for requests that reach the server later than they left
//! (a window of the server's can then hold its own length plus up to one period of the
//! client's).
//!
//! [`Client`]: super::Client

use std::fmt;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

/// How many requests a client sends per window and API version; see [`ClientBuilder::rate_limit`].
///
/// [`ClientBuilder::rate_limit`]: super::ClientBuilder::rate_limit
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    requests: NonZeroU32,
    per: Duration,
}

impl Default for RateLimit {
    /// 100 requests per 10 seconds, SailPoint's documented limit.
    fn default() -> Self {
        Self {
            requests: NonZeroU32::new(100).unwrap_or(NonZeroU32::MIN),
            per: Duration::from_secs(10),
        }
    }
}

impl RateLimit {
    /// At most `requests` requests in any window of `per`, for each API version (0 is taken
    /// as 1; a zero window as one millisecond).
    pub fn new(requests: u32, per: Duration) -> Self {
        Self {
            requests: NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN),
            per: per.max(Duration::from_millis(1)),
        }
    }

    /// Requests allowed per window.
    pub fn requests(&self) -> u32 {
        self.requests.get()
    }

    /// The window.
    pub fn per(&self) -> Duration {
        self.per
    }

    /// The time between two requests of one API version (see the module's documentation).
    pub fn spacing(&self) -> Duration {
        self.per / (self.requests.get() - 1).max(1)
    }
}

/// The budget a request is counted against: its path's first segment (`/v3/...`: `v3`), and
/// the second too when it is a version (`/accounts/v1/...`: `accounts/v1`).
pub(crate) fn scope(path: &'static str) -> &'static str {
    let rest = path.strip_prefix('/').unwrap_or(path);
    let first = rest.find('/').unwrap_or(rest.len());
    let second = rest[first..].strip_prefix('/').map(|after| {
        let end = after.find('/').unwrap_or(after.len());
        &after[..end]
    });
    let versioned = second.is_some_and(|segment| {
        segment.len() > 1
            && segment.starts_with('v')
            && segment[1..].bytes().all(|b| b.is_ascii_digit())
    });
    match second {
        Some(segment) if versioned => &rest[..first + 1 + segment.len()],
        _ => &rest[..first],
    }
}

/// The limiter of one client: a GCRA state per scope.
pub(crate) struct Limiter {
    limit: RateLimit,
    gcra: RateLimiter<&'static str, HashMapStateStore<&'static str>, DefaultClock>,
    clock: DefaultClock,
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        let quota = Quota::with_period(limit.spacing())
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::MIN);
        let clock = DefaultClock::default();
        Self {
            limit,
            gcra: RateLimiter::hashmap_with_clock(quota, clock.clone()),
            clock,
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Waits until a request of `scope` may be sent; returns how long it waited. The wait is a
    /// tokio timer, so it ends early when the caller's future is dropped (a deadline).
    pub(crate) async fn acquire(&self, scope: &'static str) -> Duration {
        let mut waited = Duration::ZERO;
        loop {
            match self.gcra.check_key(&scope) {
                Ok(()) => return waited,
                Err(not_until) => {
                    let wait = not_until.wait_time_from(self.clock.now());
                    waited += wait;
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_api_versions() {
        assert_eq!(scope("/v3/accounts/{id}"), "v3");
        assert_eq!(scope("/beta/sources"), "beta");
        assert_eq!(scope("/v2025/search"), "v2025");
        assert_eq!(scope("/accounts/v1"), "accounts/v1");
        assert_eq!(scope("/sources/v2/{id}/schemas"), "sources/v2");
        assert_eq!(scope("/oauth/token"), "oauth");
        assert_eq!(scope("/widgets/v1x/a"), "widgets");
        assert_eq!(scope("/widgets/v/a"), "widgets");
        assert_eq!(scope("/"), "");
        assert_eq!(scope("plain"), "plain");
    }

    #[test]
    fn spacing_leaves_one_period_of_slack() {
        let limit = RateLimit::default();
        assert_eq!(limit.requests(), 100);
        assert_eq!(limit.spacing(), Duration::from_secs(10) / 99);
        assert_eq!(
            RateLimit::new(0, Duration::ZERO),
            RateLimit::new(1, Duration::from_millis(1))
        );
        assert_eq!(
            RateLimit::new(1, Duration::from_secs(2)).spacing(),
            Duration::from_secs(2)
        );
    }

    #[tokio::test]
    async fn one_scope_waits_others_do_not() {
        let limiter = Limiter::new(RateLimit::new(11, Duration::from_millis(500)));
        // 50 ms apart: the first is free, the next four wait about 50 ms each.
        let started = std::time::Instant::now();
        for _ in 0..5 {
            limiter.acquire("v3").await;
        }
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(190), "{elapsed:?}");
        assert_eq!(limiter.acquire("beta").await, Duration::ZERO);
    }
}
