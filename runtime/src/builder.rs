//! The client's configuration: base URL, credentials (or the environment's), the network
//! (proxies, root certificates, or a caller's own `reqwest::Client`), timeouts, body limits,
//! retries, API version; checked once, then turned into the [`Core`] every request of the
//! client goes through.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;

use crate::attempt::same_origin;
use crate::auth::{Auth, Credentials, DigestAuth, ServiceAccount};
use crate::env;
use crate::error::Error;
use crate::pipeline::{Core, Parts};
use crate::request::check_version;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::timeouts::{Limits, Timeouts};

/// Where the Atlas Administration API lives.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// Whether this build can speak TLS (one of the `rustls` and `native-tls` features is on).
const TLS: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

/// Configures a client; `C` is the generated client type it builds.
pub struct ClientBuilder<C> {
    base_url: String,
    credentials: Credentials,
    user_agent: String,
    connect_timeout: Option<Duration>,
    timeouts: Timeouts,
    limits: Limits,
    api_version: Option<String>,
    retry: RetryPolicy,
    allow_insecure_http: bool,
    network: Network,
    /// A setting of the client's own HTTP client combined with a caller's one, which would
    /// silently do nothing: refused by `build`.
    network_conflict: Option<&'static str>,
    /// What answers instead of the network, if anything (feature `test-util`).
    #[cfg(feature = "test-util")]
    transport: Option<Arc<dyn crate::transport::Transport>>,
    client: PhantomData<fn() -> C>,
}

/// How the client reaches the network: the HTTP client it builds, as configured, or one the
/// caller built.
enum Network {
    /// The client's own HTTP client.
    Own {
        /// Proxies instead of the system's (`HTTPS_PROXY`, `NO_PROXY`, ...); `Some(empty)`
        /// for none at all.
        proxies: Option<Vec<reqwest::Proxy>>,
        /// Root certificates trusted besides the built-in ones.
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        root_certificates: Vec<reqwest::Certificate>,
    },
    /// A caller-built `reqwest::Client`.
    Caller(reqwest::Client),
}

impl Network {
    /// A setting made for the client's own HTTP client, if any (for the error when a caller's
    /// client replaces it).
    fn own_setting(&self) -> Option<&'static str> {
        match self {
            Network::Own { proxies: Some(_), .. } => Some("proxy` or `no_proxy"),
            #[cfg(any(feature = "rustls", feature = "native-tls"))]
            Network::Own { root_certificates, .. } if !root_certificates.is_empty() => Some("add_root_certificate"),
            _ => None,
        }
    }
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Network::Own { proxies, .. } => f.debug_struct("Own").field("proxies", proxies).finish_non_exhaustive(),
            Network::Caller(client) => f.debug_tuple("Caller").field(client).finish(),
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut f = f.debug_struct("ClientBuilder");
        f.field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("user_agent", &self.user_agent)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeouts", &self.timeouts)
            .field("limits", &self.limits)
            .field("api_version", &self.api_version)
            .field("retry", &self.retry)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("network", &self.network)
            .field("network_conflict", &self.network_conflict);
        #[cfg(feature = "test-util")]
        f.field("transport", &self.transport);
        f.finish()
    }
}

