//! The client, its builder and the one place where requests are executed.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};

use super::error::{ApiError, EncodeError, Error, TransportError};
use super::query::encode_query_component;
use super::request::{Body, Request};
use super::response::Response;
use super::retry::{self, RetryPolicy};

/// The default `User-Agent` header.
const DEFAULT_USER_AGENT: &str = concat!("isc-client-rust/", env!("CARGO_PKG_VERSION"));

/// The header experimental operations need.
const EXPERIMENTAL_HEADER: &str = "x-sailpoint-experimental";

/// A string whose `Debug` never shows its content.
#[derive(Clone)]
struct SecretString(String);

impl SecretString {
    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A client for the Identity Security Cloud API. Cheap to clone (the state is shared).
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    /// Base URL without trailing slash, e.g. `https://acme.api.identitynow.com`.
    base_url: String,
    http: reqwest::Client,
    access_token: Option<SecretString>,
    /// `Bearer <token>`, marked sensitive.
    authorization: Option<HeaderValue>,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
    retry_policy: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("access_token", &self.inner.access_token)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("retry_policy", &self.inner.retry_policy)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder; a base URL (or tenant) is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL, without trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and reads the whole response. A non-2xx status is `Err(Error::Api)`.
    ///
    /// Failed attempts are retried according to the client's [`RetryPolicy`]. Each call is one
    /// `isc.request` tracing span (operation id, method, path template, status, attempts,
    /// duration); headers and bodies are never logged.
    ///
    /// Every request of the generated code goes through here.
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        let operation = request.operation();
        let span = tracing::debug_span!(
            "isc.request",
            operation_id = operation.operation_id,
            method = operation.method,
            path = operation.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let policy = &self.inner.retry_policy;
        let mut attempt = 1;
        let result = tracing::Instrument::instrument(
            async {
                loop {
                    let outcome = self.send_once(&request).await.and_then(|response| {
                        if response.status().is_success() {
                            Ok(response)
                        } else {
                            let status = response.status();
                            let headers = response.headers().clone();
                            Err(Error::Api(ApiError::new(
                                operation.operation_id,
                                status,
                                headers,
                                response.bytes(),
                            )))
                        }
                    });
                    match retry::decide(policy, &request, attempt, &outcome) {
                        Some(retry) => {
                            tracing::debug!(
                                attempt,
                                reason = retry.reason,
                                delay_ms = retry.delay.as_millis() as u64,
                                "retrying request"
                            );
                            tokio::time::sleep(retry.delay).await;
                            attempt += 1;
                        }
                        None => break outcome,
                    }
                }
            },
            span.clone(),
        )
        .await;

        let response_headers = match &result {
            Ok(response) => Some(response.headers()),
            Err(Error::Api(error)) => Some(error.headers()),
            Err(_) => None,
        };
        if response_headers.is_some_and(|h| h.contains_key("x-deprecated")) {
            warn_deprecated_once(operation.operation_id, &span);
        }
        if let Some(status) = result
            .as_ref()
            .map_or_else(Error::status, |r| Some(r.status()))
        {
            span.record("status", status.as_u16());
        }
        span.record("attempts", attempt);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        result
    }

    /// Sends `request` once and reads the response, whatever its status.
    async fn send_once(&self, request: &Request) -> Result<Response, Error> {
        let operation = request.operation();
        let http_request = self.build_request(request)?;
        let transport = |e| Error::Transport(TransportError::new(operation.operation_id, e));
        let response = self
            .inner
            .http
            .execute(http_request)
            .await
            .map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?;
        Ok(Response::new(operation, status, headers, body))
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry_policy
    }

