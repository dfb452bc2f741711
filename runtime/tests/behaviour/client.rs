//! Tests of the hand-written runtime: HTTP behaviour against a local wiremock server, and the
//! value types (date-times, dates, path segments, query values, string enums).

use std::time::Duration;

use bytes::Bytes;
use isc_runtime::{
    Client, Date, DateTime, Error, FilePart, MultipartForm, OperationInfo, QueryValue, Request,
    RetryPolicy, StringEnum, path_segment,
};
use serde::{Deserialize, Serialize};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "s3cr3t-T0KEN-do-not-leak";

static GET_ACCOUNT: OperationInfo = OperationInfo {
    operation_id: "getAccount",
    method: "GET",
    path: "/v3/accounts/{id}",
    tag: "Accounts",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

static LIST_THINGS: OperationInfo = OperationInfo {
    operation_id: "listThings",
    method: "GET",
    path: "/beta/things",
    tag: "Things",
    experimental: true,
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

static PATCH_THING: OperationInfo = OperationInfo {
    operation_id: "patchThing",
    method: "PATCH",
    path: "/v3/things/{id}",
    tag: "Things",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

static UPLOAD: OperationInfo = OperationInfo {
    operation_id: "importThings",
    method: "POST",
    path: "/v3/things/import",
    tag: "Things",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

static DELETE_THING: OperationInfo = OperationInfo {
    operation_id: "deleteThing",
    method: "DELETE",
    path: "/v3/things/{id}",
    tag: "Things",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .no_rate_limit()
        .base_url(format!("{}/", server.uri()))
        .access_token(SECRET)
        .build()
        .expect("client builds")
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 1, "exactly one request expected");
    requests.remove(0)
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("header {name} missing"))
        .to_str()
        .unwrap()
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "token leaked in: {text}");
    assert!(!text.contains("T0KEN"), "token leaked in: {text}");
}

fn assert_error_hides_secret(error: &Error) {
    assert_no_secret(&format!("{error}"));
    assert_no_secret(&format!("{error:?}"));
    assert_no_secret(&format!("{error:#?}"));
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        assert_no_secret(&format!("{s} {s:?}"));
        source = s.source();
    }
}

// ----- HTTP behaviour -----

#[tokio::test]
async fn get_encodes_path_and_query_and_sends_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts/a%2Fb%20c%3F%23%25%C3%A9"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"x","name":"n"}"#))
        .mount(&server)
        .await;

    let mut request = Request::new(
        &GET_ACCOUNT,
        format!("/v3/accounts/{}", path_segment("a/b c?#%é")),
    );
    let created: DateTime = "2024-01-02T03:04:05Z".parse().unwrap();
    request.query("filters", "name eq \"x y\" and a+b=c&d");
    request.query("ids", &vec!["1".to_owned(), "2".to_owned()]);
    request.query("count", &true);
    request.query("limit", &250i32);
    request.query("created", &created);
    request.query("missing", &Option::<String>::None);
    request.header("X-Custom", &vec![1i64, 2]);
    request.implicit_header("X-SailPoint-Experimental", "true");

    #[derive(Deserialize)]
    struct Account {
        id: String,
        name: String,
    }
    let account: Account = client(&server)
        .execute(request)
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!((account.id.as_str(), account.name.as_str()), ("x", "n"));

    let received = only_request(&server).await;
    assert_eq!(
        received.url.query(),
        Some(
            "filters=name%20eq%20%22x%20y%22%20and%20a%2Bb%3Dc%26d&ids=1&ids=2&count=true\
             &limit=250&created=2024-01-02T03%3A04%3A05Z"
        )
    );
    let pairs: Vec<(String, String)> = received.url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0].1, "name eq \"x y\" and a+b=c&d");
    assert_eq!(
        header(&received, "authorization"),
        format!("Bearer {SECRET}")
    );
    assert_eq!(
        header(&received, "user-agent"),
        concat!("isc-client-rust/", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(header(&received, "accept"), "application/json");
    assert_eq!(header(&received, "x-sailpoint-experimental"), "true");
    assert_eq!(header(&received, "x-custom"), "1,2");
}

#[tokio::test]
async fn experimental_operation_sends_header_by_itself_and_custom_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/things"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .user_agent("my-app/1.0")
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut request = Request::new(&LIST_THINGS, "/beta/things".to_owned());
    request.accept("application/json;charset=utf-8");
    let things: Vec<serde_json::Value> = client.execute(request).await.unwrap().json().unwrap();
    assert!(things.is_empty());

    let received = only_request(&server).await;
    assert_eq!(header(&received, "x-sailpoint-experimental"), "true");
    assert_eq!(header(&received, "user-agent"), "my-app/1.0");
    assert_eq!(
        header(&received, "accept"),
        "application/json;charset=utf-8"
    );
    assert!(received.headers.get("authorization").is_none());
    assert_eq!(received.url.query(), None);
}

