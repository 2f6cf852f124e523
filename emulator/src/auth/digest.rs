//! HTTP Digest (RFC 7616, and RFC 2617's `qop=auth`) for Atlas API keys.
//!
//! A request without credentials gets a 401 with one challenge per configured algorithm,
//! written as Atlas writes it (Atlas Administration API reference, the old per-endpoint pages:
//! `WWW-Authenticate: Digest realm="MMS Public API", domain="", nonce="…", algorithm=MD5,
//! qop="auth", stale=false`). A nonce stays valid for a configurable time and serves many
//! requests; each nonce count may be used once (a replay is refused), in any order, because
//! concurrent requests sharing a nonce may arrive out of order.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use md5::Md5;
use sha2::{Digest as _, Sha256};

/// The realm Atlas challenges with.
pub const REALM: &str = "MMS Public API";

/// At most this many live nonces are kept; the oldest go first.
const MAX_NONCES: usize = 4096;

/// A Digest hash algorithm the emulator can challenge with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// `MD5`, the one Atlas offers.
    Md5,
    /// `SHA-256` (RFC 7616).
    Sha256,
}

impl Algorithm {
    /// The name in a challenge.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha256 => "SHA-256",
        }
    }

    fn parse(name: Option<&str>) -> Option<Algorithm> {
        match name.map(str::to_ascii_uppercase).as_deref() {
            None | Some("MD5") => Some(Algorithm::Md5),
            Some("SHA-256") => Some(Algorithm::Sha256),
            _ => None,
        }
    }

    fn hash(self, data: &str) -> String {
        let bytes = match self {
            Algorithm::Md5 => Md5::digest(data.as_bytes()).to_vec(),
            Algorithm::Sha256 => Sha256::digest(data.as_bytes()).to_vec(),
        };
        crate::random::hex(&bytes)
    }
}

/// Why a Digest `Authorization` was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong credentials or a malformed header: answer with fresh challenges.
    Invalid,
    /// A nonce the emulator issued that has expired: answer with `stale=true`.
    Stale,
}

struct NonceState {
    issued: Instant,
    used: HashSet<u32>,
}

/// Checks Digest credentials against one API key.
pub struct Verifier {
    public_key: String,
    private_key: String,
    algorithms: Vec<Algorithm>,
    nonce_ttl: Duration,
    nonces: Mutex<HashMap<String, NonceState>>,
}

impl Verifier {
    /// A verifier for one key pair, challenging with `algorithms` (in preference order).
    pub fn new(public_key: String, private_key: String, algorithms: Vec<Algorithm>, nonce_ttl: Duration) -> Verifier {
        Verifier {
            public_key,
            private_key,
            algorithms,
            nonce_ttl,
            nonces: Mutex::new(HashMap::new()),
        }
    }

    /// `WWW-Authenticate` values for a fresh nonce, one per algorithm.
    pub fn challenges(&self, stale: bool) -> Vec<String> {
        let nonce = crate::random::random_hex(16);
        let mut nonces = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        nonces.retain(|_, n| now.duration_since(n.issued) < self.nonce_ttl);
        if nonces.len() >= MAX_NONCES {
            if let Some(oldest) = nonces.iter().min_by_key(|(_, n)| n.issued).map(|(k, _)| k.clone()) {
                nonces.remove(&oldest);
            }
        }
        nonces.insert(
            nonce.clone(),
            NonceState {
                issued: now,
                used: HashSet::new(),
            },
        );
        self.algorithms
            .iter()
            .map(|a| {
                format!(
                    "Digest realm=\"{REALM}\", domain=\"\", nonce=\"{nonce}\", algorithm={}, qop=\"auth\", stale={stale}",
                    a.name()
                )
            })
            .collect()
    }

