//! Client-credentials authentication against a local wiremock server: token caching,
//! single-flight fetching, refresh before expiry, renewal after a 401, token endpoint errors,
//! and secrets kept out of `Debug`/`Display`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use isc_runtime::{Client, Error, OperationInfo, Request};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

const CLIENT_ID: &str = "my-client-id";
const SECRET: &str = "cl13nt-S3CRET-never-leak";
const TOKEN: &str = "t0ken-VALUE-never-leak";

static GET_THING: OperationInfo = OperationInfo {
    operation_id: "getThing",
    method: "GET",
    path: "/v3/things/{id}",
    tag: "Things",
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

fn get() -> Request {
    Request::new(&GET_THING, "/v3/things/1".to_owned())
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, SECRET)
        .build()
        .expect("client builds")
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "client secret leaked: {text}");
    assert!(!text.contains(TOKEN), "token leaked: {text}");
}

/// Answers token requests with `token-1`, `token-2`, ... valid for `expires_in` seconds.
struct NumberedTokens {
    count: Arc<AtomicUsize>,
    expires_in: u64,
}

impl Respond for NumberedTokens {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.count.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": format!("token-{n}"),
            "token_type": "bearer",
            "expires_in": self.expires_in,
        }))
    }
}

async fn mount_token(server: &MockServer, expires_in: u64, expected: u64) -> Arc<AtomicUsize> {
    let count = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(format!("client_id={CLIENT_ID}")))
        .and(body_string_contains(format!("client_secret={SECRET}")))
        .respond_with(NumberedTokens {
            count: Arc::clone(&count),
            expires_in,
        })
        .expect(expected)
        .mount(server)
        .await;
    count
}

async fn mount_ok_for(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path("/v3/things/1"))
        .and(header("authorization", format!("Bearer {token}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "1"})))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_calls_fetch_the_token_once() {
    let server = MockServer::start().await;
    mount_token(&server, 43_200, 1).await;
    mount_ok_for(&server, "token-1").await;
    let client = client(&server);

    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.execute(get()).await })
    });
    for call in futures_join(calls).await {
        let response = call.expect("task").expect("call succeeds");
        assert_eq!(response.status(), 200);
    }
    // A later call still uses the cached token.
    client.execute(get()).await.expect("cached token");
    server.verify().await;
}

async fn futures_join<T>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await);
    }
    out
}

#[tokio::test]
async fn token_is_refreshed_when_the_margin_is_reached() {
    let server = MockServer::start().await;
    // Valid 2 s, margin 1 s: fresh for the first second, refreshed after it.
    let count = mount_token(&server, 2, 2).await;
    mount_ok_for(&server, "token-1").await;
    mount_ok_for(&server, "token-2").await;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, SECRET)
        .token_refresh_margin(Duration::from_secs(1))
        .build()
        .unwrap();

    client.execute(get()).await.expect("first call");
    client
        .execute(get())
        .await
        .expect("second call, same token");
    assert_eq!(count.load(Ordering::SeqCst), 1);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.execute(get()).await.expect("third call, refreshed");
    assert_eq!(count.load(Ordering::SeqCst), 2);
    let requests = server.received_requests().await.unwrap();
    let last = requests.last().unwrap();
    assert_eq!(last.headers["authorization"], "Bearer token-2");
    server.verify().await;
}

#[tokio::test]
async fn short_lived_token_uses_a_tenth_of_its_lifetime_as_margin() {
    let server = MockServer::start().await;
    // 2 s < 2 × the default 5 min margin: margin 0.2 s, so the token is still fresh at 1 s.
    let count = mount_token(&server, 2, 1).await;
    mount_ok_for(&server, "token-1").await;
    let client = client(&server);
    client.execute(get()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    client.execute(get()).await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 1);
    server.verify().await;
}