#[tokio::test]
async fn json_body_is_received_intact() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/things"))
        .respond_with(ResponseTemplate::new(201).set_body_string(r#"{"ok":true}"#))
        .mount(&server)
        .await;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct NewThing<'a> {
        display_name: &'a str,
        tags: Vec<&'a str>,
        created: DateTime,
    }
    let body = NewThing {
        display_name: "Zoë \"quoted\"",
        tags: vec!["a", "b"],
        created: "2024-01-02T03:04:05.5+02:00".parse().unwrap(),
    };
    let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
    request.json(&body).unwrap();
    let response = client(&server).execute(request).await.unwrap();
    assert_eq!(response.status(), 201);

    let received = only_request(&server).await;
    assert_eq!(header(&received, "content-type"), "application/json");
    let json: serde_json::Value = received.body_json().unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "displayName": "Zoë \"quoted\"",
            "tags": ["a", "b"],
            "created": "2024-01-02T03:04:05.500+02:00"
        })
    );
}

#[tokio::test]
async fn json_patch_content_type_is_sent_as_is() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v3/things/42"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let patch = serde_json::json!([{"op": "replace", "path": "/name", "value": "new"}]);
    let mut request = Request::new(&PATCH_THING, format!("/v3/things/{}", path_segment(&42)));
    request
        .json_with_content_type("application/json-patch+json", &patch)
        .unwrap();
    client(&server)
        .execute(request)
        .await
        .unwrap()
        .empty()
        .unwrap();

    let received = only_request(&server).await;
    assert_eq!(
        header(&received, "content-type"),
        "application/json-patch+json"
    );
    assert_eq!(received.body_json::<serde_json::Value>().unwrap(), patch);
}

#[tokio::test]
async fn text_and_bytes_request_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client(&server);

    let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
    request.text("text/csv", "a,b\n1,2\n".to_owned());
    client.execute(request).await.unwrap();
    let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
    request.bytes(
        "application/octet-stream",
        Bytes::from_static(b"\x00\x01\xff"),
    );
    client.execute(request).await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(header(&received[0], "content-type"), "text/csv");
    assert_eq!(received[0].body, b"a,b\n1,2\n");
    assert_eq!(
        header(&received[1], "content-type"),
        "application/octet-stream"
    );
    assert_eq!(received[1].body, b"\x00\x01\xff");
}

