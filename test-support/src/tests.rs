//! The mock tenant driven by the runtime's own client and hand-written operations (no
//! generated code, so these build in seconds).

use std::time::Duration;

use isc_runtime::{Client, Error, OffsetPagination, OperationInfo, Request, RetryPolicy};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{ErrorBody, MOCK_TRACKING_ID, MockResponse, MockTenant};

const fn op(operation_id: &'static str, method: &'static str, path: &'static str) -> OperationInfo {
    OperationInfo {
        operation_id,
        method,
        path,
        tag: "Accounts",
        experimental: false,
        deprecated: false,
        retry_safe: false,
    }
}

static LIST_ACCOUNTS: OperationInfo = op("listAccounts", "GET", "/v3/accounts");
static GET_ACCOUNT: OperationInfo = op("getAccount", "GET", "/v3/accounts/{id}");
static SEARCH_ACCOUNTS: OperationInfo = op("searchAccounts", "GET", "/v3/accounts/search");
static DISABLE_ACCOUNT: OperationInfo = op("disableAccount", "POST", "/v3/accounts/{id}/disable");
static CREATE_ACCESS_PROFILE: OperationInfo =
    op("createAccessProfile", "POST", "/v3/access-profiles");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    id: String,
    name: String,
    locked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessProfile {
    name: String,
    source_id: String,
}

fn account(id: &str, locked: bool) -> Account {
    Account {
        id: id.to_owned(),
        name: format!("name of {id}"),
        locked,
    }
}

fn client(mock: &MockTenant) -> Client {
    Client::builder()
        .base_url(mock.base_url())
        .access_token("test-token")
        .retry_policy(RetryPolicy::none())
        .no_rate_limit()
        .build()
        .unwrap()
}

fn get_account(id: &str) -> Request {
    Request::new(
        &GET_ACCOUNT,
        format!("/v3/accounts/{}", isc_runtime::path_segment(id)),
    )
}

#[tokio::test]
async fn answers_typed_values_and_records_the_query_and_headers() {
    let mock = MockTenant::start().await;
    let accounts = vec![account("a-1", false), account("a-2", true)];
    let answered = mock.on(&LIST_ACCOUNTS).respond(&accounts);

    let mut request = Request::new(&LIST_ACCOUNTS, "/v3/accounts".to_owned());
    request.query("filters", "sourceId eq \"s 1\"");
    request.query("sorters", "name");
    let got: Vec<Account> = client(&mock)
        .execute(request)
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(got, accounts);

    let sent = mock.requests(&LIST_ACCOUNTS);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method(), "GET");
    assert_eq!(sent[0].path(), "/v3/accounts");
    assert_eq!(sent[0].query("filters"), Some("sourceId eq \"s 1\""));
    assert_eq!(sent[0].query("sorters"), Some("name"));
    assert_eq!(sent[0].query("limit"), None);
    assert_eq!(sent[0].header("Authorization"), Some("Bearer test-token"));
    assert_eq!(sent[0].header("accept"), Some("application/json"));
    assert_eq!(sent[0].operation(), Some(&LIST_ACCOUNTS));
    assert!(sent[0].was_matched());
    assert_eq!(answered.calls(), 1);
    assert_eq!(answered.requests().len(), 1);
    assert!(mock.unmatched().is_empty());
    mock.assert_all_called();
}

#[tokio::test]
async fn path_params_choose_the_mock_and_errors_have_sailpoint_shape() {
    let mock = MockTenant::start().await;
    mock.on(&GET_ACCOUNT)
        .path_param("id", "a/1")
        .respond(account("a/1", false));
    mock.on(&GET_ACCOUNT)
        .path_param("id", "a-2")
        .respond_error(404, "The account a-2 was not found.");
    let client = client(&mock);

    let found: Account = client
        .execute(get_account("a/1"))
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(found.id, "a/1");

    let error = client.execute(get_account("a-2")).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.tracking_id(), Some(MOCK_TRACKING_ID));
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.message(), Some("The account a-2 was not found."));

    let sent = mock.requests(&GET_ACCOUNT);
    let ids: Vec<_> = sent.iter().map(|r| r.path_param("id").unwrap()).collect();
    assert_eq!(ids, ["a/1", "a-2"]);
    assert_eq!(sent[0].path(), "/v3/accounts/a%2F1");
    mock.assert_all_called();
}

