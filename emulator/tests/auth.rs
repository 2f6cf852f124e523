//! Credentials: HTTP Digest (MD5, SHA-256) for API keys, OAuth 2.0 client credentials for
//! service accounts, both at once, none; checked over raw HTTP and with the generated client.

mod common;

use std::time::Duration;

use atlas_streams::Client;
use atlas_streams_emulator::{AuthConfig, DigestAlgorithm, Emulator};
use base64::Engine as _;
use common::{Api, GROUP};
use md5::{Digest as _, Md5};
use serde_json::json;

const ACCEPT: &str = "application/vnd.atlas.2023-02-01+json";

/// The `key="value"` parameters of a challenge.
fn param<'a>(challenge: &'a str, name: &str) -> &'a str {
    let start = challenge.find(&format!("{name}=\"")).expect("the parameter") + name.len() + 2;
    &challenge[start..start + challenge[start..].find('"').expect("a closing quote")]
}

/// An MD5 `Authorization: Digest` header, computed by hand (RFC 7616 §3.4.1).
fn digest(challenge: &str, user: &str, password: &str, uri: &str, nc: &str) -> String {
    let hex = |data: String| format!("{:x}", Md5::digest(data.as_bytes()));
    let (realm, nonce) = (param(challenge, "realm"), param(challenge, "nonce"));
    let ha1 = hex(format!("{user}:{realm}:{password}"));
    let ha2 = hex(format!("GET:{uri}"));
    let response = hex(format!("{ha1}:{nonce}:{nc}:0a4f113b:auth:{ha2}"));
    format!(
        "Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm=MD5, \
         qop=auth, nc={nc}, cnonce=\"0a4f113b\", response=\"{response}\""
    )
}

#[tokio::test]
async fn digest_over_raw_http() {
    let emulator = Emulator::builder()
        .api_key("pubkey", "private-key")
        .start()
        .await
        .unwrap();
    let api = Api::new(&emulator);
    let url = api.url("/streams");
    // No credentials: 401 with Atlas' challenge and an Atlas error body.
    let refused = api.raw("GET", &url, Some(ACCEPT), None).await;
    refused.expect(401, Some("UNAUTHORIZED"));
    let challenge = refused.header("www-authenticate").unwrap().to_owned();
    assert!(
        challenge.starts_with("Digest realm=\"MMS Public API\", domain=\"\", nonce=\""),
        "{challenge}"
    );
    assert!(
        challenge.ends_with("algorithm=MD5, qop=\"auth\", stale=false"),
        "{challenge}"
    );

    let uri = format!("/api/atlas/v2/groups/{GROUP}/streams");
    let send = |authorization: String| {
        api.http
            .get(&url)
            .header("accept", ACCEPT)
            .header("authorization", authorization)
    };
    let ok = api
        .send(send(digest(&challenge, "pubkey", "private-key", &uri, "00000001")))
        .await;
    ok.expect(200, None);
    // The nonce serves more requests, each with a new count; a replayed count is refused.
    api.send(send(digest(&challenge, "pubkey", "private-key", &uri, "00000002")))
        .await
        .expect(200, None);
    let replay = api
        .send(send(digest(&challenge, "pubkey", "private-key", &uri, "00000002")))
        .await;
    replay.expect(401, Some("UNAUTHORIZED"));
    // Wrong key, wrong user, a digest of another URI.
    let wrong = api
        .send(send(digest(&challenge, "pubkey", "nope", &uri, "00000003")))
        .await;
    wrong.expect(401, Some("UNAUTHORIZED"));
    api.send(send(digest(&challenge, "other", "private-key", &uri, "00000004")))
        .await
        .expect(401, None);
    api.send(send(digest(
        &challenge,
        "pubkey",
        "private-key",
        "/elsewhere",
        "00000005",
    )))
    .await
    .expect(401, None);
    // A nonce the emulator never issued, with the right password: `stale=true`.
    let forged = challenge.replace(param(&challenge, "nonce"), "0123456789abcdef");
    let stale = api
        .send(send(digest(&forged, "pubkey", "private-key", &uri, "00000001")))
        .await;
    stale.expect(401, None);
    assert!(stale.header("www-authenticate").unwrap().ends_with("stale=true"));
    // Bearer tokens mean nothing to an API-key-only emulator.
    api.send(api.http.get(&url).header("accept", ACCEPT).bearer_auth("x"))
        .await
        .expect(401, None);
}