#[tokio::test]
async fn multipart_file_and_text_parts_are_received() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/things/import"))
        .respond_with(ResponseTemplate::new(202).set_body_string(r#"{"id":"job"}"#))
        .mount(&server)
        .await;
    let form = MultipartForm::new().text("mode", "replace").file(
        "file",
        FilePart::new(Bytes::from_static(b"id,name\n1,alice\n"), "things.csv")
            .content_type("text/csv"),
    );
    let mut request = Request::new(&UPLOAD, "/v3/things/import".to_owned());
    request.multipart(form.clone());
    // The request is plain data: it can be cloned and sent again.
    let again = request.clone();
    let client = client(&server);
    client.execute(request).await.unwrap();
    client.execute(again).await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    for request in &received {
        let content_type = header(request, "content-type");
        assert!(
            content_type.starts_with("multipart/form-data; boundary="),
            "{content_type}"
        );
        let body = String::from_utf8_lossy(&request.body);
        assert!(body.contains("name=\"mode\""), "{body}");
        assert!(body.contains("\r\n\r\nreplace\r\n"), "{body}");
        assert!(
            body.contains("name=\"file\"; filename=\"things.csv\""),
            "{body}"
        );
        assert!(body.contains("Content-Type: text/csv"), "{body}");
        assert!(body.contains("id,name\n1,alice\n"), "{body}");
    }
}

#[tokio::test]
async fn text_bytes_and_empty_responses() {
    let server = MockServer::start().await;
    Mock::given(path("/v3/accounts/text"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("héllo", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(path("/v3/accounts/bytes"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![0u8, 159, 146, 150], "application/zip"),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);

    let text = client
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/text".to_owned()))
        .await
        .unwrap();
    assert_eq!(text.headers()["content-type"], "text/plain");
    assert_eq!(text.text().unwrap(), "héllo");

    let bytes = client
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/bytes".to_owned()))
        .await
        .unwrap();
    assert_eq!(bytes.body().len(), 4);
    assert_eq!(bytes.bytes(), Bytes::from_static(&[0, 159, 146, 150]));

    // Invalid UTF-8 as text is a decode error at the root.
    let bytes = client
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/bytes".to_owned()))
        .await
        .unwrap();
    match bytes.text() {
        Err(Error::Decode(e)) => {
            assert_eq!(e.path(), ".");
            assert!(e.message().contains("UTF-8"), "{}", e.message());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    let deleted = client
        .execute(Request::new(&DELETE_THING, "/v3/things/1".to_owned()))
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        deleted.clone().json_opt::<serde_json::Value>().unwrap(),
        None
    );
    // An empty body is an empty list, and for any other type an error that says so.
    assert_eq!(
        deleted.clone().json_list::<serde_json::Value>().unwrap(),
        Vec::<serde_json::Value>::new()
    );
    for error in [
        deleted.clone().json::<serde_json::Value>().unwrap_err(),
        deleted.clone().json::<Vec<String>>().unwrap_err(),
    ] {
        let Error::Decode(e) = error else {
            panic!("expected a decode error, got {error:?}")
        };
        assert_eq!(e.operation_id(), "deleteThing");
        assert_eq!(e.status(), 204);
        assert_eq!(e.path(), ".");
        assert_eq!(
            e.message(),
            "the response has no body, although the spec declares a JSON body"
        );
    }
    match deleted.json_value() {
        Err(Error::Decode(e)) => assert_eq!(e.message(), "the response has no body"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    deleted.empty().unwrap();
}

#[tokio::test]
async fn non_2xx_is_api_error_with_status_headers_and_raw_body() {
    let server = MockServer::start().await;
    let body = "{\n  \"detailCode\": \"404 Not found\",\n  \"trackingId\": \"abc\",\n  \
                \"messages\": [{\"locale\": \"en-US\", \"text\": \"The account was not found.\"}]\n}";
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-tracking", "abc")
                .set_body_raw(body, "application/json"),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/nope".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    assert_eq!(error.body(), Some(body.as_bytes()));
    assert_eq!(error.operation_id(), Some("getAccount"));
    let display = error.to_string();
    assert!(!display.contains('\n'), "{display}");
    assert_eq!(
        display,
        "getAccount: HTTP 404 Not Found: The account was not found. (tracking id abc)"
    );
    assert_error_hides_secret(&error);
    let Error::Api(api) = error else {
        panic!("expected Error::Api")
    };
    assert_eq!(api.headers()["x-tracking"], "abc");
    assert_eq!(api.body_text(), body);
    let dto: serde_json::Value = api.body_json().unwrap();
    assert_eq!(dto["trackingId"], "abc");
}

#[tokio::test]
async fn api_error_display_is_truncated_and_handles_empty_bodies() {
    let server = MockServer::start().await;
    Mock::given(path("/v3/accounts/long"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_string(format!("<html>\n<body>{}</body></html>", "x".repeat(500))),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v3/accounts/empty"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "10"))
        .mount(&server)
        .await;
    // Only the Display is tested here: no retries of the 502 and the 429.
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let long = client
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/long".to_owned()))
        .await
        .unwrap_err();
    let display = long.to_string();
    assert!(
        display.starts_with("getAccount: HTTP 502 Bad Gateway: <html> <body>xxx"),
        "{display}"
    );
    assert!(display.chars().count() < 260, "{display}");
    assert_eq!(long.body().unwrap().len(), 527);

    let empty = client
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/empty".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(empty.to_string(), "getAccount: HTTP 429 Too Many Requests");
    let Error::Api(api) = empty else {
        panic!("expected Error::Api")
    };
    assert_eq!(api.headers()["retry-after"], "10");
}

#[tokio::test]
async fn malformed_json_is_decode_error_with_path_and_raw_body() {
    let server = MockServer::start().await;
    let body = r#"{"items":[{"name":"a"},{"name":true}]}"#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    #[derive(Debug, Deserialize)]
    struct Item {
        #[allow(dead_code)]
        name: String,
    }
    #[derive(Debug, Deserialize)]
    struct Page {
        #[allow(dead_code)]
        items: Vec<Item>,
    }
    let error = client(&server)
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/x".to_owned()))
        .await
        .unwrap()
        .json::<Page>()
        .unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::OK));
    assert_eq!(error.body(), Some(body.as_bytes()));
    let display = error.to_string();
    assert!(
        display.starts_with(
            "getAccount: the request succeeded (HTTP 200) but its answer cannot be decoded at \
             items[1].name: invalid type"
        ),
        "{display}"
    );
    assert_error_hides_secret(&error);
    let Error::Decode(decode) = error else {
        panic!("expected Error::Decode")
    };
    assert_eq!(decode.path(), "items[1].name");
    assert_eq!(decode.operation_id(), "getAccount");

    // Syntax errors and trailing garbage are decode errors too.
    for bad in ["{\"items\": [", "[] trailing"] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string(bad))
            .mount(&server)
            .await;
        let error = client(&server)
            .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/x".to_owned()))
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{error:?}");
        assert_eq!(error.body(), Some(bad.as_bytes()));
    }
}

#[tokio::test]
async fn connection_refused_is_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = Client::builder()
        .no_rate_limit()
        .base_url(format!("http://127.0.0.1:{port}"))
        .access_token(SECRET)
        .build()
        .unwrap();
    let error = client
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/1".to_owned()))
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected Error::Transport, got {error:?}")
    };
    assert!(transport.is_connect(), "{error:?}");
    assert_eq!(error.to_string(), "getAccount: cannot connect to server");
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(error.status(), None);
    assert_error_hides_secret(&error);
}

#[tokio::test]
async fn timeout_is_transport_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = client
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/1".to_owned()))
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected Error::Transport, got {error:?}")
    };
    assert!(transport.is_timeout(), "{error:?}");
    assert_eq!(error.to_string(), "getAccount: request timed out");
}

#[test]
fn config_errors_have_clear_messages() {
    let missing = Client::builder()
        .no_rate_limit()
        .access_token(SECRET)
        .build()
        .unwrap_err();
    assert!(matches!(missing, Error::Config(_)));
    assert!(missing.to_string().contains("no base URL"), "{missing}");
    assert_error_hides_secret(&missing);

    for bad in [
        "not a url",
        "ftp://example.com",
        "https://",
        "https://h/?q=1",
        "   ",
    ] {
        let error = Client::builder()
            .no_rate_limit()
            .base_url(bad)
            .access_token(SECRET)
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{bad}: {error:?}");
        assert!(error.to_string().contains("invalid base URL"), "{error}");
        assert_error_hides_secret(&error);
    }

    let with_credentials = Client::builder()
        .no_rate_limit()
        .base_url(format!("https://user:{SECRET}@acme.api.identitynow.com"))
        .build()
        .unwrap_err();
    assert!(
        with_credentials
            .to_string()
            .contains("must not contain credentials"),
        "{with_credentials}"
    );
    assert_error_hides_secret(&with_credentials);

    let bad_token = Client::builder()
        .no_rate_limit()
        .base_url("https://acme.api.identitynow.com")
        .access_token(format!("{SECRET}\n"))
        .build()
        .unwrap_err();
    assert!(matches!(bad_token, Error::Config(_)));
    assert_error_hides_secret(&bad_token);
}

#[test]
fn tenant_and_base_url_normalisation() {
    let client = Client::builder()
        .no_rate_limit()
        .base_url("https://acme.api.identitynow.com")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://acme.api.identitynow.com");
    let client = Client::builder()
        .no_rate_limit()
        .base_url("https://acme.api.identitynow-demo.com/")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://acme.api.identitynow-demo.com");
}

#[test]
fn client_and_builder_debug_never_show_the_token() {
    let builder = Client::builder()
        .no_rate_limit()
        .base_url("https://acme.api.identitynow.com")
        .access_token(SECRET);
    let debug = format!("{builder:?}");
    assert_no_secret(&debug);
    assert!(debug.contains("Some(<redacted>)"), "{debug}");
    let client = builder.build().unwrap();
    let debug = format!("{client:?} {client:#?}");
    assert_no_secret(&debug);
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(debug.contains("acme.api.identitynow.com"), "{debug}");

    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
    assert_traits::<Request>();
    assert_traits::<isc_runtime::Response>();
    // The future of `execute` can be spawned on a multi-threaded runtime.
    fn assert_send<T: Send>(_: &T) {}
    let future = client.execute(Request::new(&GET_ACCOUNT, "/v3/accounts/1".to_owned()));
    assert_send(&future);
    drop(future);
}

#[test]
fn request_is_plain_data_and_debug_hides_bodies() {
    let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
    request.query("limit", &10i32);
    request.header("X-Id", "a");
    request.header("x-id", "b");
    request
        .json(&serde_json::json!({"password": SECRET}))
        .unwrap();
    assert_eq!(request.operation().operation_id, "createThing");
    assert_eq!(request.path(), "/v3/things");
    assert_eq!(request.query_pairs(), &[("limit", "10".to_owned())]);
    assert_eq!(request.headers(), &[("x-id", "b".to_owned())]);
    match request.body() {
        isc_runtime::Body::Bytes { content_type, data } => {
            assert_eq!(*content_type, "application/json");
            assert!(data.starts_with(b"{\"password\""));
        }
        other => panic!("unexpected body {other:?}"),
    }
    let debug = format!("{request:?}");
    assert_no_secret(&debug);
    assert!(debug.contains("len"), "{debug}");

    let form = MultipartForm::new()
        .text("secret", SECRET)
        .file("f", FilePart::new(SECRET.as_bytes().to_vec(), "a.txt"));
    assert_no_secret(&format!("{form:?}"));
}

#[test]
fn encode_error_for_unserialisable_body() {
    struct Broken;
    impl Serialize for Broken {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("boom"))
        }
    }
    let mut request = Request::new(&CREATE_THING, "/v3/things".to_owned());
    let error = request.json(&Broken).unwrap_err();
    assert!(matches!(error, Error::Encode(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "createThing: cannot serialise request body as JSON: boom"
    );
}

// ----- DateTime and Date -----

fn dt(s: &str) -> DateTime {
    s.parse()
        .unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
}

#[test]
fn date_time_accepts_the_spellings_seen_on_the_wire() {
    let base = dt("2024-01-02T03:04:05Z");
    assert_eq!(base.to_string(), "2024-01-02T03:04:05Z");
    assert_eq!(base.epoch_millis(), 1_704_164_645_000);
    for same in [
        "2024-01-02T03:04:05+00:00",
        "2024-01-02T03:04:05+0000",
        "2024-01-02T03:04:05-00:00",
        "2024-01-02T03:04:05",
        "2024-01-02 03:04:05",
        "2024-01-02 03:04:05Z",
        "2024-01-02t03:04:05z",
        "2024-01-02T04:04:05+01:00",
        "2024-01-02T04:04:05+01",
        "2024-01-01T22:34:05-04:30",
    ] {
        assert_eq!(dt(same), base, "{same}");
    }
    let nanos = |s: &str| chrono::Timelike::nanosecond(dt(s).as_chrono());
    assert_eq!(nanos("2024-01-02T03:04:05.1Z"), 100_000_000);
    assert_eq!(nanos("2024-01-02T03:04:05.123Z"), 123_000_000);
    assert_eq!(nanos("2024-01-02T03:04:05.12345Z"), 123_450_000);
    assert_eq!(nanos("2024-01-02T03:04:05.123456Z"), 123_456_000);
    assert_eq!(nanos("2024-01-02T03:04:05.123456789Z"), 123_456_789);
    assert_eq!(nanos("2024-01-02T03:04:05.123456+00:00"), 123_456_000);
    assert_eq!(nanos("2024-01-02 03:04:05.5"), 500_000_000);

    let offset = dt("2024-01-02T04:04:05.250+01:00");
    assert_eq!(offset.as_chrono().offset().local_minus_utc(), 3600);
    assert_eq!(offset.to_string(), "2024-01-02T04:04:05.250+01:00");
}

#[test]
fn date_time_rejects_garbage_with_a_clear_error() {
    for bad in [
        "",
        "garbage",
        "2024-01-02",
        "2024-13-02T03:04:05Z",
        "2024-01-02T25:04:05Z",
        "2024-01-02T03:04:05.Z",
        "2024-01-02T03:04:05.12a4Z",
        "2024-01-02 03:04:05 UTC",
        "2024-01-02 03:04:05 +0000 Coordinated",
        "Mon Aug 21 14:57:39 CDT 2023",
        "2024-01-02T03:04:05+1:00",
        "2024-01-02T03:04:05+01:60",
        "2024-01-02X03:04:05Z",
        "2024-01-02T03:04:05Zjunk",
    ] {
        let error = bad.parse::<DateTime>().unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("invalid date-time"), "{bad}: {message}");
        assert!(message.contains("2024-01-02T03:04:05Z"), "{message}");
    }
    let error = serde_json::from_str::<DateTime>("\"yesterday\"").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("invalid date-time \"yesterday\""),
        "{error}"
    );
    assert!(serde_json::from_str::<DateTime>("true").is_err());
    assert!(serde_json::from_str::<DateTime>("1.5").is_err());
}

