//! Errors of the runtime.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

mod listing;

pub use self::listing::{ListingError, ResumePoint};

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
    Auth(crate::auth::AuthError),
    /// The call's [deadline](super::CallOptions::deadline) passed before an attempt could be
    /// made (while waiting for the rate limit).
    #[error(transparent)]
    Deadline(DeadlineError),
    /// A page of a listing failed; the error says where the listing stopped and the failure.
    #[error(transparent)]
    Listing(ListingError),
    /// A streamed body could not be written where it was asked to go.
    #[error("{operation_id}: cannot write the answer's body: {source}")]
    Io {
        /// The operation whose answer was being written.
        operation_id: &'static str,
        /// The writer's error.
        source: std::io::Error,
    },
}

impl Error {
    /// The HTTP status, for API and decode errors.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::Listing(e) => e.error().status(),
            _ => None,
        }
    }

    /// The raw response body, for API and decode errors.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Api(e) => Some(e.body()),
            Error::Decode(e) => Some(e.body()),
            Error::Listing(e) => e.error().body(),
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
            Error::Deadline(e) => Some(e.operation_id()),
            Error::Listing(e) => Some(e.operation_id()),
            Error::Io { operation_id, .. } => Some(operation_id),
            Error::Config(_) | Error::Auth(_) => None,
        }
    }

    /// The answer was 404 Not Found: the object does not exist (or is not visible to the
    /// client).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// The answer was 429 Too Many Requests (after the retries the policy allows).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// The answer was 401 Unauthorized (the token was refused, also after a fresh one), or no
    /// token could be obtained at all.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Auth(_)) || self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// The answer was 403 Forbidden: the client lacks the scope or the user level.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// No answer arrived, or not whole (connection, timeout, cut body), or the call ran out of
    /// time: worth trying again later.
    pub fn is_transport(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Deadline(_) => true,
            Error::Listing(e) => e.error().is_transport(),
            _ => false,
        }
    }

    /// The server accepted the request (a 2xx answer) although the call failed: its answer did
    /// not decode. A write that returns this took effect: do not send it again, and keep the
    /// raw answer ([`body`](Self::body)) if you need what it says.
    ///
    /// ```
    /// # fn example(result: Result<(), isc_runtime::Error>) {
    /// match result {
    ///     Ok(()) => {}
    ///     // Done on the server: count it as done, keep the answer for a look later.
    ///     Err(e) if e.request_succeeded() => eprintln!("done, answer kept: {e}"),
    ///     Err(e) => eprintln!("failed: {e}"),
    /// }
    /// # }
    /// ```
    pub fn request_succeeded(&self) -> bool {
        match self {
            Error::Decode(e) => e.request_succeeded(),
            Error::Listing(e) => e.error().request_succeeded(),
            _ => false,
        }
    }

    /// SailPoint's tracking id of the failed request, for API errors whose body has one.
    pub fn tracking_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.tracking_id(),
            Error::Listing(e) => e.error().tracking_id(),
            _ => None,
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
    /// `body` parsed once, when its shape is known.
    parsed: Option<ApiErrorBody>,
}

impl ApiError {
    pub(crate) fn new(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let parsed = ApiErrorBody::parse(&body);
        Self {
            inner: Box::new(ApiErrorInner {
                operation_id,
                status,
                headers,
                body,
                parsed,
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

    /// The body in one of the error shapes the API is known to send; `None` for anything else
    /// (empty body, HTML from a proxy, ...), whose raw text stays in [`body`](Self::body).
    pub fn error_body(&self) -> Option<&ApiErrorBody> {
        self.inner.parsed.as_ref()
    }

    /// SailPoint's tracking id of the failed request, when the body has one.
    pub fn tracking_id(&self) -> Option<&str> {
        self.inner.parsed.as_ref()?.tracking_id()
    }

    /// The best human-readable message of the body, when its shape is known.
    pub fn message(&self) -> Option<&str> {
        self.inner.parsed.as_ref()?.message()
    }

    /// The `Retry-After` header (delta seconds or HTTP date, a past date is zero), if valid.
    pub fn retry_after(&self) -> Option<Duration> {
        let value = self.inner.headers.get(http::header::RETRY_AFTER)?;
        crate::retry_after::parse_retry_after(value, SystemTime::now())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation_id", &self.inner.operation_id)
            .field("status", &self.inner.status)
            .field("headers", &self.inner.headers)
            .field("body", &self.body_text())
            .field("error_body", &self.inner.parsed)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.inner.operation_id)?;
        write_status(f, self.inner.status)?;
        match self.message().map(str::trim).filter(|m| !m.is_empty()) {
            Some(message) => write!(f, ": {}", body_excerpt(message.as_bytes()))?,
            None => {
                let excerpt = body_excerpt(&self.inner.body);
                if !excerpt.is_empty() {
                    write!(f, ": {excerpt}")?;
                }
            }
        }
        if let Some(id) = self.tracking_id() {
            write!(f, " (tracking id {id})")?;
        }
        Ok(())
    }
}

/// An error body in one of the shapes the API sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorBody {
    /// SailPoint's `ErrorResponseDto`: `{detailCode, trackingId, messages, causes}`.
    Sailpoint(ErrorResponse),
    /// `{errorName, errorMessage, trackingId}`.
    Named {
        /// `errorName`.
        error_name: Option<String>,
        /// `errorMessage`.
        error_message: Option<String>,
        /// `trackingId`.
        tracking_id: Option<String>,
    },
    /// `{message}`, e.g. the body of a 429.
    Message {
        /// `message`.
        message: String,
    },
    /// OAuth `{error, error_description}` (also the experimental-header 400 `{error}`).
    OAuth {
        /// `error`.
        error: String,
        /// `error_description`.
        error_description: Option<String>,
    },
}

/// SailPoint's `ErrorResponseDto`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// `detailCode`, e.g. `"404 Not found"`.
    pub detail_code: Option<String>,
    /// `trackingId`.
    pub tracking_id: Option<String>,
    /// `messages`, one per distinct text (the same text in several locales collapsed to the
    /// `en-US`/`en` one, else `und`, else the first).
    pub messages: Vec<ErrorMessage>,
    /// `causes`, collapsed like `messages`.
    pub causes: Vec<ErrorMessage>,
}

/// One localised message of an [`ErrorResponse`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorMessage {
    /// `locale`, e.g. `"en-US"`.
    pub locale: Option<String>,
    /// `localeOrigin`, e.g. `"DEFAULT"`, `"REQUEST"`.
    pub locale_origin: Option<String>,
    /// `text`.
    pub text: String,
}