#[tokio::test]
async fn digest_with_the_generated_client_md5_and_sha256() {
    for algorithms in [
        vec![DigestAlgorithm::Md5],
        vec![DigestAlgorithm::Sha256],
        vec![DigestAlgorithm::Sha256, DigestAlgorithm::Md5],
    ] {
        let emulator = Emulator::builder()
            .api_key("pubkey", "private-key")
            .digest_algorithms(algorithms.clone())
            .start()
            .await
            .unwrap();
        let good = Client::builder()
            .base_url(emulator.base_url())
            .api_key("pubkey", "private-key")
            .build()
            .unwrap();
        for _ in 0..3 {
            good.list_stream_workspaces(GROUP)
                .await
                .unwrap_or_else(|e| panic!("{algorithms:?}: {e}"));
        }
        let bad = Client::builder()
            .base_url(emulator.base_url())
            .api_key("pubkey", "wrong")
            .build()
            .unwrap();
        let error = bad.list_stream_workspaces(GROUP).await.unwrap_err();
        assert_eq!(error.status(), Some(401), "{algorithms:?}: {error}");
    }
}

#[tokio::test]
async fn oauth_tokens_over_raw_http() {
    let emulator = Emulator::builder()
        .service_account("mdb_sa_id_1", "mdb_sa_sk_1")
        .start()
        .await
        .unwrap();
    let api = Api::new(&emulator);
    let token_url = format!("{}/api/oauth/token", emulator.base_url());
    let basic = |id: &str, secret: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
        )
    };
    let token_request = |authorization: String, form: &'static str| {
        api.http
            .post(&token_url)
            .header("authorization", authorization)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
    };
    let issued = api
        .send(token_request(
            basic("mdb_sa_id_1", "mdb_sa_sk_1"),
            "grant_type=client_credentials",
        ))
        .await;
    let body = issued.expect(200, None);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap().to_owned();

    let refused = api
        .send(token_request(
            basic("mdb_sa_id_1", "wrong"),
            "grant_type=client_credentials",
        ))
        .await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.json()["error"], "invalid_client");
    let no_grant = api
        .send(token_request(basic("mdb_sa_id_1", "mdb_sa_sk_1"), "scope=x"))
        .await;
    assert_eq!(
        (no_grant.status, no_grant.json()["error"].as_str()),
        (400, Some("invalid_request"))
    );

    let url = api.url("/streams");
    api.send(api.http.get(&url).header("accept", ACCEPT).bearer_auth(&token))
        .await
        .expect(200, None);
    let unknown = api
        .send(api.http.get(&url).header("accept", ACCEPT).bearer_auth("mdb_at_forged"))
        .await;
    unknown.expect(401, Some("UNAUTHORIZED"));
    assert!(unknown.header("www-authenticate").unwrap().starts_with("Bearer"));
    emulator.expire_tokens();
    api.send(api.http.get(&url).header("accept", ACCEPT).bearer_auth(&token))
        .await
        .expect(401, None);
}

#[tokio::test]
async fn oauth_with_the_generated_client_and_token_expiry() {
    let emulator = Emulator::builder()
        .service_account("mdb_sa_id_1", "mdb_sa_sk_1")
        .token_ttl(Duration::from_secs(3600))
        .start()
        .await
        .unwrap();
    let good = Client::builder()
        .base_url(emulator.base_url())
        .service_account("mdb_sa_id_1", "mdb_sa_sk_1")
        .build()
        .unwrap();
    good.list_stream_workspaces(GROUP).await.unwrap();
    // The emulator forgets the token; the client gets a 401, fetches a new one and retries.
    emulator.expire_tokens();
    good.list_stream_workspaces(GROUP).await.unwrap();
    let bad = Client::builder()
        .base_url(emulator.base_url())
        .service_account("mdb_sa_id_1", "nope")
        .build()
        .unwrap();
    assert!(bad.list_stream_workspaces(GROUP).await.is_err());
}

