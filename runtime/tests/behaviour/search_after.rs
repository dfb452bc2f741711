//! Search-after pagination against a wiremock server that answers like the search API: hits
//! sorted by the body's `sort`, starting after the body's `searchAfter`, `limit` from the query,
//! `X-Total-Count` when asked with `count=true`, and 400 to any `offset` past 10,000 (so the
//! client must not page by offset).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::StreamExt;
use isc_runtime::{
    Client, Error, OffsetPagination, OperationInfo, Paginator, Request, SearchAfterPagination,
};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

static SEARCH: OperationInfo = OperationInfo {
    operation_id: "searchPost",
    method: "POST",
    path: "/v3/search",
    tag: "Search",
    experimental: false,
    deprecated: false,
    retry_safe: true,
};

#[derive(Debug, Deserialize, PartialEq)]
struct Hit {
    id: String,
    name: String,
}

/// Hits `0..n` as `{"id": "id-00042", "name": "name-<n - i>", "source": {"name": ...}}`, so that
/// sorting by name orders them differently from sorting by id.
#[derive(Clone, Default)]
struct SearchServer {
    n: u64,
    total_header: bool,
    /// Hits at these positions of the sorted listing are sent without `source`.
    without_source: Vec<usize>,
    /// Answers this many requests with a `searchAfter` with 500 (then pages).
    fail_cursor_pages: Option<Arc<AtomicUsize>>,
}

fn hit(i: u64, n: u64) -> Value {
    json!({
        "id": format!("id-{i:05}"),
        "name": format!("name-{:05}", n - i),
        "source": {"name": format!("source-{:05}", i / 100)},
    })
}

fn field<'a>(hit: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .try_fold(hit, |v, s| v.get(s))
        .unwrap_or(&Value::Null)
}

fn key(hit: &Value, sort: &[String]) -> Vec<String> {
    sort.iter()
        .map(|f| field(hit, f.trim_start_matches(['+', '-'])).to_string())
        .collect()
}

impl Respond for SearchServer {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let get = |name: &str| {
            query
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        if get("offset").is_some() {
            return ResponseTemplate::new(400).set_body_string("offset is not for search-after");
        }
        let limit: usize = get("limit").map_or(10_000, |v| v.parse().unwrap());
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let fails = body.get("searchAfter").is_some()
            && self.fail_cursor_pages.as_ref().is_some_and(|left| {
                left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
            });
        if fails {
            return ResponseTemplate::new(500).set_body_string("search node lost");
        }
        let sort: Vec<String> = serde_json::from_value(body["sort"].clone()).unwrap();
        let mut hits: Vec<Value> = (0..self.n).map(|i| hit(i, self.n)).collect();
        hits.sort_by_key(|h| key(h, &sort));
        if sort[0].starts_with('-') {
            hits.reverse();
        }
        for &position in &self.without_source {
            if let Some(Value::Object(hit)) = hits.get_mut(position) {
                hit.remove("source");
            }
        }
        let start = match body.get("searchAfter") {
            Some(Value::Array(after)) => {
                let after: Vec<String> = after.iter().map(Value::to_string).collect();
                hits.iter()
                    .position(|h| key(h, &sort) == after)
                    .map_or(hits.len(), |p| p + 1)
            }
            _ => 0,
        };
        let page: Vec<Value> = hits.into_iter().skip(start).take(limit).collect();
        let mut response = ResponseTemplate::new(200).set_body_json(page);
        if self.total_header && get("count").as_deref() == Some("true") {
            response = response.insert_header("X-Total-Count", self.n.to_string().as_str());
        }
        response
    }
}

async fn serve(search: SearchServer) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .respond_with(search)
        .mount(&server)
        .await;
    let client = Client::builder()
        .no_rate_limit()
        .base_url(server.uri())
        .access_token("token")
        .build()
        .expect("client builds");
    (server, client)
}

fn search(body: Value) -> Request {
    let mut request = Request::new(&SEARCH, "/v3/search".to_owned());
    request.json(&body).unwrap();
    request
}

