//! HTTP Digest authentication (RFC 7616, and RFC 2617's `qop=auth`), used with Atlas API keys.
//!
//! The first request goes out without credentials; the server's 401 carries a challenge
//! (`realm`, `nonce`, `qop`, `algorithm`, `opaque`). Every later request reuses that nonce
//! with an increasing nonce count (`nc`), so one challenge serves many requests; a 401 with
//! `stale=true` replaces the nonce without counting as a failed login.
//!
//! Concurrency: RFC 7616 §3.4 lets a server treat a repeated (nonce, `nc`) pair as a replay, so
//! each nonce has one count, shared by every request of the client and never reset: a 401
//! that brings back a nonce already used (several requests answered with the same new nonce,
//! or a late answer naming an older one) continues its count instead of starting again at 1.
//! While no challenge is known, one request at a time goes out without credentials to fetch
//! one and the others wait for it, so a burst of calls costs one challenge round trip, not one
//! each. Requests may still reach the server out of `nc` order; the RFC asks a server to detect
//! a repeated count, not a smaller one.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

use super::hash;
use crate::secret::Secret;

/// The hash algorithms of RFC 7616 this client answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// `MD5` (the RFC 2617 default).
    Md5,
    /// `MD5-sess`.
    Md5Sess,
    /// `SHA-256`.
    Sha256,
    /// `SHA-256-sess`.
    Sha256Sess,
}

impl Algorithm {
    fn parse(name: Option<&str>) -> Option<Self> {
        match name.map(str::to_ascii_uppercase).as_deref() {
            None | Some("MD5") => Some(Algorithm::Md5),
            Some("MD5-SESS") => Some(Algorithm::Md5Sess),
            Some("SHA-256") => Some(Algorithm::Sha256),
            Some("SHA-256-SESS") => Some(Algorithm::Sha256Sess),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    fn hash(self, data: &str) -> String {
        let bytes = match self {
            Algorithm::Md5 | Algorithm::Md5Sess => hash::md5(data.as_bytes()).to_vec(),
            Algorithm::Sha256 | Algorithm::Sha256Sess => hash::sha256(data.as_bytes()).to_vec(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Preference when a server offers several: SHA-256 first.
    fn rank(self) -> u8 {
        match self {
            Algorithm::Sha256 => 3,
            Algorithm::Sha256Sess => 2,
            Algorithm::Md5 => 1,
            Algorithm::Md5Sess => 0,
        }
    }
}

/// One `WWW-Authenticate: Digest ...` challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// `realm`.
    pub realm: String,
    /// `nonce`.
    pub nonce: String,
    /// `opaque`, echoed back unchanged.
    pub opaque: Option<String>,
    /// `algorithm`.
    pub algorithm: Algorithm,
    /// Whether the server offers `qop=auth` (else the RFC 2069 form is used).
    pub qop_auth: bool,
    /// `stale=true`: the nonce expired, the credentials were fine.
    pub stale: bool,
}

impl Challenge {
    /// The best Digest challenge among a response's `WWW-Authenticate` values.
    pub fn pick<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<Challenge> {
        values
            .into_iter()
            .filter_map(Challenge::parse)
            .max_by_key(|c| c.algorithm.rank())
    }

    /// Parses one header value; `None` if it is not a usable Digest challenge.
    pub fn parse(value: &str) -> Option<Challenge> {
        let rest = value.trim();
        let (scheme, params) = rest.split_once(char::is_whitespace)?;
        if !scheme.eq_ignore_ascii_case("digest") {
            return None;
        }
        let params = parse_params(params);
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let qop_auth = match get("qop") {
            None => false,
            Some(qop) => {
                if !qop.split(',').any(|q| q.trim().eq_ignore_ascii_case("auth")) {
                    return None; // only auth-int offered: not supported
                }
                true
            }
        };
        Some(Challenge {
            realm: get("realm")?.to_owned(),
            nonce: get("nonce")?.to_owned(),
            opaque: get("opaque").map(str::to_owned),
            algorithm: Algorithm::parse(get("algorithm"))?,
            qop_auth,
            stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
        })
    }
}

/// `key=value, key="quoted, value"` pairs of an auth header.
/// The `key=value, key="quoted, value"` auth-params of an HTTP authentication header (RFC 9110
/// §11.2), after its scheme, in order; a key without `=` has an empty value. Also the
/// emulator's reader of `Authorization: Digest ...` (through `__private`).
pub fn parse_params(input: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',')).collect();
        if key.is_empty() {
            break;
        }
        if chars.next() != Some('=') {
            out.push((key.trim().to_owned(), String::new()));
            continue;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| *c != ','))
                .collect::<String>()
                .trim()
                .to_owned();
        }
        out.push((key.trim().to_owned(), value));
    }
    out
}

