//! The mocks and the requests received: matching, answering, the report.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use isc_runtime::OperationInfo;
use serde_json::Value;

use crate::recorded::RecordedRequest;
use crate::response::{ErrorBody, MockResponse};
use crate::template::Template;

/// The answer of one call of a mock.
#[derive(Clone)]
pub(crate) enum Step {
    Fixed(MockResponse),
    /// Every item of a listing, served by the request's `offset`/`limit`.
    Pages(Arc<Vec<Value>>),
    Fn(Arc<dyn Fn(&RecordedRequest) -> MockResponse + Send + Sync>),
}

/// How often a mock must be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// At least once, then any number of times.
    AtLeastOnce,
    /// Exactly `n` times; further calls are not its.
    Times(usize),
    /// Once per response of the sequence; further calls are not its.
    Sequence,
    /// Any number of times, none included.
    Optional,
}

/// A condition on a request beyond method and path.
#[derive(Clone)]
pub(crate) enum Matcher {
    PathParam(String, String),
    Query(String, String),
    QueryAbsent(String),
    Header(String, String),
    JsonBody(Value),
    JsonBodyIncludes(Value),
    Custom(String, Arc<dyn Fn(&RecordedRequest) -> bool + Send + Sync>),
}

impl Matcher {
    pub(crate) fn describe(&self) -> String {
        match self {
            Matcher::PathParam(name, value) => format!("path param {name} = {value:?}"),
            Matcher::Query(name, value) => format!("query {name} = {value:?}"),
            Matcher::QueryAbsent(name) => format!("no query {name}"),
            Matcher::Header(name, value) => format!("header {name} = {value:?}"),
            Matcher::JsonBody(value) => format!("JSON body = {}", excerpt(value)),
            Matcher::JsonBodyIncludes(value) => format!("JSON body includes {}", excerpt(value)),
            Matcher::Custom(description, _) => description.clone(),
        }
    }

    /// `Err(why not)` when the request does not fit.
    fn check(&self, request: &RecordedRequest) -> Result<(), String> {
        let fits = match self {
            Matcher::PathParam(name, value) => {
                return match request.path_param(name) {
                    Some(got) if got == value => Ok(()),
                    Some(got) => Err(format!("path param {name} is {got:?}, not {value:?}")),
                    None => Err(format!("the template has no path param {name}")),
                };
            }
            Matcher::Query(name, value) => {
                let got = request.query_all(name);
                if got.contains(&value.as_str()) {
                    return Ok(());
                }
                return Err(if got.is_empty() {
                    format!("query {name} was not sent (expected {value:?})")
                } else {
                    format!("query {name} is {got:?}, not {value:?}")
                });
            }
            Matcher::QueryAbsent(name) => request.query(name).is_none(),
            Matcher::Header(name, value) => request.header(name) == Some(value.as_str()),
            Matcher::JsonBody(expected) => request.json_value().ok().as_ref() == Some(expected),
            Matcher::JsonBodyIncludes(expected) => request
                .json_value()
                .is_ok_and(|got| includes(&got, expected)),
            Matcher::Custom(_, check) => check(request),
        };
        if fits {
            Ok(())
        } else {
            Err(format!("not {}", self.describe()))
        }
    }
}

/// `got` has everything `expected` has: objects may have more keys, everything else is equal.
fn includes(got: &Value, expected: &Value) -> bool {
    match (got, expected) {
        (Value::Object(got), Value::Object(expected)) => expected
            .iter()
            .all(|(key, value)| got.get(key).is_some_and(|g| includes(g, value))),
        (Value::Array(got), Value::Array(expected)) => {
            got.len() == expected.len() && got.iter().zip(expected).all(|(g, e)| includes(g, e))
        }
        _ => got == expected,
    }
}