/// Locale preference: lower is better.
fn locale_rank(locale: Option<&str>) -> u8 {
    match locale {
        Some(l) if l.eq_ignore_ascii_case("en-US") || l.eq_ignore_ascii_case("en") => 0,
        Some(l) if l.eq_ignore_ascii_case("und") => 1,
        _ => 2,
    }
}

/// The message in the preferred locale (first of the best rank).
fn best_message(messages: &[ErrorMessage]) -> Option<&ErrorMessage> {
    messages
        .iter()
        .enumerate()
        .min_by_key(|(i, m)| (locale_rank(m.locale.as_deref()), *i))
        .map(|(_, m)| m)
}

impl ErrorResponse {
    /// The best message text: `en-US`/`en`, else `und`, else the first; else the detail code.
    pub fn message(&self) -> Option<&str> {
        best_message(&self.messages)
            .map(|m| m.text.as_str())
            .or(self.detail_code.as_deref())
    }
}

type JsonObject = serde_json::Map<String, serde_json::Value>;

fn text_field(object: &JsonObject, key: &str) -> Option<String> {
    match object.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses `[{locale, localeOrigin, text}]` and collapses the same text in several locales.
fn messages_field(object: &JsonObject, key: &str) -> Vec<ErrorMessage> {
    let Some(serde_json::Value::Array(items)) = object.get(key) else {
        return Vec::new();
    };
    let mut out: Vec<ErrorMessage> = Vec::new();
    for item in items {
        let message = match item {
            serde_json::Value::Object(o) => match text_field(o, "text") {
                Some(text) => ErrorMessage {
                    locale: text_field(o, "locale"),
                    locale_origin: text_field(o, "localeOrigin"),
                    text,
                },
                None => continue,
            },
            serde_json::Value::String(text) => ErrorMessage {
                locale: None,
                locale_origin: None,
                text: text.clone(),
            },
            _ => continue,
        };
        match out.iter_mut().find(|m| m.text == message.text) {
            Some(kept) => {
                if locale_rank(message.locale.as_deref()) < locale_rank(kept.locale.as_deref()) {
                    *kept = message;
                }
            }
            None => out.push(message),
        }
    }
    out
}

impl ApiErrorBody {
    /// Recognises a known error shape; `None` for anything else.
    pub fn parse(body: &[u8]) -> Option<Self> {
        let serde_json::Value::Object(object) = serde_json::from_slice(body).ok()? else {
            return None;
        };
        let has = |key: &str| object.get(key).is_some_and(|v| !v.is_null());
        if has("detailCode") || matches!(object.get("messages"), Some(serde_json::Value::Array(_)))
        {
            return Some(Self::Sailpoint(ErrorResponse {
                detail_code: text_field(&object, "detailCode"),
                tracking_id: text_field(&object, "trackingId"),
                messages: messages_field(&object, "messages"),
                causes: messages_field(&object, "causes"),
            }));
        }
        if has("errorName") || has("errorMessage") {
            return Some(Self::Named {
                error_name: text_field(&object, "errorName"),
                error_message: text_field(&object, "errorMessage"),
                tracking_id: text_field(&object, "trackingId"),
            });
        }
        if let Some(message) = text_field(&object, "message") {
            return Some(Self::Message { message });
        }
        if let Some(error) = text_field(&object, "error") {
            return Some(Self::OAuth {
                error,
                error_description: text_field(&object, "error_description"),
            });
        }
        None
    }

    /// The tracking id, for the shapes that have one.
    pub fn tracking_id(&self) -> Option<&str> {
        match self {
            Self::Sailpoint(e) => e.tracking_id.as_deref(),
            Self::Named { tracking_id, .. } => tracking_id.as_deref(),
            Self::Message { .. } | Self::OAuth { .. } => None,
        }
    }

    /// The best human-readable text.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::Sailpoint(e) => e.message(),
            Self::Named {
                error_name,
                error_message,
                ..
            } => error_message.as_deref().or(error_name.as_deref()),
            Self::Message { message } => Some(message),
            Self::OAuth {
                error,
                error_description,
            } => error_description.as_deref().or(Some(error)),
        }
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

    /// The answer was a success (2xx): the request took effect on the server although its answer
    /// does not fit the model.
    pub fn request_succeeded(&self) -> bool {
        self.inner.status.is_success()
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
        // Said first: a caller that reads only the message must not send the request again.
        let (outcome, and) = if self.inner.status.is_success() {
            ("succeeded", "but")
        } else {
            ("failed", "and")
        };
        write!(
            f,
            "{}: the request {outcome} (HTTP {}) {and} its answer cannot be decoded at {}: {}",
            self.inner.operation_id,
            self.inner.status.as_u16(),
            self.inner.path,
            self.inner.message
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

/// What went wrong in the transport, as far as the client can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, TLS handshake, proxy): nothing was sent.
    Connect,
    /// The attempt took longer than its timeout (or the call's deadline); the server may have
    /// received the request.
    Timeout,
    /// The connection failed after the request was (maybe) sent and before the answer's status
    /// arrived: closed by the server or a proxy, reset, an HTTP/2 stream reset.
    Connection,
    /// The status and headers arrived but the body did not, whole: the connection closed before
    /// `Content-Length` bytes (or the last chunk) arrived, or was reset while reading.
    Body,
    /// Anything else (a redirect loop, a request reqwest could not build).
    Other,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "cannot connect to server",
            TransportErrorKind::Timeout => "request timed out",
            TransportErrorKind::Connection => "connection failed before the answer arrived",
            TransportErrorKind::Body => "the answer's body was cut short",
            TransportErrorKind::Other => "request failed",
        }
    }
}

