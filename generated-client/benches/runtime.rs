//! What the runtime costs, measured side by side in one run (this machine is noisy: ratios between
//! two things measured alternately mean more than absolute times):
//!
//! - request overhead: the same `GET /v3/accounts` through the generated client and through raw
//!   reqwest + serde_json, against a local keep-alive HTTP server answering a canned page of 250
//!   accounts;
//! - decode throughput of that page into the generated `Account` model, against
//!   `serde_json::Value`;
//! - streaming accounts through the paginator from a local server that makes each page on the fly,
//!   1,000 and 100,000 of them, each in a fresh process so that its peak memory is its own;
//! - streaming a download (`execute_streaming` into a writer) of 1 MB and of 200 MB, each in a
//!   fresh process, for its peak memory;
//! - the client-side rate limit: 2,000 requests from 50 tasks against a local server that answers
//!   429 to any request past 100 in 10 s; how many 429s, and the wall time against what the limit
//!   allows (quick: 300 requests at 100 per second).
//!
//! `cargo bench -p isc-client --bench runtime`; `BENCH_QUICK=1` runs few rounds (what CI does, so
//! that the benchmark cannot rot).

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use isc::v3::models::Account;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PAGE: usize = 250;
/// Set in the child process that streams this many accounts and reports.
const CHILD_ENV: &str = "ISC_BENCH_STREAM_ITEMS";
/// Set in the child process that downloads this many bytes and reports.
const DOWNLOAD_ENV: &str = "ISC_BENCH_DOWNLOAD_BYTES";

fn main() {
    if let Ok(items) = std::env::var(CHILD_ENV) {
        let items: usize = items.parse().expect("a count of items");
        stream_child(items);
        return;
    }
    if let Ok(bytes) = std::env::var(DOWNLOAD_ENV) {
        download_child(bytes.parse().expect("a count of bytes"));
        return;
    }
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    println!(
        "isc-client runtime benchmarks ({})",
        if quick { "quick" } else { "full" }
    );
    let rt = runtime();
    rt.block_on(request_overhead(if quick { 30 } else { 400 }));
    decode_throughput(if quick { 20 } else { 300 });
    streaming(if quick { 20_000 } else { 100_000 });
    downloads(if quick { 20 << 20 } else { 200 << 20 });
    if quick {
        rt.block_on(rate_limit(300, 100, Duration::from_secs(1)));
    } else {
        rt.block_on(rate_limit(2_000, 100, Duration::from_secs(10)));
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// One account as the API returns it, with `index` in its identifiers.
fn account_json(index: usize) -> String {
    format!(
        r#"{{"id":"2c9180835d2e5168015d32f890ca{index:04x}","name":"john.doe.{index}","created":"2024-01-15T10:20:30.123Z","modified":"2024-06-01T08:00:00Z","sourceId":"2c918083606d670c01606f35a6d3003c","sourceName":"Active Directory","identityId":"2c918084660f45d6016617daa9210584","cloudLifecycleState":"active","identityState":"ACTIVE","connectionType":"direct","isMachine":false,"attributes":{{"firstName":"John","lastName":"Doe","email":"john.doe.{index}@example.com","memberOf":["CN=Staff,OU=Groups","CN=VPN,OU=Groups"],"employeeNumber":{index}}},"authoritative":false,"description":null,"disabled":false,"locked":false,"nativeIdentity":"CN=John Doe {index},OU=People","systemAccount":false,"uncorrelated":false,"uuid":"{{b0dce506-d6d4-44d2-8a32-{index:012}}}","manuallyCorrelated":false,"hasEntitlements":true,"identity":{{"type":"IDENTITY","id":"2c918084660f45d6016617daa9210584","name":"john.doe"}},"sourceOwner":{{"type":"IDENTITY","id":"4c5c8534e99445de98eef6c75e25eb01","name":"admin"}},"features":"ENABLE, UNLOCK","origin":"AGGREGATED"}}"#
    )
}

fn page_json(from: usize, to: usize) -> String {
    let items: Vec<String> = (from..to).map(account_json).collect();
    format!("[{}]", items.join(","))
}

/// What the local server answers.
#[derive(Clone)]
enum Serve {
    /// The same body to every request.
    Canned(std::sync::Arc<String>),
    /// `total` accounts, paged by the request's `offset` and `limit`, each page made on demand.
    Paged { total: usize },
    /// A file of this many bytes, written in 64 KiB chunks as the client reads them.
    Download { bytes: usize },
    /// `{}`, or 429 to a request past `requests` within any `window` (counted on arrival).
    Limited {
        requests: usize,
        window: Duration,
        arrivals: std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<Instant>>>,
        refused: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    },
}

impl Serve {
    fn body(&self, target: &str) -> String {
        match self {
            Serve::Canned(body) => body.to_string(),
            Serve::Paged { total } => {
                let offset = query_value(target, "offset").unwrap_or(0).min(*total);
                let limit = query_value(target, "limit").unwrap_or(PAGE);
                page_json(offset, (offset + limit).min(*total))
            }
            Serve::Download { .. } | Serve::Limited { .. } => "{}".to_owned(),
        }
    }

    /// The status line of the answer to a request arriving now.
    fn status(&self) -> &'static str {
        let Serve::Limited {
            requests,
            window,
            arrivals,
            refused,
        } = self
        else {
            return "200 OK";
        };
        let now = Instant::now();
        let mut arrivals = arrivals.lock().expect("arrivals");
        while arrivals.front().is_some_and(|t| now - *t >= *window) {
            arrivals.pop_front();
        }
        if arrivals.len() >= *requests {
            refused.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            return "429 Too Many Requests\r\nretry-after: 1";
        }
        arrivals.push_back(now);
        "200 OK"
    }
}

fn query_value(target: &str, name: &str) -> Option<usize> {
    let (_, query) = target.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))?
        .parse()
        .ok()
}