    /// Turns the plain-data request into a reqwest request.
    fn build_request(&self, request: &Request) -> Result<reqwest::Request, Error> {
        let operation = request.operation();
        let op_id = operation.operation_id;
        let encode_error =
            |message: String| Error::Encode(EncodeError::new(Some(op_id), message, None));

        let method = http::Method::from_bytes(operation.method.as_bytes())
            .map_err(|_| encode_error(format!("invalid HTTP method {:?}", operation.method)))?;
        let url = self.url(request)?;

        let mut builder = self
            .inner
            .http
            .request(method, url)
            .header(USER_AGENT, self.inner.user_agent.clone());
        if let Some(timeout) = self.inner.timeout {
            builder = builder.timeout(timeout);
        }

        let mut headers = http::HeaderMap::new();
        let accept = request.accept_media_type().unwrap_or("application/json");
        headers.insert(
            ACCEPT,
            HeaderValue::from_str(accept)
                .map_err(|_| encode_error(format!("invalid Accept value {accept:?}")))?,
        );
        if let Some(authorization) = &self.inner.authorization {
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        if operation.experimental {
            headers.insert(EXPERIMENTAL_HEADER, HeaderValue::from_static("true"));
        }
        for (name, value) in request.headers() {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| encode_error(format!("invalid header name {name:?}")))?;
            let header_value = HeaderValue::from_str(value)
                .map_err(|_| encode_error(format!("invalid value for header {name:?}")))?;
            headers.insert(header_name, header_value);
        }

        match request.body() {
            Body::Empty => {}
            Body::Bytes { content_type, data } => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_str(content_type).map_err(|_| {
                        encode_error(format!("invalid Content-Type {content_type:?}"))
                    })?,
                );
                builder = builder.body(data.clone());
            }
            Body::Multipart(form) => {
                // reqwest sets the content type with the boundary.
                builder = builder.multipart(form.to_reqwest(op_id)?);
            }
        }

        builder
            .headers(headers)
            .build()
            .map_err(|e| encode_error(format!("cannot build request: {e}")))
    }

    /// Base URL + path + encoded query.
    fn url(&self, request: &Request) -> Result<url::Url, Error> {
        let op_id = request.operation().operation_id;
        let path = request.path();
        let mut url = String::with_capacity(self.inner.base_url.len() + path.len() + 64);
        url.push_str(&self.inner.base_url);
        if !path.starts_with('/') {
            url.push('/');
        }
        url.push_str(path);
        for (i, (name, value)) in request.query_pairs().iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode_query_component(name));
            url.push('=');
            url.push_str(&encode_query_component(value));
        }
        url::Url::parse(&url).map_err(|e| {
            Error::Encode(EncodeError::new(
                Some(op_id),
                format!("invalid request URL for path {path:?}"),
                Some(Box::new(e)),
            ))
        })
    }
}

/// Logs one warning per deprecated operation (`X-Deprecated` response header) per process.
fn warn_deprecated_once(operation_id: &'static str, span: &tracing::Span) {
    static WARNED: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let first = WARNED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get_or_insert_with(HashSet::new)
        .insert(operation_id);
    if first {
        span.in_scope(|| {
            tracing::warn!(
                operation_id,
                "the server marks this operation as deprecated (X-Deprecated); \
                 it may be removed, see the API changelog"
            );
        });
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    access_token: Option<SecretString>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    retry_policy: Option<RetryPolicy>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("access_token", &self.access_token)
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("retry_policy", &self.retry_policy)
            .finish()
    }
}

impl ClientBuilder {
    /// The API base URL, e.g. `https://acme.api.identitynow.com` (a trailing slash is fine).
    pub fn base_url(mut self, base_url: impl AsRef<str>) -> Self {
        self.base_url = Some(base_url.as_ref().to_owned());
        self
    }

    /// Sets the base URL to `https://{tenant}.api.identitynow.com`.
    pub fn tenant(mut self, tenant: &str) -> Self {
        self.base_url = Some(format!("https://{tenant}.api.identitynow.com"));
        self
    }

    /// The access token sent as `Authorization: Bearer <token>`.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(SecretString(token.into()));
        self
    }

    /// The reqwest client to use (proxies, TLS settings, connection pool, ...).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Timeout for each request (whole request, including reading the body).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header; `isc-client-rust/<version>` by default.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How failed requests are retried; [`RetryPolicy::default`] when not set,
    /// [`RetryPolicy::none`] to send every request once.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Builds the client. Fails with [`Error::Config`] when the base URL is missing or invalid.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = normalize_base_url(self.base_url.as_deref())?;

        let authorization = match &self.access_token {
            None => None,
            Some(token) => {
                let token = token.expose();
                if token.is_empty() {
                    return Err(Error::Config("the access token is empty".to_owned()));
                }
                let mut value =
                    HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                        Error::Config(
                            "the access token contains characters not allowed in an HTTP header"
                                .to_owned(),
                        )
                    })?;
                value.set_sensitive(true);
                Some(value)
            }
        };

        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::Config(format!(
                "the user agent {user_agent:?} is not a valid HTTP header value"
            ))
        })?;

        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                base_url,
                http,
                access_token: self.access_token,
                authorization,
                user_agent,
                timeout: self.timeout,
                retry_policy: self.retry_policy.unwrap_or_default(),
            }),
        })
    }
}

/// Checks the base URL and removes trailing slashes.
fn normalize_base_url(base_url: Option<&str>) -> Result<String, Error> {
    let Some(raw) = base_url else {
        return Err(Error::Config(
            "no base URL: call ClientBuilder::base_url (e.g. \"https://acme.api.identitynow.com\") \
             or ClientBuilder::tenant"
                .to_owned(),
        ));
    };
    let trimmed = raw.trim().trim_end_matches('/');
    // A URL with `user:password@` must not be echoed into an error message.
    let shown = if raw.contains('@') {
        "<redacted>".to_owned()
    } else {
        format!("{raw:?}")
    };
    let invalid = |why: &str| Error::Config(format!("invalid base URL {shown}: {why}"));
    if trimmed.is_empty() {
        return Err(invalid("it is empty"));
    }
    let url = url::Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not contain credentials"));
    }
    Ok(trimmed.to_owned())
}