impl<C: From<Core>> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: From<Core>> ClientBuilder<C> {
    /// Defaults: Atlas' base URL, no credentials, a 10 s connect timeout, the default
    /// [`Timeouts`] (60 s to response headers, 30 s read idle, no deadline) and [`Limits`]
    /// (64 MiB success bodies, 1 MiB error bodies), retries on (see [`RetryPolicy`]), the
    /// system's proxy settings.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            credentials: Credentials::None,
            // The runtime's version: `atlas-streams` pins it exactly and they are released
            // together (both 0.1.0 today), so this is the client's version too.
            user_agent: format!("atlas-streams-rust/{}", env!("CARGO_PKG_VERSION")),
            connect_timeout: Some(Duration::from_secs(10)),
            timeouts: Timeouts::default(),
            limits: Limits::default(),
            api_version: None,
            retry: RetryPolicy::default(),
            allow_insecure_http: false,
            network: Network::Own {
                proxies: None,
                #[cfg(any(feature = "rustls", feature = "native-tls"))]
                root_certificates: Vec::new(),
            },
            network_conflict: None,
            #[cfg(feature = "test-util")]
            transport: None,
            client: PhantomData,
        }
    }

    /// A builder with the credentials and base URL of the process environment, as the Atlas
    /// CLI and MongoDB's Terraform provider read them:
    ///
    /// | variable | sets |
    /// |---|---|
    /// | `MONGODB_ATLAS_CLIENT_ID` + `MONGODB_ATLAS_CLIENT_SECRET` | a service account |
    /// | `MONGODB_ATLAS_PUBLIC_API_KEY` + `MONGODB_ATLAS_PRIVATE_API_KEY` (or Terraform's older `MONGODB_ATLAS_PUBLIC_KEY` + `MONGODB_ATLAS_PRIVATE_KEY`) | an API key |
    /// | `MONGODB_ATLAS_ACCESS_TOKEN` | a bearer token |
    /// | `MONGODB_ATLAS_BASE_URL` (Terraform) or `MONGODB_ATLAS_OPS_MANAGER_URL` (Atlas CLI) | the base URL (optional) |
    ///
    /// Exactly one kind of credentials must be set. The error names every variable missing
    /// (a client id without its secret, no credentials at all) or in conflict (credentials of
    /// two kinds; two names of one setting with different values); never a value. Everything
    /// else can still be set on the builder returned.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with the variables looked up by `var` instead of in the
    /// process environment (for tests, or a configuration of another source).
    pub fn from_env_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let found = env::read(var)?;
        let mut builder = Self::new();
        builder.credentials = found.credentials;
        if let Some(base_url) = found.base_url {
            builder.base_url = base_url;
        }
        Ok(builder)
    }

    /// Another base URL, e.g. Atlas for Government or a local test server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Authenticates with a bearer token the caller obtained.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Credentials::Bearer(token.into());
        self
    }

    /// Authenticates as a service account: OAuth 2.0 client credentials against
    /// `<base URL>/api/oauth/token`, the token cached until shortly before it expires.
    pub fn service_account(mut self, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        self.credentials = Credentials::ServiceAccount {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        };
        self
    }

    /// Authenticates with a programmatic API key (HTTP Digest).
    pub fn api_key(mut self, public_key: impl Into<String>, private_key: impl Into<Secret>) -> Self {
        self.credentials = Credentials::ApiKey {
            public_key: public_key.into(),
            private_key: private_key.into(),
        };
        self
    }

    /// Replaces the `User-Agent` (default `atlas-streams-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets the response-headers and the read idle timeouts both to `timeout`.
    ///
    /// This used to limit a whole attempt, body included, which cut off a log download that
    /// flowed for longer; it keeps a meaning that fits streaming: no attempt waits longer
    /// than `timeout` for its headers, nor for the next bytes of its body.
    #[deprecated(
        since = "0.1.0",
        note = "a whole-attempt limit cut long downloads off; this now sets `response_timeout` and \
                `read_timeout` to the same value: set those (or `deadline`, for a limit on the whole call)"
    )]
    pub fn timeout(self, timeout: Option<Duration>) -> Self {
        self.response_timeout(timeout).read_timeout(timeout)
    }

    /// Time limit for establishing a connection (`None`: no limit). Default 10 s. Per client
    /// only (the HTTP client's own setting); has no effect with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time limit from sending an attempt to its response headers (`None`: no limit).
    /// Default 60 s. See [`Timeouts`].
    pub fn response_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeouts.response = timeout;
        self
    }

    /// The longest wait for more bytes of a body (`None`: no limit): a body that keeps
    /// flowing never times out, one that stalls this long fails. Default 30 s.
    pub fn read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeouts.read_idle = timeout;
        self
    }

    /// A limit on each whole call: every attempt, retry wait and body (`None`: no limit, the
    /// default).
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.timeouts.deadline = deadline;
        self
    }

    /// Every call timeout at once (see [`Timeouts`]; for some calls only, see
    /// `Client::with_timeouts`).
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The largest JSON bodies read (see [`Limits`]; for some calls only, see
    /// `Client::with_limits`). Downloads are not limited.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// How failed requests are retried ([`RetryPolicy::disabled`] to turn retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
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

    /// Sends through this proxy instead of the system's settings. Without any `proxy` call the
    /// client follows the environment, as curl does: `HTTPS_PROXY` / `https_proxy` for https
    /// URLs, `HTTP_PROXY` for http, `ALL_PROXY`, and `NO_PROXY` for hosts to reach directly
    /// (plus the system configuration on macOS and Windows). Can be called several times.
    pub fn proxy(mut self, proxy: reqwest::Proxy) -> Self {
        match &mut self.network {
            Network::Own { proxies, .. } => proxies.get_or_insert_with(Vec::new).push(proxy),
            Network::Caller(_) => self.network_conflict = Some("proxy"),
        }
        self
    }

    /// Connects directly, ignoring the proxy environment variables.
    pub fn no_proxy(mut self) -> Self {
        match &mut self.network {
            Network::Own { proxies, .. } => *proxies = Some(Vec::new()),
            Network::Caller(_) => self.network_conflict = Some("no_proxy"),
        }
        self
    }

    /// Trusts this root certificate too (e.g. a company's TLS-inspecting proxy), besides the
    /// built-in roots. `reqwest::Certificate::from_pem` reads one.
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    pub fn add_root_certificate(mut self, certificate: reqwest::Certificate) -> Self {
        match &mut self.network {
            Network::Own { root_certificates, .. } => root_certificates.push(certificate),
            Network::Caller(_) => self.network_conflict = Some("add_root_certificate"),
        }
        self
    }

    /// Sends through a `reqwest::Client` the caller built (its connection pool, TLS, proxies,
    /// DNS) instead of the client's own.
    ///
    /// That client's own settings then apply, not this builder's: its connect timeout, proxies,
    /// root certificates and **redirect policy**. Give it [`same_origin_redirects`]: the
    /// default policy of reqwest follows redirects to other hosts (reqwest drops the
    /// `Authorization` header on the way, but the request itself goes there). An answer that
    /// comes from another origin than the request's is refused ([`Error::Redirected`]).
    /// The response and read idle timeouts, deadline, limits, retries and the `User-Agent` are
    /// still this client's; do not give the caller's client a whole-request `timeout`, which
    /// would cut long downloads off. [`proxy`](Self::proxy), [`no_proxy`](Self::no_proxy) and
    /// `add_root_certificate` cannot be combined with it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.network_conflict = self.network_conflict.or(self.network.own_setting());
        self.network = Network::Caller(client);
        self
    }

    /// Answers every attempt with `transport` instead of the network (feature `test-util`):
    /// the request is built, checked and authenticated as usual, and the answer is read as one
    /// from Atlas. The typed mocks (`atlas_streams::mocks`) are one such transport. A service
    /// account cannot be combined with it (`build` fails): its token requests would go over
    /// the real network.
    #[cfg(feature = "test-util")]
    pub fn transport(mut self, transport: impl crate::transport::Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, Error> {
        let base_url = url::Url::parse(&self.base_url).map_err(|e| {
            Error::Config(format!(
                "base URL `{}` is not a URL: {e}",
                redact_userinfo(&self.base_url)
            ))
        })?;
        // A transport of the caller's sends nothing over TLS either.
        #[cfg(feature = "test-util")]
        let caller_client = matches!(self.network, Network::Caller(_)) || self.transport.is_some();
        #[cfg(not(feature = "test-util"))]
        let caller_client = matches!(self.network, Network::Caller(_));
        match base_url.scheme() {
            "https" if !TLS && !caller_client => {
                return Err(Error::Config(
                    "base URL is https, but atlas-streams was built without TLS: enable its `rustls` or `native-tls` feature"
                        .to_owned(),
                ))
            }
            "https" => {}
            "http" if self.allow_insecure_http || is_loopback(&base_url) => {}
            "http" => {
                return Err(Error::Config(format!(
                    "base URL `{}` is plain http and not loopback: credentials would travel in clear text (use https, or allow_insecure_http(true))",
                    without_userinfo(&base_url)
                )))
            }
            other => return Err(Error::Config(format!("base URL scheme `{other}` is not http or https"))),
        }
        if let Some(version) = &self.api_version {
            check_version(version).map_err(Error::Config)?;
        }
        if let Some(setting) = self.network_conflict {
            return Err(Error::Config(format!(
                "`{setting}` configures the client's own HTTP client, and `http_client` replaces it: set it on the reqwest::Client instead"
            )));
        }
        let (http, user_agent) = match self.network {
            Network::Caller(client) => {
                let user_agent = HeaderValue::from_str(&self.user_agent)
                    .map_err(|_| Error::Config("the user agent cannot be sent in a header".to_owned()))?;
                (client, Some(user_agent))
            }
            Network::Own {
                proxies,
                #[cfg(any(feature = "rustls", feature = "native-tls"))]
                root_certificates,
            } => {
                let mut http = reqwest::Client::builder()
                    .user_agent(self.user_agent)
                    .redirect(same_origin_redirects());
                if let Some(timeout) = self.connect_timeout {
                    http = http.connect_timeout(timeout);
                }
                match proxies {
                    // A loopback server over plain http is allowed because nothing leaves the
                    // machine; a proxy from the environment would carry the credentials off it
                    // in clear text (reqwest does not exempt loopback), so none is used.
                    None if base_url.scheme() == "http" && is_loopback(&base_url) => http = http.no_proxy(),
                    None => {} // the system's settings, reqwest's default
                    Some(proxies) if proxies.is_empty() => http = http.no_proxy(),
                    Some(proxies) => {
                        for proxy in proxies {
                            http = http.proxy(proxy);
                        }
                    }
                }
                #[cfg(any(feature = "rustls", feature = "native-tls"))]
                for certificate in root_certificates {
                    http = http.add_root_certificate(certificate);
                }
                let http = http
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
                (http, None)
            }
        };
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        // A service account fetches its tokens from the token endpoint with its own request,
        // outside the attempts a transport answers: with a transport it would send the client
        // secret over the real network, which a test that replaces the network must never do.
        #[cfg(feature = "test-util")]
        if self.transport.is_some() && matches!(self.credentials, Credentials::ServiceAccount { .. }) {
            return Err(Error::Config(
                "a transport replaces the network, but a service account fetches its tokens over the network: \
                 with a transport, use a bearer token, an API key or no credentials"
                    .to_owned(),
            ));
        }
        let auth = match self.credentials {
            Credentials::None => Auth::None,
            Credentials::Bearer(token) => Auth::bearer(token),
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => Auth::ServiceAccount(Arc::new(ServiceAccount::new(
                client_id,
                client_secret,
                format!("{base_url}/api/oauth/token"),
                http.clone(),
                self.timeouts,
            ))),
            Credentials::ApiKey {
                public_key,
                private_key,
            } => Auth::Digest(Arc::new(DigestAuth::new(public_key, private_key))),
        };
        Ok(C::from(Core::new(Parts {
            http,
            base_url,
            auth,
            api_version: self.api_version,
            retry: self.retry,
            timeouts: self.timeouts,
            limits: self.limits,
            user_agent,
            #[cfg(feature = "test-util")]
            transport: self.transport,
        })))
    }
}

