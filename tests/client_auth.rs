//! Credentials over the wire: service-account OAuth (token caching, one fetch for many
//! concurrent calls, refresh after a 401) and API-key Digest (challenge, nonce reuse with an
//! increasing count, stale nonces), checked by a real server on 127.0.0.1.

mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_streams::{Client, Error};
use base64::Engine;
use common::{Canned, Received, TestServer};
use md5::Md5;
use sha2::{Digest, Sha256};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const OK_JSON: &str = "application/vnd.atlas.2024-08-05+json";

fn is_token_request(r: &Received) -> bool {
    r.path == "/api/oauth/token"
}

fn token_answer(token: &str, expires_in: u64) -> Canned {
    Canned::new(
        200,
        "application/json",
        serde_json::json!({"access_token": token, "expires_in": expires_in, "token_type": "Bearer"}),
    )
}

fn service_account_client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .service_account("sa-id", "sa-secret-VALUE")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_service_account_fetches_a_token_once_and_sends_it_as_bearer() {
    let server = TestServer::with_handler(|r| {
        if is_token_request(r) {
            token_answer("tok-1", 3600)
        } else {
            Canned::new(200, OK_JSON, "{}")
        }
    })
    .await;
    let client = service_account_client(&server);
    for _ in 0..3 {
        client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    }
    let received = server.received();
    let tokens: Vec<&Received> = received.iter().filter(|r| is_token_request(r)).collect();
    assert_eq!(tokens.len(), 1, "the token is cached");
    let token_request = tokens[0];
    assert_eq!(token_request.method, "POST");
    let basic = base64::engine::general_purpose::STANDARD.encode("sa-id:sa-secret-VALUE");
    assert_eq!(
        token_request.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(
        token_request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(&token_request.body[..], b"grant_type=client_credentials");
    let api: Vec<&Received> = received.iter().filter(|r| !is_token_request(r)).collect();
    assert_eq!(api.len(), 3);
    assert!(api.iter().all(|r| r.header("authorization") == Some("Bearer tok-1")));
    assert!(!format!("{client:?}").contains("sa-secret-VALUE"));
}

/// Starts 50 processors at once, each call a task of its own; the messages of those that
/// failed.
async fn fifty_concurrent_calls(client: &Client) -> Vec<String> {
    let calls: Vec<_> = (0..50)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.start_stream_processor(GROUP, "ws", format!("p{i}")).await })
        })
        .collect();
    let mut failed = Vec::new();
    for call in calls {
        if let Err(error) = call.await.unwrap() {
            failed.push(error.to_string());
        }
    }
    failed
}

/// A server whose token endpoint gives `answer()`, and whose API answers `{}`.
async fn token_endpoint(answer: impl Fn() -> Canned + Send + Sync + 'static) -> TestServer {
    TestServer::with_handler(move |r| {
        if is_token_request(r) {
            answer()
        } else {
            Canned::new(200, OK_JSON, "{}")
        }
    })
    .await
}

#[tokio::test]
async fn fifty_concurrent_calls_share_one_token_request() {
    // A slow token endpoint, so the calls really do wait at the same time.
    let server = token_endpoint(|| token_answer("tok-shared", 3600).after(Duration::from_millis(200))).await;
    let failed = fifty_concurrent_calls(&service_account_client(&server)).await;
    assert!(failed.is_empty(), "{} calls failed: {:?}", failed.len(), failed.first());
    let received = server.received();
    assert_eq!(received.iter().filter(|r| is_token_request(r)).count(), 1);
    assert_eq!(
        received
            .iter()
            .filter(|r| r.header("authorization") == Some("Bearer tok-shared"))
            .count(),
        50
    );
}

#[tokio::test]
async fn a_token_is_refreshed_before_it_expires() {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let server = TestServer::with_handler(move |r| {
        if is_token_request(r) {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            token_answer(&format!("tok-{n}"), 1)
        } else {
            Canned::new(200, OK_JSON, "{}")
        }
    })
    .await;
    let client = service_account_client(&server);
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1, "still valid: reused");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2, "near expiry: fetched again");
    let last = server.received().pop().unwrap();
    assert_eq!(last.header("authorization"), Some("Bearer tok-2"));
}

