//! Responses read fully into memory.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use super::error::{DecodeError, Error};
use super::request::OperationInfo;

/// A 2xx response: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct Response {
    operation: &'static OperationInfo,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    pub(crate) fn new(
        operation: &'static OperationInfo,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            body,
        }
    }

    /// The operation this response answers.
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

    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body as an untyped JSON value (for a response that its model does not fit). An empty
    /// body is an error.
    pub fn json_value(&self) -> Result<serde_json::Value, Error> {
        if self.has_no_body() {
            return Err(self.decode_error(
                ".".to_owned(),
                "the response has no body".to_owned(),
                None,
            ));
        }
        self.clone().json()
    }

    /// Decodes the body as JSON; on failure the error tells the JSON path and keeps the body.
    ///
    /// An empty body (a 204 No Content, say, where the spec declares a JSON body) is an error
    /// at path `.` saying so; [`json_list`](Self::json_list) takes it as an empty list instead.
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        if self.has_no_body() {
            let message = "the response has no body, although the spec declares a JSON body";
            return Err(self.decode_error(".".to_owned(), message.to_owned(), None));
        }
        decode_json(&self.body).map_err(|(path, inner)| {
            self.decode_error(path, inner.to_string(), Some(Box::new(inner)))
        })
    }

    /// Like [`json`](Self::json), but an empty body (e.g. 204 where the spec declares one) is
    /// `None`.
    pub fn json_opt<T: serde::de::DeserializeOwned>(self) -> Result<Option<T>, Error> {
        if self.has_no_body() {
            return Ok(None);
        }
        self.json().map(Some)
    }

    /// Decodes a JSON array (what generated operations use for a list response). An empty body
    /// (a 204 No Content, say, where the spec declares a list) is the empty list: nothing was
    /// listed.
    pub fn json_list<T: serde::de::DeserializeOwned>(self) -> Result<Vec<T>, Error> {
        if self.has_no_body() {
            return Ok(Vec::new());
        }
        self.json()
    }

    /// Whether the body is empty (or only whitespace).
    fn has_no_body(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// The body as UTF-8 text.
    pub fn text(self) -> Result<String, Error> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(text),
            Err(err) => {
                let err = err.utf8_error();
                Err(self.decode_error(
                    ".".to_owned(),
                    format!("body is not valid UTF-8: {err}"),
                    Some(Box::new(err)),
                ))
            }
        }
    }

    /// The raw body.
    pub fn bytes(self) -> Bytes {
        self.body
    }

    /// Ignores the body.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    fn decode_error(
        &self,
        path: String,
        message: String,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Decode(DecodeError::new(
            self.operation.operation_id,
            self.status,
            path,
            message,
            self.body.clone(),
            source,
        ))
    }
}

/// Decode one JSON document; on failure, the JSON path where it failed (`.` for the root or for
/// trailing characters) and serde's error.
///
/// Most bodies decode, so the fast path is plain `serde_json`; only a failure is decoded a
/// second time with path tracking, which costs about half again as much as decoding itself.
///
/// Both read through [`Lenient`](crate::lenient::Lenient), which decodes the drift of
/// the README's "Drift policy".
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
    json: &[u8],
) -> Result<T, (String, serde_json::Error)> {
    use crate::lenient::Lenient;
    let first = {
        let mut de = serde_json::Deserializer::from_slice(json);
        match T::deserialize(Lenient(&mut de)).and_then(|value| de.end().map(|()| value)) {
            Ok(value) => return Ok(value),
            Err(err) => err,
        }
    };
    let mut de = serde_json::Deserializer::from_slice(json);
    match serde_path_to_error::deserialize::<_, T>(Lenient(&mut de)) {
        Err(err) => Err((err.path().to_string(), err.into_inner())),
        // Only trailing characters fail a document that decodes: they are at the root.
        Ok(_) => Err((".".to_owned(), de.end().err().unwrap_or(first))),
    }
}
