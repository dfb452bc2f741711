//! Requests as plain data, so the client can re-send them (retries, token refresh).

use std::fmt;

use bytes::Bytes;

use super::error::{EncodeError, Error};
use super::query::QueryValue;

/// Static description of one API operation, emitted by the generator as `static` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationInfo {
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// The HTTP method in upper case (`"GET"`, `"POST"`, ...).
    pub method: &'static str,
    /// The path template including the version prefix, e.g. `"/v3/accounts/{id}"`.
    pub path: &'static str,
    /// The operation's first tag.
    pub tag: &'static str,
    /// The operation needs `X-SailPoint-Experimental: true`.
    pub experimental: bool,
    /// The operation is deprecated.
    pub deprecated: bool,
    /// The operation may be sent again after a 502/503/504 or a connection failure although its
    /// method is not idempotent, because it only reads (a search sent as `POST`). Set by the
    /// generator's configuration; see [`RetryPolicy`](super::RetryPolicy).
    pub retry_safe: bool,
}

/// One API request: operation, path, query pairs, headers and body, all plain data.
#[derive(Debug, Clone)]
pub struct Request {
    operation: &'static OperationInfo,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    accept: Option<&'static str>,
    body: Body,
    retry_safe: bool,
}

impl Request {
    /// A request for `operation`; `path` starts with `/`, is already prefixed with the version
    /// and has its path parameters encoded with [`path_segment`](super::path_segment).
    pub fn new(operation: &'static OperationInfo, path: String) -> Self {
        Self {
            operation,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            accept: None,
            body: Body::Empty,
            retry_safe: false,
        }
    }

    /// Marks the request as safe to send again after a 502/503/504 or a connection failure even
    /// though its method is not idempotent. By default only `GET`, `HEAD`, `OPTIONS`, `PUT`,
    /// `DELETE` and operations marked [`OperationInfo::retry_safe`] are retried in those cases.
    pub fn retry_safe(&mut self, safe: bool) {
        self.retry_safe = safe;
    }

    /// Whether [`retry_safe`](Self::retry_safe) was set.
    pub fn is_retry_safe(&self) -> bool {
        self.retry_safe
    }

    /// Adds a query parameter (arrays become repeated pairs; `None` adds nothing).
    pub fn query<V: QueryValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        value.append_to(name, &mut self.query);
    }

    /// Replaces a query parameter: removes every pair named `name` (exact match), then adds
    /// `value` like [`query`](Self::query) (so `None` just removes it).
    pub fn set_query<V: QueryValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.query.retain(|(n, _)| *n != name);
        self.query(name, value);
    }

    /// Adds a header parameter from the spec. Arrays are joined with `,` (OpenAPI
    /// `style: simple`); `None` adds nothing. A header of the same name is replaced.
    pub fn header<V: QueryValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        let mut pairs = Vec::new();
        value.append_to(name, &mut pairs);
        if pairs.is_empty() {
            return;
        }
        let joined = pairs
            .into_iter()
            .map(|(_, v)| v)
            .collect::<Vec<_>>()
            .join(",");
        self.set_header(name, joined);
    }

    /// Adds a header the client sends by itself (e.g. `X-SailPoint-Experimental: true`).
    pub fn implicit_header(&mut self, name: &'static str, value: &'static str) {
        self.set_header(name, value.to_owned());
    }

    fn set_header(&mut self, name: &'static str, value: String) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name, value));
    }

    /// Serialises `body` to JSON now; sent with `Content-Type: application/json`.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        self.json_with_content_type("application/json", body)
    }

    /// Serialises `body` to JSON now; sent with the given content type as is
    /// (e.g. `application/json-patch+json`).
    pub fn json_with_content_type<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), Error> {
        let data = serde_json::to_vec(body).map_err(|source| {
            Error::Encode(EncodeError::new(
                Some(self.operation.operation_id),
                "cannot serialise request body as JSON",
                Some(Box::new(source)),
            ))
        })?;
        self.body = Body::Bytes {
            content_type,
            data: Bytes::from(data),
        };
        Ok(())
    }

    /// A text body with the given content type.
    pub fn text(&mut self, content_type: &'static str, body: String) {
        self.bytes(content_type, Bytes::from(body));
    }

    /// A raw body with the given content type.
    pub fn bytes(&mut self, content_type: &'static str, body: Bytes) {
        self.body = Body::Bytes {
            content_type,
            data: body,
        };
    }

    /// A `multipart/form-data` body.
    pub fn multipart(&mut self, form: MultipartForm) {
        self.body = Body::Multipart(form);
    }

    /// The media type to ask for (`Accept`); `application/json` when not set.
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = Some(media_type);
    }

    /// The operation this request belongs to.
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// The path (with version prefix and encoded path parameters).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs, not yet encoded.
    pub fn query_pairs(&self) -> &[(&'static str, String)] {
        &self.query
    }

    /// Query pairs, mutable (e.g. for a pagination helper that rewrites `offset`).
    pub fn query_pairs_mut(&mut self) -> &mut Vec<(&'static str, String)> {
        &mut self.query
    }

    /// The header parameters and implicit headers.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The requested media type, if set.
    pub fn accept_media_type(&self) -> Option<&'static str> {
        self.accept
    }

    /// The body.
    pub fn body(&self) -> &Body {
        &self.body
    }
}

