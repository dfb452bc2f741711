//! The client, its builder and the one place where requests are executed.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};

use super::auth::{self, Auth, FetchContext, SecretString, Token, TokenSource};
use super::download::StreamingResponse;
use super::error::{ApiError, DeadlineError, EncodeError, Error, TransportError};
use super::limit::{self, Limiter, RateLimit};
use super::options::CallOptions;
use super::query::encode_query_component;
use super::request::{Body, Request};
use super::response::Response;
use super::retry::{self, RetryPolicy};

/// The default `User-Agent` header.
const DEFAULT_USER_AGENT: &str = concat!("isc-client-rust/", env!("CARGO_PKG_VERSION"));

/// The header experimental operations need.
const EXPERIMENTAL_HEADER: &str = "x-sailpoint-experimental";

/// The HTTP client every generated operation is sent with: base URL, authentication, retries,
/// rate limit and per-handle [`CallOptions`]. Cheap to clone (the state is shared).
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
    /// Set by [`Client::with_options`] on this handle and its clones.
    options: Option<Arc<CallOptions>>,
}

struct ClientInner {
    /// Base URL without trailing slash, e.g. `https://acme.api.identitynow.com`.
    base_url: String,
    http: reqwest::Client,
    /// Static token, client credentials or nothing (see `auth.rs`).
    auth: Auth,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
    retry_policy: RetryPolicy,
    /// Shared by every clone; `None` when switched off.
    limiter: Option<Limiter>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("retry_policy", &self.inner.retry_policy)
            .field("rate_limit", &self.rate_limit())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// How an attempt reads a 2xx answer's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// Into memory, before the call returns.
    Whole,
    /// Not at all: the caller streams it.
    Streaming,
}

/// An answer, read as asked.
enum Answer {
    Whole(Response),
    Streaming(StreamingResponse),
}

impl Answer {
    fn status(&self) -> http::StatusCode {
        match self {
            Answer::Whole(response) => response.status(),
            Answer::Streaming(streaming) => streaming.status(),
        }
    }

    fn headers(&self) -> &http::HeaderMap {
        match self {
            Answer::Whole(response) => response.headers(),
            Answer::Streaming(streaming) => streaming.headers(),
        }
    }
}

/// What one call runs with: the client's settings with the handle's [`CallOptions`] on top.
struct Effective<'a> {
    policy: &'a RetryPolicy,
    timeout: Option<Duration>,
    deadline: Option<Instant>,
    marked_safe: bool,
    options: Option<&'a CallOptions>,
}

impl Effective<'_> {
    /// The timeout of an attempt starting now: the configured one, cut to the deadline.
    fn attempt_timeout(&self) -> Option<Duration> {
        let left = self
            .deadline
            .map(|deadline| deadline.saturating_duration_since(Instant::now()));
        match (self.timeout, left) {
            (Some(timeout), Some(left)) => Some(timeout.min(left)),
            (timeout, left) => timeout.or(left),
        }
    }

    /// Whether waiting `delay` before the next attempt leaves time for it.
    fn leaves_time_after(&self, delay: Duration) -> bool {
        self.deadline
            .is_none_or(|deadline| Instant::now() + delay < deadline)
    }
}

/// What generated code holds its handles on: the client type users hold implements
/// `AsRef<Client>` (see the generator's `client_path`), and so does `Client` itself.
impl AsRef<Client> for Client {
    fn as_ref(&self) -> &Client {
        self
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

    /// A handle on the same client (connections, token, rate limit) whose calls use `options`
    /// on top of the client's settings and of options this handle already has. See
    /// [`CallOptions`].
    pub fn with_options(&self, options: CallOptions) -> Client {
        let options = match &self.options {
            Some(current) => current.merged(options),
            None => options,
        };
        Client {
            inner: Arc::clone(&self.inner),
            options: Some(Arc::new(options)),
        }
    }

    /// The options of this handle, if any.
    pub fn call_options(&self) -> Option<&CallOptions> {
        self.options.as_deref()
    }

    /// The client-side rate limit, `None` when it is switched off.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.limiter.as_ref().map(Limiter::limit)
    }