/// A minimal HTTP/1.1 keep-alive server: enough for GET requests without bodies, and nothing a
/// benchmark of the client should pay for (no routing, no framework).
async fn start_server(serve: Serve) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_connection(stream, serve.clone()));
        }
    });
    format!("http://{address}")
}

async fn serve_connection(mut stream: TcpStream, serve: Serve) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
        buffer.drain(..end);
        let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
        if let Serve::Download { bytes } = &serve {
            if write_download(&mut stream, *bytes).await.is_err() {
                return;
            }
            continue;
        }
        let status = serve.status();
        let body = serve.body(&target);
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// A `bytes`-long CSV-ish body, written a chunk at a time (the server holds one chunk).
async fn write_download(stream: &mut TcpStream, bytes: usize) -> std::io::Result<()> {
    let head =
        format!("HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: {bytes}\r\n\r\n");
    stream.write_all(head.as_bytes()).await?;
    let chunk: Vec<u8> = b"2c9180835d2e5168,john.doe,Active Directory\n"
        .iter()
        .copied()
        .cycle()
        .take(64 << 10)
        .collect();
    let mut left = bytes;
    while left > 0 {
        let n = left.min(chunk.len());
        stream.write_all(&chunk[..n]).await?;
        left -= n;
    }
    Ok(())
}

fn client(base_url: &str) -> isc::Client {
    isc::Client::builder()
        .no_rate_limit()
        .base_url(base_url)
        .access_token("benchmark-token")
        .build()
        .expect("a client")
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

async fn request_overhead(rounds: usize) {
    let base = start_server(Serve::Canned(std::sync::Arc::new(page_json(0, PAGE)))).await;
    let generated = client(&base);
    let raw = reqwest::Client::new();
    let url = format!("{base}/v3/accounts?limit={PAGE}");
    let via_client = || async {
        let started = Instant::now();
        let page = generated
            .v3()
            .accounts()
            .list_accounts()
            .limit(PAGE as i32)
            .send()
            .await
            .expect("the generated client's call");
        assert_eq!(page.len(), PAGE);
        started.elapsed()
    };
    let via_raw = || async {
        let started = Instant::now();
        let body = raw
            .get(&url)
            .bearer_auth("benchmark-token")
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("the raw call")
            .bytes()
            .await
            .expect("the raw body");
        let page: Vec<Account> = serde_json::from_slice(&body).expect("a page of accounts");
        assert_eq!(page.len(), PAGE);
        started.elapsed()
    };
    // Warm both connections and allocators, then alternate so that noise hits both alike.
    for _ in 0..5 {
        via_client().await;
        via_raw().await;
    }
    let (mut client_times, mut raw_times) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        client_times.push(via_client().await);
        raw_times.push(via_raw().await);
    }
    let (c, r) = (median(client_times), median(raw_times));
    println!(
        "request overhead ({rounds} calls each, {PAGE}-account page, medians): generated client {:.3} ms, raw reqwest + serde_json {:.3} ms, ratio {:.3}",
        c.as_secs_f64() * 1e3,
        r.as_secs_f64() * 1e3,
        c.as_secs_f64() / r.as_secs_f64()
    );
}

fn decode_throughput(rounds: usize) {
    let page = page_json(0, PAGE);
    let bytes = page.as_bytes();
    let (mut typed, mut untyped) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        let accounts: Vec<Account> = serde_json::from_slice(bytes).expect("accounts");
        typed.push(started.elapsed());
        std::hint::black_box(accounts);
        let started = Instant::now();
        let value: serde_json::Value = serde_json::from_slice(bytes).expect("JSON");
        untyped.push(started.elapsed());
        std::hint::black_box(value);
    }
    let (t, u) = (median(typed), median(untyped));
    let mib = bytes.len() as f64 / (1024.0 * 1024.0);
    println!(
        "decode ({rounds} rounds of a {:.0} KiB page, medians): Vec<Account> {:.0} MiB/s, serde_json::Value {:.0} MiB/s, time ratio {:.2}",
        bytes.len() as f64 / 1024.0,
        mib / t.as_secs_f64(),
        mib / u.as_secs_f64(),
        t.as_secs_f64() / u.as_secs_f64()
    );
}

