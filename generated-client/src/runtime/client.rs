//! The client, its builder and the one place where requests are executed.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};

use super::error::{ApiError, EncodeError, Error, TransportError};
use super::query::encode_query_component;
use super::request::{Body, Request};
use super::response::Response;

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
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("access_token", &self.inner.access_token)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
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
    /// Every request of the generated code goes through here.
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        let response = self.send_once(&request).await?;
        if response.status().is_success() {
            Ok(response)
        } else {
            let operation_id = request.operation().operation_id;
            let status = response.status();
            let headers = response.headers().clone();
            Err(Error::Api(ApiError::new(
                operation_id,
                status,
                headers,
                response.bytes(),
            )))
        }
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

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    access_token: Option<SecretString>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("access_token", &self.access_token)
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
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
