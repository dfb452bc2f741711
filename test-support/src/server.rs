//! The HTTP server: a real listener on `127.0.0.1`, served by hyper on a thread of its own.
//!
//! Why hyper directly and not wiremock (which the workspace's own tests use): everything a mock
//! tenant does beyond "accept a connection, read a request, write a response" is ours anyway:
//! matching by operation template, sequences, offset/limit pages, the report of unmatched
//! requests and unused mocks. wiremock would only be the server under one catch-all responder,
//! with its own 404 for unmatched requests and its own panicking verification on drop beside
//! ours, and it would add deadpool, async-trait, regex and more to the user's dev-dependencies.
//! hyper, hyper-util and http-body-util are already in every isc-client user's tree through
//! reqwest; only their server halves are compiled in addition.
//!
//! Why a thread of its own with its own current-thread runtime rather than a task on the
//! test's runtime: the mock then works the same under `#[tokio::test]` (either flavour), under
//! a paused clock (`start_paused`: the answers' delays are real time, the client's sleeps the
//! test's), and when the client is used from several runtimes. The thread ends when the
//! [`MockTenant`](crate::MockTenant) is dropped.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use crate::recorded::RecordedRequest;
use crate::state::Shared;

/// A running server: dropping it (the sender) stops the thread.
pub(crate) struct Server {
    pub(crate) base_url: String,
    _stop: oneshot::Sender<()>,
}

impl Server {
    pub(crate) fn start(shared: Arc<Shared>) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("isc-test-support-mock".to_owned())
            .spawn(move || {
                let accepting = runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    tokio::spawn(accept(listener, shared));
                    std::io::Result::Ok(())
                });
                if accepting.is_ok() {
                    // Ends when the sender is dropped; dropping the runtime then ends every
                    // connection.
                    let _ = runtime.block_on(stopped);
                }
            })?;
        Ok(Self {
            base_url,
            _stop: stop,
        })
    }
}

async fn accept(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors or similar: try again shortly rather than spin.
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(Arc::clone(&shared), request));
            // A connection the client closes or resets is no concern of the test.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let raw_query = parts.uri.query().map(str::to_owned);
    let query = raw_query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let recorded = RecordedRequest {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_owned(),
        raw_query,
        query,
        headers,
        body,
        operation: None,
        path_params: Vec::new(),
        matched: false,
    };
    let answer = shared.answer(recorded);
    if let Some(delay) = answer.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = hyper::Response::new(Full::new(answer.body));
    *response.status_mut() = hyper::StatusCode::from_u16(answer.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in &answer.headers {
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    Ok(response)
}