/// (limit, count, body) of every request received, in order.
async fn requests(server: &MockServer) -> Vec<(String, Option<String>, Value)> {
    server
        .received_requests()
        .await
        .expect("recording on")
        .iter()
        .map(|r| {
            let query: Vec<(String, String)> = r.url.query_pairs().into_owned().collect();
            let get = |name: &str| {
                query
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            };
            (
                get("limit").expect("limit is sent"),
                get("count"),
                serde_json::from_slice(&r.body).unwrap(),
            )
        })
        .collect()
}

fn ids(hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| h.id.clone()).collect()
}

#[tokio::test]
async fn every_size_is_listed_once_in_order_by_the_id_tiebreaker() {
    for n in [0u64, 1, 249, 250, 251, 500] {
        for total_header in [false, true] {
            let (server, client) = serve(SearchServer {
                n,
                total_header,
                ..Default::default()
            })
            .await;
            let hits = client
                .paginate_search_after::<Hit>(
                    search(json!({"indices": ["identities"], "query": {"query": "*"}})),
                    SearchAfterPagination::new(),
                )
                .collect_all()
                .await
                .unwrap_or_else(|e| panic!("n={n}: {e}"));
            let expected: Vec<String> = (0..n).map(|i| format!("id-{i:05}")).collect();
            assert_eq!(ids(&hits), expected, "n={n} total_header={total_header}");
            let reqs = requests(&server).await;
            // With the total known no request is made past it; without it a full last page
            // needs one more (empty) request.
            let pages = if total_header {
                n.div_ceil(250).max(1)
            } else {
                n / 250 + 1
            };
            assert_eq!(
                reqs.len() as u64,
                pages,
                "n={n} total_header={total_header}"
            );
            for (i, (limit, count, body)) in reqs.iter().enumerate() {
                assert_eq!(limit, "250");
                let want = if i == 0 { Some("true") } else { None };
                assert_eq!(count.as_deref(), want, "count=true on the first page only");
                assert_eq!(
                    body["sort"],
                    json!(["id"]),
                    "the tiebreaker becomes the sort"
                );
                assert_eq!(body["indices"], json!(["identities"]), "the body is kept");
                if i == 0 {
                    assert!(body.get("searchAfter").is_none());
                } else {
                    let last = format!("id-{:05}", i * 250 - 1);
                    assert_eq!(body["searchAfter"], json!([last]));
                }
            }
        }
    }
}

#[tokio::test]
async fn a_sort_without_the_tiebreaker_gets_it_and_the_cursor_has_every_sort_value() {
    let (server, client) = serve(SearchServer {
        n: 300,
        ..Default::default()
    })
    .await;
    let hits = client
        .paginate_search_after::<Hit>(
            search(json!({"sort": ["-name"]})),
            SearchAfterPagination::new().page_size(200),
        )
        .collect_all()
        .await
        .unwrap();
    // Descending names are ascending ids here.
    let expected: Vec<String> = (0..300).map(|i| format!("id-{i:05}")).collect();
    assert_eq!(ids(&hits), expected);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].0, "200");
    assert_eq!(reqs[0].2["sort"], json!(["-name", "id"]));
    assert_eq!(
        reqs[1].2["searchAfter"],
        json!([format!("name-{:05}", 300 - 199), "id-00199"])
    );
}

