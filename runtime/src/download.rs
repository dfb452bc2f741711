//! Answers read as a stream of bytes: reports, SP-Config exports, CSV files of any size.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, StatusCode};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::error::{Error, TransportError};
use super::request::OperationInfo;
use super::response::Response;

/// A 2xx answer whose body has not been read yet; see
/// [`Client::execute_streaming`](super::Client::execute_streaming) and the `send_streaming()` of
/// operations that answer with a file.
///
/// The body is read a chunk at a time, so memory does not grow with its size. Each chunk must
/// arrive within the call's timeout (an idle timeout: a download may take as long as it takes
/// while data keeps coming). A failure while reading is an [`Error::Transport`] and is not
/// retried: the bytes already consumed cannot be taken back; send the call again to start over.
pub struct StreamingResponse {
    operation: &'static OperationInfo,
    status: StatusCode,
    headers: HeaderMap,
    body: reqwest::Response,
    idle_timeout: Option<Duration>,
    received: u64,
}

impl fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("operation_id", &self.operation.operation_id)
            .field("status", &self.status)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

impl StreamingResponse {
    pub(crate) fn new(
        operation: &'static OperationInfo,
        body: reqwest::Response,
        idle_timeout: Option<Duration>,
    ) -> Self {
        Self {
            operation,
            status: body.status(),
            headers: body.headers().clone(),
            body,
            idle_timeout,
            received: 0,
        }
    }

    /// The operation this answers.
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body's length when the server announced it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.body.content_length()
    }

    /// Bytes of the body read so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The next chunk of the body; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        let operation_id = self.operation.operation_id;
        let status = self.status;
        let next = self.body.chunk();
        let chunk = match self.idle_timeout {
            Some(idle) => tokio::time::timeout(idle, next).await.map_err(|_| {
                Error::Transport(TransportError::timed_out(operation_id, Some(status)))
            })?,
            None => next.await,
        }
        .map_err(|e| Error::Transport(TransportError::body(operation_id, status, e)))?;
        if let Some(chunk) = &chunk {
            self.received += chunk.len() as u64;
        }
        Ok(chunk)
    }

    /// Writes the whole body to `out` (a file, a socket, any `AsyncWrite`) and flushes it;
    /// returns the number of bytes written. A write error is an [`Error::Io`].
    pub async fn copy_to<W: AsyncWrite + Unpin + ?Sized>(
        mut self,
        out: &mut W,
    ) -> Result<u64, Error> {
        while let Some(chunk) = self.chunk().await? {
            out.write_all(&chunk).await.map_err(|source| Error::Io {
                operation_id: self.operation.operation_id,
                source,
            })?;
        }
        out.flush().await.map_err(|source| Error::Io {
            operation_id: self.operation.operation_id,
            source,
        })?;
        Ok(self.received)
    }

    /// The body as a stream of chunks.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, Error>> + Send + Unpin + 'static {
        Box::pin(futures_util::stream::unfold(
            Some(self),
            |state| async move {
                let mut response = state?;
                match response.chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                    Ok(None) => None,
                    Err(error) => Some((Err(error), None)),
                }
            },
        ))
    }

    /// Reads the whole body into memory, as [`Client::execute`](super::Client::execute) does.
    pub async fn into_response(mut self) -> Result<Response, Error> {
        let mut body = Vec::with_capacity(
            self.content_length()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0)
                .min(64 << 20),
        );
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(Response::new(
            self.operation,
            self.status,
            self.headers,
            Bytes::from(body),
        ))
    }
}
