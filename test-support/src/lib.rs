//! A mock SailPoint Identity Security Cloud tenant for the tests of code that uses
//! [`isc-client`](https://docs.rs/isc-client): a real HTTP server in the test's process that
//! answers the client's operations with typed values and records what was sent. No tenant, no
//! Node.js, no spec.
//!
//! ```no_run
//! # // `isc` (the isc-client crate) is not a dependency of this crate; the example shows the
//! # // usage in a crate that has both.
//! # mod isc { pub mod v3 { pub mod operations {
//! #     pub static LIST_ACCOUNTS: isc_runtime::OperationInfo = isc_runtime::OperationInfo {
//! #         operation_id: "listAccounts", method: "GET", path: "/v3/accounts", tag: "Accounts",
//! #         experimental: false, deprecated: false, retry_safe: false };
//! #     pub static GET_ACCOUNT: isc_runtime::OperationInfo = isc_runtime::OperationInfo {
//! #         operation_id: "getAccount", method: "GET", path: "/v3/accounts/{id}",
//! #         tag: "Accounts", experimental: false, deprecated: false, retry_safe: false };
//! # } } }
//! # async fn example() {
//! use isc_test_support::MockTenant;
//!
//! let mock = MockTenant::start().await;
//! // 200 with the JSON of any `Serialize` value, e.g. `vec![isc::v3::models::Account { .. }]`.
//! mock.on(&isc::v3::operations::LIST_ACCOUNTS)
//!     .query("filters", "sourceId eq \"s-1\"")
//!     .respond(serde_json::json!([{"id": "a-1", "name": "alice"}]));
//! // SailPoint's error body with a status; only for `id` = `a-2`.
//! mock.on(&isc::v3::operations::GET_ACCOUNT)
//!     .path_param("id", "a-2")
//!     .respond_error(404, "The account a-2 was not found.");
//!
//! // let client = isc::Client::builder().base_url(mock.base_url()).access_token("test").build()?;
//! // ... run the code under test with `client` ...
//!
//! let sent = mock.requests(&isc::v3::operations::LIST_ACCOUNTS);
//! assert_eq!(sent[0].query("filters"), Some("sourceId eq \"s-1\""));
//! mock.assert_all_called();
//! # }
//! ```
//!
//! # Matching
//!
//! [`MockTenant::on`] takes the client's own description of an operation (the generated
//! `isc::<version>::operations::<OPERATION>` statics). A request belongs to a mock when its
//! method is the operation's and its path fits the operation's path template (`{id}` is one
//! non-empty, percent-encoded segment, compared decoded), and when every matcher added to the
//! mock fits: [`path_param`](When::path_param), [`query`](When::query),
//! [`query_absent`](When::query_absent), [`header`](When::header),
//! [`json_body`](When::json_body), [`json_body_includes`](When::json_body_includes),
//! [`matching`](When::matching). When several mocks fit, a template with fewer parameters wins
//! (`/v3/accounts/search` over `/v3/accounts/{id}`), then the one registered first; a mock
//! that answered all the calls it allows ([`times`](When::times), sequences) no longer fits.
//!
//! A request no mock answers gets a `404` in SailPoint's error shape whose message names the
//! request, says why each mock of that path did not fit and lists the operations that have
//! mocks, so the client's error says it; it is recorded ([`MockTenant::unmatched`]) and
//! reported by [`MockTenant::assert_all_called`].
//!
//! # Answers
//!
//! [`respond`](When::respond) (200 and JSON), [`respond_status`](When::respond_status),
//! [`respond_error`](When::respond_error) (SailPoint's error body, [`ErrorBody`]),
//! [`respond_with`](When::respond_with) (any [`MockResponse`]: headers, delay, raw bodies),
//! [`respond_with_sequence`](When::respond_with_sequence) and [`Mock::then`] (one answer per
//! call), [`respond_pages`](When::respond_pages) and [`respond_list`](When::respond_list) (an
//! offset/limit listing with `X-Total-Count`, for `into_paginator()`), and
//! [`respond_fn`](When::respond_fn) (computed from the request).
//!
//! # Checking what was sent
//!
//! [`MockTenant::requests`] returns the requests of one operation as [`RecordedRequest`]s:
//! decoded query ([`query`](RecordedRequest::query)), path parameters, headers, and the body,
//! decoded into the model type the code sent ([`json`](RecordedRequest::json)).
//!
//! # Client settings for tests
//!
//! The client retries 429 and 5xx answers with back-off; set `.retry_policy(RetryPolicy::none())`
//! on the builder in tests of error paths that should not wait (or answer with a `Retry-After:
//! 0` header). Any access token works: the mock does not check it.