fn excerpt(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// One registered mock.
pub(crate) struct Entry {
    pub(crate) id: u64,
    pub(crate) operation: &'static OperationInfo,
    pub(crate) template: Template,
    pub(crate) matchers: Vec<Matcher>,
    pub(crate) steps: Vec<Step>,
    pub(crate) expect: Expect,
    pub(crate) calls: usize,
}

impl Entry {
    fn limit(&self) -> Option<usize> {
        match self.expect {
            Expect::Times(n) => Some(n),
            Expect::Sequence => Some(self.steps.len()),
            Expect::AtLeastOnce | Expect::Optional => None,
        }
    }

    /// `getAccount (GET /v3/accounts/{id}) with path param id = "a-1"`.
    pub(crate) fn describe(&self) -> String {
        let mut text = describe_operation(self.operation);
        for (i, matcher) in self.matchers.iter().enumerate() {
            text.push_str(if i == 0 { " with " } else { ", " });
            text.push_str(&matcher.describe());
        }
        text
    }
}

pub(crate) fn describe_operation(operation: &OperationInfo) -> String {
    format!(
        "{} ({} {})",
        operation.operation_id, operation.method, operation.path
    )
}

/// A received request and what answered it.
struct Received {
    request: RecordedRequest,
    /// The mock that answered, or why none did.
    answered_by: Result<u64, String>,
}

#[derive(Default)]
struct State {
    next_id: u64,
    mocks: Vec<Entry>,
    received: Vec<Received>,
}

/// What the server and the handles share.
#[derive(Default)]
pub(crate) struct Shared {
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in a test thread while it held the lock leaves nothing half-done here.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a mock; returns its id.
    pub(crate) fn add(&self, mut entry: Entry) -> u64 {
        let mut state = self.lock();
        state.next_id += 1;
        entry.id = state.next_id;
        state.mocks.push(entry);
        state.next_id
    }

    /// Adds an answer to a mock's sequence.
    pub(crate) fn push_step(&self, id: u64, step: Step) {
        if let Some(entry) = self.lock().mocks.iter_mut().find(|m| m.id == id) {
            entry.steps.push(step);
        }
    }

    pub(crate) fn calls(&self, id: u64) -> usize {
        self.lock()
            .mocks
            .iter()
            .find(|m| m.id == id)
            .map_or(0, |m| m.calls)
    }

    pub(crate) fn answered_by(&self, id: u64) -> Vec<RecordedRequest> {
        self.lock()
            .received
            .iter()
            .filter(|r| r.answered_by == Ok(id))
            .map(|r| r.request.clone())
            .collect()
    }

    pub(crate) fn requests(
        &self,
        filter: impl Fn(&RecordedRequest) -> bool,
    ) -> Vec<RecordedRequest> {
        self.lock()
            .received
            .iter()
            .map(|r| &r.request)
            .filter(|r| filter(r))
            .cloned()
            .collect()
    }

    pub(crate) fn reset(&self) {
        let mut state = self.lock();
        state.mocks.clear();
        state.received.clear();
    }

    /// Records `request` and answers it.
    pub(crate) fn answer(&self, mut request: RecordedRequest) -> MockResponse {
        let step = {
            let mut state = self.lock();
            match choose(&state.mocks, &mut request) {
                Ok(index) => {
                    let entry = &mut state.mocks[index];
                    entry.calls += 1;
                    let step = entry.steps[(entry.calls - 1).min(entry.steps.len() - 1)].clone();
                    let id = entry.id;
                    state.received.push(Received {
                        request: request.clone(),
                        answered_by: Ok(id),
                    });
                    Ok(step)
                }
                Err(why) => {
                    let registered = registered_operations(&state.mocks);
                    state.received.push(Received {
                        request: request.clone(),
                        answered_by: Err(why.clone()),
                    });
                    Err((why, registered))
                }
            }
        };
        // Outside the lock: a closure may look at the mock tenant.
        match step {
            Ok(Step::Fixed(response)) => response,
            Ok(Step::Pages(items)) => page(&items, &request),
            Ok(Step::Fn(respond)) => respond(&request),
            Err((why, registered)) => no_mock(&request, &why, &registered),
        }
    }

    /// Everything wrong so far: unmatched requests, mocks called too rarely.
    pub(crate) fn problems(&self) -> Vec<String> {
        let state = self.lock();
        let mut problems = Vec::new();
        for received in &state.received {
            if let Err(why) = &received.answered_by {
                problems.push(format!(
                    "no mock answered {}: {why}",
                    received.request.describe()
                ));
            }
        }
        for entry in &state.mocks {
            let wanted = match entry.expect {
                Expect::Optional => continue,
                Expect::AtLeastOnce if entry.calls > 0 => continue,
                Expect::AtLeastOnce => "at least 1 call".to_owned(),
                Expect::Times(_) | Expect::Sequence => {
                    let n = entry.limit().unwrap_or_default();
                    if entry.calls == n {
                        continue;
                    }
                    format!("{n} call(s)")
                }
            };
            problems.push(format!(
                "{} expected {wanted}, got {}",
                entry.describe(),
                entry.calls
            ));
        }
        problems
    }

    pub(crate) fn registered(&self) -> Vec<String> {
        registered_operations(&self.lock().mocks)
    }
}

/// The mock that answers `request` (and sets the request's operation and path params), or
/// why none does (and sets the operation whose template fits best, if any).
fn choose(mocks: &[Entry], request: &mut RecordedRequest) -> Result<usize, String> {
    let mut candidates: Vec<(usize, Vec<(String, String)>)> = mocks
        .iter()
        .enumerate()
        .filter(|(_, m)| m.operation.method.eq_ignore_ascii_case(&request.method))
        .filter_map(|(i, m)| Some((i, m.template.matches(&request.path)?)))
        .collect();
    // Literal segments win over parameters; then the first registered.
    candidates.sort_by_key(|(i, _)| mocks[*i].template.params());
    let mut reasons = Vec::new();
    for (index, params) in &candidates {
        let entry = &mocks[*index];
        request.operation = Some(entry.operation);
        request.path_params.clone_from(params);
        if entry.limit().is_some_and(|limit| entry.calls >= limit) {
            reasons.push(format!(
                "{}: already answered its {} call(s)",
                entry.describe(),
                entry.calls
            ));
            continue;
        }
        match entry.matchers.iter().try_for_each(|m| m.check(request)) {
            Ok(()) => {
                request.matched = true;
                return Ok(*index);
            }
            Err(why) => reasons.push(format!("{}: {why}", entry.describe())),
        }
    }
    match candidates.first() {
        Some((index, params)) => {
            request.operation = Some(mocks[*index].operation);
            request.path_params.clone_from(params);
            Err(reasons.join("; "))
        }
        None => {
            request.operation = None;
            request.path_params.clear();
            Err("no operation with a mock has this method and path".to_owned())
        }
    }
}

fn registered_operations(mocks: &[Entry]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for entry in mocks {
        let text = describe_operation(entry.operation);
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// The 404 of a request no mock answers, in SailPoint's error shape so the client's error
/// message says what happened.
fn no_mock(request: &RecordedRequest, why: &str, registered: &[String]) -> MockResponse {
    let mut text = format!(
        "isc-test-support: no mock answers {} ({why})",
        request.describe()
    );
    if registered.is_empty() {
        text.push_str("; no operation has a mock");
    } else {
        let _ = write!(text, "; operations with mocks: {}", registered.join(", "));
    }
    ErrorBody::new(404, text)
        .detail_code("404 No mock")
        .into_response()
        .header("x-isc-test-support", "no-mock")
}

/// The API's page size when no `limit` is sent.
const DEFAULT_LIMIT: usize = 250;

/// One page of a listing: `offset`/`limit` of the request, `X-Total-Count` when `count=true`.
fn page(items: &[Value], request: &RecordedRequest) -> MockResponse {
    let number = |name: &str, default: usize| match request.query(name) {
        None => Ok(default),
        Some(text) => text.trim().parse::<usize>().map_err(|_| {
            MockResponse::error(
                400,
                format!("query parameter {name} must be a non-negative integer, not {text:?}"),
            )
        }),
    };
    let (offset, limit) = match (number("offset", 0), number("limit", DEFAULT_LIMIT)) {
        (Ok(offset), Ok(limit)) => (offset, limit),
        (Err(error), _) | (_, Err(error)) => return error,
    };
    let start = offset.min(items.len());
    let end = start.saturating_add(limit).min(items.len());
    let mut response = MockResponse::ok(&items[start..end]);
    if request.query("count") == Some("true") {
        response = response.header("X-Total-Count", items.len().to_string());
    }
    response
}
