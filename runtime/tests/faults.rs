//! The fault-injection suite: the runtime against a loopback server that really closes sockets,
//! cuts bodies short, stalls past the timeout, answers 429 and 503, and expires tokens.
//!
//! Runs as its own harness (`harness = false`) so that it can print one line per scenario and
//! `faults: N passed, N failed` at the end, the figure CI shows. Every scenario counts what the
//! server saw, so "retried" and "never resent" are the server's word, not the client's.

#[path = "support/fault_server.rs"]
mod fault_server;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fault_server::{FaultServer, Received, Reply};
use futures_util::StreamExt;
use isc_runtime::{
    CallOptions, Client, Error, OffsetPagination, OperationInfo, PageRetry, Request, RetryPolicy,
    TransportErrorKind,
};
use serde_json::json;

static LIST_ACCOUNTS: OperationInfo = OperationInfo {
    operation_id: "listAccounts",
    method: "GET",
    path: "/v3/accounts",
    tag: "Accounts",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

static GET_ACCOUNT: OperationInfo = OperationInfo {
    operation_id: "getAccount",
    method: "GET",
    path: "/v3/accounts/{id}",
    tag: "Accounts",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

static CREATE_THING: OperationInfo = OperationInfo {
    operation_id: "createThing",
    method: "POST",
    path: "/v3/things",
    tag: "Things",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

static SEARCH_THINGS: OperationInfo = OperationInfo {
    operation_id: "searchThings",
    method: "POST",
    path: "/v3/search",
    tag: "Search",
    experimental: false,
    deprecated: false,
    retry_safe: true,
};

type Scenario = fn() -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

fn main() {
    let scenarios: &[(&str, Scenario)] = &[
        (
            "a GET whose connection is closed before the answer is sent again",
            || Box::pin(get_is_resent_after(Fault::Close)),
        ),
        ("a GET whose body is cut short is sent again", || {
            Box::pin(get_is_resent_after(Fault::Cut))
        }),
        ("a GET that stalls past the timeout is sent again", || {
            Box::pin(get_is_resent_after(Fault::Stall))
        }),
        ("a GET answered 503 is sent again", || {
            Box::pin(get_is_resent_after(Fault::Unavailable))
        }),
        ("a GET answered 429 waits for Retry-After", || {
            Box::pin(get_is_resent_after(Fault::TooMany))
        }),
        ("a GET whose HTTP/2 stream is reset is sent again", || {
            Box::pin(http2_reset(&GET_ACCOUNT, 2))
        }),
        (
            "a POST whose HTTP/2 stream is reset is never resent",
            || Box::pin(http2_reset(&CREATE_THING, 1)),
        ),
        ("a POST whose connection is closed is never resent", || {
            Box::pin(post_is_not_resent_after(Fault::Close))
        }),
        ("a POST whose body is cut short is never resent", || {
            Box::pin(post_is_not_resent_after(Fault::Cut))
        }),
        (
            "a POST that stalls past the timeout is never resent",
            || Box::pin(post_is_not_resent_after(Fault::Stall)),
        ),
        ("a POST answered 503 is never resent", || {
            Box::pin(post_is_not_resent_after(Fault::Unavailable))
        }),
        (
            "a retry-safe POST (a search) is sent again after a close",
            || Box::pin(retry_safe_post_is_resent()),
        ),
        (
            "a POST marked safe in its call options is sent again after a cut body",
            || Box::pin(post_marked_safe_is_resent()),
        ),
        ("a call's deadline ends its retries", || {
            Box::pin(deadline_ends_retries())
        }),
        ("a listing outlasts an outage with page retries", || {
            Box::pin(listing_outlasts_an_outage())
        }),
        (
            "8 listings (10,000 items each in CI, see soak_items) through a server spoiling one request in three, tokens expiring every 4 s, POSTs beside",
            || Box::pin(eight_listings_through_a_spoiling_server()),
        ),
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    // The scenarios run at once, each against its own server: they wait far more than they
    // work (stalls, timeouts, `Retry-After`, token lifetimes), so the suite takes as long as its
    // longest scenario, the soak, instead of the sum of them.
    let started = Instant::now();
    let outcomes: Vec<(Result<(), String>, Duration)> = runtime.block_on(async {
        let tasks: Vec<_> = scenarios
            .iter()
            .map(|(_, scenario)| {
                let scenario = scenario();
                tokio::spawn(async move {
                    let started = Instant::now();
                    (scenario.await, started.elapsed())
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap_or_else(|panic| {
                (
                    Err(format!("the scenario panicked: {panic}")),
                    Duration::ZERO,
                )
            }));
        }
        outcomes
    });
    let mut failed = 0;
    for ((name, _), (outcome, took)) in scenarios.iter().zip(outcomes) {
        match outcome {
            Ok(()) => println!("fault ok     {name} ({:.1} s)", took.as_secs_f64()),
            Err(why) => {
                failed += 1;
                println!("fault FAILED {name}: {why}");
            }
        }
    }
    println!(
        "({} scenarios at once in {:.1} s)",
        scenarios.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "faults: {} passed, {failed} failed",
        scenarios.len() - failed
    );
    if failed > 0 {
        std::process::exit(1);
    }
}

/// Fails the scenario with a message when the condition does not hold.
macro_rules! check {
    ($cond:expr, $($message:tt)+) => {
        if !$cond {
            return Err(format!($($message)+));
        }
    };
}

#[derive(Debug, Clone, Copy)]
enum Fault {
    Close,
    Cut,
    Stall,
    Unavailable,
    TooMany,
}

/// The per-attempt timeout of every scenario; a stall lasts longer.
const TIMEOUT: Duration = Duration::from_millis(400);
const STALL: Duration = Duration::from_millis(800);

impl Fault {
    /// The reply that carries out the fault in place of `good`.
    fn spoil(self, good: Reply) -> Reply {
        match self {
            Fault::Close => Reply::Close,
            Fault::Cut => good.cut(),
            Fault::Stall => Reply::Stall(STALL, Box::new(good)),
            Fault::Unavailable => Reply::json(503, &json!({"error": "try later"})),
            Fault::TooMany => Reply::status(429, &[("retry-after", "1")]),
        }
    }

    const ALL: [Fault; 5] = [
        Fault::Close,
        Fault::Cut,
        Fault::Stall,
        Fault::Unavailable,
        Fault::TooMany,
    ];
}

fn policy() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(4)
        .base_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(100))
}

fn client(server: &FaultServer) -> Client {
    Client::builder()
        .no_rate_limit()
        .base_url(server.url())
        .access_token("token")
        .timeout(TIMEOUT)
        .retry_policy(policy())
        .build()
        .expect("client builds")
}

/// A server that spoils the first request with `fault` and answers the next ones; returns the
/// server and the times requests arrived.
async fn spoil_first(fault: Fault) -> (FaultServer, Arc<Mutex<Vec<Instant>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let server = FaultServer::start(move |request: Received| {
        let log = Arc::clone(&log);
        async move {
            let n = {
                let mut log = log.lock().unwrap();
                log.push(Instant::now());
                log.len()
            };
            let good = Reply::json(200, &json!({"id": "a-1", "path": request.path}));
            if n == 1 { fault.spoil(good) } else { good }
        }
    })
    .await;
    (server, seen)
}

async fn get_is_resent_after(fault: Fault) -> Result<(), String> {
    let (server, seen) = spoil_first(fault).await;
    let request = Request::new(&GET_ACCOUNT, "/v3/accounts/a-1".to_owned());
    let response = client(&server)
        .execute(request)
        .await
        .map_err(|e| format!("the call failed: {e}"))?;
    let body: serde_json::Value = response.json().map_err(|e| e.to_string())?;
    check!(body["id"] == "a-1", "wrong body {body}");
    let seen = seen.lock().unwrap().clone();
    check!(
        seen.len() == 2,
        "the server saw {} requests, not 2",
        seen.len()
    );
    if let Fault::TooMany = fault {
        let waited = seen[1] - seen[0];
        check!(
            waited >= Duration::from_millis(990),
            "sent again after {waited:?}, before Retry-After: 1"
        );
    }
    Ok(())
}

async fn post_is_not_resent_after(fault: Fault) -> Result<(), String> {
    let (server, seen) = spoil_first(fault).await;
    let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
    request
        .json(&json!({"name": "thing"}))
        .map_err(|e| e.to_string())?;
    let error = match client(&server).execute(request).await {
        Ok(_) => return Err("the spoiled POST succeeded".into()),
        Err(error) => error,
    };
    let expected = match fault {
        Fault::Close => Some(TransportErrorKind::Connection),
        Fault::Cut => Some(TransportErrorKind::Body),
        Fault::Stall => Some(TransportErrorKind::Timeout),
        _ => None,
    };
    match (&error, expected) {
        (Error::Transport(e), Some(kind)) => {
            check!(e.kind() == kind, "{error:?} is not a {kind:?} failure")
        }
        (Error::Api(e), None) => check!(e.status().as_u16() == 503, "{error}"),
        _ => return Err(format!("unexpected error {error:?}")),
    }
    let seen = seen.lock().unwrap().len();
    check!(seen == 1, "the server saw the POST {seen} times");
    Ok(())
}

async fn retry_safe_post_is_resent() -> Result<(), String> {
    let (server, seen) = spoil_first(Fault::Close).await;
    let mut request = Request::new(&SEARCH_THINGS, "/v3/search".to_owned());
    request
        .json(&json!({"query": "*"}))
        .map_err(|e| e.to_string())?;
    client(&server)
        .execute(request)
        .await
        .map_err(|e| e.to_string())?;
    let seen = seen.lock().unwrap().len();
    check!(seen == 2, "the server saw the search {seen} times, not 2");
    Ok(())
}

async fn post_marked_safe_is_resent() -> Result<(), String> {
    let (server, seen) = spoil_first(Fault::Cut).await;
    let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
    request
        .json(&json!({"name": "idempotent"}))
        .map_err(|e| e.to_string())?;
    client(&server)
        .with_options(CallOptions::new().retry_safe(true))
        .execute(request)
        .await
        .map_err(|e| e.to_string())?;
    let seen = seen.lock().unwrap().len();
    check!(seen == 2, "the server saw the POST {seen} times, not 2");
    Ok(())
}

async fn deadline_ends_retries() -> Result<(), String> {
    // Every answer stalls: without a deadline 4 attempts of 400 ms and their waits.
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let server = FaultServer::start(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
        async { Reply::Stall(STALL, Box::new(Reply::json(200, &json!({})))) }
    })
    .await;
    let started = Instant::now();
    let error = client(&server)
        .with_options(CallOptions::new().deadline(Duration::from_millis(600)))
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/a-1".to_owned()))
        .await
        .err()
        .ok_or("a stalled call succeeded")?;
    let took = started.elapsed();
    check!(
        matches!(&error, Error::Transport(e) if e.is_timeout()),
        "{error:?}"
    );
    check!(
        took < Duration::from_millis(1_000),
        "the call took {took:?}"
    );
    let attempts = count.load(Ordering::SeqCst);
    check!(attempts == 2, "{attempts} attempts within the deadline");
    Ok(())
}

/// An HTTP/2 server (cleartext, prior knowledge) that resets the first stream with
/// `INTERNAL_ERROR` and answers the next ones; `expected` is how many requests it should see.
async fn http2_reset(operation: &'static OperationInfo, expected: usize) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let streams = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&streams);
    let server = tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let Ok(mut connection) = h2::server::handshake(socket).await else {
                    return;
                };
                while let Some(Ok((_request, mut respond))) = connection.accept().await {
                    if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                        respond.send_reset(h2::Reason::INTERNAL_ERROR);
                        continue;
                    }
                    let answer = http::Response::builder()
                        .status(200)
                        .header("content-type", "application/json")
                        .body(())
                        .unwrap();
                    if let Ok(mut body) = respond.send_response(answer, false) {
                        let _ = body.send_data(bytes::Bytes::from_static(b"{}"), true);
                    }
                }
            });
        }
    });
    let http = reqwest::Client::builder()
        .http2_prior_knowledge()
        .build()
        .map_err(|e| e.to_string())?;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(format!("http://{addr}"))
        .access_token("token")
        .http_client(http)
        .retry_policy(policy())
        .build()
        .map_err(|e| e.to_string())?;
    let mut request = Request::new(operation, operation.path.replace("{id}", "a-1"));
    if operation.method == "POST" {
        request
            .json(&json!({"name": "x"}))
            .map_err(|e| e.to_string())?;
    }
    let outcome = client.execute(request).await;
    server.abort();
    let seen = streams.load(Ordering::SeqCst);
    check!(
        seen == expected,
        "the server saw {seen} streams, not {expected}"
    );
    match (outcome, expected) {
        (Ok(_), 2) => Ok(()),
        (Err(Error::Transport(e)), 1) if e.kind() == TransportErrorKind::Connection => Ok(()),
        (outcome, _) => Err(format!("unexpected outcome {outcome:?}")),
    }
}

