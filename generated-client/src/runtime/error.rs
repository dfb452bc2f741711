//! Errors of the runtime.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// Any error of a client call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-2xx status.
    #[error(transparent)]
    Api(ApiError),
    /// The response body could not be decoded.
    #[error(transparent)]
    Decode(DecodeError),
    /// The request could not be encoded (body serialisation, invalid header value, ...).
    #[error(transparent)]
    Encode(EncodeError),
    /// The request could not be sent or the response not received (connect, timeout, ...).
    #[error(transparent)]
    Transport(TransportError),
    /// The client is not configured correctly.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// No access token could be obtained from the token endpoint.
    #[error(transparent)]
    Auth(super::auth::AuthError),
}

impl Error {
    /// The HTTP status, for API and decode errors.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            _ => None,
        }
    }

    /// The raw response body, for API and decode errors.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Api(e) => Some(e.body()),
            Error::Decode(e) => Some(e.body()),
            _ => None,
        }
    }

    /// The operation the error belongs to, when known.
    pub fn operation_id(&self) -> Option<&'static str> {
        match self {
            Error::Api(e) => Some(e.operation_id()),
            Error::Decode(e) => Some(e.operation_id()),
            Error::Encode(e) => e.operation_id(),
            Error::Transport(e) => Some(e.operation_id()),
            Error::Config(_) | Error::Auth(_) => None,
        }
    }
}

/// Maximum number of characters of a response body shown by `Display`.
const DISPLAY_BODY_CHARS: usize = 200;

/// Collapses whitespace runs to one space and keeps the first [`DISPLAY_BODY_CHARS`] characters.
fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= DISPLAY_BODY_CHARS {
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

fn write_status(f: &mut fmt::Formatter<'_>, status: StatusCode) -> fmt::Result {
    match status.canonical_reason() {
        Some(reason) => write!(f, "HTTP {} {reason}", status.as_u16()),
        None => write!(f, "HTTP {}", status.as_u16()),
    }
}

/// A non-2xx answer: status, headers and the raw body.
pub struct ApiError {
    inner: Box<ApiErrorInner>,
}

#[derive(Debug)]
struct ApiErrorInner {
    operation_id: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl ApiError {
    pub(crate) fn new(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        Self {
            inner: Box::new(ApiErrorInner {
                operation_id,
                status,
                headers,
                body,
            }),
        }
    }

    /// The operation that failed.
    pub fn operation_id(&self) -> &'static str {
        self.inner.operation_id
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.inner.body
    }

    /// The response body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.inner.body)
    }

    /// Decodes the body as JSON (e.g. into an error DTO); `None` when it does not fit.
    pub fn body_json<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.inner.body).ok()
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation_id", &self.inner.operation_id)
            .field("status", &self.inner.status)
            .field("headers", &self.inner.headers)
            .field("body", &self.body_text())
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.inner.operation_id)?;
        write_status(f, self.inner.status)?;
        let excerpt = body_excerpt(&self.inner.body);
        if !excerpt.is_empty() {
            write!(f, ": {excerpt}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A response body that could not be decoded, with the place where decoding failed.
pub struct DecodeError {
    inner: Box<DecodeErrorInner>,
}

struct DecodeErrorInner {
    operation_id: &'static str,
    status: StatusCode,
    path: String,
    message: String,
    body: Bytes,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl DecodeError {
    pub(crate) fn new(
        operation_id: &'static str,
        status: StatusCode,
        path: String,
        message: String,
        body: Bytes,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            inner: Box::new(DecodeErrorInner {
                operation_id,
                status,
                path,
                message,
                body,
                source,
            }),
        }
    }

    /// The operation whose response failed to decode.
    pub fn operation_id(&self) -> &'static str {
        self.inner.operation_id
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// Where decoding failed, as `serde_path_to_error` prints it (`items[1].name`; `.` = root).
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.inner.body
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation_id", &self.inner.operation_id)
            .field("status", &self.inner.status)
            .field("path", &self.inner.path)
            .field("message", &self.inner.message)
            .field("body", &String::from_utf8_lossy(&self.inner.body))
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot decode response at {}: {}",
            self.inner.operation_id, self.inner.path, self.inner.message
        )
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A request that could not be encoded.
#[derive(Debug)]
pub struct EncodeError {
    operation_id: Option<&'static str>,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl EncodeError {
    pub(crate) fn new(
        operation_id: Option<&'static str>,
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            operation_id,
            message: message.into(),
            source,
        }
    }

    /// The operation, when known.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.operation_id
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = self.operation_id {
            write!(f, "{op}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The request could not be sent or the response not read.
#[derive(Debug)]
pub struct TransportError {
    operation_id: &'static str,
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(operation_id: &'static str, source: reqwest::Error) -> Self {
        Self {
            operation_id,
            source,
        }
    }

    /// The operation whose request failed.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The request timed out.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// The connection could not be established.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// The underlying reqwest error.
    pub fn reqwest_error(&self) -> &reqwest::Error {
        &self.source
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.source.is_timeout() {
            "request timed out"
        } else if self.source.is_connect() {
            "cannot connect to server"
        } else if self.source.is_body() || self.source.is_decode() {
            "cannot read response"
        } else {
            "request failed"
        };
        write!(f, "{}: {what}", self.operation_id)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
