//! Retries of `Client::execute` against a local wiremock server, and the `X-Deprecated` warning.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use isc_runtime::{Client, Error, OperationInfo, Request, RetryPolicy};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

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

/// A `POST` that only reads, marked by the generator's configuration.
static SEARCH_THINGS: OperationInfo = OperationInfo {
    operation_id: "searchThings",
    method: "POST",
    path: "/v3/things",
    tag: "Things",
    experimental: false,
    deprecated: false,
    retry_safe: true,
};

/// Tiny backoff so that tests never sleep long.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

fn client_with(uri: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .no_rate_limit()
        .base_url(uri)
        .access_token("token")
        .retry_policy(policy)
        .build()
        .expect("client builds")
}

fn client(server: &MockServer) -> Client {
    client_with(&server.uri(), fast_policy())
}

fn get_account() -> Request {
    Request::new(&GET_ACCOUNT, "/v3/accounts/1".to_owned())
}

fn create_thing() -> Request {
    let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
    request
        .json(&serde_json::json!({"name": "thing", "tags": ["a", "b"]}))
        .unwrap();
    request
}

/// Answers the given templates in order, then repeats the last one.
struct Sequence {
    responses: Vec<ResponseTemplate>,
    calls: AtomicUsize,
}

fn sequence(responses: Vec<ResponseTemplate>) -> Sequence {
    Sequence {
        responses,
        calls: AtomicUsize::new(0),
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        self.responses[n.min(self.responses.len() - 1)].clone()
    }
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "1"}))
}

async fn mount(server: &MockServer, http_method: &str, responses: Vec<ResponseTemplate>, n: u64) {
    Mock::given(method(http_method))
        .respond_with(sequence(responses))
        .expect(n)
        .mount(server)
        .await;
}

fn api_error(error: Error) -> isc_runtime::ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn retry_after_seconds_is_waited_for_then_success() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "1")
        .set_body_json(serde_json::json!({"message": "Rate Limit Exceeded"}));
    mount(&server, "GET", vec![limited, ok()], 2).await;
    let started = Instant::now();
    let response = client(&server).execute(get_account()).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(response.status(), 200);
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn retry_after_http_date_is_honoured_for_any_method() {
    let server = MockServer::start().await;
    // A date in the past means "retry now"; a POST is retried too (429 = not processed).
    let date = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(5));
    let limited = ResponseTemplate::new(429).insert_header("retry-after", date.as_str());
    mount(&server, "POST", vec![limited, ok()], 2).await;
    let response = client(&server).execute(create_thing()).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn retry_after_http_date_in_the_future_is_waited_for() {
    let server = MockServer::start().await;
    // HTTP dates have whole seconds: +2 s is between 1 and 2 s from now.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let limited = ResponseTemplate::new(429).insert_header("retry-after", date.as_str());
    mount(&server, "GET", vec![limited, ok()], 2).await;
    let started = Instant::now();
    client(&server).execute(get_account()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn retry_after_above_max_wait_is_returned_at_once() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "3600")
        .set_body_json(serde_json::json!({"message": "Rate Limit Exceeded"}));
    mount(&server, "GET", vec![limited], 1).await;
    let started = Instant::now();
    let error = client(&server).execute(get_account()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    let api = api_error(error);
    assert_eq!(api.status(), 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(api.message(), Some("Rate Limit Exceeded"));
}

#[tokio::test]
async fn rate_limit_without_retry_after_uses_backoff() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        vec![ResponseTemplate::new(429), ResponseTemplate::new(429), ok()],
        3,
    )
    .await;
    let response = client(&server).execute(create_thing()).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn service_unavailable_is_retried_for_get() {
    let server = MockServer::start().await;
    mount(&server, "GET", vec![ResponseTemplate::new(503), ok()], 2).await;
    let response = client(&server).execute(get_account()).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn bad_gateway_and_gateway_timeout_are_retried_for_get() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        vec![ResponseTemplate::new(502), ResponseTemplate::new(504), ok()],
        3,
    )
    .await;
    let response = client(&server).execute(get_account()).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn post_is_not_retried_on_service_unavailable() {
    let server = MockServer::start().await;
    mount(&server, "POST", vec![ResponseTemplate::new(503), ok()], 1).await;
    let error = client(&server).execute(create_thing()).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
}

#[tokio::test]
async fn post_marked_retry_safe_is_retried_on_service_unavailable() {
    let server = MockServer::start().await;
    mount(&server, "POST", vec![ResponseTemplate::new(503), ok()], 2).await;
    let mut request = create_thing();
    request.retry_safe(true);
    assert!(request.is_retry_safe());
    let response = client(&server).execute(request).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn post_of_a_retry_safe_operation_is_retried_on_bad_gateway() {
    let server = MockServer::start().await;
    mount(&server, "POST", vec![ResponseTemplate::new(502), ok()], 2).await;
    let mut request = Request::new(&SEARCH_THINGS, "/v3/things".to_owned());
    request.json(&serde_json::json!({"query": "*"})).unwrap();
    let response = client(&server).execute(request).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn post_named_in_the_policy_is_retried_and_others_are_not() {
    let server = MockServer::start().await;
    mount(&server, "POST", vec![ResponseTemplate::new(504), ok()], 2).await;
    let policy = fast_policy().retry_operation("createThing");
    let response = client_with(&server.uri(), policy.clone())
        .execute(create_thing())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let server = MockServer::start().await;
    mount(&server, "POST", vec![ResponseTemplate::new(504), ok()], 1).await;
    let policy = fast_policy().retry_operation("someOtherOperation");
    let error = client_with(&server.uri(), policy)
        .execute(create_thing())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::GATEWAY_TIMEOUT));
}

#[tokio::test]
async fn bad_request_is_never_retried() {
    let server = MockServer::start().await;
    mount(&server, "GET", vec![ResponseTemplate::new(400), ok()], 1).await;
    let error = client(&server).execute(get_account()).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::BAD_REQUEST));
}

