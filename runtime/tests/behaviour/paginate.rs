//! Offset/limit pagination against a wiremock server that serves a list of N items by the
//! `offset`/`limit` of each request.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use isc_runtime::{
    Client, Error, OffsetPagination, OperationInfo, PageRetry, Request, ResumePoint,
};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

static LIST_THINGS: OperationInfo = OperationInfo {
    operation_id: "listThings",
    method: "GET",
    path: "/v3/things",
    tag: "Things",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: u64,
    name: String,
}

/// Serves items `0..n` as `{"id": i, "name": "item-i"}`.
#[derive(Clone, Default)]
struct ListServer {
    n: u64,
    /// Sends `X-Total-Count` when asked with `count=true`, and answers 400 to an offset at or
    /// past the end (like the real API), to prove the client never asks there.
    total_header: bool,
    /// These items get a number as name, which does not decode into `Thing`.
    bad_items: Vec<u64>,
    /// Answers 500 to the page at this offset.
    fail_at: Option<u64>,
    /// How many times it answers 500 there (then the page); `None`: every time.
    fail_times: Option<Arc<AtomicUsize>>,
    /// Answers with a JSON object instead of an array.
    not_an_array: bool,
}

fn param(request: &wiremock::Request, name: &str) -> Vec<String> {
    request
        .url
        .query_pairs()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

impl Respond for ListServer {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let offset: u64 = param(request, "offset")
            .first()
            .map_or(0, |v| v.parse().unwrap());
        let limit: u64 = param(request, "limit")
            .first()
            .map_or(250, |v| v.parse().unwrap());
        if self.total_header && offset >= self.n && offset > 0 {
            return ResponseTemplate::new(400).set_body_json(json!({
                "detailCode": "400.1 Bad Request Content",
                "messages": [{"locale": "en-US", "text": "offset invalid"}],
            }));
        }
        let fails = self.fail_at == Some(offset)
            && self.fail_times.as_ref().is_none_or(|left| {
                left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
            });
        if fails {
            return ResponseTemplate::new(500).set_body_string("boom");
        }
        if self.not_an_array {
            return ResponseTemplate::new(200).set_body_json(json!({"items": []}));
        }
        let end = (offset + limit).min(self.n);
        let items: Vec<_> = (offset.min(end)..end)
            .map(|i| {
                if self.bad_items.contains(&i) {
                    json!({"id": i, "name": false})
                } else {
                    json!({"id": i, "name": format!("item-{i}")})
                }
            })
            .collect();
        let mut response = ResponseTemplate::new(200).set_body_json(items);
        if self.total_header && param(request, "count") == ["true"] {
            response = response.insert_header("X-Total-Count", self.n.to_string().as_str());
        }
        response
    }
}

async fn serve(list: ListServer) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/things"))
        .respond_with(list)
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

fn template() -> Request {
    Request::new(&LIST_THINGS, "/v3/things".to_owned())
}

/// (offset, limit, count) of every request received, in order.
async fn requests(server: &MockServer) -> Vec<(u64, u64, Vec<String>)> {
    server
        .received_requests()
        .await
        .expect("recording on")
        .iter()
        .map(|r| {
            let offset = param(r, "offset");
            let limit = param(r, "limit");
            assert_eq!(offset.len(), 1, "one offset per request: {}", r.url);
            assert_eq!(limit.len(), 1, "one limit per request: {}", r.url);
            (
                offset[0].parse().unwrap(),
                limit[0].parse().unwrap(),
                param(r, "count"),
            )
        })
        .collect()
}

fn offsets(reqs: &[(u64, u64, Vec<String>)]) -> Vec<u64> {
    reqs.iter().map(|r| r.0).collect()
}

fn assert_things(items: &[Thing], range: std::ops::Range<u64>) {
    let ids: Vec<u64> = items.iter().map(|t| t.id).collect();
    assert_eq!(ids, range.clone().collect::<Vec<_>>());
    for t in items {
        assert_eq!(t.name, format!("item-{}", t.id));
    }
}

async fn all_items(client: &Client, settings: OffsetPagination) -> Vec<Result<Thing, Error>> {
    client
        .paginate::<Thing>(template(), settings)
        .items()
        .collect()
        .await
}