/// A request body.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Bytes sent as they are with a content type (JSON is serialised when it is set).
    Bytes {
        /// The `Content-Type` header value.
        content_type: &'static str,
        /// The body.
        data: Bytes,
    },
    /// A `multipart/form-data` form, built into a fresh reqwest form on every send.
    Multipart(MultipartForm),
}

/// Shows content types and sizes only: bodies can hold secrets.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes { content_type, data } => f
                .debug_struct("Bytes")
                .field("content_type", content_type)
                .field("len", &data.len())
                .finish(),
            Body::Multipart(form) => f.debug_tuple("Multipart").field(form).finish(),
        }
    }
}

/// A `multipart/form-data` body as plain data (it can be rebuilt for a retry).
#[derive(Debug, Clone, Default)]
pub struct MultipartForm {
    parts: Vec<(&'static str, MultipartPart)>,
}

#[derive(Clone)]
enum MultipartPart {
    Text(String),
    File(FilePart),
}

impl fmt::Debug for MultipartPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MultipartPart::Text(text) => f.debug_struct("Text").field("len", &text.len()).finish(),
            MultipartPart::File(file) => file.fmt(f),
        }
    }
}

impl MultipartForm {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: &'static str, value: impl ToString) -> Self {
        self.parts
            .push((name, MultipartPart::Text(value.to_string())));
        self
    }

    /// Adds a text field holding `value` as JSON text (for structured form fields). Fails only
    /// when `value` cannot be serialised.
    pub fn json<T: serde::Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Self, Error> {
        let text = serde_json::to_string(value).map_err(|source| {
            Error::Encode(EncodeError::new(
                None,
                format!("cannot serialise form field `{name}` as JSON"),
                Some(Box::new(source)),
            ))
        })?;
        Ok(self.text(name, text))
    }

    /// Adds a file field.
    pub fn file(mut self, name: &'static str, part: FilePart) -> Self {
        self.parts.push((name, MultipartPart::File(part)));
        self
    }

    /// Whether the form has no fields.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Builds the reqwest form; fails when a part's content type is not a valid media type.
    pub(crate) fn to_reqwest(
        &self,
        operation_id: &'static str,
    ) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            form = match part {
                MultipartPart::Text(text) => form.text(*name, text.clone()),
                MultipartPart::File(file) => {
                    let len = file.data.len() as u64;
                    let mut part = reqwest::multipart::Part::stream_with_length(
                        reqwest::Body::from(file.data.clone()),
                        len,
                    )
                    .file_name(file.file_name.clone());
                    let content_type = file
                        .content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream");
                    part = part.mime_str(content_type).map_err(|source| {
                        Error::Encode(EncodeError::new(
                            Some(operation_id),
                            format!(
                                "invalid content type {content_type:?} for multipart part {name:?}"
                            ),
                            Some(Box::new(source)),
                        ))
                    })?;
                    form.part(*name, part)
                }
            };
        }
        Ok(form)
    }
}

/// A file sent in a multipart form: bytes, file name and content type.
#[derive(Clone)]
pub struct FilePart {
    data: Bytes,
    file_name: String,
    content_type: Option<String>,
}

impl FilePart {
    /// A file part; the content type defaults to `application/octet-stream`.
    pub fn new(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        Self {
            data: bytes.into(),
            file_name: file_name.into(),
            content_type: None,
        }
    }

    /// Reads a file; the part's file name is the path's last component.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let data = std::fs::read(path)?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Self::new(data, file_name))
    }

    /// Sets the content type (checked when the request is sent).
    pub fn content_type(mut self, content_type: &str) -> Self {
        self.content_type = Some(content_type.to_owned());
        self
    }

    /// The file contents.
    pub fn bytes(&self) -> &Bytes {
        &self.data
    }

    /// The file name.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}
