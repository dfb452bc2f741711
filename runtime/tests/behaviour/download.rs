//! Streamed answers (`Client::execute_streaming`) against the loopback fault server: the body
//! arrives whole in chunks, a cut body is an error that says so, and getting the headers is
//! retried like any call.

#[path = "../support/fault_server.rs"]
#[allow(dead_code)] // shared with the fault suite, which uses all of it
mod fault_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use fault_server::{FaultServer, Received, Reply};
use futures_util::StreamExt;
use isc_runtime::{Client, Error, OperationInfo, Request, RetryPolicy, TransportErrorKind};

static GET_REPORT: OperationInfo = OperationInfo {
    operation_id: "getReport",
    method: "GET",
    path: "/v3/reports/{id}",
    tag: "Reports",
    experimental: false,
    deprecated: false,
    retry_safe: false,
};

/// A CSV of `rows` lines.
fn csv(rows: usize) -> Vec<u8> {
    let mut out = b"id,name\n".to_vec();
    for i in 0..rows {
        out.extend_from_slice(format!("{i},account-{i}\n").as_bytes());
    }
    out
}

fn file(body: Vec<u8>) -> Reply {
    Reply::Answer {
        status: 200,
        headers: vec![("content-type".into(), "text/csv".into())],
        body,
    }
}

/// Serves `replies` in turn (the last one again once they run out); counts requests.
async fn serve(replies: Vec<Reply>) -> (FaultServer, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let replies = Arc::new(replies);
    let server = FaultServer::start(move |_: Received| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        let reply = replies[n.min(replies.len() - 1)].clone();
        async move { reply }
    })
    .await;
    (server, count)
}

fn client(server: &FaultServer) -> Client {
    Client::builder()
        .no_rate_limit()
        .base_url(server.url())
        .access_token("token")
        .timeout(Duration::from_millis(500))
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(4)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(10)),
        )
        .build()
        .unwrap()
}

fn report() -> Request {
    Request::new(&GET_REPORT, "/v3/reports/r-1".to_owned())
}

#[tokio::test]
async fn a_large_body_streams_whole_into_a_writer() {
    let body = csv(200_000);
    let (server, _) = serve(vec![file(body.clone())]).await;
    let streaming = client(&server).execute_streaming(report()).await.unwrap();
    assert_eq!(streaming.status().as_u16(), 200);
    assert_eq!(streaming.content_length(), Some(body.len() as u64));
    let mut out = Vec::new();
    let written = streaming.copy_to(&mut out).await.unwrap();
    assert_eq!(written, body.len() as u64);
    assert_eq!(out, body);
}

#[tokio::test]
async fn chunks_come_as_a_stream() {
    let body = csv(50_000);
    let (server, _) = serve(vec![file(body.clone())]).await;
    let mut stream = client(&server)
        .execute_streaming(report())
        .await
        .unwrap()
        .into_stream();
    let mut out = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(out, body);
    assert!(chunks > 1, "the body came in {chunks} chunk(s)");
}

#[tokio::test]
async fn a_body_cut_short_is_an_error_naming_the_status() {
    let (server, count) = serve(vec![file(csv(100_000)).cut()]).await;
    let streaming = client(&server).execute_streaming(report()).await.unwrap();
    let error = streaming.copy_to(&mut Vec::new()).await.unwrap_err();
    match &error {
        Error::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Body, "{error:?}");
            assert_eq!(e.status().map(|s| s.as_u16()), Some(200));
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(error.to_string().contains("cut short"), "{error}");
    // Consumed bytes cannot be taken back: not sent again.
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn failures_before_the_headers_are_retried() {
    let body = csv(1_000);
    let (server, count) = serve(vec![
        Reply::Close,
        Reply::json(503, &serde_json::json!({"error": "later"})),
        Reply::Stall(Duration::from_millis(800), Box::new(file(body.clone()))),
        file(body.clone()),
    ])
    .await;
    let mut out = Vec::new();
    client(&server)
        .execute_streaming(report())
        .await
        .unwrap()
        .copy_to(&mut out)
        .await
        .unwrap();
    assert_eq!(out, body);
    assert_eq!(count.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn an_error_status_is_an_api_error_with_its_body() {
    let (server, _) = serve(vec![Reply::json(
        404,
        &serde_json::json!({"messages": [{"text": "no such report"}]}),
    )])
    .await;
    let error = client(&server)
        .execute_streaming(report())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(
        String::from_utf8_lossy(error.body().unwrap()).contains("no such report"),
        "{error}"
    );
}
