//! OAuth 2.0 client credentials (RFC 6749 §4.4) for Atlas service accounts.
//!
//! As MongoDB documents it ("Generate Service Account Token", docs/atlas/api/service-accounts):
//! `POST /api/oauth/token` with the client id and secret as HTTP Basic credentials and the form
//! body `grant_type=client_credentials` answers `{access_token, token_type: "Bearer",
//! expires_in}`; tokens last one hour (docs/atlas/api/api-authentication), here configurable.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// At most this many live tokens are kept; expired ones are dropped as new ones are issued.
const MAX_TOKENS: usize = 4096;

/// The token endpoint's answer: a status and a JSON body (and a header for a 401).
#[derive(Debug, PartialEq)]
pub struct TokenAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Value,
    /// A `WWW-Authenticate` value, for a 401.
    pub challenge: Option<String>,
}

/// Issues and checks bearer tokens for one service account.
pub struct Issuer {
    client_id: String,
    client_secret: String,
    ttl: Duration,
    tokens: Mutex<HashMap<String, Instant>>,
}

impl Issuer {
    /// An issuer for one client id and secret whose tokens live `ttl`.
    pub fn new(client_id: String, client_secret: String, ttl: Duration) -> Issuer {
        Issuer {
            client_id,
            client_secret,
            ttl,
            tokens: Mutex::new(HashMap::new()),
        }
    }

    /// Answers `POST /api/oauth/token`.
    pub fn token(&self, authorization: Option<&str>, form: &[(String, String)]) -> TokenAnswer {
        // RFC 6749 §5.2: the error answers of a token endpoint.
        // GUESS: that Atlas answers its token errors this way, and as plain `application/json`
        // (MongoDB's page shows a vendor media type on the success answer).
        let error = |status: u16, code: &str, description: &str| TokenAnswer {
            status,
            body: json!({"error": code, "error_description": description}),
            challenge: (status == 401).then(|| "Basic realm=\"MongoDB Cloud\"".to_owned()),
        };
        let Some((id, secret)) = authorization.and_then(basic_credentials) else {
            return error(
                401,
                "invalid_client",
                "Client authentication failed: missing Basic credentials.",
            );
        };
        if id != self.client_id || secret != self.client_secret {
            return error(401, "invalid_client", "Client authentication failed.");
        }
        match form.iter().find(|(k, _)| k == "grant_type").map(|(_, v)| v.as_str()) {
            Some("client_credentials") => {}
            Some(_) => return error(400, "unsupported_grant_type", "Only client_credentials is supported."),
            None => return error(400, "invalid_request", "grant_type is required."),
        }
        let token = format!("mdb_at_{}", crate::random::random_hex(32));
        let now = Instant::now();
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.retain(|_, expires| *expires > now);
        if tokens.len() < MAX_TOKENS {
            tokens.insert(token.clone(), crate::clock::later(self.ttl));
        }
        TokenAnswer {
            status: 200,
            // A lifetime under a second is reported as one second: `expires_in` is whole
            // seconds, and a client told 0 would never use the token.
            body: json!({
                "access_token": token,
                "expires_in": self.ttl.as_secs().max(1),
                "token_type": "Bearer",
            }),
            challenge: None,
        }
    }

    /// Whether `token` was issued here and has not expired.
    pub fn valid(&self, token: &str) -> bool {
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.get(token).is_some_and(|expires| *expires > Instant::now())
    }

    /// Expires every token issued so far (a test hook: the next call must fetch a new one).
    pub fn expire_all(&self) {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// `id` and `secret` of an `Authorization: Basic …` value.
fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(id: &str, secret: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
        )
    }

    #[test]
    fn issues_tokens_to_the_right_client_only() {
        let issuer = Issuer::new("id".into(), "secret".into(), Duration::from_secs(60));
        let form = vec![("grant_type".to_owned(), "client_credentials".to_owned())];
        let ok = issuer.token(Some(&basic("id", "secret")), &form);
        assert_eq!(ok.status, 200);
        let token = ok.body["access_token"].as_str().unwrap();
        assert!(issuer.valid(token));
        assert!(!issuer.valid("other"));
        assert_eq!(issuer.token(Some(&basic("id", "wrong")), &form).status, 401);
        assert_eq!(issuer.token(None, &form).status, 401);
        assert_eq!(issuer.token(Some(&basic("id", "secret")), &[]).status, 400);
        issuer.expire_all();
        assert!(!issuer.valid(token));
    }
}