#[tokio::test]
async fn internal_server_error_is_never_retried() {
    let server = MockServer::start().await;
    mount(&server, "GET", vec![ResponseTemplate::new(500), ok()], 1).await;
    let error = client(&server).execute(get_account()).await.unwrap_err();
    assert_eq!(
        error.status(),
        Some(http::StatusCode::INTERNAL_SERVER_ERROR)
    );
}

#[tokio::test]
async fn attempts_are_capped_at_max_attempts() {
    let server = MockServer::start().await;
    mount(&server, "GET", vec![ResponseTemplate::new(503)], 3).await;
    let error = client(&server).execute(get_account()).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));

    let server = MockServer::start().await;
    mount(&server, "GET", vec![ResponseTemplate::new(503)], 5).await;
    let client = client_with(&server.uri(), fast_policy().max_attempts(5));
    assert_eq!(client.retry_policy().attempts(), 5);
    client.execute(get_account()).await.unwrap_err();
}

#[tokio::test]
async fn retry_policy_none_sends_once() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "0");
    mount(&server, "GET", vec![limited, ok()], 1).await;
    let client = client_with(&server.uri(), RetryPolicy::none());
    let error = client.execute(get_account()).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn default_policy_is_three_attempts() {
    assert_eq!(RetryPolicy::default().attempts(), 3);
    assert_eq!(RetryPolicy::none().attempts(), 1);
    assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1);
    let client = Client::builder()
        .no_rate_limit()
        .base_url("http://localhost")
        .build()
        .unwrap();
    assert_eq!(client.retry_policy(), &RetryPolicy::default());
}

#[tokio::test]
async fn connection_refused_is_retried_then_transport_error() {
    // Bind a port, then close it: connecting is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = client_with(
        &format!("http://{addr}"),
        RetryPolicy::new()
            .base_delay(Duration::from_millis(200))
            .max_delay(Duration::from_millis(200)),
    );
    let collector = Arc::new(Collector::default());
    let _guard = tracing::subscriber::set_default(collector.clone());
    let error = client.execute(get_account()).await.unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected Error::Transport, got {error:?}")
    };
    assert!(transport.is_connect(), "{error:?}");
    // Two retries were logged with their reason.
    let retries = collector.messages_containing("connection failed");
    assert_eq!(retries, 2, "{:?}", collector.events());
}