mod recorded;
mod response;
mod server;
mod state;
mod template;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use isc_runtime::OperationInfo;
use serde::Serialize;

pub use self::recorded::RecordedRequest;
pub use self::response::{ErrorBody, MOCK_TRACKING_ID, MockResponse};
use self::state::{Entry, Expect, Matcher, Shared, Step};

/// A mock tenant: an HTTP server on `127.0.0.1` with an ephemeral port, running until it is
/// dropped. Point the client at [`base_url`](Self::base_url); register answers with
/// [`on`](Self::on). Independent of the test's runtime (it serves from a thread of its own),
/// so one per test is cheap and tests can run in parallel.
pub struct MockTenant {
    shared: Arc<Shared>,
    server: server::Server,
}

impl std::fmt::Debug for MockTenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockTenant")
            .field("base_url", &self.server.base_url)
            .field("operations", &self.shared.registered())
            .finish_non_exhaustive()
    }
}

impl MockTenant {
    /// Starts a mock tenant on `127.0.0.1` (an ephemeral port).
    ///
    /// # Panics
    /// When no local port can be bound or no thread started.
    pub async fn start() -> Self {
        Self::try_start().unwrap_or_else(|e| panic!("isc-test-support: cannot start: {e}"))
    }

    /// Like [`start`](Self::start), without the need of an async context, and returning
    /// the error instead of panicking.
    pub fn try_start() -> std::io::Result<Self> {
        let shared = Arc::new(Shared::default());
        let server = server::Server::start(Arc::clone(&shared))?;
        Ok(Self { shared, server })
    }

    /// The URL to give the client builder's `base_url` (`http://127.0.0.1:<port>`).
    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    /// Starts a mock for `operation` (e.g. `&isc::v3::operations::LIST_ACCOUNTS`): add
    /// matchers, then answer with one of the `respond` methods, which registers it.
    pub fn on(&self, operation: &'static OperationInfo) -> When<'_> {
        When {
            tenant: self,
            operation,
            matchers: Vec::new(),
            expect: None,
        }
    }

    /// The requests matched to `operation`, in the order they arrived, answered or not (a
    /// request is matched to the operation of the mock that answered it; one no mock answered,
    /// to the operation with a mock whose path template fits it best).
    pub fn requests(&self, operation: &OperationInfo) -> Vec<RecordedRequest> {
        self.shared
            .requests(|r| r.operation().is_some_and(|o| o == operation))
    }

    /// Every request received, in order.
    pub fn received(&self) -> Vec<RecordedRequest> {
        self.shared.requests(|_| true)
    }

    /// The requests no mock answered (they got the "no mock" 404), in order.
    pub fn unmatched(&self) -> Vec<RecordedRequest> {
        self.shared.requests(|r| !r.was_matched())
    }

    /// What [`assert_all_called`](Self::assert_all_called) would complain about: one line per
    /// request no mock answered and per mock called other than it expects; empty when all is
    /// well.
    pub fn problems(&self) -> Vec<String> {
        self.shared.problems()
    }

    /// Panics unless every request was answered by a mock and every mock was called as it
    /// expects (at least once by default; exactly `n` times with [`When::times`]; once per
    /// answer of a sequence; any number with [`When::optional`]). The message names each
    /// request by method and path and each mock by operation id, method and path template.
    #[track_caller]
    pub fn assert_all_called(&self) {
        let problems = self.problems();
        if problems.is_empty() {
            return;
        }
        let mut message = String::from("isc-test-support: the mock tenant's expectations failed:");
        for problem in &problems {
            message.push_str("\n  - ");
            message.push_str(problem);
        }
        let registered = self.shared.registered();
        if !registered.is_empty() {
            message.push_str("\n  operations with mocks: ");
            message.push_str(&registered.join(", "));
        }
        panic!("{message}");
    }

    /// Removes every mock and forgets every request.
    pub fn reset(&self) {
        self.shared.reset();
    }
}

/// A mock being described: matchers first, then a `respond` method registers it. Made by
/// [`MockTenant::on`].
#[must_use = "a mock is registered by one of its `respond` methods"]
pub struct When<'a> {
    tenant: &'a MockTenant,
    operation: &'static OperationInfo,
    matchers: Vec<Matcher>,
    expect: Option<Expect>,
}

