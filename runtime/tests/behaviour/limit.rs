//! The client-side rate limit through `Client::execute`, against a local wiremock server: shared
//! by clones, on by default, switchable off, and bounded by a call's deadline.

use std::time::{Duration, Instant};

use isc_runtime::{CallOptions, Client, Error, OperationInfo, RateLimit, Request};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

static GET_ACCOUNT: OperationInfo = OperationInfo {
    operation_id: "getAccount",
    method: "GET",
    path: "/v3/accounts/{id}",
    tag: "Accounts",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

fn get() -> Request {
    Request::new(&GET_ACCOUNT, "/v3/accounts/a1".to_owned())
}

#[tokio::test]
async fn the_limit_is_on_by_default_and_can_be_changed_or_switched_off() {
    let default = Client::builder()
        .base_url("https://acme.api.identitynow.com")
        .build()
        .unwrap();
    assert_eq!(
        default.rate_limit(),
        Some(RateLimit::new(100, Duration::from_secs(10)))
    );
    let off = Client::builder()
        .base_url("https://acme.api.identitynow.com")
        .no_rate_limit()
        .build()
        .unwrap();
    assert_eq!(off.rate_limit(), None);
    let mine = RateLimit::new(20, Duration::from_secs(1));
    let set = Client::builder()
        .base_url("https://acme.api.identitynow.com")
        .rate_limit(mine)
        .build()
        .unwrap();
    assert_eq!(set.rate_limit(), Some(mine));
    // A handle with options shares the limiter.
    assert_eq!(
        set.with_options(CallOptions::new()).rate_limit(),
        Some(mine)
    );
}

#[tokio::test]
async fn clones_share_one_budget() {
    let server = server().await;
    // 11 per 500 ms: one request each 50 ms.
    let client = Client::builder()
        .base_url(server.uri())
        .rate_limit(RateLimit::new(11, Duration::from_millis(500)))
        .build()
        .unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..3 {
                client.execute(get()).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    // Six requests of one API version, 50 ms apart whichever clone sends them.
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(250), "{took:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn a_deadline_ends_the_wait_for_the_limit() {
    let server = server().await;
    // 2 per 10 s: the second request waits 10 s.
    let client = Client::builder()
        .base_url(server.uri())
        .rate_limit(RateLimit::new(2, Duration::from_secs(10)))
        .build()
        .unwrap();
    client.execute(get()).await.unwrap();
    let error = client
        .with_options(CallOptions::new().deadline(Duration::from_millis(100)))
        .execute(get())
        .await
        .unwrap_err();
    match &error {
        Error::Deadline(e) => assert_eq!(e.attempts(), 0),
        other => panic!("expected a deadline error, got {other:?}"),
    }
    assert!(error.to_string().contains("rate limit"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