/// The redirect policy of the client: at most 5 redirects, each to the same origin (scheme,
/// host and port) as the request, so credentials never go anywhere else. Give it to a
/// caller-built `reqwest::Client` ([`ClientBuilder::http_client`]) too.
pub fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| same_origin(first, attempt.url()));
        if same && attempt.previous().len() < 5 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// The URL as a message may quote it: a user name and password in it become `***`.
fn without_userinfo(url: &url::Url) -> String {
    let mut quoted = url.clone();
    if !url.username().is_empty() || url.password().is_some() {
        // Only fails for URLs that cannot have credentials, which then have none.
        let _ = quoted.set_username("***");
        let _ = quoted.set_password(None);
    }
    quoted.to_string()
}

/// [`without_userinfo`] for text that is not a URL: whatever stands between `://` and an `@`
/// before the next `/` becomes `***`.
fn redact_userinfo(text: &str) -> String {
    let Some(start) = text.find("://").map(|i| i + 3) else {
        return text.to_owned();
    };
    let authority_end = text[start..].find('/').map_or(text.len(), |i| start + i);
    match text[start..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &text[..start], &text[start + at..]),
        None => text.to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_in_a_message_shows_no_password() {
        let url = url::Url::parse("http://user:pa55word@example.com:8080/x").unwrap();
        let quoted = without_userinfo(&url);
        assert!(!quoted.contains("pa55word") && !quoted.contains("user"), "{quoted}");
        assert!(quoted.contains("example.com:8080"), "{quoted}");
        let text = redact_userinfo("ht!tp://user:pa55word@exa mple.com/path@x");
        assert_eq!(text, "ht!tp://***@exa mple.com/path@x");
        assert_eq!(redact_userinfo("not a url"), "not a url");
        let error = ClientBuilder::<crate::__private::Core>::new()
            .base_url("http://user:pa55word@example.com")
            .build()
            .unwrap_err();
        assert!(!format!("{error} {error:?}").contains("pa55word"), "{error}");
    }
}