#[tokio::test]
async fn a_401_to_a_cached_token_refreshes_it_and_retries_once() {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let server = TestServer::with_handler(move |r| {
        if is_token_request(r) {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            token_answer(&format!("tok-{n}"), 3600)
        } else if r.header("authorization") == Some("Bearer tok-1") {
            // The server revoked the first token.
            Canned::new(401, "application/json", r#"{"error":401,"errorCode":"INVALID_TOKEN"}"#)
        } else {
            Canned::new(200, OK_JSON, "{}")
        }
    })
    .await;
    let client = service_account_client(&server);
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    let api: Vec<Option<String>> = server
        .received()
        .iter()
        .filter(|r| !is_token_request(r))
        .map(|r| r.header("authorization").map(str::to_owned))
        .collect();
    assert_eq!(api, [Some("Bearer tok-1".to_owned()), Some("Bearer tok-2".to_owned())]);
}

#[tokio::test]
async fn refused_service_account_credentials_are_an_auth_error_without_the_secret() {
    let refusal = r#"{"error":"invalid_client","error_description":"bad client"}"#;
    let server = token_endpoint(move || Canned::new(401, "application/json", refusal)).await;
    let error = service_account_client(&server)
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Auth { status: Some(401), .. }), "{error:?}");
    assert!(error.is_unauthorized());
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains("startStreamProcessor") && shown.contains("bad client"),
        "{shown}"
    );
    assert!(!shown.contains("sa-secret-VALUE"));
    assert!(
        server.received().iter().all(is_token_request),
        "no API call without a token"
    );
}

/// A Digest server: checks every `Authorization` it gets with its own computation.
struct DigestServer {
    nonce: Mutex<String>,
    algorithm: &'static str,
    /// Nonce counts seen, in order.
    counts: Mutex<Vec<u32>>,
    /// After this many authorized requests, the nonce goes stale (once).
    stale_after: Option<usize>,
    password: &'static str,
    /// Refuse a (nonce, nc) pair seen before as a replay (RFC 7616 §3.4), with a fresh
    /// challenge that is not `stale`: a client taking it as a refusal of its credentials.
    refuse_replays: bool,
    /// The (nonce, nc) pairs accepted so far.
    seen: Mutex<HashSet<(String, String)>>,
    /// Challenges sent (401s).
    challenges: AtomicUsize,
}

