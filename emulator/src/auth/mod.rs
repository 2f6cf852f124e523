//! Authentication: none, Atlas API keys (HTTP Digest), service accounts (OAuth 2.0), or both.

pub mod digest;
pub mod oauth;

use std::fmt;
use std::time::Duration;

use crate::codes;
use crate::error::ApiError;
use crate::random::random_hex;

pub use digest::Algorithm as DigestAlgorithm;

/// An Atlas API key pair, checked with HTTP Digest.
#[derive(Clone)]
pub struct ApiKey {
    /// The public key (the Digest user name).
    pub public_key: String,
    /// The private key (the Digest password).
    pub private_key: String,
    /// Algorithms offered, in preference order; Atlas offers MD5 only.
    pub algorithms: Vec<DigestAlgorithm>,
    /// How long a nonce stays valid (a later use is answered `stale=true`).
    pub nonce_ttl: Duration,
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("public_key", &self.public_key)
            .field("private_key", &"***")
            .field("algorithms", &self.algorithms)
            .field("nonce_ttl", &self.nonce_ttl)
            .finish()
    }
}

/// An Atlas service account, checked with OAuth 2.0 client credentials.
#[derive(Clone)]
pub struct ServiceAccount {
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: String,
    /// How long an issued access token lives (Atlas: one hour).
    pub token_ttl: Duration,
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("token_ttl", &self.token_ttl)
            .finish()
    }
}

/// Which credentials the emulator accepts. With neither, every request is let in (the default
/// of an in-process emulator); with both, either scheme works, as with Atlas.
#[derive(Clone, Debug, Default)]
pub struct AuthConfig {
    /// Accept this API key (HTTP Digest).
    pub api_key: Option<ApiKey>,
    /// Accept bearer tokens issued to this service account.
    pub service_account: Option<ServiceAccount>,
}

impl AuthConfig {
    /// No authentication at all.
    pub fn none() -> AuthConfig {
        AuthConfig::default()
    }

    /// Also accept this API key, with MD5 as Atlas offers and 5-minute nonces.
    pub fn api_key(mut self, public_key: impl Into<String>, private_key: impl Into<String>) -> AuthConfig {
        self.api_key = Some(ApiKey {
            public_key: public_key.into(),
            private_key: private_key.into(),
            algorithms: vec![DigestAlgorithm::Md5],
            nonce_ttl: Duration::from_secs(300),
        });
        self
    }

    /// Also accept this service account, with one-hour tokens as Atlas issues them.
    pub fn service_account(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> AuthConfig {
        self.service_account = Some(ServiceAccount {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            token_ttl: Duration::from_secs(3600),
        });
        self
    }

    /// Also accept a fresh random API key, shaped like Atlas' (an 8-character public key and a
    /// UUID private key).
    pub fn random_api_key(self) -> AuthConfig {
        let private = random_hex(16);
        let private = format!(
            "{}-{}-{}-{}-{}",
            &private[..8],
            &private[8..12],
            &private[12..16],
            &private[16..20],
            &private[20..]
        );
        self.api_key(random_hex(4), private)
    }

    /// Also accept a fresh random service account, shaped like Atlas' (`mdb_sa_id_…`,
    /// `mdb_sa_sk_…`).
    pub fn random_service_account(self) -> AuthConfig {
        self.service_account(
            format!("mdb_sa_id_{}", random_hex(12)),
            format!("mdb_sa_sk_{}", random_hex(20)),
        )
    }

    /// Whether any credentials are required.
    pub fn is_enabled(&self) -> bool {
        self.api_key.is_some() || self.service_account.is_some()
    }
}

/// The checks of a running emulator.
pub(crate) struct Auth {
    digest: Option<digest::Verifier>,
    oauth: Option<oauth::Issuer>,
}

impl Auth {
    pub fn new(config: &AuthConfig) -> Auth {
        Auth {
            digest: config.api_key.as_ref().map(|k| {
                digest::Verifier::new(
                    k.public_key.clone(),
                    k.private_key.clone(),
                    k.algorithms.clone(),
                    k.nonce_ttl,
                )
            }),
            oauth: config
                .service_account
                .as_ref()
                .map(|s| oauth::Issuer::new(s.client_id.clone(), s.client_secret.clone(), s.token_ttl)),
        }
    }

    /// The token endpoint, if service accounts are accepted.
    pub fn token_endpoint(&self) -> Option<&oauth::Issuer> {
        self.oauth.as_ref()
    }

    /// Lets a request in, or answers 401 with the challenges a client needs to retry.
    pub fn check(&self, method: &str, target: &str, authorization: Option<&str>) -> Result<(), ApiError> {
        if self.digest.is_none() && self.oauth.is_none() {
            return Ok(());
        }
        let scheme = authorization.and_then(|h| h.split_whitespace().next()).unwrap_or("");
        let mut stale = false;
        if let (Some(oauth), true) = (&self.oauth, scheme.eq_ignore_ascii_case("bearer")) {
            let token = authorization.and_then(|h| h.split_whitespace().nth(1)).unwrap_or("");
            if oauth.valid(token) {
                return Ok(());
            }
        }
        if let (Some(digest), true) = (&self.digest, scheme.eq_ignore_ascii_case("digest")) {
            match digest.verify(authorization.unwrap_or(""), method, target) {
                Ok(()) => return Ok(()),
                Err(digest::Refusal::Stale) => stale = true,
                Err(digest::Refusal::Invalid) => {}
            }
        }
        // GUESS: the detail of Atlas' 401; its status and challenge are documented.
        let mut error = ApiError::new(401, codes::UNAUTHORIZED, "You are not authorized for this resource.");
        if let Some(digest) = &self.digest {
            for challenge in digest.challenges(stale) {
                error = error.with_header("www-authenticate", challenge);
            }
        }
        if self.oauth.is_some() {
            // GUESS: the Bearer challenge (RFC 6750 asks for one; Atlas' is undocumented).
            error = error.with_header("www-authenticate", "Bearer realm=\"MongoDB Cloud\"");
        }
        Err(error)
    }
}
