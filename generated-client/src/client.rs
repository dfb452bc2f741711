//! The SailPoint layer of the client: [`Client`] and [`ClientBuilder`] are the runtime's generic
//! HTTP client and builder with what only ISC has, tenant URLs and the configuration sources of
//! SailPoint's tools ([`Config`](crate::Config)), and the API versions as methods
//! (`client.v3()`, `client.accounts()`).
//!
//! They are thin wrappers rather than re-exports because the API accessors must be inherent
//! methods of a type of this crate (the runtime crate knows no API version).

use std::fmt;
use std::time::Duration;

use crate::runtime::{self, CallOptions, Error, RateLimit, Request, Response, RetryPolicy};

/// A client for the Identity Security Cloud API. Cheap to clone (the state is shared).
///
/// Get one from [`Client::builder`] or [`Client::from_env`]; every API is a method
/// (`client.v3()`, and the per-service API's services directly: `client.accounts().v1()`).
#[derive(Clone)]
pub struct Client {
    runtime: runtime::Client,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.runtime, f)
    }
}

impl Client {
    /// A builder; a base URL or tenant is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            runtime: runtime::Client::builder(),
        }
    }

    /// The runtime client this one wraps: what the generated handles hold, and what
    /// [`execute`](runtime::Client::execute) hand-made requests go through.
    pub fn runtime(&self) -> &runtime::Client {
        &self.runtime
    }

    /// The base URL, without trailing slash.
    pub fn base_url(&self) -> &str {
        self.runtime.base_url()
    }

    /// A handle on the same client (connections, token, rate limit) whose calls use `options`
    /// on top of the client's settings and of options this handle already has. See
    /// [`CallOptions`].
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client {
            runtime: self.runtime.with_options(options),
        }
    }

    /// The options of this handle, if any.
    pub fn call_options(&self) -> Option<&CallOptions> {
        self.runtime.call_options()
    }

    /// The client-side rate limit, `None` when it is switched off.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.runtime.rate_limit()
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.runtime.retry_policy()
    }

    /// Sends a hand-made request (see [`runtime::Client::execute`]).
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        self.runtime.execute(request).await
    }

    /// Sends a hand-made request and streams the answer's body (see
    /// [`runtime::Client::execute_streaming`]).
    pub async fn execute_streaming(
        &self,
        request: Request,
    ) -> Result<runtime::StreamingResponse, Error> {
        self.runtime.execute_streaming(request).await
    }
}

impl AsRef<runtime::Client> for Client {
    fn as_ref(&self) -> &runtime::Client {
        &self.runtime
    }
}

impl From<runtime::Client> for Client {
    fn from(runtime: runtime::Client) -> Client {
        Client { runtime }
    }
}

impl From<Client> for runtime::Client {
    fn from(client: Client) -> runtime::Client {
        client.runtime
    }
}

/// Configures a [`Client`]: the runtime's [`ClientBuilder`](runtime::ClientBuilder) plus
/// [`tenant`](Self::tenant) and [`from_env`](Self::from_env). `Debug` hides every secret.
#[derive(Debug, Default)]
pub struct ClientBuilder {
    runtime: runtime::ClientBuilder,
}

impl ClientBuilder {
    fn map(self, f: impl FnOnce(runtime::ClientBuilder) -> runtime::ClientBuilder) -> Self {
        ClientBuilder {
            runtime: f(self.runtime),
        }
    }

    /// The API base URL, e.g. `https://acme.api.identitynow.com` (a trailing slash is fine).
    pub fn base_url(self, base_url: impl AsRef<str>) -> Self {
        self.map(|b| b.base_url(base_url))
    }

    /// Sets the base URL to `https://{tenant}.api.identitynow.com`.
    pub fn tenant(self, tenant: &str) -> Self {
        self.base_url(format!("https://{tenant}.api.identitynow.com"))
    }

    /// A fixed access token sent as `Authorization: Bearer <token>`. It is never refreshed: a
    /// 401 is returned as [`Error::Api`]. Replaces earlier credentials.
    pub fn access_token(self, token: impl Into<String>) -> Self {
        self.map(|b| b.access_token(token))
    }

    /// OAuth 2.0 client credentials (a personal access token is such a pair). The client gets
    /// a token from the token endpoint on first use, caches it, refreshes it before it expires
    /// (see [`token_refresh_margin`](Self::token_refresh_margin)) and, when an API call is
    /// answered with 401, fetches a new one and sends the call once more. Replaces earlier
    /// credentials.
    pub fn client_credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.map(|b| b.client_credentials(client_id, client_secret))
    }

    /// The OAuth token endpoint; `{base_url}/oauth/token` by default.
    pub fn token_url(self, token_url: impl AsRef<str>) -> Self {
        self.map(|b| b.token_url(token_url))
    }

    /// How long before expiry a client-credentials token is replaced; 5 minutes by default.
    /// When a token lives less than twice this margin, a tenth of its lifetime is used instead.
    pub fn token_refresh_margin(self, margin: Duration) -> Self {
        self.map(|b| b.token_refresh_margin(margin))
    }

    /// The reqwest client to use (proxies, TLS settings, connection pool, ...).
    pub fn http_client(self, client: reqwest::Client) -> Self {
        self.map(|b| b.http_client(client))
    }

    /// Timeout for each request (whole request, including reading the body).
    pub fn timeout(self, timeout: Duration) -> Self {
        self.map(|b| b.timeout(timeout))
    }

    /// The `User-Agent` header; `isc-client-rust/<version>` by default.
    pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
        self.map(|b| b.user_agent(user_agent))
    }

    /// How failed requests are retried; [`RetryPolicy::default`] when not set,
    /// [`RetryPolicy::none`] to send every request once.
    pub fn retry_policy(self, policy: RetryPolicy) -> Self {
        self.map(|b| b.retry_policy(policy))
    }

    /// The client-side rate limit, per API version ([`RateLimit::default`], 100 requests per
    /// 10 s, when not set): every clone of the client shares it, and a request waits its turn
    /// rather than being answered 429. Set it to the limit of your tenant if SailPoint raised
    /// it, lower when several processes share one client id.
    pub fn rate_limit(self, limit: RateLimit) -> Self {
        self.map(|b| b.rate_limit(limit))
    }

    /// No client-side rate limit: requests are sent as soon as they are made (a 429 is still
    /// retried after its `Retry-After`).
    pub fn no_rate_limit(self) -> Self {
        self.map(runtime::ClientBuilder::no_rate_limit)
    }

    /// Builds the client. Fails with [`Error::Config`] when the base URL is missing or invalid.
    pub fn build(self) -> Result<Client, Error> {
        Ok(Client {
            runtime: self.runtime.build()?,
        })
    }
}