impl DigestServer {
    fn hash(&self, data: &str) -> String {
        let bytes = if self.algorithm == "SHA-256" {
            Sha256::digest(data).to_vec()
        } else {
            Md5::digest(data).to_vec()
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn challenge(&self, stale: bool) -> Canned {
        self.challenges.fetch_add(1, Ordering::SeqCst);
        let nonce = self.nonce.lock().unwrap().clone();
        let header = format!(
            r#"Digest realm="MMS Public API", domain="", nonce="{nonce}", algorithm={}, qop="auth", stale={stale}"#,
            self.algorithm
        );
        Canned::new(401, "application/json", r#"{"error":401,"errorCode":"NOT_AUTHORIZED"}"#)
            .header("www-authenticate", &header)
    }

    fn answer(&self, r: &Received) -> Canned {
        let Some(header) = r.header("authorization") else {
            return self.challenge(false);
        };
        let field = |name: &str| {
            let start = header.find(&format!("{name}="))? + name.len() + 1;
            let rest = &header[start..];
            Some(if let Some(quoted) = rest.strip_prefix('"') {
                quoted[..quoted.find('"')?].to_owned()
            } else {
                rest.split(',').next()?.trim().to_owned()
            })
        };
        let nonce = self.nonce.lock().unwrap().clone();
        let (Some(username), Some(uri), Some(nc), Some(cnonce), Some(response), Some(sent_nonce)) = (
            field("username"),
            field("uri"),
            field("nc"),
            field("cnonce"),
            field("response"),
            field("nonce"),
        ) else {
            return self.challenge(false);
        };
        let ha1 = self.hash(&format!("{username}:MMS Public API:{}", self.password));
        let ha2 = self.hash(&format!("{}:{uri}", r.method));
        let expected = self.hash(&format!("{ha1}:{sent_nonce}:{nc}:{cnonce}:auth:{ha2}"));
        let target = match &r.query {
            Some(q) => format!("{}?{q}", r.path),
            None => r.path.clone(),
        };
        if response != expected || uri != target || username != "public-key" {
            return self.challenge(false);
        }
        let mut counts = self.counts.lock().unwrap();
        if self.stale_after == Some(counts.len()) && sent_nonce == nonce {
            *self.nonce.lock().unwrap() = format!("{nonce}-renewed");
            counts.push(u32::MAX);
            drop(counts);
            return self.challenge(true);
        }
        if sent_nonce != nonce {
            return self.challenge(true);
        }
        if !self.seen.lock().unwrap().insert((sent_nonce, nc.clone())) && self.refuse_replays {
            return self.challenge(false);
        }
        counts.push(u32::from_str_radix(&nc, 16).unwrap());
        Canned::new(200, OK_JSON, "{}")
    }
}

async fn digest_server(
    algorithm: &'static str,
    stale_after: Option<usize>,
    password: &'static str,
) -> (TestServer, Arc<DigestServer>) {
    serve_digest(DigestServer {
        nonce: Mutex::new("nonce-1".into()),
        algorithm,
        counts: Mutex::new(Vec::new()),
        stale_after,
        password,
        refuse_replays: false,
        seen: Mutex::default(),
        challenges: AtomicUsize::new(0),
    })
    .await
}

async fn serve_digest(state: DigestServer) -> (TestServer, Arc<DigestServer>) {
    let state = Arc::new(state);
    let handler_state = state.clone();
    let server = TestServer::with_handler(move |r| handler_state.answer(r)).await;
    (server, state)
}

fn api_key_client(server: &TestServer, private_key: &str) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .api_key("public-key", private_key.to_owned())
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_api_key_answers_the_digest_challenge_and_reuses_the_nonce() {
    for algorithm in ["MD5", "SHA-256"] {
        let (server, state) = digest_server(algorithm, None, "private-KEY").await;
        let client = api_key_client(&server, "private-KEY");
        for _ in 0..3 {
            client
                .start_stream_processor(GROUP, "ws", "p")
                .pretty(true)
                .await
                .unwrap();
        }
        // One challenge, then three authorized requests counting 1, 2, 3 on the same nonce.
        assert_eq!(server.received().len(), 4, "{algorithm}");
        assert!(server.received()[0].header("authorization").is_none());
        assert_eq!(*state.counts.lock().unwrap(), [1, 2, 3], "{algorithm}");
        assert!(server.received()[1]
            .header("authorization")
            .unwrap()
            .contains(&format!("algorithm={algorithm}")));
        assert!(!format!("{client:?}").contains("private-KEY"));
    }
}

#[tokio::test]
async fn a_stale_nonce_is_replaced_without_failing_the_call() {
    let (server, state) = digest_server("MD5", Some(1), "private-KEY").await;
    let client = api_key_client(&server, "private-KEY");
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    // Second call: nc=2 on the old nonce is answered stale=true; the retry counts from 1 again.
    assert_eq!(*state.counts.lock().unwrap(), [1, u32::MAX, 1]);
    assert!(server
        .received()
        .last()
        .unwrap()
        .header("authorization")
        .unwrap()
        .contains("nonce=\"nonce-1-renewed\""));
}

#[tokio::test]
async fn a_wrong_api_key_fails_with_401_after_one_answer_to_the_challenge() {
    let (server, _) = digest_server("MD5", None, "the-right-key").await;
    let error = api_key_client(&server, "a-wrong-KEY")
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.error_code(), Some("NOT_AUTHORIZED"));
    assert_eq!(server.received().len(), 2, "challenge, one answer, then give up");
    assert!(!format!("{error} {error:?}").contains("a-wrong-KEY"));
}

#[tokio::test]
async fn fifty_concurrent_api_key_calls_never_repeat_a_nonce_count() {
    // The server refuses a repeated (nonce, nc) pair as a replay; before issue 13, each 401
    // restarted the count at 1 and most of the calls were refused.
    let (server, state) = serve_digest(DigestServer {
        nonce: Mutex::new("nonce-1".into()),
        algorithm: "SHA-256",
        counts: Mutex::new(Vec::new()),
        stale_after: None,
        password: "private-KEY",
        refuse_replays: true,
        seen: Mutex::default(),
        challenges: AtomicUsize::new(0),
    })
    .await;
    let failed = fifty_concurrent_calls(&api_key_client(&server, "private-KEY")).await;
    assert!(failed.is_empty(), "{} calls failed: {:?}", failed.len(), failed.first());
    let mut counts = state.counts.lock().unwrap().clone();
    counts.sort_unstable();
    assert_eq!(
        counts,
        (1..=50).collect::<Vec<u32>>(),
        "one count per request, none twice"
    );
    let challenges = state.challenges.load(Ordering::SeqCst);
    println!(
        "50 concurrent Digest calls: {challenges} challenge round trip(s), {} requests",
        server.received().len()
    );
    assert_eq!(challenges, 1, "one request fetched the challenge for all");
    assert_eq!(server.received().len(), 51);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_asked_again_and_a_refusing_one_is_not() {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let server = TestServer::with_handler(move |r| {
        if !is_token_request(r) {
            Canned::new(200, OK_JSON, "{}")
        } else if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            Canned::new(503, "text/html", "<html>upstream unavailable</html>")
        } else {
            token_answer("tok-2", 3600)
        }
    })
    .await;
    service_account_client(&server)
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 2, "the 503 was a passing failure");

    // A refusal with an enormous description: not retried, and the message stays short.
    let description = "d".repeat(60_000);
    let body = serde_json::json!({"error": "invalid_client", "error_description": description});
    let server = token_endpoint(move || Canned::new(400, "application/json", &body)).await;
    let error = service_account_client(&server)
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Auth { status: Some(400), .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.len() < 1024 && message.contains("bytes more)"), "{message}");
    assert!(!message.contains("sa-secret-VALUE"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_slow_token_endpoint_times_out_like_a_slow_api() {
    let server = token_endpoint(|| token_answer("tok-late", 3600).after(Duration::from_secs(3))).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .service_account("sa-id", "sa-secret-VALUE")
        .response_timeout(Some(Duration::from_millis(300)))
        .retry(
            atlas_streams::RetryPolicy::default()
                .initial_backoff(Duration::from_millis(10))
                .max_attempts(2),
        )
        .build()
        .unwrap();
    let error = client.start_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert!(
        matches!(
            error.timeout_kind(),
            Some(atlas_streams::error::TimeoutKind::Response(_))
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with("startStreamProcessor: timed out"),
        "{error}"
    );
    let received = server.received();
    assert_eq!(received.len(), 2, "the token was asked for twice (two attempts)");
    assert!(received.iter().all(is_token_request), "no API call without a token");
}

/// A call whose deadline ends while the token is being fetched ends its own wait only: the
/// fetch goes on, and the calls after it use the token it brought (one token request in all).
#[tokio::test]
async fn a_deadline_during_the_token_fetch_does_not_waste_the_fetch() {
    // Times wide apart: fifty calls on a busy machine (CI's two cores) may take a while.
    let server = token_endpoint(|| token_answer("tok-slow", 3600).after(Duration::from_millis(900))).await;
    let client = service_account_client(&server);
    let hurried = client.with_timeouts(client.timeouts().deadline(Some(Duration::from_millis(300))));
    let first = fifty_concurrent_calls(&hurried).await;
    assert_eq!(first.len(), 50, "every call's deadline came before the token");
    // The fetch the hurried calls started goes on and stores the token.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let later = fifty_concurrent_calls(&hurried).await;
    assert!(later.is_empty(), "{} calls failed: {:?}", later.len(), later.first());
    let received = server.received();
    assert_eq!(received.iter().filter(|r| is_token_request(r)).count(), 1);
}
