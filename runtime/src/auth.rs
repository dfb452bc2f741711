//! Authentication: a static access token, or OAuth 2.0 client credentials with a cached token
//! that is fetched on first use, refreshed before it expires and renewed once after a 401.
//!
//! Secrets (client secret, access tokens) never appear in `Debug`, `Display` or errors.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use http::StatusCode;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};

/// How long before expiry a token is refreshed, unless configured otherwise.
pub(crate) const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A string whose `Debug` never shows its content (a client secret, a token): what holds one
/// can derive or write `Debug` without leaking it. There is deliberately no `Display`.
#[derive(Clone)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret.
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `Bearer <token>` as a sensitive header value.
pub(crate) fn bearer(token: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// How the client authenticates.
pub(crate) enum Auth {
    /// No `Authorization` header.
    None,
    /// A fixed `Bearer` header; never refreshed.
    Static(HeaderValue),
    /// OAuth 2.0 client credentials.
    ClientCredentials(TokenSource),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Static(_) => f.write_str("AccessToken(<redacted>)"),
            Auth::ClientCredentials(source) => source.fmt(f),
        }
    }
}

/// A token in use; kept by a request so that a 401 invalidates exactly that token.
pub(crate) struct Token {
    authorization: HeaderValue,
    /// When the token should be replaced; `None` when the server gave no `expires_in`.
    refresh_at: Option<Instant>,
}

impl Token {
    fn is_fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"<redacted>")
            .field("refresh_at", &self.refresh_at)
            .finish()
    }
}

/// Fetches, caches and refreshes client-credentials tokens. One fetch at a time (single-flight).
pub(crate) struct TokenSource {
    client_id: String,
    client_secret: SecretString,
    token_url: url::Url,
    refresh_margin: Duration,
    cached: RwLock<Option<Arc<Token>>>,
    /// Held while a token is fetched, so concurrent callers wait for that one fetch.
    fetching: tokio::sync::Mutex<()>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_url", &self.token_url.as_str())
            .field("refresh_margin", &self.refresh_margin)
            .field(
                "token",
                &self.current().map(|_| "<redacted>").unwrap_or("<none>"),
            )
            .finish()
    }
}

/// What [`TokenSource::fetch`] needs from the client.
pub(crate) struct FetchContext<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) user_agent: &'a HeaderValue,
    pub(crate) timeout: Option<Duration>,
}

