//! When and how long to wait before sending a request again.

use std::collections::BTreeSet;
use std::time::Duration;

use super::error::{Error, TransportErrorKind};
use super::request::Request;

/// How [`Client::execute`](super::Client::execute) retries failed requests.
///
/// - `429 Too Many Requests` is retried for every method (the server did not process the
///   request): after `Retry-After` (seconds or an HTTP date) when the server sends it and it is
///   not longer than [`max_retry_after`](Self::max_retry_after), otherwise the 429 is returned at
///   once; without `Retry-After` after a jittered backoff.
/// - A connection that could not be made is retried for every method: nothing was sent.
/// - `502`, `503`, `504`, timeouts, a connection closed or reset before the answer arrived (what a
///   proxy does to a keep-alive connection it dropped), an HTTP/2 stream reset, and an answer whose
///   body was cut short are retried after a jittered backoff when sending the request twice is
///   harmless: for idempotent methods (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`), for operations
///   the generator marks as [`retry_safe`](super::OperationInfo::retry_safe) (searches sent as
///   `POST`), for operations named with [`retry_operation`](Self::retry_operation), and for
///   requests marked safe ([`Request::retry_safe`], [`CallOptions::retry_safe`]). Any other
///   `POST` or `PATCH` may have been processed before the failure, so it is returned, never sent
///   again.
/// - Every other status (other 4xx, 500, ...) is returned at once.
///
/// Backoff is "full jitter": a random delay between zero and
/// `min(max_delay, base_delay * 2^(retry - 1))`. A call's
/// [`deadline`](super::CallOptions::deadline) ends the retries when the next wait would pass it.
///
/// [`CallOptions::retry_safe`]: super::CallOptions::retry_safe
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_retry_after: Duration,
    base_delay: Duration,
    max_delay: Duration,
    /// Operation ids that may be sent again although their method is not idempotent.
    safe_operations: BTreeSet<String>,
}

impl Default for RetryPolicy {
    /// 3 attempts, `Retry-After` up to 60 s, backoff from 500 ms capped at 8 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            max_retry_after: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            safe_operations: BTreeSet::new(),
        }
    }
}

impl RetryPolicy {
    /// The default policy (see [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries: every request is sent once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in total, the first one included (`1` = no retries; `0` is taken as `1`).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest `Retry-After` that is waited for; a 429 asking for more is returned.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The backoff before the first retry (before jitter); doubles for each further retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The cap of the backoff (before jitter).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Also retries this operation (by operation id, e.g. `"createAccessRequest"`) after a
    /// 502/503/504 or a connection failure although its method is not idempotent: for
    /// operations that the caller knows are harmless to repeat.
    pub fn retry_operation(mut self, operation_id: impl Into<String>) -> Self {
        self.safe_operations.insert(operation_id.into());
        self
    }

    /// Attempts in total, the first one included.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// A random delay in `[0, min(max_delay, base_delay * 2^(retry - 1))]`; `retry` counts from 1.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.saturating_sub(1).min(20);
        let ceiling = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Why and how long to wait before the next attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Retry {
    pub(crate) delay: Duration,
    pub(crate) reason: &'static str,
}

/// Methods that can be sent twice without changing the result.
fn is_idempotent(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE")
}

/// Decides whether the outcome of attempt number `attempt` (from 1) is retried. `marked_safe`:
/// the caller marked this call safe to resend (on the request or in its options).
pub(crate) fn decide(
    policy: &RetryPolicy,
    request: &Request,
    marked_safe: bool,
    attempt: u32,
    error: &Error,
) -> Option<Retry> {
    if attempt >= policy.max_attempts {
        return None;
    }
    let operation = request.operation();
    let resendable = marked_safe
        || request.is_retry_safe()
        || operation.retry_safe
        || is_idempotent(operation.method)
        || policy.safe_operations.contains(operation.operation_id);
    let backoff = |reason| {
        Some(Retry {
            delay: policy.backoff(attempt),
            reason,
        })
    };
    match error {
        Error::Api(error) => match error.status().as_u16() {
            429 => match error.retry_after() {
                Some(wait) if wait <= policy.max_retry_after => Some(Retry {
                    delay: wait,
                    reason: "429 Too Many Requests, waiting for Retry-After",
                }),
                Some(_) => None,
                None => backoff("429 Too Many Requests without Retry-After"),
            },
            502 if resendable => backoff("502 Bad Gateway"),
            503 if resendable => backoff("503 Service Unavailable"),
            504 if resendable => backoff("504 Gateway Timeout"),
            _ => None,
        },
        Error::Transport(error) => match error.kind() {
            // Nothing reached the server.
            TransportErrorKind::Connect => backoff("connection failed"),
            TransportErrorKind::Timeout if resendable => backoff("request timed out"),
            TransportErrorKind::Connection if resendable => {
                backoff("connection closed before the answer")
            }
            TransportErrorKind::Body if resendable => backoff("answer cut short"),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_capped_and_jittered() {
        let policy = RetryPolicy::new()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(300));
        for retry in 1..40 {
            let ceiling =
                Duration::from_millis(100 * (1 << (retry - 1).min(20))).min(policy.max_delay);
            for _ in 0..20 {
                assert!(policy.backoff(retry) <= ceiling);
            }
        }
        let distinct: std::collections::HashSet<_> = (0..20).map(|_| policy.backoff(3)).collect();
        assert!(distinct.len() > 1, "backoff is jittered");
    }
}