    /// Checks an `Authorization: Digest …` value for a request `method` to `target` (the
    /// request's path and query, as sent).
    pub fn verify(&self, header: &str, method: &str, target: &str) -> Result<(), Refusal> {
        let params = parse(header).ok_or(Refusal::Invalid)?;
        let get = |name: &str| params.get(name).map(String::as_str);
        let algorithm = Algorithm::parse(get("algorithm")).ok_or(Refusal::Invalid)?;
        if !self.algorithms.contains(&algorithm)
            || get("username") != Some(self.public_key.as_str())
            || get("realm") != Some(REALM)
            || get("uri") != Some(target)
            || get("qop").is_some_and(|q| !q.eq_ignore_ascii_case("auth"))
        {
            return Err(Refusal::Invalid);
        }
        let nonce = get("nonce").ok_or(Refusal::Invalid)?;
        let response = get("response").ok_or(Refusal::Invalid)?;
        let ha1 = algorithm.hash(&format!("{}:{REALM}:{}", self.public_key, self.private_key));
        let ha2 = algorithm.hash(&format!("{method}:{target}"));
        let (expected, count) = match (get("qop"), get("nc"), get("cnonce")) {
            (Some(qop), Some(nc), Some(cnonce)) => {
                let count = u32::from_str_radix(nc, 16).map_err(|_| Refusal::Invalid)?;
                (
                    algorithm.hash(&format!("{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")),
                    Some(count),
                )
            }
            // RFC 2069's form, without qop: allowed by RFC 7616 for old clients.
            (None, None, None) => (algorithm.hash(&format!("{ha1}:{nonce}:{ha2}")), None),
            _ => return Err(Refusal::Invalid),
        };
        if !constant_time_eq(expected.as_bytes(), response.to_ascii_lowercase().as_bytes()) {
            return Err(Refusal::Invalid);
        }
        // The password was right: from here on a problem with the nonce is `stale`, which a
        // client answers by retrying with the new nonce, not by reporting a login failure.
        let mut nonces = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        let state = nonces.get_mut(nonce).ok_or(Refusal::Stale)?;
        if state.issued.elapsed() >= self.nonce_ttl {
            return Err(Refusal::Stale);
        }
        if let Some(count) = count {
            if !state.used.insert(count) {
                return Err(Refusal::Invalid); // a replayed nonce count
            }
        }
        Ok(())
    }
}

/// `key=value, key="quoted, value"` pairs after the `Digest` scheme; `None` for another scheme.
fn parse(header: &str) -> Option<HashMap<String, String>> {
    let (scheme, rest) = header.trim().split_once(char::is_whitespace)?;
    if !scheme.eq_ignore_ascii_case("digest") {
        return None;
    }
    let params = atlas_streams_runtime::__private::auth_params(rest);
    Some(params.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authorization(v: &Verifier, algorithm: Algorithm, nc: &str, password: &str, uri: &str) -> String {
        let challenge = v.challenges(false).remove(0);
        let nonce = challenge
            .split("nonce=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let ha1 = algorithm.hash(&format!("pub:{REALM}:{password}"));
        let ha2 = algorithm.hash(&format!("GET:{uri}"));
        let response = algorithm.hash(&format!("{ha1}:{nonce}:{nc}:abc:auth:{ha2}"));
        format!(
            "Digest username=\"pub\", realm=\"{REALM}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm={}, qop=auth, nc={nc}, cnonce=\"abc\", response=\"{response}\"",
            algorithm.name()
        )
    }

    #[test]
    fn right_credentials_pass_once_per_nonce_count() {
        let v = Verifier::new(
            "pub".into(),
            "priv".into(),
            vec![Algorithm::Sha256, Algorithm::Md5],
            Duration::from_secs(60),
        );
        let header = authorization(&v, Algorithm::Sha256, "00000001", "priv", "/a?b=1");
        assert_eq!(v.verify(&header, "GET", "/a?b=1"), Ok(()));
        assert_eq!(v.verify(&header, "GET", "/a?b=1"), Err(Refusal::Invalid), "a replay");
        assert_eq!(v.verify(&header, "GET", "/other"), Err(Refusal::Invalid));
        let md5 = authorization(&v, Algorithm::Md5, "00000001", "priv", "/a");
        assert_eq!(v.verify(&md5, "GET", "/a"), Ok(()));
    }

    #[test]
    fn wrong_password_and_expired_nonce() {
        let v = Verifier::new("pub".into(), "priv".into(), vec![Algorithm::Md5], Duration::ZERO);
        let wrong = authorization(&v, Algorithm::Md5, "00000001", "nope", "/a");
        assert_eq!(v.verify(&wrong, "GET", "/a"), Err(Refusal::Invalid));
        let expired = authorization(&v, Algorithm::Md5, "00000001", "priv", "/a");
        assert_eq!(v.verify(&expired, "GET", "/a"), Err(Refusal::Stale));
        assert_eq!(v.verify("Basic abc", "GET", "/a"), Err(Refusal::Invalid));
        assert_eq!(v.verify("Digest", "GET", "/a"), Err(Refusal::Invalid));
    }
}
