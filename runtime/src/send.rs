//! [`SendFuture`]: what an operation's `send()` returns, a future of the decoded answer; and
//! [`ResponseFuture`], the undecoded answer (`send_raw()`), which it is built on.
//!
//! Why a type of its own rather than an `async fn send` per operation: an `async fn` is a state
//! machine the client crate compiles for every operation, and decoding its answer there
//! compiles the `Deserialize` impls of every answer model with serde_json, whether a caller
//! uses the operation or not. `SendFuture` is generic over how the answer decodes ([`Decode`]),
//! so that code is compiled in the crate that awaits it, for the operations it calls.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

use super::client::Client;
use super::error::Error;
use super::request::Request;
use super::response::Response;

/// How an operation's answer is decoded from its [`Response`]; the markers below implement it.
pub trait Decode {
    /// What `send().await` gives.
    type Output;
    /// Decodes the answer.
    fn decode(response: Response) -> Result<Self::Output, Error>;
}

/// A JSON body decoded into `T` ([`Response::json`]).
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Decode for Json<T> {
    type Output = T;
    fn decode(response: Response) -> Result<T, Error> {
        response.json()
    }
}

/// A JSON array decoded into `Vec<T>`; no body is the empty list ([`Response::json_list`]).
pub struct JsonList<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Decode for JsonList<T> {
    type Output = Vec<T>;
    fn decode(response: Response) -> Result<Vec<T>, Error> {
        response.json_list()
    }
}

/// No body expected ([`Response::empty`]).
pub struct Empty;

impl Decode for Empty {
    type Output = ();
    fn decode(response: Response) -> Result<(), Error> {
        response.empty()
    }
}

/// A text body, CSV say ([`Response::text`]).
pub struct Text;

impl Decode for Text {
    type Output = String;
    fn decode(response: Response) -> Result<String, Error> {
        response.text()
    }
}

/// A binary body as it is ([`Response::bytes`]).
pub struct Binary;

impl Decode for Binary {
    type Output = bytes::Bytes;
    fn decode(response: Response) -> Result<bytes::Bytes, Error> {
        Ok(response.bytes())
    }
}

/// The answer of one operation on its way: `.await` it for the decoded answer (retries,
/// authentication and errors as for [`ResponseFuture`], which it wraps). `Send` and `Unpin`.
#[must_use = "a request does nothing until the future is awaited"]
pub struct SendFuture<D> {
    inner: ResponseFuture,
    decode: PhantomData<fn() -> D>,
}

impl<D: Decode> SendFuture<D> {
    /// The answer of `response`, decoded as `D` says.
    pub fn new(response: ResponseFuture) -> Self {
        Self {
            inner: response,
            decode: PhantomData,
        }
    }
}

impl<D: Decode> Future for SendFuture<D> {
    type Output = Result<D::Output, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.inner)
            .poll(cx)
            .map(|response| response.and_then(D::decode))
    }
}

impl<D> std::fmt::Debug for SendFuture<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendFuture").finish_non_exhaustive()
    }
}

/// A response on its way: what every operation's `send_raw()` returns. Await it for the
/// [`Response`] as received (status, headers, body), not decoded. Retries, authentication and a
/// non-2xx status (an [`Error::Api`]) are handled as for `send()`.
///
/// One boxed, non-generic future serves every operation, so the generated code holds no state
/// machine of its own for it.
#[must_use = "a request does nothing until the future is awaited"]
pub struct ResponseFuture {
    inner: Pin<Box<dyn Future<Output = Result<Response, Error>> + Send + 'static>>,
}

impl ResponseFuture {
    /// Sends a prepared request with its client, or resolves to the error that kept it from
    /// being prepared (what a builder's `into_request()` returns).
    pub fn new(prepared: Result<(Client, Request), Error>) -> Self {
        Self {
            inner: Box::pin(async move {
                let (client, request) = prepared?;
                client.execute(request).await
            }),
        }
    }
}

impl Future for ResponseFuture {
    type Output = Result<Response, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl fmt::Debug for ResponseFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