/// The inputs of one response computation.
pub struct Input<'a> {
    /// User name (the API public key).
    pub username: &'a str,
    /// Password (the API private key).
    pub password: &'a str,
    /// The challenge answered.
    pub challenge: &'a Challenge,
    /// HTTP method.
    pub method: &'a str,
    /// Request target (path and query).
    pub uri: &'a str,
    /// Nonce count.
    pub nc: u32,
    /// Client nonce.
    pub cnonce: &'a str,
}

/// The `response` value of RFC 7616 §3.4.1.
pub fn response(input: &Input<'_>) -> String {
    let algorithm = input.challenge.algorithm;
    let nonce = &input.challenge.nonce;
    let mut ha1 = algorithm.hash(&format!(
        "{}:{}:{}",
        input.username, input.challenge.realm, input.password
    ));
    if matches!(algorithm, Algorithm::Md5Sess | Algorithm::Sha256Sess) {
        ha1 = algorithm.hash(&format!("{ha1}:{nonce}:{}", input.cnonce));
    }
    let ha2 = algorithm.hash(&format!("{}:{}", input.method, input.uri));
    if input.challenge.qop_auth {
        algorithm.hash(&format!("{ha1}:{nonce}:{:08x}:{}:auth:{ha2}", input.nc, input.cnonce))
    } else {
        algorithm.hash(&format!("{ha1}:{nonce}:{ha2}"))
    }
}

/// The `Authorization` header value for one request.
pub fn authorization(input: &Input<'_>) -> String {
    let c = input.challenge;
    let mut header = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}, response=\"{}\"",
        quote(input.username),
        quote(&c.realm),
        quote(&c.nonce),
        quote(input.uri),
        c.algorithm.name(),
        response(input),
    );
    if c.qop_auth {
        header.push_str(&format!(
            ", qop=auth, nc={:08x}, cnonce=\"{}\"",
            input.nc,
            quote(input.cnonce)
        ));
    }
    if let Some(opaque) = &c.opaque {
        header.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
    }
    header
}