#[test]
fn date_time_serde() {
    let from_millis: DateTime = serde_json::from_str("1704164645123").unwrap();
    assert_eq!(from_millis, dt("2024-01-02T03:04:05.123Z"));
    assert_eq!(
        serde_json::to_string(&from_millis).unwrap(),
        "\"2024-01-02T03:04:05.123Z\""
    );
    let negative: DateTime = serde_json::from_str("-1000").unwrap();
    assert_eq!(negative.to_string(), "1969-12-31T23:59:59Z");
    // Epoch milliseconds as a string of digits, too (but not through `FromStr`).
    let from_string: DateTime = serde_json::from_str("\"1704164645123\"").unwrap();
    assert_eq!(from_string, dt("2024-01-02T03:04:05.123Z"));
    assert!("1704164645123".parse::<DateTime>().is_err());
    for (json, message) in [
        (
            "\"9000000000000000000\"",
            "epoch milliseconds 9000000000000000000 out of range at line 1 column 21",
        ),
        (
            "\"9999999999999999999\"",
            "epoch milliseconds 9999999999999999999 out of range at line 1 column 21",
        ),
        (
            "\"17041646451230000000\"",
            "invalid date-time \"17041646451230000000\": expected an RFC 3339 date-time \
             such as 2024-01-02T03:04:05Z (or epoch milliseconds) at line 1 column 22",
        ),
        (
            "\"1704164645123.5\"",
            "invalid date-time \"1704164645123.5\": expected an RFC 3339 date-time \
             such as 2024-01-02T03:04:05Z (or epoch milliseconds) at line 1 column 17",
        ),
    ] {
        let error = serde_json::from_str::<DateTime>(json).unwrap_err();
        assert_eq!(error.to_string(), message, "{json}");
    }

    for text in [
        "2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05.123456Z",
        "2024-01-02T03:04:05.123456789-07:00",
    ] {
        let value: DateTime = serde_json::from_str(&format!("\"{text}\"")).unwrap();
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<DateTime>(&json).unwrap(), value);
    }
    // Whole seconds drop the fraction; +00:00 becomes Z.
    assert_eq!(
        dt("2024-01-02T03:04:05.000+00:00").to_string(),
        "2024-01-02T03:04:05Z"
    );

    let utc = chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z")
        .unwrap()
        .to_utc();
    assert_eq!(DateTime::from(utc), dt("2024-01-02T03:04:05Z"));
    assert!(dt("2024-01-02T03:04:05Z") < dt("2024-01-02T03:04:06Z"));
    assert_eq!(
        format!("{:?}", dt("2024-01-02T03:04:05Z")),
        "DateTime(2024-01-02T03:04:05Z)"
    );
}

