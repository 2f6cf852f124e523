//! The client's configuration and its one non-generic request pipeline.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tracing::Instrument;

use super::error::{ApiError, Error};
use super::request::{check_version, RawResponse, Request};
use super::secret::Secret;

/// Where the Atlas Administration API lives.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// Everything except RFC 3986 unreserved characters is encoded, so a path parameter can never
/// add a segment (`/`), a query (`?`), a fragment (`#`) or anything a proxy might reinterpret.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How requests are authenticated.
#[derive(Clone)]
pub(crate) enum Auth {
    /// No `Authorization` header (useful against a local test server).
    None,
    /// A caller-supplied bearer token.
    Bearer(Secret),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

/// Configures a client; `C` is the generated client type it builds.
#[derive(Debug)]
pub struct ClientBuilder<C> {
    base_url: String,
    auth: Auth,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    api_version: Option<String>,
    allow_insecure_http: bool,
    client: PhantomData<fn() -> C>,
}

impl<C: From<Core>> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: From<Core>> ClientBuilder<C> {
    /// Defaults: Atlas' base URL, no credentials, 60 s request timeout, 10 s connect timeout.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            auth: Auth::None,
            user_agent: format!("atlas-streams-rust/{}", env!("CARGO_PKG_VERSION")),
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            api_version: None,
            allow_insecure_http: false,
            client: PhantomData,
        }
    }

    /// Another base URL, e.g. Atlas for Government or a local test server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Authenticates with a bearer token the caller obtained.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.auth = Auth::Bearer(token.into());
        self
    }

    /// Replaces the `User-Agent` (default `atlas-streams-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Time limit for a whole request (`None`: no limit).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time limit for establishing a connection (`None`: no limit).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sends this API version (`YYYY-MM-DD`) for every operation instead of each operation's
    /// default; a per-call `.version(..)` still wins.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Allows a plain `http://` base URL that is not loopback. Credentials then travel in clear
    /// text: only for networks you trust.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, Error> {
        let base_url = url::Url::parse(&self.base_url)
            .map_err(|e| Error::Config(format!("base URL `{}` is not a URL: {e}", self.base_url)))?;
        match base_url.scheme() {
            "https" => {}
            "http" if self.allow_insecure_http || is_loopback(&base_url) => {}
            "http" => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` is plain http and not loopback: credentials would travel in clear text (use https, or allow_insecure_http(true))"
                )))
            }
            other => return Err(Error::Config(format!("base URL scheme `{other}` is not http or https"))),
        }
        if let Some(version) = &self.api_version {
            check_version(version).map_err(Error::Config)?;
        }
        let mut http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            // A redirect to another host must not carry the credentials along.
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let same_host = attempt.previous().first().map(|u| u.host_str()) == Some(attempt.url().host_str());
                if same_host && attempt.previous().len() < 5 {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            }));
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            http = http.connect_timeout(timeout);
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let base = self.base_url.trim_end_matches('/').to_owned();
        Ok(C::from(Core {
            inner: Arc::new(Inner {
                http,
                base_url: base,
                auth: self.auth,
                api_version: self.api_version,
            }),
        }))
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The shared request pipeline: configuration plus connection pool. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Core {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth: Auth,
    api_version: Option<String>,
}

impl Core {
    /// Sends a request and returns the success response, or the error.
    pub async fn send(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let span = tracing::info_span!("atlas_streams.request", operation = operation.name, method = ?operation.method);
        self.send_inner(request).instrument(span).await
    }

    async fn send_inner(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let url = self.url(&request)?;
        let version = request
            .version
            .as_deref()
            .or(self.inner.api_version.as_deref())
            .or(operation.default_version);
        let media = match version {
            Some(version) => format!("application/vnd.atlas.{version}+json"),
            None => "application/json".to_owned(),
        };
        let mut builder = self
            .inner
            .http
            .request(operation.method.to_http(), url)
            .header(http::header::ACCEPT, &media);
        if let Some(body) = request.body.clone() {
            builder = builder.header(http::header::CONTENT_TYPE, &media).body(body);
        }
        builder = match &self.inner.auth {
            Auth::None => builder,
            Auth::Bearer(token) => builder.bearer_auth(token.expose()),
        };
        tracing::debug!(version, "sending");
        let response = builder.send().await.map_err(|e| transport(operation.name, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| transport(operation.name, e))?;
        tracing::debug!(status, "received");
        if (200..300).contains(&status) {
            return Ok(RawResponse {
                operation: operation.name,
                status,
                headers,
                body,
                enveloped: request.enveloped(),
            });
        }
        let retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()?.trim().parse().ok());
        Err(Error::Api {
            operation: operation.name,
            status,
            error: serde_json::from_slice::<ApiError>(&body).ok().map(Box::new),
            body: String::from_utf8_lossy(&body).into_owned(),
            retry_after,
        })
    }

    /// Fills the path template, one percent-encoded segment per parameter.
    fn url(&self, request: &Request) -> Result<url::Url, Error> {
        let operation = request.operation;
        let mut path = String::with_capacity(operation.path.len() + 64);
        let mut rest = operation.path;
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').map(|e| start + e).unwrap_or(rest.len());
            path.push_str(&rest[..start]);
            let name = &rest[start + 1..end];
            let (param, value) = request
                .path_params
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| Error::invalid_argument(operation.name, "path", format!("`{name}` was not set")))?;
            // `.` and `..` survive percent-encoding as dot segments, which URL parsers resolve
            // to the parent path: such a name could address another endpoint.
            if value.is_empty() || value == "." || value == ".." {
                return Err(Error::invalid_argument(
                    operation.name,
                    param,
                    format!("`{value}` cannot be a path segment (empty, `.` and `..` are not allowed)"),
                ));
            }
            path.extend(utf8_percent_encode(value, SEGMENT));
            rest = &rest[(end + 1).min(rest.len())..];
        }
        path.push_str(rest);
        let mut url = url::Url::parse(&format!("{}{path}", self.inner.base_url))
            .map_err(|e| Error::invalid_argument(operation.name, "path", e))?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }
}

fn transport(operation: &'static str, error: reqwest::Error) -> Error {
    if error.is_timeout() {
        Error::Timeout { operation }
    } else {
        Error::Transport {
            operation,
            source: error.without_url(),
        }
    }
}