impl std::fmt::Debug for When<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("When")
            .field("operation", &self.operation.operation_id)
            .field(
                "matchers",
                &self
                    .matchers
                    .iter()
                    .map(Matcher::describe)
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl When<'_> {
    /// Only requests whose path parameter `name` (of the operation's template) is `value`,
    /// compared decoded.
    pub fn path_param(self, name: &str, value: impl Into<String>) -> Self {
        self.matcher(Matcher::PathParam(name.to_owned(), value.into()))
    }

    /// Only requests with the query pair `name=value` (compared decoded; one of the values
    /// when the parameter is repeated).
    pub fn query(self, name: &str, value: impl Into<String>) -> Self {
        self.matcher(Matcher::Query(name.to_owned(), value.into()))
    }

    /// Only requests without the query parameter `name`.
    pub fn query_absent(self, name: &str) -> Self {
        self.matcher(Matcher::QueryAbsent(name.to_owned()))
    }

    /// Only requests with the header `name: value` (name without regard to case).
    pub fn header(self, name: &str, value: impl Into<String>) -> Self {
        self.matcher(Matcher::Header(name.to_owned(), value.into()))
    }

    /// Only requests whose JSON body equals `body`'s JSON (e.g. the model value the code
    /// should send).
    ///
    /// # Panics
    /// When `body` cannot be serialised to JSON.
    pub fn json_body<T: Serialize>(self, body: T) -> Self {
        self.matcher(Matcher::JsonBody(to_json(&body)))
    }

    /// Only requests whose JSON body has everything `body` has: objects may have further
    /// keys, arrays and scalars must be equal (`json!({"name": "x"})` matches any body with
    /// that name).
    ///
    /// # Panics
    /// When `body` cannot be serialised to JSON.
    pub fn json_body_includes<T: Serialize>(self, body: T) -> Self {
        self.matcher(Matcher::JsonBodyIncludes(to_json(&body)))
    }

    /// Only requests `check` accepts; `description` names the condition in reports.
    pub fn matching(
        self,
        description: impl Into<String>,
        check: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.matcher(Matcher::Custom(description.into(), Arc::new(check)))
    }

    /// The mock answers exactly `n` calls: later ones go to the next mock that fits (or get the
    /// "no mock" 404), and [`MockTenant::assert_all_called`] fails unless it answered `n`.
    pub fn times(mut self, n: usize) -> Self {
        self.expect = Some(Expect::Times(n));
        self
    }

    /// The mock need not be called ([`MockTenant::assert_all_called`] ignores it).
    pub fn optional(mut self) -> Self {
        self.expect = Some(Expect::Optional);
        self
    }

    /// Answers `200 OK` with `body` as JSON (a model value, a `Vec` of them, `json!(..)`).
    ///
    /// # Panics
    /// When `body` cannot be serialised to JSON.
    pub fn respond<T: Serialize>(self, body: T) -> Mock {
        self.respond_with(MockResponse::ok(&body))
    }

    /// Answers `status` with `body` as JSON.
    ///
    /// # Panics
    /// When `body` cannot be serialised to JSON.
    pub fn respond_status<T: Serialize>(self, status: u16, body: T) -> Mock {
        self.respond_with(MockResponse::json(status, &body))
    }

    /// Answers `status` with SailPoint's error body whose message is `text` (see
    /// [`ErrorBody`] for more fields).
    pub fn respond_error(self, status: u16, text: impl Into<String>) -> Mock {
        self.respond_with(MockResponse::error(status, text))
    }

    /// Answers with `response` (status, headers, body, delay).
    pub fn respond_with(self, response: impl Into<MockResponse>) -> Mock {
        self.register(vec![Step::Fixed(response.into())], None)
    }

    /// Answers the calls in turn with `responses`, one each: the mock answers
    /// `responses.len()` calls unless [`times`](Self::times) says otherwise (then the last
    /// answer repeats).
    ///
    /// # Panics
    /// When `responses` is empty.
    pub fn respond_with_sequence(self, responses: Vec<MockResponse>) -> Mock {
        assert!(
            !responses.is_empty(),
            "isc-test-support: respond_with_sequence needs at least one response"
        );
        let steps = responses.into_iter().map(Step::Fixed).collect();
        self.register(steps, Some(Expect::Sequence))
    }

    /// Answers a listing whose items are the `pages` one after the other, like the API: each
    /// request gets the items from its `offset` (default 0) up to its `limit` (default 250),
    /// with `X-Total-Count` (the number of all items) when it asks `count=true`. So
    /// `into_paginator()` sees every item whatever its page size; with the builder's
    /// `.limit(n)` set to the pages' length, each request gets one of the `pages`.
    ///
    /// # Panics
    /// When an item cannot be serialised to JSON.
    pub fn respond_pages<P, T>(self, pages: impl IntoIterator<Item = P>) -> Mock
    where
        P: IntoIterator<Item = T>,
        T: Serialize,
    {
        self.respond_list(pages.into_iter().flatten())
    }

    /// Answers a listing of `items` by `offset`/`limit` (see
    /// [`respond_pages`](Self::respond_pages)).
    ///
    /// # Panics
    /// When an item cannot be serialised to JSON.
    pub fn respond_list<T: Serialize>(self, items: impl IntoIterator<Item = T>) -> Mock {
        let items = items.into_iter().map(|item| to_json(&item)).collect();
        self.register(vec![Step::Pages(Arc::new(items))], None)
    }

    /// Answers with what `respond` makes of each request.
    pub fn respond_fn(
        self,
        respond: impl Fn(&RecordedRequest) -> MockResponse + Send + Sync + 'static,
    ) -> Mock {
        self.register(vec![Step::Fn(Arc::new(respond))], None)
    }

    fn matcher(mut self, matcher: Matcher) -> Self {
        self.matchers.push(matcher);
        self
    }

    fn register(self, steps: Vec<Step>, default: Option<Expect>) -> Mock {
        let expect = self.expect.or(default).unwrap_or(Expect::AtLeastOnce);
        let id = self.tenant.shared.add(Entry {
            id: 0,
            operation: self.operation,
            template: template::Template::parse(self.operation.path),
            matchers: self.matchers,
            steps,
            expect,
            calls: 0,
        });
        Mock {
            shared: Arc::clone(&self.tenant.shared),
            id,
        }
    }
}

/// A registered mock: add answers for later calls, see how often it was called.
#[derive(Clone)]
pub struct Mock {
    shared: Arc<Shared>,
    id: u64,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mock")
            .field("id", &self.id)
            .field("calls", &self.calls())
            .finish()
    }
}

impl Mock {
    /// Answers the next call with `response`: each call takes the next answer, and the last
    /// one repeats (unless the mock's [`times`](When::times) or sequence ends it first).
    /// `on(&OP).respond_error(503, "busy").then(MockResponse::ok(&value))`.
    pub fn then(self, response: impl Into<MockResponse>) -> Self {
        self.shared.push_step(self.id, Step::Fixed(response.into()));
        self
    }

    /// How many calls this mock answered.
    pub fn calls(&self) -> usize {
        self.shared.calls(self.id)
    }

    /// The requests this mock answered, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.answered_by(self.id)
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Value {
    serde_json::to_value(value)
        .unwrap_or_else(|e| panic!("isc-test-support: cannot serialise to JSON: {e}"))
}