#[test]
fn date_parses_dates_and_date_times() {
    let date: Date = "2024-01-02".parse().unwrap();
    assert_eq!(date, Date::from_ymd(2024, 1, 2).unwrap());
    assert_eq!(date.to_string(), "2024-01-02");
    assert_eq!("2024-01-02T23:59:59-05:00".parse::<Date>().unwrap(), date);
    assert_eq!("2024-01-02 10:00:00".parse::<Date>().unwrap(), date);
    assert_eq!(serde_json::to_string(&date).unwrap(), "\"2024-01-02\"");
    assert_eq!(
        serde_json::from_str::<Date>("\"2024-01-02\"").unwrap(),
        date
    );
    assert_eq!(
        serde_json::from_str::<Date>("\"2024-01-02T03:04:05.123Z\"").unwrap(),
        date
    );
    for bad in [
        "",
        "2024-1-2",
        "2024-02-30",
        "02/01/2024",
        "2024-01-02Tgarbage",
    ] {
        let error = bad.parse::<Date>().unwrap_err();
        assert!(error.to_string().starts_with("invalid date"), "{error}");
    }
    assert!(serde_json::from_str::<Date>("20240102").is_err());
}

// ----- path segments and query values -----

#[test]
fn path_segment_encodes_everything_but_unreserved() {
    assert_eq!(path_segment("abc-DEF_0.9~"), "abc-DEF_0.9~");
    assert_eq!(path_segment("a/b"), "a%2Fb");
    assert_eq!(path_segment("a b?c#d%e"), "a%20b%3Fc%23d%25e");
    assert_eq!(path_segment("é"), "%C3%A9");
    assert_eq!(path_segment("x+y&z=1"), "x%2By%26z%3D1");
    assert_eq!(path_segment(&42), "42");
    assert_eq!(
        path_segment(&"2c9180835d2e5168015d32f890ca1581".to_owned()),
        "2c9180835d2e5168015d32f890ca1581"
    );
}

