//! OAuth 2.0 client credentials for Atlas service accounts (RFC 6749 §4.4).
//!
//! The token is fetched from `<base>/api/oauth/token` with the client id and secret as HTTP
//! Basic credentials, cached until shortly before it expires, and fetched by one task at a
//! time: callers that need a token while a fetch is under way wait for that fetch instead of
//! starting their own (the cache sits behind an async mutex held across the fetch).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::HeaderValue;
use serde::Deserialize;

use crate::body::{headers_within, read_limited, Alarm, ReadBounds, ReadError};
use crate::error::Error;
use crate::secret::Secret;
use crate::timeouts::{fmt_bytes, Timeouts};

/// The largest token endpoint answer read (a token response is under 2 KiB).
const TOKEN_BODY_LIMIT: usize = 64 << 10;

/// The `tracing` target of the token fetch event: the module path it had when the runtime was a
/// module of the `atlas-streams` crate (see `attempt::LOG_TARGET`).
const LOG_TARGET: &str = "atlas_streams::runtime::auth::oauth";

/// A cached access token, as the `Authorization` header it makes (`None` when the token
/// cannot be sent in a header). The header is marked sensitive but, as a `HeaderValue`, not
/// wiped when dropped.
struct Cached {
    header: Option<HeaderValue>,
    refresh_at: Instant,
    generation: u64,
}

/// A service account's credentials and its token cache.
pub struct ServiceAccount {
    client_id: String,
    client_secret: Secret,
    token_url: String,
    http: reqwest::Client,
    /// The client's own timeouts (not a call's: a fetch serves every call waiting for it).
    timeouts: Timeouts,
    cache: Arc<tokio::sync::Mutex<Option<Cached>>>,
    generations: AtomicU64,
}

impl std::fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("token_url", &self.token_url)
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct TokenError {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

impl ServiceAccount {
    /// Credentials for the token endpoint at `token_url`, fetched with `http` within
    /// `timeouts` (response headers and read idle; a call's deadline bounds its own wait).
    pub fn new(
        client_id: String,
        client_secret: Secret,
        token_url: String,
        http: reqwest::Client,
        timeouts: Timeouts,
    ) -> Self {
        ServiceAccount {
            client_id,
            client_secret,
            token_url,
            http,
            timeouts,
            cache: Arc::new(tokio::sync::Mutex::new(None)),
            generations: AtomicU64::new(0),
        }
    }

    /// The `Authorization` header of a valid token (built once per token, not per request) and
    /// the token's generation (to invalidate exactly this token after a 401).
    pub async fn authorization(self: &Arc<Self>, operation: &'static str) -> Result<(Option<HeaderValue>, u64), Error> {
        let mut cache = Arc::clone(&self.cache).lock_owned().await;
        if let Some(cached) = cache.as_ref().filter(|c| Instant::now() < c.refresh_at) {
            return Ok((cached.header.clone(), cached.generation));
        }
        // The fetch is a task of its own, which holds the cache until it has stored the token:
        // a caller whose deadline ends its wait drops only its wait, and the callers queued
        // behind it get the token this fetch brings instead of each starting another (and
        // losing it to its own deadline in turn).
        let account = Arc::clone(self);
        let fetch = tokio::spawn(async move {
            let (token, lifetime) = account.fetch(operation).await?;
            let header = super::bearer_header(&token);
            let generation = account.generations.fetch_add(1, Ordering::Relaxed) + 1;
            // Refresh a little early so a token never expires in flight: a tenth of its
            // lifetime, at most a minute.
            let margin = (lifetime / 10).min(Duration::from_secs(60));
            *cache = Some(Cached {
                header: header.clone(),
                refresh_at: Instant::now() + lifetime - margin,
                generation,
            });
            tracing::debug!(target: LOG_TARGET, generation, lifetime_s = lifetime.as_secs(), "fetched an access token");
            Ok((header, generation))
        });
        fetch.await.unwrap_or_else(|stopped| {
            Err(Error::Auth {
                operation,
                status: None,
                message: format!("the token request stopped: {stopped}"),
            })
        })
    }

    /// Drops the cached token if it is still the one of `generation` (the API refused it).
    pub async fn invalidate(&self, generation: u64) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|c| c.generation == generation) {
            *cache = None;
        }
    }

    async fn fetch(&self, operation: &'static str) -> Result<(Secret, Duration), Error> {
        let send = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send();
        // The token request's own timer (it is sent on its own, before the call's attempt).
        let mut alarm = Alarm::new(self.timeouts.read_idle);
        let response = headers_within(operation, self.timeouts.response, &mut alarm, send).await?;
        let status = response.status().as_u16();
        let bounds = ReadBounds {
            idle: self.timeouts.read_idle,
            deadline: None,
        };
        let body = match read_limited(operation, response, bounds, TOKEN_BODY_LIMIT, &mut alarm).await {
            Ok(body) => body,
            Err(ReadError::Failed(error)) => return Err(error),
            Err(ReadError::TooLarge) => {
                return Err(Error::Auth {
                    operation,
                    status: Some(status),
                    message: format!(
                        "the token endpoint answered {status} with more than {}",
                        fmt_bytes(TOKEN_BODY_LIMIT)
                    ),
                })
            }
        };
        if !(200..300).contains(&status) {
            let detail = serde_json::from_slice::<TokenError>(&body).ok();
            let message = match detail
                .as_ref()
                .map(|d| (d.error.as_deref(), d.error_description.as_deref()))
            {
                Some((_, Some(description))) => description.to_owned(),
                Some((Some(error), None)) => error.to_owned(),
                _ => "no error description".to_owned(),
            };
            return Err(Error::Auth {
                operation,
                status: Some(status),
                message: format!("the token endpoint answered {status}: {message}"),
            });
        }
        let token: TokenResponse = serde_json::from_slice(&body).map_err(|e| Error::Auth {
            operation,
            status: Some(status),
            message: format!("the token endpoint's answer is not a token response: {e}"),
        })?;
        // Atlas' tokens last an hour; a day at most keeps a wild `expires_in` from overflowing
        // the refresh time.
        let lifetime = token.expires_in.unwrap_or(3600).clamp(1, 86_400);
        Ok((Secret::new(token.access_token), Duration::from_secs(lifetime)))
    }
}