/// The request could not be sent, or its answer not received whole.
pub struct TransportError {
    operation_id: &'static str,
    kind: TransportErrorKind,
    /// The answer's status, when the failure came while reading its body.
    status: Option<StatusCode>,
    /// reqwest's error, or the timer's when the client timed a streamed answer itself.
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// A failure before the answer's status arrived.
    pub(crate) fn new(operation_id: &'static str, source: reqwest::Error) -> Self {
        let kind = if source.is_timeout() {
            TransportErrorKind::Timeout
        } else if source.is_connect() {
            TransportErrorKind::Connect
        } else if source.is_builder() || source.is_redirect() {
            TransportErrorKind::Other
        } else if source.is_body() || source.is_decode() {
            TransportErrorKind::Body
        } else {
            // `is_request()` and unclassified hyper errors: a closed or reset connection.
            TransportErrorKind::Connection
        };
        Self {
            operation_id,
            kind,
            status: None,
            source: Box::new(source),
        }
    }

    /// The client's own timer ran out: before the answer (`status` is `None`) or between two
    /// chunks of a streamed body.
    pub(crate) fn timed_out(operation_id: &'static str, status: Option<StatusCode>) -> Self {
        Self {
            operation_id,
            kind: TransportErrorKind::Timeout,
            status,
            source: Box::new(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "no data within the timeout",
            )),
        }
    }

    /// A failure while reading the body of an answer with `status`.
    pub(crate) fn body(
        operation_id: &'static str,
        status: StatusCode,
        source: reqwest::Error,
    ) -> Self {
        let kind = if source.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Body
        };
        Self {
            operation_id,
            kind,
            status: Some(status),
            source: Box::new(source),
        }
    }

    /// The operation whose request failed.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// What failed.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The status of the answer whose body could not be read; `None` when no answer arrived.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The request timed out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// The connection could not be established (nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// The underlying reqwest error (`None` when the client's own timer ran out).
    pub fn reqwest_error(&self) -> Option<&reqwest::Error> {
        self.source.downcast_ref()
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("operation_id", &self.operation_id)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation_id, self.kind.describe())?;
        if let Some(status) = self.status {
            f.write_str(" (after ")?;
            write_status(f, status)?;
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A call ran out of time before it could make an attempt.
#[derive(Debug)]
pub struct DeadlineError {
    operation_id: &'static str,
    attempts: u32,
    waiting_for: &'static str,
}

impl DeadlineError {
    pub(crate) fn new(
        operation_id: &'static str,
        attempts: u32,
        waiting_for: &'static str,
    ) -> Self {
        Self {
            operation_id,
            attempts,
            waiting_for,
        }
    }

    /// The operation of the call.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The attempts made before the deadline passed (0: none was sent).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for DeadlineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the call's deadline passed {} after {} attempt(s)",
            self.operation_id, self.waiting_for, self.attempts
        )
    }
}

impl std::error::Error for DeadlineError {}
