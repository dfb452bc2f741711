//! Answers: status, headers, body, and SailPoint's error body.

use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;

/// The tracking id [`ErrorBody::new`] puts in error bodies unless told otherwise.
pub const MOCK_TRACKING_ID: &str = "isc-test-support-tracking-id";

/// One answer of the mock tenant: status, headers, body and an optional delay.
#[derive(Debug, Clone)]
pub struct MockResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
    pub(crate) delay: Option<Duration>,
}

impl MockResponse {
    /// `200 OK` with `value` as JSON.
    ///
    /// # Panics
    /// When `value` cannot be serialised to JSON (a bug in the test).
    pub fn ok<T: Serialize + ?Sized>(value: &T) -> Self {
        Self::json(200, value)
    }

    /// `status` with `value` as JSON.
    ///
    /// # Panics
    /// When `value` cannot be serialised to JSON (a bug in the test).
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Self {
        let body = serde_json::to_vec(value)
            .unwrap_or_else(|e| panic!("isc-test-support: cannot serialise the mock's body: {e}"));
        Self::bytes(status, "application/json", body)
    }

    /// `status` with no body (e.g. `204`, or `202` of an operation that answers nothing).
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
            delay: None,
        }
    }

    /// `status` with SailPoint's error body ([`ErrorBody::new`]) whose message is `text`.
    pub fn error(status: u16, text: impl Into<String>) -> Self {
        ErrorBody::new(status, text).into_response()
    }

    /// `status` with a text body of the given content type.
    pub fn text(status: u16, content_type: &str, body: impl Into<String>) -> Self {
        Self::bytes(status, content_type, body.into())
    }

    /// `status` with raw bytes of the given content type.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self::status(status)
            .header("content-type", content_type)
            .with_body(body.into())
    }

    /// Adds a response header (e.g. `Retry-After`, `X-Total-Count`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits this long before answering (to test timeouts and deadlines).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    fn with_body(mut self, body: Bytes) -> Self {
        self.body = body;
        self
    }

    /// The status.
    pub fn status_code(&self) -> u16 {
        self.status
    }
}

/// SailPoint's error body (`ErrorResponseDto`), as the API sends it with 4xx and 5xx answers:
///
/// ```json
/// {"detailCode": "404 Not found", "trackingId": "...",
///  "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "..."}], "causes": []}
/// ```
///
/// The client parses it into `Error::Api`, whose `message()` and `tracking_id()` read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(skip)]
    status: u16,
    detail_code: String,
    tracking_id: String,
    messages: Vec<Message>,
    causes: Vec<Message>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    locale: &'static str,
    locale_origin: &'static str,
    text: String,
}

impl Message {
    fn new(text: String) -> Self {
        Self {
            locale: "en-US",
            locale_origin: "DEFAULT",
            text,
        }
    }
}

impl ErrorBody {
    /// An error body for `status` with one `en-US` message; the detail code is the status and
    /// its reason (`"404 Not found"`), the tracking id [`MOCK_TRACKING_ID`].
    pub fn new(status: u16, text: impl Into<String>) -> Self {
        Self {
            status,
            detail_code: format!("{status} {}", reason(status)),
            tracking_id: MOCK_TRACKING_ID.to_owned(),
            messages: vec![Message::new(text.into())],
            causes: Vec::new(),
        }
    }

    /// Replaces the detail code (SailPoint's are like `"400.1 Bad Request Content"`).
    pub fn detail_code(mut self, code: impl Into<String>) -> Self {
        self.detail_code = code.into();
        self
    }

    /// Replaces the tracking id.
    pub fn tracking_id(mut self, id: impl Into<String>) -> Self {
        self.tracking_id = id.into();
        self
    }

    /// Adds a cause (`causes[]`).
    pub fn cause(mut self, text: impl Into<String>) -> Self {
        self.causes.push(Message::new(text.into()));
        self
    }

    /// The body as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The answer: the status given to [`new`](Self::new) with this body.
    pub fn into_response(self) -> MockResponse {
        MockResponse::json(self.status, &self.to_json())
    }
}

impl From<ErrorBody> for MockResponse {
    fn from(body: ErrorBody) -> Self {
        body.into_response()
    }
}

/// The reason phrases SailPoint's detail codes use (`"404 Not found"`).
fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Fault",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}
