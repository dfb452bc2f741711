//! How a paginator asks again for a page that failed.

use std::time::Duration;

use crate::error::Error;

/// How often a paginator asks again for a page that failed after the client's own retries,
/// and how long it waits in between; see [`Paginator::page_retry`](super::Paginator::page_retry).
///
/// Meant for long jobs that should outlast an outage of minutes: the client's
/// [`RetryPolicy`](crate::RetryPolicy) covers a glitch of seconds. Only failures that
/// may pass are asked again: no answer or a cut one, 408, 429, 5xx, and a page that is not a
/// JSON array (a proxy's error page); other 4xx end the listing at once. After a 429 the wait
/// is at least its `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRetry {
    pub(super) attempts: u32,
    pub(super) delay: Duration,
}

impl Default for PageRetry {
    /// One attempt: the page's failure ends the listing.
    fn default() -> Self {
        Self {
            attempts: 1,
            delay: Duration::ZERO,
        }
    }
}

impl PageRetry {
    /// `attempts` in total for each page (0 is taken as 1), `delay` before each further one.
    pub fn new(attempts: u32, delay: Duration) -> Self {
        Self {
            attempts: attempts.max(1),
            delay,
        }
    }

    /// Whether the paginator asks again after `error`.
    pub(super) fn may_pass(error: &Error) -> bool {
        match error {
            Error::Transport(_) | Error::Deadline(_) => true,
            Error::Api(error) => matches!(error.status().as_u16(), 408 | 429 | 500..=599),
            // The page's body is not the list (an HTML error page from a proxy).
            Error::Decode(_) => true,
            Error::Auth(_) => true,
            _ => false,
        }
    }
}