fn quote(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// How many recent nonces keep their count: enough for any late 401 of requests in flight.
const NONCES_KEPT: usize = 16;

/// API key credentials with the challenges they answer.
pub struct DigestAuth {
    username: String,
    password: Secret,
    /// Recent challenges with the last nonce count used for each, the current one first.
    nonces: Mutex<VecDeque<(Arc<Challenge>, u32)>>,
    /// Held by the one request fetching the first challenge while the others wait.
    probe: Arc<tokio::sync::Mutex<()>>,
}

/// What one request sends: a Digest `Authorization` header, or nothing while it fetches the
/// first challenge for everyone (holding the probe until its answer is taken up).
#[derive(Debug)]
pub enum Authorization {
    /// The header value.
    Header(String),
    /// No credentials yet: this request is the probe.
    Probe(OwnedMutexGuard<()>),
}

impl std::fmt::Debug for DigestAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestAuth")
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

impl DigestAuth {
    /// Credentials; no challenge yet.
    pub fn new(username: String, password: Secret) -> Self {
        DigestAuth {
            username,
            password,
            nonces: Mutex::new(VecDeque::new()),
            probe: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// What a request sends: the header, once a challenge is known; else, if no other request
    /// is already fetching one, nothing (this request is the probe); else, after that request's
    /// answer, the header (or the probe's turn, if its answer brought no challenge).
    pub async fn authorize(&self, method: &str, uri: &str) -> Authorization {
        if let Some(header) = self.header(method, uri) {
            return Authorization::Header(header);
        }
        // Boxed: waiting for the first challenge is rare, and would enlarge every call's future.
        let probe = Box::pin(self.probe.clone().lock_owned()).await;
        match self.header(method, uri) {
            Some(header) => Authorization::Header(header),
            None => Authorization::Probe(probe),
        }
    }

    /// The header for a request, once a challenge is known: the current nonce with its count
    /// raised by one (under the lock, so no two requests ever send the same count).
    pub fn header(&self, method: &str, uri: &str) -> Option<String> {
        let (challenge, nc) = {
            let mut nonces = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
            let (challenge, nc) = nonces.front_mut()?;
            // A nonce whose counts are used up is dropped, never sent with a count again: the
            // next request fetches a new challenge.
            let Some(next) = nc.checked_add(1) else {
                nonces.pop_front();
                return None;
            };
            *nc = next;
            (challenge.clone(), next)
        };
        let cnonce = cnonce();
        Some(authorization(&Input {
            username: &self.username,
            password: self.password.expose(),
            challenge: &challenge,
            method,
            uri,
            nc,
            cnonce: &cnonce,
        }))
    }

    /// Takes a 401's challenge. Returns whether the request is worth sending again: yes for a
    /// first challenge, or a stale nonce; no when fresh credentials were just refused.
    pub fn on_unauthorized<'a>(
        &self,
        www_authenticate: impl IntoIterator<Item = &'a str>,
        sent_credentials: bool,
    ) -> bool {
        let Some(challenge) = Challenge::pick(www_authenticate) else {
            return false;
        };
        let retry = !sent_credentials || challenge.stale;
        let mut nonces = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        // A nonce seen before keeps its count: starting it again at 1 would repeat pairs.
        let count = match nonces.iter().position(|(c, _)| c.nonce == challenge.nonce) {
            Some(index) => nonces.remove(index).map_or(0, |(_, count)| count),
            None => 0,
        };
        nonces.push_front((Arc::new(challenge), count));
        nonces.truncate(NONCES_KEPT);
        retry
    }
}

/// A random client nonce (16 bytes, hex).
fn cnonce() -> String {
    let mut bytes = [0u8; 16];
    // An OS without a random source gets a time-derived nonce rather than no request at all.
    if getrandom::getrandom(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes = nanos.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(realm: &str, nonce: &str, algorithm: Algorithm) -> Challenge {
        Challenge {
            realm: realm.into(),
            nonce: nonce.into(),
            opaque: None,
            algorithm,
            qop_auth: true,
            stale: false,
        }
    }

    /// RFC 2617 §3.5: the worked example.
    #[test]
    fn rfc_2617_worked_example() {
        let c = challenge(
            "testrealm@host.com",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            Algorithm::Md5,
        );
        let input = Input {
            username: "Mufasa",
            password: "Circle Of Life",
            challenge: &c,
            method: "GET",
            uri: "/dir/index.html",
            nc: 1,
            cnonce: "0a4f113b",
        };
        assert_eq!(response(&input), "6629fae49393a05397450978507c4ef1");
    }

    /// RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
    #[test]
    fn rfc_7616_examples() {
        let nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        for (algorithm, expected) in [
            (Algorithm::Md5, "8ca523f5e9506fed4657c9700eebdbec"),
            (
                Algorithm::Sha256,
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            ),
        ] {
            let c = challenge("http-auth@example.org", nonce, algorithm);
            let input = Input {
                username: "Mufasa",
                password: "Circle of Life",
                challenge: &c,
                method: "GET",
                uri: "/dir/index.html",
                nc: 1,
                cnonce,
            };
            assert_eq!(response(&input), expected, "{algorithm:?}");
        }
    }

    #[test]
    fn challenges_parse_and_sha256_is_preferred() {
        let md5 =
            r#"Digest realm="MMS Public API", domain="", nonce="abc,def", algorithm=MD5, qop="auth", stale=false"#;
        let sha = r#"Digest realm="MMS Public API", nonce="xyz", algorithm=SHA-256, qop="auth", opaque="o\"q""#;
        let picked = Challenge::pick([md5, sha, "Bearer realm=x"]).unwrap();
        assert_eq!(picked.algorithm, Algorithm::Sha256);
        assert_eq!(picked.opaque.as_deref(), Some("o\"q"));
        let parsed = Challenge::parse(md5).unwrap();
        assert_eq!(
            (parsed.nonce.as_str(), parsed.qop_auth, parsed.stale),
            ("abc,def", true, false)
        );
        assert!(Challenge::parse(r#"Digest realm="r", nonce="n", qop="auth-int""#).is_none());
    }

    #[test]
    fn nonce_count_increases_and_stale_renews() {
        let auth = DigestAuth::new("public".into(), Secret::new("private"));
        assert!(auth.header("GET", "/a").is_none(), "no challenge yet");
        assert!(auth.on_unauthorized([r#"Digest realm="r", nonce="n1", qop="auth""#], false));
        assert!(auth.header("GET", "/a").unwrap().contains("nc=00000001"));
        assert!(auth.header("GET", "/a").unwrap().contains("nc=00000002"));
        // Refused fresh credentials: do not try again.
        assert!(!auth.on_unauthorized([r#"Digest realm="r", nonce="n2", qop="auth""#], true));
        // A stale nonce: try again with the new one, counting from 1.
        assert!(auth.on_unauthorized([r#"Digest realm="r", nonce="n3", qop="auth", stale=true"#], true));
        let header = auth.header("GET", "/a").unwrap();
        assert!(
            header.contains("nonce=\"n3\"") && header.contains("nc=00000001"),
            "{header}"
        );
        assert!(!format!("{auth:?}").contains("private"));
    }

    /// The replay of issue 13: the same challenge taken up again (by each of several requests
    /// that got it, or late) must not restart its count.
    #[test]
    fn a_nonce_seen_again_continues_its_count() {
        let auth = DigestAuth::new("public".into(), Secret::new("private"));
        let n1 = r#"Digest realm="r", nonce="n1", qop="auth""#;
        auth.on_unauthorized([n1], false);
        auth.header("GET", "/a");
        auth.header("GET", "/a");
        auth.on_unauthorized([n1], false); // a second request's 401 brought the same nonce
        assert!(auth.header("GET", "/a").unwrap().contains("nc=00000003"));
        auth.on_unauthorized([r#"Digest realm="r", nonce="n2", qop="auth", stale=true"#], true);
        assert!(auth.header("GET", "/a").unwrap().contains("nc=00000001"));
        auth.on_unauthorized([n1], false); // a late answer naming the older nonce
        let header = auth.header("GET", "/a").unwrap();
        assert!(
            header.contains("nonce=\"n1\"") && header.contains("nc=00000004"),
            "{header}"
        );
    }

    #[tokio::test]
    async fn one_request_fetches_the_first_challenge_while_the_others_wait() {
        let auth = Arc::new(DigestAuth::new("public".into(), Secret::new("private")));
        let probe = auth.authorize("GET", "/a").await;
        assert!(matches!(probe, Authorization::Probe(_)));
        let waiting = tokio::spawn({
            let auth = auth.clone();
            async move { auth.authorize("GET", "/b").await }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "waits for the probe's answer");
        auth.on_unauthorized([r#"Digest realm="r", nonce="n1", qop="auth""#], false);
        drop(probe);
        match waiting.await.unwrap() {
            Authorization::Header(header) => assert!(header.contains("nc=00000001"), "{header}"),
            Authorization::Probe(_) => panic!("a challenge was known"),
        }
    }
}
