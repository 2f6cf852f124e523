//! Bad input never breaks the emulator: a few thousand seeded, malformed requests against every
//! operation all get a 2xx or a 4xx, and every 4xx is an Atlas error body.

mod common;

use atlas_streams_emulator::Emulator;
use common::{Api, GROUP};
use serde_json::{json, Value};

/// A seeded pseudo-random sequence (Knuth's MMIX LCG, high bits): deterministic, no dependency.
struct Rng(u64);

impl Rng {
    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SEGMENTS: &[&str] = &[
    "ws",
    "x",
    "..",
    ".",
    "%2e%2e",
    "%ZZ",
    "%C3%A9t%C3%A9",
    "a%2Fb",
    "a:start",
    "%00",
    "😀",
    "",
    "32b6e34b3d91647abb20e7b8",
    "sample_stream_solar",
];
const QUERIES: &[&str] = &[
    "",
    "envelope=true",
    "pretty=true",
    "envelope=yes",
    "itemsPerPage=-9223372036854775808",
    "itemsPerPage=99999999999999999999",
    "pageNum=9223372036854775807",
    "includeCount=false",
    "startDate=-9223372036854775808&endDate=9223372036854775807",
    "endDate=-9223372036854775808",
    "spName=%00",
    "requesterAccountId=1",
    "cloudProvider=aws&regionName=x",
    "a=%ZZ&&=&b",
];
const ACCEPTS: &[&str] = &[
    "application/vnd.atlas.2023-02-01+json",
    "application/vnd.atlas.2024-05-30+json",
    "application/vnd.atlas.2025-03-12+json",
    "application/vnd.atlas.2023-02-01+gzip",
    "application/vnd.atlas.0000-00-00+json",
    "application/vnd.atlas.+json",
    "application/vnd.atlas.2023-02-01",
    "*/*",
];

/// Some JSON, often almost what an operation takes.
fn value(rng: &mut Rng, depth: usize) -> Value {
    let leaf = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1e308),
        json!(18446744073709551615u64),
        json!("Kafka"),
        json!("VIRGINIA_USA"),
        json!(""),
        json!("x".repeat(3)),
    ];
    if depth == 0 {
        return rng.pick(&leaf).clone();
    }
    match rng.below(4) {
        0 => rng.pick(&leaf).clone(),
        1 => Value::Array((0..rng.below(3)).map(|_| value(rng, depth - 1)).collect()),
        _ => {
            let keys = [
                "name",
                "type",
                "dataProcessRegion",
                "region",
                "cloudProvider",
                "pipeline",
                "authentication",
                "password",
                "networking",
                "access",
                "processorStatus",
                "status",
                "failover",
                "streamConfig",
                "tier",
                "dlq",
                "options",
                "provider",
                "vendor",
                "arn",
                "schemaRegistryAuthentication",
                "links",
                "_id",
                "headers",
            ];
            let mut object = serde_json::Map::new();
            for _ in 0..rng.below(5) {
                object.insert(rng.pick(&keys).to_string(), value(rng, depth - 1));
            }
            Value::Object(object)
        }
    }
}

#[tokio::test]
async fn malformed_requests_get_4xx_atlas_errors_never_5xx() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;
    api.kafka("ws", "x").await;
    api.processor("ws", "x").await;
    let operations = Emulator::operations().unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // Nesting deeper than serde_json's limit, as a body.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for round in 0..1500 {
        let op = rng.pick(&operations);
        let mut path = op.path.clone();
        while let (Some(open), Some(close)) = (path.find('{'), path.find('}')) {
            let segment = if path[open..].starts_with("{groupId}") && rng.below(4) > 0 {
                GROUP
            } else {
                rng.pick(SEGMENTS)
            };
            path.replace_range(open..=close, segment);
        }
        let query = rng.pick(QUERIES);
        let url = format!("{}{path}?{query}", emulator.base_url());
        let method = if rng.below(10) == 0 { "PUT" } else { op.method };
        let mut request = api.request(method, &url, Some(*rng.pick(ACCEPTS)), None);
        request = match rng.below(6) {
            0 => request.body("{\"name\": "),
            1 => request.body(deep.clone()),
            2 => request.body(vec![0xff, 0xfe, 0x00]),
            _ => request.body(value(&mut rng, 4).to_string()),
        };
        let answer = api.send(request).await;
        assert!(
            (200..500).contains(&answer.status),
            "round {round}: {method} {url} answered {}: {}",
            answer.status,
            answer.text()
        );
        if answer.status >= 400 {
            let body = answer.json();
            assert!(
                body["errorCode"].is_string() && body["error"] == answer.status,
                "round {round}: {body}"
            );
        }
    }
    // And the emulator still works afterwards (the rounds may have deleted "ws").
    api.workspace("after").await;
    api.get("/streams/after", "getStreamWorkspace").await.expect(200, None);
}

#[tokio::test]
async fn absurd_configuration_does_not_panic() {
    use atlas_streams_emulator::{Delays, InjectedFailure};
    use std::time::Duration;
    let emulator = Emulator::builder()
        .delays(Delays::all(Duration::MAX))
        .service_account("id", "secret")
        .token_ttl(Duration::MAX)
        .start()
        .await
        .unwrap();
    let mut zero = InjectedFailure::new(503, "X");
    zero.times = 0;
    emulator.fail_next("listStreamWorkspaces", zero).unwrap();
    let mut api = Api::new(&emulator);
    let token_url = format!("{}/api/oauth/token", emulator.base_url());
    let request = api
        .http
        .post(&token_url)
        .basic_auth("id", Some("secret"))
        .body("grant_type=client_credentials");
    let token = api.send(request).await.json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {token}").parse().unwrap());
    api.http = reqwest::Client::builder().default_headers(headers).build().unwrap();
    api.get("/streams", "listStreamWorkspaces").await.expect(503, Some("X"));
    api.workspace("ws").await;
    api.processor("ws", "p").await;
    let got = api
        .get("/streams/ws/processor/p", "getStreamProcessor")
        .await
        .expect(200, None);
    assert_eq!(got["state"], "CREATING");
}
