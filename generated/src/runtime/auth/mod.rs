//! How requests are authenticated: a bearer token, a service account (OAuth 2.0 client
//! credentials) or an API key (HTTP Digest).

mod digest;
mod oauth;

use std::fmt;
use std::sync::Arc;

use http::HeaderValue;

pub use digest::DigestAuth;
pub use oauth::ServiceAccount;

use super::error::Error;
use super::secret::Secret;

/// The credentials a client sends.
#[derive(Clone)]
pub(crate) enum Auth {
    /// No `Authorization` header.
    None,
    /// A caller-supplied bearer token.
    Bearer(Secret),
    /// A service account: tokens fetched and cached.
    ServiceAccount(Arc<ServiceAccount>),
    /// An API key pair answered by Digest.
    Digest(Arc<DigestAuth>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Bearer(_) => f.write_str("Bearer(***)"),
            Auth::ServiceAccount(account) => account.fmt(f),
            Auth::Digest(digest) => digest.fmt(f),
        }
    }
}

/// What one attempt sent, so a 401 can be answered.
#[derive(Debug, Default)]
pub(crate) struct Sent {
    /// The `Authorization` header (marked sensitive, so it is never logged).
    pub header: Option<HeaderValue>,
    /// The generation of the service-account token used.
    token_generation: Option<u64>,
}

impl Auth {
    /// The `Authorization` header for one attempt.
    pub(crate) async fn authorize(&self, operation: &'static str, method: &str, uri: &str) -> Result<Sent, Error> {
        let (value, token_generation) = match self {
            Auth::None => return Ok(Sent::default()),
            Auth::Bearer(token) => (Some(format!("Bearer {}", token.expose())), None),
            Auth::ServiceAccount(account) => {
                let (token, generation) = account.token(operation).await?;
                (Some(format!("Bearer {}", token.expose())), Some(generation))
            }
            Auth::Digest(digest) => (digest.authorize(method, uri), None),
        };
        let header = match value {
            Some(value) => {
                let mut header = HeaderValue::from_str(&value).map_err(|_| Error::Auth {
                    operation,
                    status: None,
                    message: "the credentials contain characters that cannot be sent in a header".to_owned(),
                })?;
                header.set_sensitive(true);
                Some(header)
            }
            None => None,
        };
        Ok(Sent {
            header,
            token_generation,
        })
    }

    /// After a 401: whether sending the request again with fresh credentials can help.
    pub(crate) async fn on_unauthorized(&self, headers: &http::HeaderMap, sent: &Sent) -> bool {
        match self {
            Auth::None | Auth::Bearer(_) => false,
            Auth::ServiceAccount(account) => match sent.token_generation {
                Some(generation) => {
                    account.invalidate(generation).await;
                    true
                }
                None => false,
            },
            Auth::Digest(digest) => {
                let challenges = headers
                    .get_all(http::header::WWW_AUTHENTICATE)
                    .iter()
                    .filter_map(|v| v.to_str().ok());
                digest.on_unauthorized(challenges, sent.header.is_some())
            }
        }
    }
}
