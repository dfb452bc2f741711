//! What the code under test sent.

use std::fmt;

use bytes::Bytes;
use isc_runtime::OperationInfo;
use serde::de::DeserializeOwned;

/// One request the mock tenant received, answered or not: method, path, decoded query pairs,
/// headers and body.
#[derive(Clone)]
pub struct RecordedRequest {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) raw_query: Option<String>,
    pub(crate) query: Vec<(String, String)>,
    /// Names in lower case.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
    /// The operation whose template the request matched (the answering mock's, else the most
    /// specific registered operation of that method and path), if any.
    pub(crate) operation: Option<&'static OperationInfo>,
    /// The path parameters of `operation`'s template, decoded.
    pub(crate) path_params: Vec<(String, String)>,
    /// A mock answered it (`false`: it got the "no mock" 404).
    pub(crate) matched: bool,
}

impl RecordedRequest {
    /// The HTTP method in upper case.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path as sent (percent-encoded), without the query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path and the query as sent (`/v3/accounts?filters=...`).
    pub fn path_and_query(&self) -> String {
        match &self.raw_query {
            Some(query) => format!("{}?{query}", self.path),
            None => self.path.clone(),
        }
    }

    /// The operation the request was matched to, if any (see [`MockTenant::requests`]).
    ///
    /// [`MockTenant::requests`]: crate::MockTenant::requests
    pub fn operation(&self) -> Option<&'static OperationInfo> {
        self.operation
    }

    /// Whether a mock answered the request (`false`: it got the "no mock" 404).
    pub fn was_matched(&self) -> bool {
        self.matched
    }

    /// A path parameter of the operation's template (`"id"` of `/v3/accounts/{id}`), decoded.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        lookup(&self.path_params, name)
    }

    /// The first value of a query parameter, decoded (`None` when it was not sent).
    pub fn query(&self, name: &str) -> Option<&str> {
        lookup(&self.query, name)
    }

    /// Every value of a query parameter, in order (arrays are sent as repeated pairs).
    pub fn query_all(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// All query pairs, decoded, in order.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// A header's value (name without regard to case); the last one when it was sent twice.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All headers, names in lower case, in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body decoded from JSON, e.g. into the model the code under test sent
    /// (`let body: isc::v3::models::AccessProfile = sent[0].json()?;`).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The body as a JSON value (`Value::Null` when there is no body).
    pub fn json_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        if self.body.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&self.body)
    }

    /// `GET /v3/accounts?limit=2 (listAccounts)`: how reports name the request.
    pub(crate) fn describe(&self) -> String {
        let mut text = format!("{} {}", self.method, self.path_and_query());
        if let Some(operation) = self.operation {
            text.push_str(&format!(" ({})", operation.operation_id));
        }
        text
    }
}

/// Method, path, query, operation and body size; header values are left out (the
/// `Authorization` header holds the token).
impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field(
                "header_names",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body", &self.body_text())
            .field("operation", &self.operation.map(|o| o.operation_id))
            .field("matched", &self.matched)
            .finish()
    }
}

fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