#[tokio::test]
async fn an_unmatched_request_gets_a_404_that_says_why_and_is_reported() {
    let mock = MockTenant::start().await;
    mock.on(&GET_ACCOUNT)
        .path_param("id", "a-1")
        .respond(account("a-1", false));
    mock.on(&LIST_ACCOUNTS)
        .optional()
        .respond(Vec::<Account>::new());
    let client = client(&mock);

    let error = client.execute(get_account("a-9")).await.unwrap_err();
    assert!(error.is_not_found());
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.headers()["x-isc-test-support"], "no-mock");
    let message = api.message().unwrap();
    assert!(
        message.contains("GET /v3/accounts/a-9 (getAccount)"),
        "{message}"
    );
    assert!(
        message.contains("path param id is \"a-9\", not \"a-1\""),
        "{message}"
    );
    assert!(
        message.contains("listAccounts (GET /v3/accounts)"),
        "{message}"
    );

    // A path no operation has.
    let other = Request::new(&GET_ACCOUNT, "/v3/sources".to_owned());
    let error = client.execute(other).await.unwrap_err();
    assert!(error.is_not_found());

    let unmatched = mock.unmatched();
    assert_eq!(unmatched.len(), 2);
    assert_eq!(unmatched[0].operation(), Some(&GET_ACCOUNT));
    assert_eq!(unmatched[0].path_param("id"), Some("a-9"));
    assert_eq!(unmatched[1].operation(), None);
    // The unmatched request still counts as one of getAccount's.
    assert_eq!(mock.requests(&GET_ACCOUNT).len(), 1);

    let problems = mock.problems();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with("no mock answered GET /v3/accounts/a-9 (getAccount)"));
    assert!(problems[1].starts_with("no mock answered GET /v3/sources:"));
    assert_eq!(
        problems[2],
        "getAccount (GET /v3/accounts/{id}) with path param id = \"a-1\" expected at least 1 \
         call, got 0"
    );

    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        mock.assert_all_called();
    }))
    .unwrap_err();
    let text = panic.downcast_ref::<String>().unwrap();
    assert!(text.contains("expectations failed"), "{text}");
    assert!(text.contains("GET /v3/accounts/a-9"), "{text}");
    assert!(
        text.contains("operations with mocks: getAccount (GET /v3/accounts/{id}), listAccounts"),
        "{text}"
    );
}

#[tokio::test]
async fn a_literal_segment_wins_over_a_parameter() {
    let mock = MockTenant::start().await;
    mock.on(&GET_ACCOUNT)
        .optional()
        .respond(account("x", false));
    mock.on(&SEARCH_ACCOUNTS).respond(vec![account("s", false)]);
    let request = Request::new(&SEARCH_ACCOUNTS, "/v3/accounts/search".to_owned());
    let got: Vec<Account> = client(&mock)
        .execute(request)
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(got[0].id, "s");
    assert_eq!(mock.requests(&SEARCH_ACCOUNTS).len(), 1);
    assert!(mock.requests(&GET_ACCOUNT).is_empty());
    mock.assert_all_called();
}

#[tokio::test]
async fn times_sequences_and_then() {
    let mock = MockTenant::start().await;
    let first = mock
        .on(&GET_ACCOUNT)
        .times(1)
        .respond(account("first", false));
    let sequence = mock.on(&GET_ACCOUNT).respond_with_sequence(vec![
        MockResponse::ok(&account("second", false)),
        MockResponse::error(409, "busy"),
    ]);
    let rest = mock
        .on(&GET_ACCOUNT)
        .respond(account("third", false))
        .then(MockResponse::ok(&account("fourth", false)));
    let client = client(&mock);
    let mut answers = Vec::new();
    for _ in 0..6 {
        answers.push(match client.execute(get_account("a")).await {
            Ok(response) => response.json::<Account>().unwrap().id,
            Err(error) => error.status().unwrap().as_u16().to_string(),
        });
    }
    assert_eq!(
        answers,
        ["first", "second", "409", "third", "fourth", "fourth"]
    );
    assert_eq!((first.calls(), sequence.calls(), rest.calls()), (1, 2, 3));
    mock.assert_all_called();
}

#[tokio::test]
async fn times_reports_too_few_calls() {
    let mock = MockTenant::start().await;
    mock.on(&GET_ACCOUNT).times(2).respond(account("a", false));
    client(&mock).execute(get_account("a")).await.unwrap();
    assert_eq!(
        mock.problems(),
        ["getAccount (GET /v3/accounts/{id}) expected 2 call(s), got 1"]
    );
}

#[tokio::test]
async fn a_retried_request_gets_the_next_answer() {
    let mock = MockTenant::start().await;
    let accounts = mock
        .on(&GET_ACCOUNT)
        .respond_with(MockResponse::error(503, "busy").header("Retry-After", "0"))
        .then(MockResponse::ok(&account("a", false)));
    let client = Client::builder()
        .base_url(mock.base_url())
        .access_token("t")
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(1)))
        .no_rate_limit()
        .build()
        .unwrap();
    let got: Account = client
        .execute(get_account("a"))
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(got.id, "a");
    assert_eq!(accounts.calls(), 2);
}