#[tokio::test]
async fn both_schemes_at_once_and_none() {
    let auth = AuthConfig::none()
        .api_key("pubkey", "private-key")
        .service_account("id", "secret");
    let emulator = Emulator::builder().auth(auth).start().await.unwrap();
    let challenges = Api::new(&emulator)
        .raw("GET", &Api::new(&emulator).url("/streams"), Some(ACCEPT), None)
        .await;
    let offered: Vec<&str> = challenges
        .headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(offered.iter().any(|c| c.starts_with("Digest")) && offered.iter().any(|c| c.starts_with("Bearer")));
    let by_key = Client::builder()
        .base_url(emulator.base_url())
        .api_key("pubkey", "private-key")
        .build()
        .unwrap();
    by_key.list_stream_workspaces(GROUP).await.unwrap();
    let by_account = Client::builder()
        .base_url(emulator.base_url())
        .service_account("id", "secret")
        .build()
        .unwrap();
    by_account.list_stream_workspaces(GROUP).await.unwrap();

    // Without auth, any request is let in, with or without credentials.
    let open = Emulator::start().await.unwrap();
    let api = Api::new(&open);
    api.get("/streams", "listStreamWorkspaces").await.expect(200, None);
    let token = Client::builder()
        .base_url(open.base_url())
        .bearer_token("anything")
        .build()
        .unwrap();
    token.list_stream_workspaces(GROUP).await.unwrap();
    // The token endpoint exists only for service accounts.
    let answer = api
        .raw(
            "POST",
            &format!("{}/api/oauth/token", open.base_url()),
            None,
            Some(&json!({})),
        )
        .await;
    answer.expect(404, Some("RESOURCE_NOT_FOUND"));
}

/// A read-only flow with the generated client (only `.await`ing calls and reading JSON back):
/// what a Rust team's first test against the emulator looks like.
#[tokio::test]
async fn generated_client_read_only_smoke() {
    let emulator = Emulator::builder()
        .api_key("pubkey", "private-key")
        .start()
        .await
        .unwrap();
    let seed = atlas_streams_emulator::Seed::from_json(
        &json!({"groups": {GROUP: {"workspaces": [{"name": "ws",
            "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"},
            "connections": [{"name": "events", "type": "Kafka", "bootstrapServers": "b:9092",
                "authentication": {"mechanism": "PLAIN", "username": "u", "password": "hunter2"}}]}]}}})
        .to_string(),
    )
    .unwrap();
    emulator.seed(&seed).unwrap();
    let client = Client::builder()
        .base_url(emulator.base_url())
        .api_key("pubkey", "private-key")
        .build()
        .unwrap();

    let page = serde_json::to_value(client.list_stream_workspaces(GROUP).await.unwrap()).unwrap();
    assert_eq!(page["results"][0]["name"], "ws");
    assert_eq!(page["totalCount"], 1);
    let workspace = serde_json::to_value(client.get_stream_workspace(GROUP, "ws").await.unwrap()).unwrap();
    assert_eq!(workspace["dataProcessRegion"]["region"], "VIRGINIA_USA");
    let connection = serde_json::to_value(client.get_stream_connection(GROUP, "ws", "events").await.unwrap()).unwrap();
    assert_eq!(connection["type"], "Kafka");
    assert!(!connection.to_string().contains("hunter2"));
    let details = serde_json::to_value(client.get_account_details(GROUP, "aws", "US_EAST_1").await.unwrap()).unwrap();
    assert_eq!(details["cloudProvider"], "aws");
    let missing = client.get_stream_workspace(GROUP, "nope").await.unwrap_err();
    assert!(missing.is_not_found());
    assert_eq!(missing.error_code(), Some("STREAM_TENANT_NOT_FOUND_FOR_NAME"));
}
