//! GET → change → PATCH over real HTTP: a response converts into its request form, which drops
//! the readOnly properties, keeps what this client does not know, and leaves the secrets the
//! server never returns unset; and lenient reads: an id that does not match its pattern
//! decodes, while the same value from the caller is refused before any I/O.

mod common;

use atlas_streams::error::{ConversionError, MissingReason};
use atlas_streams::models::{
    ConfluentUserInfoAuthentication, SchemaRegistryAuthentication, StreamsConnection, StreamsConnectionRequest,
    StreamsKafkaConnectionRequest, StreamsPrivateLinkConnection, StreamsPrivateLinkConnectionRequest,
    StreamsSchemaRegistryConnectionRequest,
};
use atlas_streams::Error;
use common::{Canned, TestServer};
use serde_json::json;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const CONNECTIONS: &str = "application/vnd.atlas.2023-02-01+json";

/// A Kafka connection as a newer server might return it: readOnly `id`, `state` and `links`
/// (also nested), and a property (`compression`) this client does not know.
fn kafka_connection() -> serde_json::Value {
    json!({
        "name": "events",
        "type": "Kafka",
        "id": "66a0f00d5b2c3d4e5f6a7b8c",
        "state": "READY",
        "bootstrapServers": "broker-1:9092",
        "authentication": {"mechanism": "PLAIN", "username": "svc", "links": [{"rel": "self", "href": "https://x"}]},
        "security": {"protocol": "SASL_SSL", "links": []},
        "compression": {"codec": "zstd", "level": 3},
        "links": [{"rel": "self", "href": "https://cloud.mongodb.com/..."}]
    })
}

#[tokio::test]
async fn a_connection_read_changed_and_written_back_keeps_unknown_properties_and_drops_read_only_ones() {
    let server = TestServer::start().await;
    server.answer(Canned::new(200, CONNECTIONS, kafka_connection()));
    server.answer(Canned::new(200, CONNECTIONS, kafka_connection()));
    let client = server.client();

    let current = client.get_stream_connection(GROUP, "ws", "events").await.unwrap();
    let StreamsConnection::Kafka(kafka) = &current else {
        panic!("not a Kafka connection: {current:?}");
    };
    let update = StreamsKafkaConnectionRequest::from(kafka).bootstrap_servers("broker-2:9092");
    client
        .update_stream_connection(GROUP, "ws", "events", update)
        .await
        .unwrap();

    let sent = server.received().pop().unwrap();
    assert_eq!(sent.method, "PATCH");
    assert_eq!(
        sent.json(),
        json!({
            "type": "Kafka",
            "name": "events",
            "authentication": {"mechanism": "PLAIN", "username": "svc"},
            "bootstrapServers": "broker-2:9092",
            "security": {"protocol": "SASL_SSL"},
            "compression": {"codec": "zstd", "level": 3}
        }),
        "the unknown property goes back; `id`, `state` and every `links` stay behind"
    );

    // The whole union converts too, variant by variant, with the same result.
    let whole = StreamsConnectionRequest::try_from(&current).unwrap();
    let StreamsConnectionRequest::Kafka(whole) = whole else {
        panic!("the Kafka variant became another one");
    };
    assert_eq!(whole.bootstrap_servers.as_deref(), Some("broker-1:9092"));
    assert_eq!(whole.extra["compression"], json!({"codec": "zstd", "level": 3}));
}

#[tokio::test]
async fn an_unknown_connection_type_goes_back_without_its_read_only_properties() {
    let server = TestServer::start().await;
    let future = json!({"name": "x", "type": "Quantum", "id": "1", "state": "READY", "qubits": 7, "links": []});
    server.answer(Canned::new(200, CONNECTIONS, &future));
    let client = server.client();
    let current = client.get_stream_connection(GROUP, "ws", "x").await.unwrap();
    let update = StreamsConnectionRequest::try_from(&current).unwrap();
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"name": "x", "type": "Quantum", "qubits": 7})
    );
}

#[test]
fn a_required_secret_the_server_never_returns_makes_the_conversion_fail_and_say_why() {
    let auth: ConfluentUserInfoAuthentication =
        serde_json::from_value(json!({"type": "USER_INFO", "username": "key"})).unwrap();
    let registry: StreamsConnection = serde_json::from_value(json!({
        "type": "SchemaRegistry", "name": "r", "provider": "CONFLUENT",
        "schemaRegistryUrls": ["https://r"], "schemaRegistryAuthentication": {"type": "USER_INFO", "username": "key"}
    }))
    .unwrap();
    let expected = ConversionError {
        target: "ConfluentUserInfoAuthenticationRequest",
        property: "password",
        reason: MissingReason::WriteOnly,
    };
    assert_eq!(
        atlas_streams::models::ConfluentUserInfoAuthenticationRequest::try_from(&auth),
        Err(expected.clone())
    );
    let StreamsConnection::SchemaRegistry(inner) = &registry else {
        panic!("{registry:?}");
    };
    assert_eq!(
        StreamsSchemaRegistryConnectionRequest::try_from(inner).unwrap_err(),
        expected
    );
    let error = StreamsConnectionRequest::try_from(&registry).unwrap_err();
    assert!(error.to_string().contains("`password`") && error.to_string().contains("writeOnly"));
    // SASL_INHERIT has no secret: it converts.
    let inherit: SchemaRegistryAuthentication = serde_json::from_value(json!({"type": "SASL_INHERIT"})).unwrap();
    assert!(atlas_streams::models::SchemaRegistryAuthenticationRequest::try_from(&inherit).is_ok());
}

#[tokio::test]
async fn an_update_body_of_another_schema_takes_the_properties_it_shares_with_the_get() {
    // `StreamsPrivateLinkConnectionRequest` (the PATCH body) has only `dnsDomain` of the GET's
    // `StreamsPrivateLinkConnection`.
    let link: StreamsPrivateLinkConnection = serde_json::from_value(json!({
        "_id": "66a0f00d5b2c3d4e5f6a7b8c", "provider": "AWS", "dnsDomain": "a.example", "state": "DONE"
    }))
    .unwrap();
    let update = StreamsPrivateLinkConnectionRequest::from(&link);
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"dnsDomain": "a.example"})
    );
}

#[tokio::test]
async fn an_id_that_does_not_match_its_pattern_decodes_and_says_so_but_is_refused_as_an_argument() {
    let server = TestServer::start().await;
    let odd = json!({"_id": "66a0f00d5b2c3d4e5f6a7b8c", "groupId": "not-hex", "name": "ws"});
    server.answer(Canned::new(200, "application/vnd.atlas.2023-02-01+json", &odd));
    let client = server.client();
    let tenant = client.get_stream_workspace(GROUP, "ws").await.unwrap();
    let group = tenant.group_id.as_ref().unwrap();
    assert_eq!(group.as_str(), "not-hex");
    assert!(
        !group.is_valid(),
        "the server's value is kept as it came, and known not to match"
    );
    assert!(tenant.id.as_ref().unwrap().is_valid());
    // The same string from the caller is checked before anything is sent.
    let refused = client.get_stream_workspace(group.as_str(), "ws").await;
    assert!(matches!(refused, Err(Error::InvalidArgument { .. })), "{refused:?}");
    assert_eq!(server.received().len(), 1);
}
