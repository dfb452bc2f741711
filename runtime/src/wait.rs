//! Waiting for long-running work: poll a status until it says the work is over.
//!
//! Identity Security Cloud starts long work (aggregations, source deletion, reports, SP-Config
//! export and import, non-employee bulk uploads) and answers at once with an id; a status
//! operation then says how far it got. The generator gives each status operation listed under
//! `[[codegen.waiters]]` in `spec/pin.toml` a `wait()` that polls it: the list, and which states
//! end the wait how, are data, so a state SailPoint adds is a line of configuration.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::client::Client;
use super::error::Error;
use super::request::Request;

/// Which states of a status answer end a wait, and where the state and the server's message
/// are in the answer. Generated from `spec/pin.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitSpec {
    /// Path of the state in the answer (`["status"]`, `["completionStatus"]`); a missing or
    /// `null` state means the work is still running.
    pub state: &'static [&'static str],
    /// States in which the work finished (with a result).
    pub completed: &'static [&'static str],
    /// States in which the work failed or was stopped.
    pub failed: &'static [&'static str],
    /// States that say the work is not known (any more).
    pub gone: &'static [&'static str],
    /// Path of the server's message about a failure (a number segment indexes a list:
    /// `["messages", "0", "key"]`).
    pub message: Option<&'static [&'static str]>,
}

/// How a wait ended.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WaitOutcome<T> {
    /// The work finished; the last status answer.
    Completed(T),
    /// The work failed or was stopped: its state, the server's message if the answer has one,
    /// and the last status answer.
    Failed {
        /// The state that says so (`FAILED`, `TERMINATED`, ...).
        state: String,
        /// The server's message, when the answer holds one.
        message: Option<String>,
        /// The last status answer.
        status: T,
    },
    /// The deadline passed while the work was still running.
    TimedOut {
        /// The last state seen (`None` when no answer had one).
        state: Option<String>,
        /// The last status answer, if one arrived.
        last: Option<T>,
    },
    /// The work is not known (any more): a 404, or a state that says so (`NOT_FOUND`). An
    /// aggregation's status, for one, answers 404 an hour after it finished.
    Gone {
        /// The state that said so; `None` for a 404.
        state: Option<String>,
    },
}

impl<T> WaitOutcome<T> {
    /// The result of completed work; the outcome itself otherwise.
    pub fn completed(self) -> Result<T, WaitOutcome<T>> {
        match self {
            WaitOutcome::Completed(status) => Ok(status),
            other => Err(other),
        }
    }
}

/// What a wait has seen so far, for a progress callback.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The state of the latest answer (`None`: none yet).
    pub state: Option<&'a str>,
    /// Status answers received.
    pub polls: u32,
    /// Time since the wait started.
    pub elapsed: Duration,
}

type ProgressCallback = Box<dyn FnMut(Progress<'_>) + Send>;

/// Polls a status operation until its state ends the wait; await it (or call
/// [`wait`](Self::wait)) for the [`WaitOutcome`]. Made by the `wait()` of a generated status
/// builder. Polls every 5 s for at most 30 minutes unless told otherwise; each poll is an
/// ordinary call (retries, rate limit), and an error that outlasts its retries ends the wait
/// with that error.
#[must_use = "a wait does nothing until it is awaited"]
pub struct Waiter<T> {
    prepared: Result<(Client, Request), Error>,
    spec: &'static WaitSpec,
    interval: Duration,
    timeout: Duration,
    progress: Option<ProgressCallback>,
    _status: std::marker::PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Waiter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("spec", self.spec)
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> Waiter<T> {
    /// A wait on the status request a builder prepared (`into_request()`).
    pub fn new(prepared: Result<(Client, Request), Error>, spec: &'static WaitSpec) -> Self {
        Self {
            prepared,
            spec,
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(30 * 60),
            progress: None,
            _status: std::marker::PhantomData,
        }
    }

    /// Time between two polls (default 5 s).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The longest the wait lasts (default 30 minutes); then it ends as
    /// [`WaitOutcome::TimedOut`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Called after every status answer with what the wait has seen (to log or show progress).
    pub fn on_progress(mut self, callback: impl FnMut(Progress<'_>) + Send + 'static) -> Self {
        self.progress = Some(Box::new(callback));
        self
    }

    /// Polls until the state ends the wait, the status is gone, or the deadline passes.
    pub async fn wait(mut self) -> Result<WaitOutcome<T>, Error> {
        let (client, request) = self.prepared?;
        let started = Instant::now();
        let deadline = started + self.timeout;
        let mut polls = 0;
        // The latest answer and its state, for a wait that times out during the next poll.
        let mut last: Option<(Option<String>, T)> = None;
        loop {
            // A poll that hangs (or retries) past the deadline ends the wait at the deadline.
            let poll = tokio::time::timeout_at(deadline.into(), client.execute(request.clone()));
            let response = match poll.await {
                Ok(Ok(response)) => response,
                Ok(Err(Error::Api(error))) if error.status().as_u16() == 404 => {
                    return Ok(WaitOutcome::Gone { state: None });
                }
                Ok(Err(error)) => return Err(error),
                Err(_) => {
                    let (state, last) = match last {
                        Some((state, status)) => (state, Some(status)),
                        None => (None, None),
                    };
                    return Ok(WaitOutcome::TimedOut { state, last });
                }
            };
            polls += 1;
            let value = response.json_value()?;
            let state = lookup(&value, self.spec.state).and_then(state_text);
            let status: T = response.json()?;
            if let Some(callback) = &mut self.progress {
                callback(Progress {
                    state: state.as_deref(),
                    polls,
                    elapsed: started.elapsed(),
                });
            }
            if let Some(state) = &state {
                let is = |states: &[&str]| states.contains(&state.as_str());
                if is(self.spec.completed) {
                    return Ok(WaitOutcome::Completed(status));
                }
                if is(self.spec.failed) {
                    let message = self
                        .spec
                        .message
                        .and_then(|path| lookup(&value, path))
                        .and_then(state_text);
                    return Ok(WaitOutcome::Failed {
                        state: state.clone(),
                        message,
                        status,
                    });
                }
                if is(self.spec.gone) {
                    return Ok(WaitOutcome::Gone {
                        state: Some(state.clone()),
                    });
                }
            }
            if Instant::now() + self.interval >= deadline {
                return Ok(WaitOutcome::TimedOut {
                    state,
                    last: Some(status),
                });
            }
            last = Some((state, status));
            tokio::time::sleep(self.interval).await;
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for Waiter<T> {
    type Output = Result<WaitOutcome<T>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

/// The member at `path` (object keys; a number indexes an array).
fn lookup<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, segment| match value {
        Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => value.get(segment),
    })
}

/// A state as text: a string as it is, `null` as none, anything else as its JSON.
fn state_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_reach_into_objects_and_lists() {
        let value =
            serde_json::json!({"status": "IN_PROGRESS", "messages": [{"key": "boom"}], "n": 3});
        assert_eq!(
            lookup(&value, &["status"]).and_then(state_text).as_deref(),
            Some("IN_PROGRESS")
        );
        assert_eq!(
            lookup(&value, &["messages", "0", "key"])
                .and_then(state_text)
                .as_deref(),
            Some("boom")
        );
        assert_eq!(
            lookup(&value, &["n"]).and_then(state_text).as_deref(),
            Some("3")
        );
        assert_eq!(lookup(&value, &["missing"]), None);
        assert_eq!(state_text(&Value::Null), None);
    }
}
