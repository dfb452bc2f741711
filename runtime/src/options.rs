//! Options for some calls rather than the whole client.

use std::fmt;
use std::time::Duration;

use http::{HeaderName, HeaderValue};

use super::retry::RetryPolicy;

/// What one call (or every call made through one [`Client`] handle) does differently from the
/// client's defaults: its timeouts, its retries, extra headers, and whether it may be resent.
///
/// Options ride on a client handle, so they reach every operation builder without a method of
/// their own: `client.with_options(options)` is a clone of the client (sharing its connections,
/// token and rate limit) whose calls use them.
///
/// ```no_run
/// # async fn run(client: isc_runtime::Client) -> Result<(), isc_runtime::Error> {
/// use std::time::Duration;
/// use isc_runtime::CallOptions;
///
/// let patient = client.with_options(
///     CallOptions::new()
///         .timeout(Duration::from_secs(120))
///         .deadline(Duration::from_secs(600))
///         .header("X-Request-Source", "nightly-export"),
/// );
/// // Every call made through `patient` uses the options.
/// # let _ = patient;
/// # Ok(()) }
/// ```
///
/// [`Client`]: super::Client
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry_policy: Option<RetryPolicy>,
    pub(crate) retry_safe: bool,
    /// Parsed when set; an invalid name or value is reported when the call is made.
    pub(crate) headers: Vec<Result<(HeaderName, HeaderValue), String>>,
}

impl fmt::Debug for CallOptions {
    /// Header values are not shown: they may be credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .headers
            .iter()
            .map(|header| match header {
                Ok((name, _)) => name.as_str(),
                Err(_) => "<invalid>",
            })
            .collect();
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry_policy", &self.retry_policy)
            .field("retry_safe", &self.retry_safe)
            .field("headers", &names)
            .finish()
    }
}

impl CallOptions {
    /// No changes: the client's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The timeout of each attempt (connecting, sending, and reading the whole answer), in
    /// place of the client's [`timeout`](super::ClientBuilder::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest the whole call may take, its retries, their waits and the rate limit's
    /// included. Each attempt's timeout is cut to what is left; a retry whose wait would pass
    /// the deadline is not made (the last failure is returned); a call still waiting for the
    /// rate limit at the deadline fails with [`Error::Deadline`](super::Error::Deadline).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The retry policy, in place of the client's.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Marks the calls as safe to send again after a failure that may have reached the server
    /// (a 502/503/504, a timeout, a closed connection, a cut body) although their method is not
    /// idempotent: for a `POST` the caller knows is harmless to repeat.
    pub fn retry_safe(mut self, safe: bool) -> Self {
        self.retry_safe = safe;
        self
    }

    /// An extra header, sent with every attempt (replacing a header of the same name that the
    /// operation sets). A name or value that is not valid HTTP makes the call fail with
    /// [`Error::Encode`](super::Error::Encode) before anything is sent.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        let parsed = match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value.as_ref()),
        ) {
            (Ok(name), Ok(mut value)) => {
                value.set_sensitive(true);
                Ok((name, value))
            }
            (Err(_), _) => Err(format!("invalid header name {name:?}")),
            (Ok(_), Err(_)) => Err(format!("invalid value for header {name:?}")),
        };
        self.headers.push(parsed);
        self
    }

    /// These options with `later`'s set ones on top (headers added, later ones win).
    pub(crate) fn merged(&self, later: CallOptions) -> CallOptions {
        let mut headers = self.headers.clone();
        headers.extend(later.headers);
        CallOptions {
            timeout: later.timeout.or(self.timeout),
            deadline: later.deadline.or(self.deadline),
            retry_policy: later.retry_policy.or_else(|| self.retry_policy.clone()),
            retry_safe: later.retry_safe || self.retry_safe,
            headers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_header_values() {
        let options = CallOptions::new()
            .header("X-Api-Key", "s3cr3t-value")
            .header("bad name", "x");
        let shown = format!("{options:?}");
        assert!(shown.contains("x-api-key"), "{shown}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("<invalid>"), "{shown}");
    }

    #[test]
    fn later_options_win() {
        let base = CallOptions::new()
            .timeout(Duration::from_secs(1))
            .header("a", "1");
        let merged = base.merged(
            CallOptions::new()
                .deadline(Duration::from_secs(9))
                .header("b", "2"),
        );
        assert_eq!(merged.timeout, Some(Duration::from_secs(1)));
        assert_eq!(merged.deadline, Some(Duration::from_secs(9)));
        assert_eq!(merged.headers.len(), 2);
        let merged = merged.merged(CallOptions::new().timeout(Duration::from_secs(5)));
        assert_eq!(merged.timeout, Some(Duration::from_secs(5)));
    }
}