#[derive(serde::Deserialize)]
struct Account {
    id: String,
}

/// Answers `GET /v3/accounts` with accounts `0..total` by offset and limit, sending the total
/// when asked with `count=true`.
fn accounts_page(request: &Received, total: u64) -> Reply {
    let offset: u64 = request
        .query("offset")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let limit: u64 = request
        .query("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(250);
    let listing = request.query("filters").unwrap_or("");
    let end = (offset + limit).min(total);
    let items: Vec<_> = (offset.min(end)..end)
        .map(|i| json!({"id": format!("{listing}/{i:06}"), "name": format!("account {i}")}))
        .collect();
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    if request.query("count") == Some("true") {
        headers.push(("x-total-count".to_owned(), total.to_string()));
    }
    Reply::Answer {
        status: 200,
        headers,
        body: serde_json::Value::Array(items).to_string().into_bytes(),
    }
}

async fn listing_outlasts_an_outage() -> Result<(), String> {
    // Every request of the second second answers 503: longer than the client's retries last.
    let started = Instant::now();
    let server = FaultServer::start(move |request: Received| async move {
        let t = started.elapsed();
        if t > Duration::from_millis(300) && t < Duration::from_millis(1_800) {
            Reply::json(503, &json!({"error": "maintenance"}))
        } else {
            Reply::Stall(
                Duration::from_millis(20),
                Box::new(accounts_page(&request, 3_000)),
            )
        }
    })
    .await;
    let all: Vec<Account> = client(&server)
        .paginate(
            Request::new(&LIST_ACCOUNTS, "/v3/accounts".to_owned()),
            OffsetPagination::new().page_size(100),
        )
        .page_retry(PageRetry::new(10, Duration::from_millis(300)))
        .collect_all()
        .await
        .map_err(|e| e.to_string())?;
    let ids: HashSet<String> = all.iter().map(|a| a.id.clone()).collect();
    check!(
        all.len() == 3_000 && ids.len() == 3_000,
        "{} items, {} distinct",
        all.len(),
        ids.len()
    );
    Ok(())
}

/// What the spoiling server saw.
#[derive(Default)]
struct Ledger {
    /// Token requests, by arrival.
    tokens: Vec<Instant>,
    /// When each token was issued.
    issued: HashMap<String, Instant>,
    /// Requests with an expired token (answered 401).
    expired: usize,
    /// When a page (listing, offset) was last answered 429.
    too_many: HashMap<(String, u64), Instant>,
    /// Retries of a page sooner than its Retry-After.
    early: Vec<String>,
    /// How often each POST (by its body's `id`) reached the server and was not answered 429.
    posts: HashMap<String, usize>,
    spoiled: HashMap<&'static str, usize>,
}

const TOKEN_LIFETIME: Duration = Duration::from_secs(4);

/// Items of each listing of the soak: `ISC_FAULT_SOAK_ITEMS`, which CI sets to 10,000 (40 pages
/// per listing and 200 POSTs, about 20 s of deliberate stalls and `Retry-After` waits); 2,500
/// by default, so
/// that `cargo test -p isc-runtime` stays a matter of seconds while every fault still hits
/// every listing several times.
fn soak_items() -> u64 {
    std::env::var("ISC_FAULT_SOAK_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_500)
}

async fn eight_listings_through_a_spoiling_server() -> Result<(), String> {
    const LISTINGS: usize = 8;
    let items = soak_items();
    // One POST per 50 items: 200 at full size, sent one after another beside the listings.
    let posts_sent = (items / 50) as usize;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let counter = Arc::new(AtomicU64::new(0));
    let book = Arc::clone(&ledger);
    let server = FaultServer::start(move |request: Received| {
        let ledger = Arc::clone(&book);
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move { spoiling_reply(&ledger, n, &request) }
    })
    .await;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.url())
        .client_credentials("fault-client", "fault-secret")
        .timeout(TIMEOUT)
        .retry_policy(policy())
        .build()
        .map_err(|e| e.to_string())?;

    let started = Instant::now();
    let mut tasks = Vec::new();
    for listing in 0..LISTINGS {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut request = Request::new(&LIST_ACCOUNTS, "/v3/accounts".to_owned());
            request.query("filters", &format!("listing-{listing}"));
            let mut items = client
                .paginate::<Account>(request, OffsetPagination::new())
                .page_retry(PageRetry::new(5, Duration::from_millis(50)))
                .items();
            let mut ids = Vec::new();
            while let Some(item) = items.next().await {
                ids.push(item.map_err(|e| format!("listing {listing}: {e}"))?.id);
            }
            Ok::<_, String>(ids)
        }));
    }
    let posts = tokio::spawn({
        let client = client.clone();
        async move {
            let mut outcomes = Vec::new();
            for i in 0..posts_sent {
                let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
                request.json(&json!({"id": format!("post-{i}")})).unwrap();
                outcomes.push(client.execute(request).await.is_ok());
            }
            outcomes
        }
    });
    for (listing, task) in tasks.into_iter().enumerate() {
        let ids = task.await.map_err(|e| e.to_string())??;
        let distinct: HashSet<&String> = ids.iter().collect();
        check!(
            ids.len() as u64 == items && distinct.len() as u64 == items,
            "listing {listing}: {} items, {} distinct, of {items}",
            ids.len(),
            distinct.len()
        );
        let expected: HashSet<String> = (0..items)
            .map(|i| format!("listing-{listing}/{i:06}"))
            .collect();
        check!(
            distinct.iter().all(|id| expected.contains(*id)),
            "listing {listing} holds items of another"
        );
    }
    let posted = posts.await.map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();

    let ledger = ledger.lock().unwrap();
    let twice: Vec<_> = ledger.posts.iter().filter(|(_, n)| **n > 1).collect();
    check!(
        twice.is_empty(),
        "POSTs the server processed twice: {twice:?}"
    );
    check!(
        ledger.early.is_empty(),
        "retried before Retry-After: {:?}",
        ledger.early
    );
    let succeeded = posted.iter().filter(|ok| **ok).count();
    check!(
        succeeded >= posts_sent / 2,
        "only {succeeded} of {posts_sent} POSTs succeeded"
    );
    // One token per lifetime (renewed a tenth of it early), however many tasks asked.
    let expiries = (elapsed.as_secs_f64() / (TOKEN_LIFETIME.as_secs_f64() * 0.9)).ceil() as usize;
    check!(
        ledger.tokens.len() <= expiries + 1,
        "{} token requests in {elapsed:?} ({expiries} lifetimes)",
        ledger.tokens.len()
    );
    check!(
        ledger
            .tokens
            .windows(2)
            .all(|pair| pair[1] - pair[0] > Duration::from_secs(1)),
        "token requests less than a second apart: several tasks fetched at once"
    );
    check!(
        elapsed > TOKEN_LIFETIME,
        "too quick to see a token expire ({elapsed:?})"
    );
    for fault in ["close", "cut", "stall", "503", "429"] {
        check!(
            ledger.spoiled.get(fault).copied().unwrap_or(0) > 10,
            "too few `{fault}` faults: {:?}",
            ledger.spoiled
        );
    }
    println!(
        "  {LISTINGS} x {items} items each once, {succeeded}/{posts_sent} POSTs none twice, {} \
         token requests, {} expired-token 401s, faults {:?}, in {:.1} s",
        ledger.tokens.len(),
        ledger.expired,
        ledger.spoiled,
        elapsed.as_secs_f64()
    );
    Ok(())
}