#[tokio::test]
async fn a_401_renews_the_token_and_retries_once_with_the_body_intact() {
    let server = MockServer::start().await;
    mount_token(&server, 43_200, 2).await;
    Mock::given(method("POST"))
        .and(path("/v3/things"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401).set_body_string("token revoked"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/things"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "9"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
    request
        .json(&serde_json::json!({"name": "thing", "n": 1}))
        .unwrap();
    let response = client
        .execute(request)
        .await
        .expect("retried with new token");
    assert_eq!(response.status(), 201);

    let posts: Vec<_> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == "/v3/things")
        .collect();
    assert_eq!(posts.len(), 2);
    for post in &posts {
        let body: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
        assert_eq!(body, serde_json::json!({"name": "thing", "n": 1}));
    }
    server.verify().await;
}

#[tokio::test]
async fn a_second_401_is_returned_as_the_error() {
    let server = MockServer::start().await;
    mount_token(&server, 43_200, 2).await;
    Mock::given(method("GET"))
        .and(path("/v3/things/1"))
        .respond_with(ResponseTemplate::new(401).set_body_string("nope"))
        .expect(2)
        .mount(&server)
        .await;
    let error = client(&server).execute(get()).await.unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_no_secret(&format!("{error} {error:?}"));
    server.verify().await;
}

#[tokio::test]
async fn a_static_token_is_not_refreshed_after_a_401() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/things/1"))
        .and(header("authorization", format!("Bearer {TOKEN}")))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .access_token(TOKEN)
        .build()
        .unwrap();
    let error = client.execute(get()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    server.verify().await;
}

#[tokio::test]
async fn token_endpoint_error_is_auth_error_with_oauth_text_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": format!("Bad client credentials for secret {SECRET}"),
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;

    let error = client(&server).execute(get()).await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("expected Error::Auth, got {error:?}");
    };
    assert_eq!(auth.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(auth.oauth_error(), Some("invalid_client"));
    assert!(
        auth.error_description()
            .unwrap()
            .contains("Bad client credentials")
    );
    assert!(!auth.is_transport());
    let shown = format!("{error} | {error:?} | {auth} | {auth:?}");
    assert!(shown.contains("invalid_client"), "{shown}");
    assert!(shown.contains("HTTP 401"), "{shown}");
    assert_no_secret(&shown);
    server.verify().await;
}

#[tokio::test]
async fn token_response_without_access_token_is_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/custom/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"x": 1})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, SECRET)
        .token_url(format!("{}/custom/token", server.uri()))
        .build()
        .unwrap();
    let error = client.execute(get()).await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    assert!(error.to_string().contains("no access_token"), "{error}");
    server.verify().await;
}

#[tokio::test]
async fn unreachable_token_endpoint_is_transport_auth_error() {
    let client = Client::builder()
        .no_rate_limit()
        .base_url("http://127.0.0.1:9")
        .client_credentials(CLIENT_ID, SECRET)
        .build()
        .unwrap();
    let error = client.execute(get()).await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("expected Error::Auth, got {error:?}");
    };
    assert!(auth.is_transport());
    assert_no_secret(&format!("{error} {error:?}"));
}

#[tokio::test]
async fn debug_of_builder_and_client_hides_secret_and_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": TOKEN, "expires_in": 3600,
        })))
        .mount(&server)
        .await;
    mount_ok_for(&server, TOKEN).await;

    let builder = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, SECRET);
    let debug = format!("{builder:?} {builder:#?}");
    assert_no_secret(&debug);
    assert!(
        debug.contains("<redacted>") && debug.contains(CLIENT_ID),
        "{debug}"
    );

    let client = builder.build().unwrap();
    client.execute(get()).await.expect("token cached");
    let debug = format!("{client:?} {client:#?}");
    assert_no_secret(&debug);
    assert!(debug.contains("<redacted>"), "{debug}");
}

#[test]
fn builder_rejects_empty_credentials_and_bad_token_url() {
    let base = || {
        Client::builder()
            .no_rate_limit()
            .base_url("https://acme.api.identitynow.com")
    };
    let message = |b: isc_runtime::ClientBuilder| b.build().unwrap_err().to_string();
    assert!(message(base().client_credentials("", SECRET)).contains("client ID is empty"));
    assert!(message(base().client_credentials(CLIENT_ID, "")).contains("client secret is empty"));
    let m = message(
        base()
            .client_credentials(CLIENT_ID, SECRET)
            .token_url("ftp://x/token"),
    );
    assert!(m.contains("token URL"), "{m}");
    assert_no_secret(&m);
}