/// Runs this benchmark again as a child with `env=value`, prints its report and returns the
/// peak RSS (KiB) it reported: a fresh process, so that the peak is its own.
fn run_child(env: &str, value: usize) -> f64 {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let output = std::process::Command::new(&exe)
        .env(env, value.to_string())
        .output()
        .expect("the benchmark's child");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the child with {env}={value} failed: {report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    print!("{report}");
    report
        .split("peak RSS ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|kib| kib.parse::<f64>().ok())
        .unwrap_or(f64::NAN)
}

/// Run the streaming child for 1,000 and `largest` accounts and compare their peaks.
fn streaming(largest: usize) {
    let small = run_child(CHILD_ENV, 1_000);
    let large = run_child(CHILD_ENV, largest);
    println!(
        "streaming peak memory ratio ({largest} / 1000 accounts): {:.2}",
        large / small
    );
}

fn stream_child(items: usize) {
    let rt = runtime();
    rt.block_on(async {
        let base = start_server(Serve::Paged { total: items }).await;
        let client = client(&base);
        let started = Instant::now();
        let mut stream = client
            .v3()
            .accounts()
            .list_accounts()
            .into_paginator()
            .items();
        let mut seen = 0usize;
        while let Some(account) = stream.next().await {
            let account = account.expect("an account");
            std::hint::black_box(account);
            seen += 1;
        }
        assert_eq!(seen, items);
        let took = started.elapsed().as_secs_f64();
        println!(
            "streaming {items} accounts through the paginator: {took:.2} s ({:.0} accounts/s), peak RSS {} KiB",
            items as f64 / took,
            peak_rss_kib().map_or("unknown".to_owned(), |k| k.to_string())
        );
    });
}

/// Peak resident memory of this process (VmHWM), on Linux.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Run the download child for 1 MB and `largest` bytes and compare their peaks.
fn downloads(largest: usize) {
    let small = run_child(DOWNLOAD_ENV, 1 << 20);
    let large = run_child(DOWNLOAD_ENV, largest);
    println!(
        "download peak memory ratio ({} MB / 1 MB): {:.2}",
        largest >> 20,
        large / small
    );
}

static DOWNLOAD: isc::runtime::OperationInfo = isc::runtime::OperationInfo {
    operation_id: "getReport",
    method: "GET",
    path: "/v3/reports/{id}",
    tag: "Reports",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

fn download_child(bytes: usize) {
    let rt = runtime();
    rt.block_on(async {
        let base = start_server(Serve::Download { bytes }).await;
        let client = client(&base);
        let started = Instant::now();
        let request = isc::runtime::Request::new(&DOWNLOAD, "/v3/reports/r1".to_owned());
        let streaming = client
            .execute_streaming(request)
            .await
            .expect("the headers");
        let written = streaming
            .copy_to(&mut tokio::io::sink())
            .await
            .expect("the body");
        assert_eq!(written, bytes as u64);
        let took = started.elapsed().as_secs_f64();
        println!(
            "download of {} MB streamed into a writer: {took:.2} s ({:.0} MB/s), peak RSS {} KiB",
            bytes >> 20,
            (bytes >> 20) as f64 / took,
            peak_rss_kib().map_or("unknown".to_owned(), |k| k.to_string())
        );
    });
}

static PING: isc::runtime::OperationInfo = isc::runtime::OperationInfo {
    operation_id: "getAccount",
    method: "GET",
    path: "/v3/accounts/{id}",
    tag: "Accounts",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

/// `total` requests from 50 tasks through one client limited to `requests` per `window`,
/// against a server that refuses (429) whatever goes past that.
async fn rate_limit(total: usize, requests: usize, window: Duration) {
    const TASKS: usize = 50;
    let refused = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let base = start_server(Serve::Limited {
        requests,
        window,
        arrivals: Default::default(),
        refused: std::sync::Arc::clone(&refused),
    })
    .await;
    let client = isc::Client::builder()
        .base_url(&base)
        .access_token("benchmark-token")
        .rate_limit(isc::RateLimit::new(requests as u32, window))
        .build()
        .expect("a client");
    let started = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let client = client.clone();
        let mine = (task..total).step_by(TASKS).count();
        tasks.push(tokio::spawn(async move {
            for _ in 0..mine {
                let request = isc::runtime::Request::new(&PING, "/v3/accounts/a1".to_owned());
                client.execute(request).await.expect("an answer");
            }
        }));
    }
    for task in tasks {
        task.await.expect("a task");
    }
    let took = started.elapsed().as_secs_f64();
    // The first `requests` go at once, then `requests` per window.
    let allowed = (total.saturating_sub(requests) as f64 / requests as f64) * window.as_secs_f64();
    println!(
        "rate limit: {total} requests from {TASKS} tasks at {requests} per {} s: {took:.1} s, \
         the limit allows {allowed:.1} s ({:+.1} %), {} answered 429",
        window.as_secs_f64(),
        (took / allowed - 1.0) * 100.0,
        refused.load(std::sync::atomic::Ordering::SeqCst)
    );
}