/// The spoiling server's answer to request number `n`: token requests are answered, every
/// third other request gets the next fault in turn, the rest are served.
fn spoiling_reply(ledger: &Mutex<Ledger>, n: u64, request: &Received) -> Reply {
    let mut ledger = ledger.lock().unwrap();
    let now = Instant::now();
    if request.path == "/oauth/token" {
        ledger.tokens.push(now);
        let token = format!("token-{}", ledger.tokens.len());
        ledger.issued.insert(token.clone(), now);
        return Reply::json(
            200,
            &json!({"access_token": token, "token_type": "bearer", "expires_in": TOKEN_LIFETIME.as_secs()}),
        );
    }
    let token = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let fresh = ledger
        .issued
        .get(token)
        .is_some_and(|issued| now - *issued < TOKEN_LIFETIME);
    if !fresh {
        ledger.expired += 1;
        return Reply::json(401, &json!({"error": "expired"}));
    }
    let fault = (n % 3 == 0).then(|| Fault::ALL[(n / 3) as usize % Fault::ALL.len()]);
    if let Some(fault) = fault {
        let name = match fault {
            Fault::Close => "close",
            Fault::Cut => "cut",
            Fault::Stall => "stall",
            Fault::Unavailable => "503",
            Fault::TooMany => "429",
        };
        *ledger.spoiled.entry(name).or_default() += 1;
    }
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/v3/accounts") => {
            let key = (
                request.query("filters").unwrap_or("").to_owned(),
                request
                    .query("offset")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
            );
            if let Some(answered) = ledger.too_many.remove(&key)
                && now - answered < Duration::from_millis(990)
            {
                ledger
                    .early
                    .push(format!("{key:?} after {:?}", now - answered));
            }
            if let Some(Fault::TooMany) = fault {
                ledger.too_many.insert(key, now);
            }
            let good = accounts_page(request, soak_items());
            fault.map_or(good.clone(), |fault| fault.spoil(good))
        }
        ("POST", "/v3/things") => {
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
            let id = body["id"].as_str().unwrap_or("").to_owned();
            // A 429 says the request was not processed; anything else may have been.
            if !matches!(fault, Some(Fault::TooMany)) {
                *ledger.posts.entry(id.clone()).or_default() += 1;
            }
            let good = Reply::json(201, &json!({"id": id}));
            fault.map_or(good.clone(), |fault| fault.spoil(good))
        }
        _ => Reply::json(404, &json!({"error": "no such route"})),
    }
}