impl TokenSource {
    pub(crate) fn new(
        client_id: String,
        client_secret: SecretString,
        token_url: url::Url,
        refresh_margin: Duration,
    ) -> Self {
        Self {
            client_id,
            client_secret,
            token_url,
            refresh_margin,
            cached: RwLock::new(None),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    fn current(&self) -> Option<Arc<Token>> {
        self.cached
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn current_fresh(&self) -> Option<Arc<Token>> {
        self.current().filter(|t| t.is_fresh(Instant::now()))
    }

    /// A valid token: the cached one, or a new one (one fetch for all concurrent callers).
    pub(crate) async fn token(&self, cx: &FetchContext<'_>) -> Result<Arc<Token>, AuthError> {
        if let Some(token) = self.current_fresh() {
            return Ok(token);
        }
        let _fetching = self.fetching.lock().await;
        // Someone else may have fetched while we waited.
        if let Some(token) = self.current_fresh() {
            return Ok(token);
        }
        let token = Arc::new(self.fetch(cx).await?);
        *self.cached.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&token));
        Ok(token)
    }

    /// Forgets `used` after the server rejected it, unless it was already replaced.
    pub(crate) fn invalidate(&self, used: &Arc<Token>) {
        let mut cached = self.cached.write().unwrap_or_else(|e| e.into_inner());
        if cached.as_ref().is_some_and(|c| Arc::ptr_eq(c, used)) {
            *cached = None;
        }
    }

    /// The refresh margin for a token valid for `expires_in`.
    fn margin_for(&self, expires_in: Duration) -> Duration {
        if expires_in < self.refresh_margin * 2 {
            expires_in / 10
        } else {
            self.refresh_margin
        }
    }

    async fn fetch(&self, cx: &FetchContext<'_>) -> Result<Token, AuthError> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose())
            .finish();
        let mut builder = cx
            .http
            .post(self.token_url.clone())
            .header(USER_AGENT, cx.user_agent.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        if let Some(timeout) = cx.timeout {
            builder = builder.timeout(timeout);
        }
        let started = Instant::now();
        let response = builder.send().await.map_err(AuthError::transport)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(AuthError::transport)?;
        let json: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();

        if !status.is_success() {
            let text = |key: &str| {
                json.as_ref()
                    .and_then(|j| j.get(key))
                    .and_then(serde_json::Value::as_str)
                    .map(|s| self.scrub(s))
            };
            return Err(AuthError {
                kind: AuthErrorKind::Rejected,
                status: Some(status),
                error: text("error"),
                error_description: text("error_description"),
                source: None,
            });
        }

        let invalid = |why: &'static str| AuthError {
            kind: AuthErrorKind::InvalidResponse(why),
            status: Some(status),
            error: None,
            error_description: None,
            source: None,
        };
        let json = json.ok_or_else(|| invalid("the token response is not JSON"))?;
        let access_token = json
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| invalid("the token response has no access_token"))?;
        let authorization = bearer(access_token)
            .ok_or_else(|| invalid("the access token is not a valid HTTP header value"))?;
        let expires_in = match json.get("expires_in") {
            Some(serde_json::Value::Number(n)) => n.as_f64(),
            Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
        let refresh_at = expires_in.map(|e| started + e - self.margin_for(e));
        // Never the token or the secret: only when it expires.
        tracing::debug!(
            expires_in_s = expires_in.map(|e| e.as_secs()),
            "fetched an access token"
        );
        Ok(Token {
            authorization,
            refresh_at,
        })
    }

    /// Removes the client secret from server-provided text, in case a server echoes it.
    fn scrub(&self, text: &str) -> String {
        let secret = self.client_secret.expose();
        if secret.is_empty() {
            text.to_owned()
        } else {
            text.replace(secret, "<redacted>")
        }
    }
}

impl Auth {
    /// Adds the `Authorization` header. Returns the token used when it can be renewed after
    /// a 401 (client credentials), `None` otherwise.
    pub(crate) async fn authorize(
        &self,
        request: &mut reqwest::Request,
        cx: &FetchContext<'_>,
    ) -> Result<Option<Arc<Token>>, AuthError> {
        match self {
            Auth::None => Ok(None),
            Auth::Static(value) => {
                request.headers_mut().insert(AUTHORIZATION, value.clone());
                Ok(None)
            }
            Auth::ClientCredentials(source) => {
                let token = source.token(cx).await?;
                request
                    .headers_mut()
                    .insert(AUTHORIZATION, token.authorization.clone());
                Ok(Some(token))
            }
        }
    }

    /// Forgets `used` after a 401.
    pub(crate) fn invalidate(&self, used: &Arc<Token>) {
        if let Auth::ClientCredentials(source) = self {
            source.invalidate(used);
        }
    }
}

#[derive(Debug)]
enum AuthErrorKind {
    /// The token endpoint could not be reached or its answer not read.
    Transport,
    /// The token endpoint answered with a non-2xx status.
    Rejected,
    /// A 2xx answer without a usable token.
    InvalidResponse(&'static str),
}

/// The access token could not be obtained from the token endpoint.
///
/// Holds the HTTP status and the OAuth `error` / `error_description` when the server sent
/// them; never the client secret or a token.
#[derive(Debug)]
pub struct AuthError {
    kind: AuthErrorKind,
    status: Option<StatusCode>,
    error: Option<String>,
    error_description: Option<String>,
    source: Option<reqwest::Error>,
}

impl AuthError {
    fn transport(e: reqwest::Error) -> Self {
        Self {
            kind: AuthErrorKind::Transport,
            status: None,
            error: None,
            error_description: None,
            source: Some(e.without_url()),
        }
    }

    /// The HTTP status of the token endpoint's answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The OAuth `error` code (e.g. `invalid_client`), when the server sent one.
    pub fn oauth_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The OAuth `error_description`, when the server sent one.
    pub fn error_description(&self) -> Option<&str> {
        self.error_description.as_deref()
    }

    /// The token endpoint could not be reached or its answer not read.
    pub fn is_transport(&self) -> bool {
        matches!(self.kind, AuthErrorKind::Transport)
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot get an access token")?;
        match &self.kind {
            AuthErrorKind::Transport => f.write_str(": the token endpoint cannot be reached")?,
            AuthErrorKind::Rejected => {}
            AuthErrorKind::InvalidResponse(why) => write!(f, ": {why}")?,
        }
        if let Some(status) = self.status {
            match status.canonical_reason() {
                Some(reason) => write!(f, ": HTTP {} {reason}", status.as_u16())?,
                None => write!(f, ": HTTP {}", status.as_u16())?,
            }
        }
        match (&self.error, &self.error_description) {
            (Some(e), Some(d)) => write!(f, ": {e}: {d}"),
            (Some(e), None) => write!(f, ": {e}"),
            (None, Some(d)) => write!(f, ": {d}"),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