fn pairs<V: QueryValue + ?Sized>(value: &V) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    value.append_to("q", &mut out);
    out
}

fn q(values: &[&str]) -> Vec<(&'static str, String)> {
    values.iter().map(|v| ("q", (*v).to_owned())).collect()
}

#[test]
fn query_values() {
    assert_eq!(pairs("x y"), q(&["x y"]));
    assert_eq!(pairs(&"s".to_owned()), q(&["s"]));
    assert_eq!(pairs(&true), q(&["true"]));
    assert_eq!(pairs(&-5i32), q(&["-5"]));
    assert_eq!(pairs(&9_000_000_000i64), q(&["9000000000"]));
    assert_eq!(pairs(&1.5f32), q(&["1.5"]));
    assert_eq!(pairs(&0.25f64), q(&["0.25"]));
    assert_eq!(
        pairs(&dt("2024-01-02T03:04:05.100Z")),
        q(&["2024-01-02T03:04:05.100Z"])
    );
    assert_eq!(
        pairs(&Date::from_ymd(2024, 1, 2).unwrap()),
        q(&["2024-01-02"])
    );
    assert_eq!(pairs(&serde_json::json!("plain")), q(&["plain"]));
    assert_eq!(
        pairs(&serde_json::json!({"a": [1, 2]})),
        q(&["{\"a\":[1,2]}"])
    );
    assert_eq!(pairs(&serde_json::json!(3)), q(&["3"]));
    assert_eq!(pairs(&serde_json::Value::Null), q(&[]));
    assert_eq!(pairs(&vec!["a", "b"]), q(&["a", "b"]));
    assert_eq!(pairs(&[1i32, 2, 3][..]), q(&["1", "2", "3"]));
    assert_eq!(pairs(&Some(vec![true])), q(&["true"]));
    assert_eq!(pairs(&Option::<i32>::None), q(&[]));
    assert_eq!(pairs(&Vec::<String>::new()), q(&[]));
    let borrowed: &&str = &"r";
    assert_eq!(pairs(borrowed), q(&["r"]));
}