#[tokio::test]
async fn pages_answer_offset_and_limit_with_the_total() {
    let mock = MockTenant::start().await;
    let all: Vec<Account> = (0..4).map(|i| account(&format!("a-{i}"), false)).collect();
    mock.on(&LIST_ACCOUNTS)
        .respond_pages(vec![all[..2].to_vec(), all[2..].to_vec()]);
    let template = Request::new(&LIST_ACCOUNTS, "/v3/accounts".to_owned());
    let got: Vec<Account> = client(&mock)
        .paginate(template, OffsetPagination::new().page_size(2))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(got, all);

    // The total (4) stops the listing after the second page: no request at offset 4.
    let sent = mock.requests(&LIST_ACCOUNTS);
    let asked: Vec<_> = sent
        .iter()
        .map(|r| (r.query("offset"), r.query("limit"), r.query("count")))
        .collect();
    assert_eq!(
        asked,
        [
            (Some("0"), Some("2"), Some("true")),
            (Some("2"), Some("2"), None)
        ]
    );
    mock.assert_all_called();
}

#[tokio::test]
async fn a_list_is_served_whatever_the_page_size() {
    let mock = MockTenant::start().await;
    let all: Vec<Account> = (0..5).map(|i| account(&format!("a-{i}"), false)).collect();
    mock.on(&LIST_ACCOUNTS).respond_list(all.clone());
    let client = client(&mock);
    for size in [1, 2, 3, 250] {
        let template = Request::new(&LIST_ACCOUNTS, "/v3/accounts".to_owned());
        let got: Vec<Account> = client
            .paginate(template, OffsetPagination::new().page_size(size))
            .collect_all()
            .await
            .unwrap();
        assert_eq!(got, all, "page size {size}");
    }

    let mut request = Request::new(&LIST_ACCOUNTS, "/v3/accounts".to_owned());
    request.query("offset", "x");
    let error = client.execute(request).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn json_body_matchers_and_the_typed_body() {
    let mock = MockTenant::start().await;
    let wanted = AccessProfile {
        name: "Payroll".to_owned(),
        source_id: "s-1".to_owned(),
    };
    mock.on(&CREATE_ACCESS_PROFILE)
        .json_body_includes(json!({"name": "Other"}))
        .optional()
        .respond_error(400, "wrong mock");
    mock.on(&CREATE_ACCESS_PROFILE)
        .json_body(&wanted)
        .header("content-type", "application/json")
        .respond_status(201, &wanted);
    let mut request = Request::new(&CREATE_ACCESS_PROFILE, "/v3/access-profiles".to_owned());
    request.json(&wanted).unwrap();
    let response = client(&mock).execute(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 201);

    let sent = mock.requests(&CREATE_ACCESS_PROFILE);
    let body: AccessProfile = sent[0].json().unwrap();
    assert_eq!(body, wanted);
    assert_eq!(sent[0].json_value().unwrap()["sourceId"], "s-1");
    mock.assert_all_called();
}

#[tokio::test]
async fn respond_fn_and_empty_answers() {
    let mock = MockTenant::start().await;
    mock.on(&DISABLE_ACCOUNT).respond_fn(|request| {
        let id = request.path_param("id").unwrap_or_default();
        MockResponse::status(202).header("x-disabled", id)
    });
    let request = Request::new(&DISABLE_ACCOUNT, "/v3/accounts/a-7/disable".to_owned());
    let response = client(&mock).execute(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(response.headers()["x-disabled"], "a-7");
    assert!(response.body().is_empty());
    mock.assert_all_called();
}

#[tokio::test]
async fn error_body_has_the_fields_the_client_parses() {
    let body = ErrorBody::new(400, "Bad filter")
        .detail_code("400.1 Bad Request Content")
        .tracking_id("t-1")
        .cause("unknown attribute");
    assert_eq!(
        body.to_json(),
        json!({
            "detailCode": "400.1 Bad Request Content",
            "trackingId": "t-1",
            "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "Bad filter"}],
            "causes": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "unknown attribute"}],
        })
    );
    assert_eq!(serde_json::to_value(&body).unwrap(), body.to_json());

    let mock = MockTenant::start().await;
    mock.on(&LIST_ACCOUNTS).respond_with(body);
    let error = client(&mock)
        .execute(Request::new(&LIST_ACCOUNTS, "/v3/accounts".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(error.tracking_id(), Some("t-1"));
    assert_eq!(
        error.to_string(),
        "listAccounts: HTTP 400 Bad Request: Bad filter (tracking id t-1)"
    );
}

#[tokio::test]
async fn reset_forgets_mocks_and_requests() {
    let mock = MockTenant::start().await;
    let old = mock.on(&GET_ACCOUNT).respond(account("a", false));
    client(&mock).execute(get_account("a")).await.unwrap();
    mock.reset();
    assert!(mock.received().is_empty());
    assert_eq!(old.calls(), 0);
    mock.assert_all_called();
}

#[test]
fn starts_without_a_runtime_and_stops_when_dropped() {
    let mock = MockTenant::try_start().unwrap();
    let address = mock.base_url().trim_start_matches("http://").to_owned();
    assert!(std::net::TcpStream::connect(&address).is_ok());
    drop(mock);
    // The thread drops the listener soon after.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while std::net::TcpStream::connect(&address).is_ok() {
        assert!(std::time::Instant::now() < deadline, "still listening");
        std::thread::sleep(Duration::from_millis(10));
    }
}
