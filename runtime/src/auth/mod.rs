//! How requests are authenticated: a bearer token, a service account (OAuth 2.0 client
//! credentials) or an API key (HTTP Digest).

mod digest;
mod hash;
mod oauth;

use std::fmt;
use std::sync::Arc;

use http::HeaderValue;
use zeroize::Zeroize;

pub use digest::{parse_params, Authorization as DigestAuthorization, DigestAuth};
pub use oauth::ServiceAccount;

use crate::error::Error;
use crate::secret::Secret;

/// Credentials as configured, before the HTTP client exists.
#[derive(Clone, Debug)]
pub(crate) enum Credentials {
    /// None: no `Authorization` header.
    None,
    /// A bearer token the caller obtained.
    Bearer(Secret),
    /// A service account (OAuth 2.0 client credentials).
    ServiceAccount {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
    },
    /// An API key pair (HTTP Digest).
    ApiKey {
        /// The public key (the Digest user name).
        public_key: String,
        /// The private key.
        private_key: Secret,
    },
}

/// The credentials a client sends.
#[derive(Clone)]
pub(crate) enum Auth {
    /// No `Authorization` header.
    None,
    /// A caller-supplied bearer token, as the `Authorization` header it makes (built once and
    /// marked sensitive; `None` when the token cannot be sent in a header). Unlike a
    /// [`Secret`], the header's bytes are not wiped when the client is dropped: `HeaderValue`
    /// offers no way to, and building the header per request (as before) only made more
    /// unwiped copies, one per request, inside `reqwest`.
    Bearer(Option<HeaderValue>),
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
    /// Held while this attempt fetches the first Digest challenge for every request waiting
    /// for one: released when the attempt's outcome has been judged (the `Sent` dropped).
    _digest_probe: Option<tokio::sync::OwnedMutexGuard<()>>,
}

/// `Bearer <token>` as a header value marked sensitive (so it is never logged), or `None` if the
/// token holds characters a header cannot carry. The intermediate string is wiped; the header
/// is not (see [`Auth::Bearer`]).
fn bearer_header(token: &Secret) -> Option<HeaderValue> {
    let mut value = format!("Bearer {}", token.expose());
    let header = HeaderValue::from_str(&value).ok().map(|mut header| {
        header.set_sensitive(true);
        header
    });
    value.zeroize();
    header
}

fn unsendable(operation: &'static str) -> Error {
    Error::Auth {
        operation,
        status: None,
        message: "the credentials contain characters that cannot be sent in a header".to_owned(),
    }
}

impl Auth {
    /// Bearer-token credentials; the header is built here once rather than for every request.
    pub(crate) fn bearer(token: Secret) -> Self {
        Auth::Bearer(bearer_header(&token))
    }

    /// The `Authorization` header for one attempt of a request to `url`.
    pub(crate) async fn authorize(&self, operation: &'static str, method: &str, url: &url::Url) -> Result<Sent, Error> {
        let (header, token_generation) = match self {
            Auth::None => return Ok(Sent::default()),
            Auth::Bearer(header) => (header.clone().ok_or_else(|| unsendable(operation))?, None),
            Auth::ServiceAccount(account) => {
                let (header, generation) = account.authorization(operation).await?;
                (header.ok_or_else(|| unsendable(operation))?, Some(generation))
            }
            Auth::Digest(digest) => {
                // The request-target of the digest: path and query, as sent.
                let uri = match url.query() {
                    Some(query) => format!("{}?{query}", url.path()),
                    None => url.path().to_owned(),
                };
                match digest.authorize(method, &uri).await {
                    DigestAuthorization::Header(value) => {
                        let mut header = HeaderValue::from_str(&value).map_err(|_| unsendable(operation))?;
                        header.set_sensitive(true);
                        (header, None)
                    }
                    DigestAuthorization::Probe(probe) => {
                        return Ok(Sent {
                            _digest_probe: Some(probe),
                            ..Sent::default()
                        })
                    }
                }
            }
        };
        Ok(Sent {
            header: Some(header),
            token_generation,
            _digest_probe: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_bearer_header_is_built_once_sensitive_and_never_printed() {
        let url = url::Url::parse("https://example.com/api?x=1").unwrap();
        let auth = Auth::bearer(Secret::new("t0ken"));
        assert_eq!(format!("{auth:?}"), "Bearer(***)");
        let sent = auth.authorize("op", "GET", &url).await.unwrap();
        let header = sent.header.unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Bearer t0ken");
        assert!(!format!("{header:?}").contains("t0ken"));

        let error = Auth::bearer(Secret::new("bad\ntoken"))
            .authorize("op", "GET", &url)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Auth { status: None, .. }), "{error:?}");
        assert!(!error.to_string().contains("token\n") && !format!("{error:?}").contains("bad"));
    }
}