    /// Sends a request and reads the whole response. A non-2xx status is `Err(Error::Api)`.
    ///
    /// Each attempt waits for the client's rate limit first. Failed attempts are retried
    /// according to the [`RetryPolicy`] (the handle's [`CallOptions`] may change it, the
    /// timeouts and the deadline). Each call is one `isc.request` tracing span (operation id,
    /// method, path template, status, attempts, duration); headers and bodies are never logged.
    ///
    /// Every request of the generated code goes through here.
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        match self.run(request, Read::Whole).await? {
            Answer::Whole(response) => Ok(response),
            Answer::Streaming(streaming) => streaming.into_response().await,
        }
    }

    /// Sends a request like [`execute`](Self::execute) but returns a 2xx answer as soon as its
    /// headers arrive, with the body still to be read as a stream: for downloads whose size
    /// memory should not have to hold. Retries, the rate limit and authentication apply until
    /// the headers arrive; the timeout bounds the wait for the headers and then for each chunk.
    /// A non-2xx answer is read whole and returned as [`Error::Api`].
    pub async fn execute_streaming(&self, request: Request) -> Result<StreamingResponse, Error> {
        match self.run(request, Read::Streaming).await? {
            Answer::Streaming(streaming) => Ok(streaming),
            // Not made by a streaming attempt (a 2xx is a stream, any other status an error);
            // an error rather than a panic should that ever change.
            Answer::Whole(response) => Err(Error::Encode(EncodeError::new(
                Some(response.operation().operation_id),
                "the answer was read whole where a stream was asked for",
                None,
            ))),
        }
    }

    /// The retry loop around attempts, with the tracing span of the call.
    async fn run(&self, request: Request, read: Read) -> Result<Answer, Error> {
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
        let options = self.options.as_deref();
        let effective = Effective {
            policy: options
                .and_then(|o| o.retry_policy.as_ref())
                .unwrap_or(&self.inner.retry_policy),
            timeout: options.and_then(|o| o.timeout).or(self.inner.timeout),
            deadline: options.and_then(|o| o.deadline).map(|d| started + d),
            marked_safe: options.is_some_and(|o| o.retry_safe),
            options,
        };
        let mut attempt = 1;
        let result = tracing::Instrument::instrument(
            async {
                loop {
                    let outcome = match self.wait_for_turn(&request, &effective, attempt).await {
                        Ok(()) => self.attempt(&request, &effective, read).await,
                        // Out of time before this attempt could start.
                        Err(error) => break Err(error),
                    };
                    let retry = outcome.as_ref().err().and_then(|error| {
                        retry::decide(
                            effective.policy,
                            &request,
                            effective.marked_safe,
                            attempt,
                            error,
                        )
                    });
                    match retry {
                        Some(retry) if effective.leaves_time_after(retry.delay) => {
                            tracing::debug!(
                                attempt,
                                reason = retry.reason,
                                delay_ms = retry.delay.as_millis() as u64,
                                "retrying request"
                            );
                            tokio::time::sleep(retry.delay).await;
                            attempt += 1;
                        }
                        _ => break outcome,
                    }
                }
            },
            span.clone(),
        )
        .await;

        let response_headers = match &result {
            Ok(answer) => Some(answer.headers()),
            Err(Error::Api(error)) => Some(error.headers()),
            Err(_) => None,
        };
        if response_headers.is_some_and(|h| h.contains_key("x-deprecated")) {
            warn_deprecated_once(operation.operation_id, &span);
        }
        if let Some(status) = result
            .as_ref()
            .map_or_else(Error::status, |answer| Some(answer.status()))
        {
            span.record("status", status.as_u16());
        }
        span.record("attempts", attempt);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        result
    }

    /// Waits for the rate limit of the request's API version, at most until the deadline.
    async fn wait_for_turn(
        &self,
        request: &Request,
        effective: &Effective<'_>,
        attempt: u32,
    ) -> Result<(), Error> {
        let Some(limiter) = &self.inner.limiter else {
            return Ok(());
        };
        let operation = request.operation();
        let turn = limiter.acquire(limit::scope(operation.path));
        let waited = match effective.deadline {
            None => turn.await,
            Some(deadline) => tokio::time::timeout_at(deadline.into(), turn)
                .await
                .map_err(|_| {
                    Error::Deadline(DeadlineError::new(
                        operation.operation_id,
                        attempt - 1,
                        "waiting for the client's rate limit",
                    ))
                })?,
        };
        if !waited.is_zero() {
            tracing::trace!(
                waited_ms = waited.as_millis() as u64,
                "waited for the rate limit"
            );
        }
        Ok(())
    }

    /// One attempt: the answer, a non-2xx status as `Error::Api`.
    async fn attempt(
        &self,
        request: &Request,
        effective: &Effective<'_>,
        read: Read,
    ) -> Result<Answer, Error> {
        match self.send_once(request, effective, read).await? {
            Answer::Whole(response) if !response.status().is_success() => {
                let status = response.status();
                let headers = response.headers().clone();
                Err(Error::Api(ApiError::new(
                    request.operation().operation_id,
                    status,
                    headers,
                    response.bytes(),
                )))
            }
            answer => Ok(answer),
        }
    }

    /// Sends `request` once and reads the response, whatever its status.
    ///
    /// Auth: a 401 answer to a client-credentials token invalidates that token and the request
    /// is sent once more with a new one; a second 401 is returned as it is.
    async fn send_once(
        &self,
        request: &Request,
        effective: &Effective<'_>,
        read: Read,
    ) -> Result<Answer, Error> {
        let (response, token) = self.send_authorized(request, effective, read).await?;
        match token {
            Some(token) if response.status() == http::StatusCode::UNAUTHORIZED => {
                self.inner.auth.invalidate(&token);
                Ok(self.send_authorized(request, effective, read).await?.0)
            }
            _ => Ok(response),
        }
    }

    /// Adds the `Authorization` header; returns the token used when it can be renewed.
    async fn authorize(
        &self,
        http_request: &mut reqwest::Request,
    ) -> Result<Option<Arc<Token>>, Error> {
        let cx = FetchContext {
            http: &self.inner.http,
            user_agent: &self.inner.user_agent,
            timeout: self.inner.timeout,
        };
        self.inner
            .auth
            .authorize(http_request, &cx)
            .await
            .map_err(Error::Auth)
    }

    /// Builds, authorizes and sends `request` once; returns the response and the token used.
    ///
    /// Read whole, the attempt's timeout is reqwest's and covers the body too. Streamed, the
    /// client times the wait for the headers itself and hands the timeout on as the idle
    /// timeout between chunks; an error answer is still read whole (it is small).
    async fn send_authorized(
        &self,
        request: &Request,
        effective: &Effective<'_>,
        read: Read,
    ) -> Result<(Answer, Option<Arc<Token>>), Error> {
        let operation = request.operation();
        let op_id = operation.operation_id;
        let timeout = effective.attempt_timeout();
        let mut http_request = self.build_request(request, effective, read)?;
        let token = self.authorize(&mut http_request).await?;
        let sent = self.inner.http.execute(http_request);
        let response = match (read, timeout) {
            (Read::Streaming, Some(timeout)) => tokio::time::timeout(timeout, sent)
                .await
                .map_err(|_| Error::Transport(TransportError::timed_out(op_id, None)))?,
            _ => sent.await,
        }
        .map_err(|e| Error::Transport(TransportError::new(op_id, e)))?;
        let status = response.status();
        if read == Read::Streaming && status.is_success() {
            let streaming = StreamingResponse::new(operation, response, timeout);
            return Ok((Answer::Streaming(streaming), token));
        }
        let headers = response.headers().clone();
        let body = response.bytes();
        let body = match (read, timeout) {
            (Read::Streaming, Some(timeout)) => tokio::time::timeout(timeout, body)
                .await
                .map_err(|_| Error::Transport(TransportError::timed_out(op_id, Some(status))))?,
            _ => body.await,
        }
        .map_err(|e| Error::Transport(TransportError::body(op_id, status, e)))?;
        let response = Response::new(operation, status, headers, body);
        Ok((Answer::Whole(response), token))
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry_policy
    }

    /// Turns the plain-data request into a reqwest request.
    fn build_request(
        &self,
        request: &Request,
        effective: &Effective<'_>,
        read: Read,
    ) -> Result<reqwest::Request, Error> {
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
        if let (Read::Whole, Some(timeout)) = (read, effective.attempt_timeout()) {
            builder = builder.timeout(timeout);
        }

        let mut headers = http::HeaderMap::new();
        let accept = request.accept_media_type().unwrap_or("application/json");
        headers.insert(
            ACCEPT,
            HeaderValue::from_str(accept)
                .map_err(|_| encode_error(format!("invalid Accept value {accept:?}")))?,
        );
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
        for header in effective.options.map_or(&[][..], |o| &o.headers[..]) {
            let (name, value) = header.as_ref().map_err(|why| encode_error(why.clone()))?;
            headers.insert(name.clone(), value.clone());
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

/// Credentials given to the builder.
#[derive(Clone)]
enum Credentials {
    AccessToken(SecretString),
    ClientCredentials {
        client_id: String,
        client_secret: SecretString,
    },
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
    credentials: Option<Credentials>,
    token_url: Option<String>,
    token_refresh_margin: Option<Duration>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    retry_policy: Option<RetryPolicy>,
    /// `None`: the default limit; `Some(None)`: switched off.
    rate_limit: Option<Option<RateLimit>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("access_token", &self.static_token())
            .field("client_credentials", &self.client_credentials_debug())
            .field("token_url", &self.token_url)
            .field("token_refresh_margin", &self.token_refresh_margin)
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("retry_policy", &self.retry_policy)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl ClientBuilder {
    fn static_token(&self) -> Option<&SecretString> {
        match &self.credentials {
            Some(Credentials::AccessToken(token)) => Some(token),
            _ => None,
        }
    }

    /// `(client_id, <redacted>)` for `Debug`.
    fn client_credentials_debug(&self) -> Option<(&str, &SecretString)> {
        match &self.credentials {
            Some(Credentials::ClientCredentials {
                client_id,
                client_secret,
            }) => Some((client_id, client_secret)),
            _ => None,
        }
    }

    /// The API base URL, e.g. `https://acme.api.identitynow.com` (a trailing slash is fine).
    pub fn base_url(mut self, base_url: impl AsRef<str>) -> Self {
        self.base_url = Some(base_url.as_ref().to_owned());
        self
    }

    /// A fixed access token sent as `Authorization: Bearer <token>`. It is never refreshed: a
    /// 401 is returned as [`Error::Api`]. Replaces earlier credentials.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::AccessToken(SecretString::new(token.into())));
        self
    }

    /// OAuth 2.0 client credentials (a personal access token is such a pair). The client gets
    /// a token from the token endpoint on first use, caches it, refreshes it before it expires
    /// (see [`token_refresh_margin`](Self::token_refresh_margin)) and, when an API call is
    /// answered with 401, fetches a new one and sends the call once more. Replaces earlier
    /// credentials.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.credentials = Some(Credentials::ClientCredentials {
            client_id: client_id.into(),
            client_secret: SecretString::new(client_secret.into()),
        });
        self
    }

    /// The OAuth token endpoint; `{base_url}/oauth/token` by default.
    pub fn token_url(mut self, token_url: impl AsRef<str>) -> Self {
        self.token_url = Some(token_url.as_ref().to_owned());
        self
    }

    /// How long before expiry a client-credentials token is replaced; 5 minutes by default.
    /// When a token lives less than twice this margin, a tenth of its lifetime is used instead.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = Some(margin);
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

    /// The client-side rate limit, per API version ([`RateLimit::default`], 100 requests per
    /// 10 s, when not set): every clone of the client shares it, and a request waits its turn
    /// rather than being answered 429. Set it to the limit of your tenant if SailPoint raised
    /// it, lower when several processes share one client id.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(Some(limit));
        self
    }

    /// No client-side rate limit: requests are sent as soon as they are made (a 429 is still
    /// retried after its `Retry-After`).
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = Some(None);
        self
    }

    /// Builds the client. Fails with [`Error::Config`] when the base URL is missing or invalid.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = normalize_base_url(self.base_url.as_deref())?;

        let auth = match self.credentials {
            None => Auth::None,
            Some(Credentials::AccessToken(token)) => {
                let token = token.expose();
                if token.is_empty() {
                    return Err(Error::Config("the access token is empty".to_owned()));
                }
                Auth::Static(auth::bearer(token).ok_or_else(|| {
                    Error::Config(
                        "the access token contains characters not allowed in an HTTP header"
                            .to_owned(),
                    )
                })?)
            }
            Some(Credentials::ClientCredentials {
                client_id,
                client_secret,
            }) => {
                if client_id.is_empty() {
                    return Err(Error::Config("the client ID is empty".to_owned()));
                }
                if client_secret.expose().is_empty() {
                    return Err(Error::Config("the client secret is empty".to_owned()));
                }
                let token_url = match &self.token_url {
                    Some(raw) => normalize_base_url(Some(raw)).map_err(|e| match e {
                        Error::Config(m) => Error::Config(m.replacen("base URL", "token URL", 1)),
                        e => e,
                    })?,
                    None => format!("{base_url}/oauth/token"),
                };
                let token_url = url::Url::parse(&token_url)
                    .map_err(|e| Error::Config(format!("invalid token URL: {e}")))?;
                Auth::ClientCredentials(TokenSource::new(
                    client_id,
                    client_secret,
                    token_url,
                    self.token_refresh_margin
                        .unwrap_or(auth::DEFAULT_REFRESH_MARGIN),
                ))
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
                auth,
                user_agent,
                timeout: self.timeout,
                retry_policy: self.retry_policy.unwrap_or_default(),
                limiter: self
                    .rate_limit
                    .unwrap_or(Some(RateLimit::default()))
                    .map(Limiter::new),
            }),
            options: None,
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