#[tokio::test]
async fn every_size_with_total_header_takes_minimal_requests_and_never_asks_past_the_end() {
    for n in [0u64, 1, 249, 250, 251, 500] {
        let (server, client) = serve(ListServer {
            n,
            total_header: true,
            ..Default::default()
        })
        .await;
        let items = client
            .paginate::<Thing>(template(), OffsetPagination::default())
            .collect_all()
            .await
            .unwrap_or_else(|e| panic!("n={n}: {e}"));
        assert_things(&items, 0..n);
        let reqs = requests(&server).await;
        let expected: Vec<u64> = if n == 0 {
            vec![0]
        } else {
            (0..n).step_by(250).collect()
        };
        assert_eq!(offsets(&reqs), expected, "n={n}");
        for (i, (_, limit, count)) in reqs.iter().enumerate() {
            assert_eq!(*limit, 250, "n={n}");
            let want: Vec<String> = if i == 0 { vec!["true".into()] } else { vec![] };
            assert_eq!(count, &want, "count=true on the first page only (n={n})");
        }
    }
}

#[tokio::test]
async fn every_size_without_total_header_stops_on_short_page() {
    for n in [0u64, 1, 249, 250, 251, 500] {
        let (server, client) = serve(ListServer {
            n,
            ..Default::default()
        })
        .await;
        let items = client
            .paginate::<Thing>(template(), OffsetPagination::default())
            .collect_all()
            .await
            .unwrap_or_else(|e| panic!("n={n}: {e}"));
        assert_things(&items, 0..n);
        let reqs = requests(&server).await;
        // A full last page (n = 250, 500) needs one more request that returns an empty page.
        let expected: Vec<u64> = (0..=n).step_by(250).collect();
        assert_eq!(offsets(&reqs), expected, "n={n}");
    }
}

#[tokio::test]
async fn no_count_param_sends_no_count() {
    let (server, client) = serve(ListServer {
        n: 10,
        total_header: true,
        ..Default::default()
    })
    .await;
    let items = client
        .paginate::<Thing>(template(), OffsetPagination::new().count_param(None))
        .collect_all()
        .await
        .unwrap();
    assert_things(&items, 0..10);
    let reqs = requests(&server).await;
    assert_eq!(reqs, vec![(0, 250, vec![])]);
}

#[tokio::test]
async fn page_size_from_settings_is_respected() {
    let (server, client) = serve(ListServer {
        n: 250,
        total_header: true,
        ..Default::default()
    })
    .await;
    let mut pages = Box::pin(
        client
            .paginate::<Thing>(template(), OffsetPagination::new().page_size(100))
            .pages(),
    );
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        assert_eq!(page.total, Some(250));
        seen.push((page.offset, page.items.len()));
    }
    assert_eq!(seen, vec![(0, 100), (100, 100), (200, 50)]);
    let reqs = requests(&server).await;
    assert_eq!(offsets(&reqs), vec![0, 100, 200]);
    assert!(reqs.iter().all(|r| r.1 == 100));
}

#[tokio::test]
async fn max_items_stops_early_and_lowers_the_last_limit() {
    let (server, client) = serve(ListServer {
        n: 500,
        total_header: true,
        ..Default::default()
    })
    .await;
    let items = client
        .paginate::<Thing>(
            template(),
            OffsetPagination::new().page_size(100).max_items(Some(150)),
        )
        .collect_all()
        .await
        .unwrap();
    assert_things(&items, 0..150);
    let reqs = requests(&server).await;
    let limits: Vec<(u64, u64)> = reqs.iter().map(|r| (r.0, r.1)).collect();
    assert_eq!(limits, vec![(0, 100), (100, 50)]);
}

#[tokio::test]
async fn max_items_equal_to_a_full_page_takes_one_request_without_header() {
    let (server, client) = serve(ListServer {
        n: 500,
        ..Default::default()
    })
    .await;
    let items = client
        .paginate::<Thing>(template(), OffsetPagination::new().max_items(Some(250)))
        .collect_all()
        .await
        .unwrap();
    assert_things(&items, 0..250);
    assert_eq!(offsets(&requests(&server).await), vec![0]);
}

#[tokio::test]
async fn start_offset_is_used() {
    let (server, client) = serve(ListServer {
        n: 300,
        total_header: true,
        ..Default::default()
    })
    .await;
    let items = client
        .paginate::<Thing>(
            template(),
            OffsetPagination::new().start_offset(100).page_size(100),
        )
        .collect_all()
        .await
        .unwrap();
    assert_things(&items, 100..300);
    assert_eq!(offsets(&requests(&server).await), vec![100, 200]);
}