#[tokio::test]
async fn max_items_lowers_the_last_limit() {
    let (server, client) = serve(SearchServer {
        n: 1000,
        total_header: true,
        ..Default::default()
    })
    .await;
    let hits = client
        .paginate_search_after::<Hit>(
            search(json!({})),
            SearchAfterPagination::new().max_items(Some(300)),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(hits.len(), 300);
    let limits: Vec<String> = requests(&server).await.into_iter().map(|r| r.0).collect();
    assert_eq!(limits, ["250", "50"]);
}

#[tokio::test]
async fn a_search_after_in_the_body_resumes_the_listing() {
    let (_server, client) = serve(SearchServer {
        n: 20,
        ..Default::default()
    })
    .await;
    let hits = client
        .paginate_search_after::<Hit>(
            search(json!({"sort": ["id"], "searchAfter": ["id-00014"]})),
            SearchAfterPagination::new(),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        ids(&hits),
        ["id-00015", "id-00016", "id-00017", "id-00018", "id-00019"]
    );
}

#[tokio::test]
async fn a_last_hit_without_its_sort_value_ends_the_listing_with_a_decode_error() {
    let (server, client) = serve(SearchServer {
        n: 600,
        without_source: vec![249],
        ..Default::default()
    })
    .await;
    let items: Vec<Result<Hit, Error>> = client
        .paginate_search_after::<Hit>(
            search(json!({"sort": ["source.name"]})),
            SearchAfterPagination::new(),
        )
        .items()
        .collect()
        .await;
    assert_eq!(
        requests(&server).await.len(),
        1,
        "no second page is asked for"
    );
    assert_eq!(items.len(), 251, "a full page, then the error");
    let Some(Err(Error::Decode(error))) = items.last() else {
        panic!("expected a decode error at the end, got {:?}", items.last());
    };
    assert_eq!(error.operation_id(), "searchPost");
    assert!(error.path().starts_with("[249]."), "{}", error.path());
    assert!(
        error.message().contains("sort field"),
        "{}",
        error.message()
    );
    assert!(!error.body().is_empty(), "the hit's raw JSON is kept");
}

#[tokio::test]
async fn an_unusable_body_is_an_encode_error_and_nothing_is_sent() {
    let (server, client) = serve(SearchServer::default()).await;
    let empty = Request::new(&SEARCH, "/v3/search".to_owned());
    let items: Vec<Result<Hit, Error>> = client
        .paginate_search_after::<Hit>(empty, SearchAfterPagination::new())
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert!(matches!(&items[0], Err(Error::Encode(_))), "{items:?}");
    let no_sort = client.paginate_search_after::<Hit>(
        search(json!({})),
        SearchAfterPagination::new().tiebreaker(None),
    );
    let error = no_sort.collect_all().await.unwrap_err();
    assert!(error.to_string().contains("sort"), "{error}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_request_that_could_not_be_prepared_is_the_only_item_of_every_clone() {
    let failed = || Err(Error::Config("no body for you".to_owned()));
    let paginator: Paginator<Hit> = Paginator::offset(failed(), OffsetPagination::new());
    let clone = paginator.clone();
    let items: Vec<_> = paginator.items().collect().await;
    assert_eq!(items.len(), 1);
    assert!(
        items[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("no body for you")
    );
    let pages: Vec<_> = clone.pages().collect().await;
    assert_eq!(pages.len(), 1);
    let error = pages[0].as_ref().unwrap_err();
    assert!(error.to_string().contains("no body for you"), "{error}");
    let paginator: Paginator<Hit> = Paginator::search_after(failed(), SearchAfterPagination::new());
    assert!(format!("{paginator:?}").contains("no body for you"));
}

#[tokio::test]
async fn a_failed_page_says_after_which_sort_values_to_resume() {
    let (_server, client) = serve(SearchServer {
        n: 700,
        total_header: true,
        fail_cursor_pages: Some(Arc::new(AtomicUsize::new(1))),
        ..Default::default()
    })
    .await;
    let listing: Paginator<Hit> = client.paginate_search_after(
        search(json!({"indices": ["identities"], "sort": ["name"]})),
        SearchAfterPagination::new(),
    );
    let first: Vec<_> = listing.clone().items().collect().await;
    assert_eq!(first.len(), 251);
    let resume = match &first[250] {
        Err(Error::Listing(e)) => e.resume_point().clone(),
        other => panic!("expected a listing error, got {other:?}"),
    };
    assert_eq!(resume.position, 250);
    assert_eq!(resume.total, Some(700));
    let last = first[249].as_ref().unwrap();
    assert_eq!(
        resume.search_after,
        Some(vec![json!(last.name), json!(last.id)])
    );
    let rest = listing.resume(&resume).collect_all().await.unwrap();
    let mut ids: Vec<String> = first
        .into_iter()
        .take(250)
        .map(|h| h.unwrap().id)
        .chain(rest.into_iter().map(|h| h.id))
        .collect();
    assert_eq!(ids.len(), 700);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 700, "every hit once");
}
