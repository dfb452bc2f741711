//! Typed error bodies of `Error::Api`: the shapes SailPoint sends, and their one-line `Display`.

use isc_runtime::{ApiError, ApiErrorBody, Client, Error, OperationInfo, Request, RetryPolicy};
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

/// Answers `status` with `body` once and returns the error.
async fn error_for(status: u16, body: &str, content_type: &str) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client
        .execute(Request::new(&GET_ACCOUNT, "/v3/accounts/1".to_owned()))
        .await
        .unwrap_err()
}

fn api(error: &Error) -> &ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn error_response_dto_collapses_locales_and_shows_tracking_id() {
    let body = r#"{
      "detailCode": "404 Not found",
      "trackingId": "b4b2c1f0a1d34f5c",
      "messages": [
        {"locale": "und", "localeOrigin": "DEFAULT", "text": "The account 1 was not found."},
        {"locale": "en-US", "localeOrigin": "REQUEST", "text": "The account 1 was not found."},
        {"locale": "fr-FR", "localeOrigin": "REQUEST", "text": "Le compte 1 est introuvable."}
      ],
      "causes": [
        {"locale": "fr", "text": "cause"},
        {"locale": "und", "text": "cause"}
      ]
    }"#;
    let error = error_for(404, body, "application/json").await;
    assert_eq!(
        error.to_string(),
        "getAccount: HTTP 404 Not Found: The account 1 was not found. \
         (tracking id b4b2c1f0a1d34f5c)"
    );
    assert_eq!(error.tracking_id(), Some("b4b2c1f0a1d34f5c"));
    let api = api(&error);
    assert_eq!(api.body(), body.as_bytes(), "raw body kept");
    assert_eq!(api.message(), Some("The account 1 was not found."));
    let Some(ApiErrorBody::Sailpoint(dto)) = api.error_body() else {
        panic!("expected ErrorResponseDto: {api:?}")
    };
    assert_eq!(dto.detail_code.as_deref(), Some("404 Not found"));
    assert_eq!(dto.messages.len(), 2, "{dto:?}");
    assert_eq!(dto.messages[0].locale.as_deref(), Some("en-US"));
    assert_eq!(dto.messages[0].locale_origin.as_deref(), Some("REQUEST"));
    assert_eq!(dto.messages[1].text, "Le compte 1 est introuvable.");
    assert_eq!(dto.causes.len(), 1, "{dto:?}");
    assert_eq!(dto.causes[0].locale.as_deref(), Some("und"));
}

#[tokio::test]
async fn error_response_dto_prefers_und_then_first_and_falls_back_to_detail_code() {
    let body = r#"{"detailCode":"400.1 Bad Request","trackingId":"t1","messages":[
        {"locale":"de","text":"Ungültig"},{"locale":"und","text":"Invalid filter"}]}"#;
    let error = error_for(400, body, "application/json").await;
    assert_eq!(api(&error).message(), Some("Invalid filter"));

    let body = r#"{"detailCode":"400.1 Bad Request","trackingId":"t2","messages":[]}"#;
    let error = error_for(400, body, "application/json").await;
    assert_eq!(
        error.to_string(),
        "getAccount: HTTP 400 Bad Request: 400.1 Bad Request (tracking id t2)"
    );
}

#[tokio::test]
async fn error_name_shape() {
    let body = r#"{"errorName":"NotFoundException","errorMessage":"Identity not found","trackingId":"x9"}"#;
    let error = error_for(404, body, "application/json").await;
    assert_eq!(
        error.to_string(),
        "getAccount: HTTP 404 Not Found: Identity not found (tracking id x9)"
    );
    assert_eq!(
        api(&error).error_body(),
        Some(&ApiErrorBody::Named {
            error_name: Some("NotFoundException".to_owned()),
            error_message: Some("Identity not found".to_owned()),
            tracking_id: Some("x9".to_owned()),
        })
    );
}

#[tokio::test]
async fn oauth_shape() {
    let body = r#"{"error":"invalid_client","error_description":"Bad client credentials"}"#;
    let error = error_for(401, body, "application/json").await;
    assert_eq!(
        error.to_string(),
        "getAccount: HTTP 401 Unauthorized: Bad client credentials"
    );
    assert_eq!(error.tracking_id(), None);
    assert!(matches!(
        api(&error).error_body(),
        Some(ApiErrorBody::OAuth { error, .. }) if error == "invalid_client"
    ));

    // The experimental-header 400 has only `error`.
    let body = r#"{"error":"Experimental Header is missing or invalid."}"#;
    let error = error_for(400, body, "application/json").await;
    assert_eq!(
        error.to_string(),
        "getAccount: HTTP 400 Bad Request: Experimental Header is missing or invalid."
    );
}

#[tokio::test]
async fn rate_limit_message_shape() {
    let error = error_for(
        429,
        r#"{"message":"Rate Limit Exceeded"}"#,
        "application/json",
    )
    .await;
    assert_eq!(
        error.to_string(),
        "getAccount: HTTP 429 Too Many Requests: Rate Limit Exceeded"
    );
    assert_eq!(
        api(&error).error_body(),
        Some(&ApiErrorBody::Message {
            message: "Rate Limit Exceeded".to_owned()
        })
    );
    assert_eq!(api(&error).retry_after(), None);
}

#[tokio::test]
async fn html_body_is_kept_raw_with_an_excerpt_in_display() {
    let body = format!(
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>{}</body></html>",
        "y".repeat(400)
    );
    let error = error_for(502, &body, "text/html").await;
    let api = api(&error);
    assert_eq!(api.error_body(), None);
    assert_eq!(api.message(), None);
    assert_eq!(api.tracking_id(), None);
    assert_eq!(api.body(), body.as_bytes());
    let display = error.to_string();
    assert!(
        display.starts_with(
            "getAccount: HTTP 502 Bad Gateway: <html> <head><title>502 Bad Gateway</title></head>"
        ),
        "{display}"
    );
    assert!(!display.contains('\n'), "{display}");
    assert!(display.chars().count() < 260, "{display}");
}

#[tokio::test]
async fn empty_and_unknown_json_bodies_keep_the_raw_body() {
    let error = error_for(500, "", "application/json").await;
    assert_eq!(
        error.to_string(),
        "getAccount: HTTP 500 Internal Server Error"
    );
    assert_eq!(api(&error).error_body(), None);

    let error = error_for(500, r#"{"foo":1}"#, "application/json").await;
    assert_eq!(api(&error).error_body(), None);
    assert_eq!(
        error.to_string(),
        r#"getAccount: HTTP 500 Internal Server Error: {"foo":1}"#
    );
}

#[test]
fn parse_is_lenient_about_nulls_and_types() {
    let parsed = ApiErrorBody::parse(
        br#"{"detailCode":null,"trackingId":"t","messages":[{"locale":null,"text":"Boom"},7,"plain"]}"#,
    )
    .unwrap();
    assert_eq!(parsed.message(), Some("Boom"));
    assert_eq!(parsed.tracking_id(), Some("t"));
    assert_eq!(ApiErrorBody::parse(b"[1,2]"), None);
    assert_eq!(ApiErrorBody::parse(b"not json"), None);
}