#[tokio::test]
async fn undecodable_item_is_an_error_with_its_index_and_the_stream_goes_on() {
    let (server, client) = serve(ListServer {
        n: 300,
        total_header: true,
        bad_items: vec![267],
        ..Default::default()
    })
    .await;
    let items = all_items(&client, OffsetPagination::default()).await;
    assert_eq!(items.len(), 300);
    for (i, item) in items.iter().enumerate() {
        match item {
            Ok(thing) => {
                assert_ne!(i, 267);
                assert_eq!(thing.id, i as u64);
            }
            Err(Error::Decode(e)) => {
                assert_eq!(i, 267);
                // The absolute index in the whole list (offset 250 + 17).
                assert_eq!(e.path(), "[267].name");
                assert_eq!(e.operation_id(), "listThings");
                let body: serde_json::Value = serde_json::from_slice(e.body()).unwrap();
                assert_eq!(body, json!({"id": 267, "name": false}));
            }
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(offsets(&requests(&server).await), vec![0, 250]);
}

#[tokio::test]
async fn undecodable_item_in_pages_keeps_its_place() {
    let (_server, client) = serve(ListServer {
        n: 20,
        bad_items: vec![3],
        ..Default::default()
    })
    .await;
    let pages: Vec<_> = client
        .paginate::<Thing>(template(), OffsetPagination::default())
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    let page = pages.into_iter().next().unwrap().unwrap();
    assert_eq!(page.offset, 0);
    assert_eq!(page.total, None);
    assert_eq!(page.items.len(), 20);
    assert!(matches!(&page.items[3], Err(Error::Decode(e)) if e.path() == "[3].name"));
    assert!(
        page.items
            .iter()
            .enumerate()
            .all(|(i, r)| i == 3 || r.is_ok())
    );
}

/// The listing error of a failed page: where to resume, and the failure.
fn listing_error(item: &Result<Thing, Error>) -> &isc_runtime::ListingError {
    match item {
        Err(Error::Listing(e)) => e,
        other => panic!("expected a listing error, got {other:?}"),
    }
}

#[tokio::test]
async fn server_error_on_page_two_is_yielded_then_the_stream_ends() {
    let (server, client) = serve(ListServer {
        n: 500,
        fail_at: Some(250),
        ..Default::default()
    })
    .await;
    let items = all_items(&client, OffsetPagination::default()).await;
    assert_eq!(items.len(), 251);
    assert!(items[..250].iter().all(Result::is_ok));
    let error = listing_error(&items[250]);
    assert_eq!(error.error().status().map(|s| s.as_u16()), Some(500));
    assert_eq!(error.page_attempts(), 1);
    assert_eq!(
        error.resume_point(),
        &ResumePoint {
            position: 250,
            yielded: 250,
            total: None,
            search_after: None,
        }
    );
    assert!(error.to_string().contains("stopped at item 250"), "{error}");
    assert_eq!(offsets(&requests(&server).await), vec![0, 250]);
}

#[tokio::test]
async fn a_listing_resumed_where_it_stopped_yields_the_rest_once() {
    let left = Arc::new(AtomicUsize::new(1));
    let (server, client) = serve(ListServer {
        n: 1000,
        total_header: true,
        fail_at: Some(500),
        fail_times: Some(left),
        ..Default::default()
    })
    .await;
    let listing = client.paginate::<Thing>(template(), OffsetPagination::default());
    let first: Vec<_> = listing.clone().items().collect().await;
    assert_eq!(first.len(), 501);
    let resume = listing_error(&first[500]).resume_point().clone();
    assert_eq!(resume.total, Some(1000));
    // Kept by a job and read back in its next run.
    let kept = serde_json::to_string(&resume).unwrap();
    let resume: ResumePoint = serde_json::from_str(&kept).unwrap();
    let rest: Vec<Thing> = listing.resume(&resume).collect_all().await.unwrap();
    let mut all: Vec<Thing> = first.into_iter().take(500).map(Result::unwrap).collect();
    all.extend(rest);
    assert_things(&all, 0..1000);
    assert_eq!(
        offsets(&requests(&server).await),
        vec![0, 250, 500, 500, 750]
    );
}

#[tokio::test]
async fn page_retry_asks_again_and_the_listing_goes_on() {
    let left = Arc::new(AtomicUsize::new(2));
    let (server, client) = serve(ListServer {
        n: 600,
        fail_at: Some(250),
        fail_times: Some(left),
        ..Default::default()
    })
    .await;
    let all = client
        .paginate::<Thing>(template(), OffsetPagination::default())
        .page_retry(PageRetry::new(3, Duration::from_millis(10)))
        .collect_all()
        .await
        .unwrap();
    assert_things(&all, 0..600);
    assert_eq!(
        offsets(&requests(&server).await),
        vec![0, 250, 250, 250, 500]
    );

    // Retries spent: the error counts them.
    let (_server, client) = serve(ListServer {
        n: 600,
        fail_at: Some(250),
        ..Default::default()
    })
    .await;
    let items: Vec<_> = client
        .paginate::<Thing>(template(), OffsetPagination::default())
        .page_retry(PageRetry::new(2, Duration::from_millis(1)))
        .items()
        .collect()
        .await;
    assert_eq!(listing_error(&items[250]).page_attempts(), 2);
}

#[tokio::test]
async fn page_that_is_not_an_array_is_a_listing_error_then_the_end() {
    let (server, client) = serve(ListServer {
        n: 500,
        not_an_array: true,
        ..Default::default()
    })
    .await;
    let items = all_items(&client, OffsetPagination::default()).await;
    assert_eq!(items.len(), 1);
    let error = listing_error(&items[0]);
    assert!(matches!(error.error(), Error::Decode(_)), "{error:?}");
    assert_eq!(error.resume_point().position, 0);
    assert_eq!(offsets(&requests(&server).await), vec![0]);
}

#[tokio::test]
async fn collect_all_fails_on_the_first_error() {
    let (_server, client) = serve(ListServer {
        n: 300,
        bad_items: vec![5, 280],
        ..Default::default()
    })
    .await;
    let err = client
        .paginate::<Thing>(template(), OffsetPagination::default())
        .collect_all()
        .await
        .unwrap_err();
    match err {
        Error::Decode(e) => assert_eq!(e.path(), "[5].name"),
        other => panic!("expected a decode error, got {other}"),
    }

    let (_server, client) = serve(ListServer {
        n: 300,
        fail_at: Some(250),
        ..Default::default()
    })
    .await;
    let err = client
        .paginate::<Thing>(template(), OffsetPagination::default())
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn template_query_is_kept_on_every_page_and_user_limit_and_offset_replaced() {
    let (server, client) = serve(ListServer {
        n: 150,
        total_header: true,
        ..Default::default()
    })
    .await;
    let mut request = template();
    request.query("filters", "name sw \"item\"");
    request.query("sorters", "name,-created");
    request.query("limit", &10u32);
    request.query("offset", &99u32);
    let items = client
        .paginate::<Thing>(request, OffsetPagination::new().page_size(100))
        .collect_all()
        .await
        .unwrap();
    assert_things(&items, 0..150);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    for r in &received {
        assert_eq!(param(r, "filters"), ["name sw \"item\""]);
        assert_eq!(param(r, "sorters"), ["name,-created"]);
    }
    let reqs = requests(&server).await;
    let limits: Vec<(u64, u64)> = reqs.iter().map(|r| (r.0, r.1)).collect();
    assert_eq!(limits, vec![(0, 100), (100, 100)]);
}

#[tokio::test]
async fn streams_are_lazy_and_send() {
    let (server, client) = serve(ListServer {
        n: 30,
        ..Default::default()
    })
    .await;
    let paginator = client.paginate::<Thing>(template(), OffsetPagination::default());
    let stream = paginator.clone().items();
    tokio::task::yield_now().await;
    assert!(server.received_requests().await.unwrap().is_empty());
    drop(stream);

    let handle = tokio::spawn(async move { paginator.items().collect::<Vec<_>>().await });
    let items = handle.await.unwrap();
    assert_eq!(items.len(), 30);
    assert_eq!(offsets(&requests(&server).await), vec![0]);
}

#[tokio::test]
async fn streams_need_no_pinning() {
    use futures_util::TryStreamExt;
    let (_server, client) = serve(ListServer {
        n: 600,
        ..Default::default()
    })
    .await;
    let listing = client.paginate::<Thing>(template(), OffsetPagination::default());
    // `.next().await` straight on the stream, no `pin!`.
    let mut items = listing.clone().items();
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.id, 0);
    let mut pages = listing.clone().pages();
    assert_eq!(pages.next().await.unwrap().unwrap().items.len(), 250);
    // And the futures combinators that want `Unpin`.
    let all: Vec<Thing> = listing.items().try_collect().await.unwrap();
    assert_things(&all, 0..600);
}

#[test]
fn set_query_replaces_all_pairs_of_that_name() {
    let mut request = template();
    request.query("limit", &10u32);
    request.query("filters", "a eq 1");
    request.query("limit", &20u32);
    request.set_query("limit", &250u32);
    assert_eq!(
        request.query_pairs(),
        &[
            ("filters", "a eq 1".to_owned()),
            ("limit", "250".to_owned())
        ]
    );
    request.set_query("filters", &Option::<String>::None);
    assert_eq!(request.query_pairs(), &[("limit", "250".to_owned())]);
}
