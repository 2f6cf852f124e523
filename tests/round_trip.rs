//! Every JSON example of the seed pages decodes into the generated types and re-encodes to
//! the same JSON; values from a newer server survive; secrets stay out of `Debug`.

mod common;

use atlas_streams::error::ApiError;
use atlas_streams::models::{
    BaseStreamsRegion, StreamWorkspaceTier, StreamsConnection, StreamsConnectionRequest,
    StreamsKafkaAuthenticationRequest, StreamsKafkaConnectionRequest, StreamsTenant, StreamsTenantRequest,
};
use atlas_streams::Secret;
use common::{seed_examples, ExampleKind};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn round_trip<T: Serialize + DeserializeOwned>(value: &Value, what: &str) -> T {
    let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{what} does not decode: {e}"));
    let again = serde_json::to_value(&typed).unwrap();
    assert_eq!(&again, value, "{what} re-encodes differently");
    typed
}

/// Decodes every example of one seed page with the page's request and response types.
fn check_page<Req, Resp>(prefix: &str) -> (usize, usize, usize)
where
    Req: Serialize + DeserializeOwned,
    Resp: Serialize + DeserializeOwned,
{
    let mut counts = (0, 0, 0);
    for example in seed_examples(prefix) {
        let what = format!("{} example #{} ({:?})", example.seed, example.index, example.kind);
        match example.kind {
            ExampleKind::Request => {
                round_trip::<Req>(&example.json, &what);
                counts.0 += 1;
            }
            ExampleKind::Response => {
                round_trip::<Resp>(&example.json, &what);
                counts.1 += 1;
            }
            ExampleKind::Error => {
                let error: ApiError = round_trip(&example.json, &what);
                assert_eq!(Some(error.error), example.json["error"].as_i64().map(|e| e as i32));
                counts.2 += 1;
            }
        }
    }
    counts
}

#[test]
#[cfg_attr(
    not(reference_seeds),
    ignore = "needs the seed pages, MongoDB docs kept outside the repository in ../shared/seeds"
)]
fn workspace_page_examples_round_trip() {
    // Seed 002: one request, one 200 response, five errors.
    assert_eq!(check_page::<StreamsTenantRequest, StreamsTenant>("002"), (1, 1, 5));
}

#[test]
#[cfg_attr(
    not(reference_seeds),
    ignore = "needs the seed pages, MongoDB docs kept outside the repository in ../shared/seeds"
)]
fn connection_page_examples_round_trip() {
    // Seeds 001 and 003 (create, two versions) and 004 (update): seven connection types each way.
    assert_eq!(
        check_page::<StreamsConnectionRequest, StreamsConnection>("001"),
        (7, 7, 6)
    );
    assert_eq!(
        check_page::<StreamsConnectionRequest, StreamsConnection>("003"),
        (7, 7, 6)
    );
    assert_eq!(
        check_page::<StreamsConnectionRequest, StreamsConnection>("004"),
        (7, 7, 6)
    );
}

#[test]
#[cfg_attr(
    not(reference_seeds),
    ignore = "needs the seed pages, MongoDB docs kept outside the repository in ../shared/seeds"
)]
fn processor_page_error_examples_round_trip() {
    assert_eq!(check_page::<Value, Value>("000"), (0, 0, 4));
}

#[test]
#[cfg_attr(
    not(reference_seeds),
    ignore = "needs the seed pages, MongoDB docs kept outside the repository in ../shared/seeds"
)]
fn seed_responses_decode_into_the_right_variants() {
    let kinds: Vec<Option<String>> = seed_examples("003")
        .into_iter()
        .filter(|e| e.kind == ExampleKind::Response)
        .map(|e| {
            serde_json::from_value::<StreamsConnection>(e.json)
                .unwrap()
                .tag()
                .map(str::to_owned)
        })
        .collect();
    // The docs' S3 example says `"type": "string"`: an unknown type, kept, not an error.
    let expected = [
        "Sample",
        "Cluster",
        "Kafka",
        "Https",
        "AWSLambda",
        "string",
        "AWSKinesisDataStreams",
    ];
    assert_eq!(kinds, expected.map(|k| Some(k.to_owned())));
    let response = seed_examples("002")
        .into_iter()
        .find(|e| e.kind == ExampleKind::Response)
        .unwrap();
    let tenant: StreamsTenant = serde_json::from_value(response.json).unwrap();
    assert_eq!(
        tenant.data_process_region.as_ref().map(|r| &r.region),
        Some(&BaseStreamsRegion::SydneyAus)
    );
    assert_eq!(
        tenant.stream_config.value().and_then(|c| c.tier.clone()),
        Some(StreamWorkspaceTier::Sp30)
    );
    assert_eq!(
        tenant.id.as_ref().map(|id| id.as_str()),
        Some("32b6e34b3d91647abb20e7b8")
    );
}

#[test]
fn unknown_connection_types_and_enum_values_survive_a_round_trip() {
    let from_newer_server = json!({
        "name": "events",
        "type": "AzureEventHubs",
        "namespace": {"endpoint": "sb://x", "partitions": 9007199254740993_i64},
        "links": []
    });
    let connection: StreamsConnection = round_trip(&from_newer_server, "unknown connection type");
    assert!(
        matches!(&connection, StreamsConnection::Unknown(object) if object["namespace"]["partitions"] == 9007199254740993_i64)
    );
    assert_eq!(
        serde_json::to_string(&connection).unwrap(),
        from_newer_server.to_string(),
        "kept byte for byte, key order included"
    );

    let tenant: StreamsTenant = round_trip(
        &json!({
            "name": "w",
            "dataProcessRegion": {"cloudProvider": "ORACLE", "region": "MARS_NORTH_1"},
            "streamConfig": {"tier": "SP1000"},
            "futureField": {"b": 1, "a": 2}
        }),
        "unknown enum values",
    );
    let region = tenant.data_process_region.unwrap();
    assert_eq!(region.cloud_provider.as_str(), "ORACLE");
    assert_eq!(region.region, BaseStreamsRegion::Unknown("MARS_NORTH_1".into()));
    assert_eq!(tenant.extra["futureField"], json!({"b": 1, "a": 2}));
}

#[test]
fn secrets_never_show_in_debug() {
    let request = StreamsConnectionRequest::from(
        StreamsKafkaConnectionRequest::new().name("kafka").authentication(
            StreamsKafkaAuthenticationRequest::new()
                .username("user")
                .password("pw-7f3a-SECRET")
                .client_secret(Secret::new("cs-91bc-SECRET"))
                .ssl_key("key-55d0-SECRET")
                .ssl_key_password("kp-0e21-SECRET"),
        ),
    );
    let debug = format!("{request:?} {request:#?}");
    assert!(!debug.contains("SECRET"), "a secret leaks into Debug: {debug}");
    let sent = serde_json::to_value(&request).unwrap();
    assert_eq!(sent["type"], "Kafka");
    assert_eq!(
        sent["authentication"]["password"], "pw-7f3a-SECRET",
        "the wire still carries the secret"
    );
    assert_eq!(sent["authentication"]["sslKeyPassword"], "kp-0e21-SECRET");
}