// ----- string enums -----

#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Active,
    Disabled,
    Other(String),
}

impl StringEnum for Status {
    fn as_str(&self) -> &str {
        match self {
            Status::Active => "ACTIVE",
            Status::Disabled => "DISABLED",
            Status::Other(other) => other,
        }
    }

    fn from_wire(value: String) -> Self {
        match value.as_str() {
            "ACTIVE" => Status::Active,
            "DISABLED" => Status::Disabled,
            _ => Status::Other(value),
        }
    }
}

isc_runtime::impl_string_enum!(Status);

#[test]
fn string_enum_keeps_unknown_values() {
    assert_eq!(
        serde_json::from_str::<Status>("\"ACTIVE\"").unwrap(),
        Status::Active
    );
    let unknown: Vec<Status> = serde_json::from_str(r#"["DISABLED","LOCKED_OUT"]"#).unwrap();
    assert_eq!(
        unknown,
        vec![Status::Disabled, Status::Other("LOCKED_OUT".to_owned())]
    );
    assert_eq!(
        serde_json::to_string(&unknown).unwrap(),
        r#"["DISABLED","LOCKED_OUT"]"#
    );
    let error = serde_json::from_str::<Status>("42").unwrap_err();
    assert!(error.to_string().contains("expected a string"), "{error}");
    assert!(serde_json::from_str::<Status>("null").is_err());

    assert_eq!(Status::Active.to_string(), "ACTIVE");
    assert_eq!("NEW".parse::<Status>(), Ok(Status::Other("NEW".to_owned())));
    assert_eq!(AsRef::<str>::as_ref(&Status::Disabled), "DISABLED");
    assert_eq!(
        pairs(&vec![Status::Active, Status::Disabled]),
        q(&["ACTIVE", "DISABLED"])
    );
}