#[tokio::test]
async fn body_is_sent_again_intact_on_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/things"))
        .and(body_json(
            serde_json::json!({"name": "thing", "tags": ["a", "b"]}),
        ))
        .respond_with(sequence(vec![
            ResponseTemplate::new(429).insert_header("retry-after", "0"),
            ok(),
        ]))
        .expect(2)
        .mount(&server)
        .await;
    let response = client(&server).execute(create_thing()).await.unwrap();
    assert_eq!(response.status(), 200);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(
        requests[1].headers["content-type"],
        requests[0].headers["content-type"]
    );
}

// ---- tracing -------------------------------------------------------------------------------

/// A subscriber that records every event as `LEVEL message field=value ...` and every span's
/// fields.
#[derive(Default)]
struct Collector {
    events: std::sync::Mutex<Vec<String>>,
    next_id: AtomicUsize,
}

impl Collector {
    fn events(&self) -> Vec<String> {
        self.events.lock().unwrap().clone()
    }

    fn messages_containing(&self, needle: &str) -> usize {
        self.events().iter().filter(|e| e.contains(needle)).count()
    }
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write;
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl tracing::Subscriber for Collector {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("SPAN {}", attributes.metadata().name());
        attributes.record(&mut Fields(&mut line));
        self.events.lock().unwrap().push(line);
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) as u64 + 1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = "RECORD".to_owned();
        values.record(&mut Fields(&mut line));
        self.events.lock().unwrap().push(line);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = event.metadata().level().to_string();
        event.record(&mut Fields(&mut line));
        self.events.lock().unwrap().push(line);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

static DEPRECATED_OP: OperationInfo = OperationInfo {
    operation_id: "listOldThings",
    method: "GET",
    path: "/v3/old-things/{id}",
    tag: "Things",
    experimental: false,
    deprecated: true,
    retry_safe: false,
};

#[tokio::test]
async fn deprecated_header_warns_once_per_operation_and_span_has_no_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-deprecated", "true")
                .set_body_json(serde_json::json!({"secret": "body-value"})),
        )
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server);
    let collector = Arc::new(Collector::default());
    let _guard = tracing::subscriber::set_default(collector.clone());
    for id in 1..=3 {
        let request = Request::new(&DEPRECATED_OP, format!("/v3/old-things/{id}"));
        client.execute(request).await.unwrap();
    }
    let events = collector.events();
    let warnings: Vec<_> = events.iter().filter(|e| e.starts_with("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{events:?}");
    assert!(warnings[0].contains("listOldThings"), "{events:?}");
    assert!(warnings[0].contains("deprecated"), "{events:?}");

    // One span per call with the path template, then status, attempts and duration.
    let spans: Vec<_> = events
        .iter()
        .filter(|e| e.starts_with("SPAN isc.request"))
        .collect();
    assert_eq!(spans.len(), 3, "{events:?}");
    assert!(
        spans[0].contains("operation_id=\"listOldThings\""),
        "{events:?}"
    );
    assert!(spans[0].contains("method=\"GET\""), "{events:?}");
    assert!(
        spans[0].contains("path=\"/v3/old-things/{id}\""),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| e.contains("status=200")),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| e.contains("attempts=1")),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| e.contains("duration_ms=")),
        "{events:?}"
    );

    let all = events.join("\n");
    for secret in ["token", "body-value", "/v3/old-things/2", "Bearer"] {
        assert!(!all.contains(secret), "{secret} logged: {all}");
    }
}

#[tokio::test]
async fn retry_is_logged_with_reason_and_delay() {
    let server = MockServer::start().await;
    mount(&server, "GET", vec![ResponseTemplate::new(503), ok()], 2).await;
    let collector = Arc::new(Collector::default());
    let _guard = tracing::subscriber::set_default(collector.clone());
    client(&server).execute(get_account()).await.unwrap();
    let events = collector.events();
    let retries: Vec<_> = events
        .iter()
        .filter(|e| e.starts_with("DEBUG") && e.contains("retrying"))
        .collect();
    assert_eq!(retries.len(), 1, "{events:?}");
    assert!(retries[0].contains("503 Service Unavailable"), "{events:?}");
    assert!(retries[0].contains("delay_ms="), "{events:?}");
    assert!(
        events.iter().any(|e| e.contains("attempts=2")),
        "{events:?}"
    );
}
