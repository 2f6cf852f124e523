//! The client's configuration: base URL, credentials, timeouts, retries, API version; checked
//! once, then turned into the [`Core`] every request of the client goes through.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Auth, DigestAuth, ServiceAccount};
use crate::error::Error;
use crate::pipeline::Core;
use crate::request::check_version;
use crate::retry::RetryPolicy;
use crate::secret::Secret;

/// Where the Atlas Administration API lives.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// Credentials as configured, before the HTTP client exists.
#[derive(Clone, Debug)]
enum Credentials {
    None,
    Bearer(Secret),
    ServiceAccount { client_id: String, client_secret: Secret },
    ApiKey { public_key: String, private_key: Secret },
}

/// Configures a client; `C` is the generated client type it builds.
#[derive(Debug)]
pub struct ClientBuilder<C> {
    base_url: String,
    credentials: Credentials,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    api_version: Option<String>,
    retry: RetryPolicy,
    allow_insecure_http: bool,
    client: PhantomData<fn() -> C>,
}

impl<C: From<Core>> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: From<Core>> ClientBuilder<C> {
    /// Defaults: Atlas' base URL, no credentials, 60 s request timeout, 10 s connect timeout,
    /// retries on (see [`RetryPolicy`]).
    pub fn new() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            credentials: Credentials::None,
            // The runtime's version: `atlas-streams` pins it exactly and they are released
            // together (both 0.1.0 today), so this is the client's version too.
            user_agent: format!("atlas-streams-rust/{}", env!("CARGO_PKG_VERSION")),
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            api_version: None,
            retry: RetryPolicy::default(),
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

    /// Time limit for one attempt of a request (`None`: no limit).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time limit for establishing a connection (`None`: no limit).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
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
            .redirect(same_host_redirects());
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            http = http.connect_timeout(timeout);
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let base_url = self.base_url.trim_end_matches('/').to_owned();
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
            ))),
            Credentials::ApiKey {
                public_key,
                private_key,
            } => Auth::Digest(Arc::new(DigestAuth::new(public_key, private_key))),
        };
        Ok(C::from(Core::new(http, base_url, auth, self.api_version, self.retry)))
    }
}

/// The redirect policy of the client: at most 5 redirects, on the same host only, so
/// credentials never go to another host.
pub fn same_host_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_host = attempt.previous().first().map(|u| u.host_str()) == Some(attempt.url().host_str());
        if same_host && attempt.previous().len() < 5 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
