//! Decoding and encoding the generated tagged unions, wherever the tag sits in the object:
//! the variant and its fields, the catch-all keeping unknown objects verbatim, the errors, and
//! the same result from every kind of input (borrowed slice or `str`, a reader, a `Value`).

use std::collections::BTreeMap;
use std::fmt::Debug;

use atlas_streams::models::{
    AccountDetails, DbRoleType, PaginatedApiStreamsConnectionView, SchemaRegistryAuthentication, StreamsConnection,
    StreamsConnectionState, StreamsSchemaRegistryConnectionProvider,
};
use atlas_streams::Nullable;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Decodes `text` from a slice, a `str`, a reader (which lends no strings) and a `Value`,
/// checks they agree, and returns the result.
fn decode<T: DeserializeOwned + PartialEq + Debug>(text: &str) -> T {
    let from_slice: T = serde_json::from_slice(text.as_bytes()).unwrap_or_else(|e| panic!("{e}: {text}"));
    let from_str: T = serde_json::from_str(text).unwrap();
    let from_reader: T = serde_json::from_reader(text.as_bytes()).unwrap();
    let from_value: T = serde_json::from_value(serde_json::from_str(text).unwrap()).unwrap();
    assert_eq!(from_slice, from_str, "from_str differs: {text}");
    assert_eq!(from_slice, from_reader, "from_reader differs: {text}");
    assert_eq!(from_slice, from_value, "from_value differs: {text}");
    from_slice
}

/// The error message of decoding `text` as `T`, the same from every kind of input (but for
/// the position serde_json appends).
fn decode_error<T: DeserializeOwned + Debug>(text: &str) -> String {
    let message = text_decode_error::<T>(text);
    let from_value = serde_json::from_value::<T>(serde_json::from_str(text).unwrap()).expect_err(text);
    assert_eq!(message, from_value.to_string(), "{text}");
    message
}

/// [`decode_error`] for JSON text only (a `Value` cannot hold a duplicate key).
fn text_decode_error<T: DeserializeOwned + Debug>(text: &str) -> String {
    let strip = |e: serde_json::Error| {
        let message = e.to_string();
        match message.find(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        }
    };
    let from_slice = strip(serde_json::from_slice::<T>(text.as_bytes()).expect_err(text));
    let from_reader = strip(serde_json::from_reader::<_, T>(text.as_bytes()).expect_err(text));
    assert_eq!(from_slice, from_reader, "{text}");
    from_slice
}

/// `object` (tag first) with its `tag` entry moved to position `at`, as JSON text.
fn tag_at(object: &Value, tag: &str, at: usize) -> String {
    let mut entries: Vec<(String, Value)> = object.as_object().unwrap().clone().into_iter().collect();
    let index = entries.iter().position(|(k, _)| k == tag).unwrap();
    let entry = entries.remove(index);
    entries.insert(at, entry);
    let mut moved = String::from("{");
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            moved.push(',');
        }
        moved.push_str(&format!("{}:{}", Value::from(key.as_str()), value));
    }
    moved + "}"
}

fn to_string<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

/// A schema registry connection as the client writes it (tag first), with a nested union.
fn schema_registry() -> Value {
    json!({
        "type": "SchemaRegistry",
        "_id": "6650000000000000000000aa",
        "name": "registry",
        "state": "READY",
        "links": [{"href": "https://example.com/a", "rel": "self"}],
        "provider": "CONFLUENT",
        "schemaRegistryAuthentication": {"type": "USER_INFO", "username": "svc", "scope": "all"},
        "schemaRegistryUrls": ["https://registry-1", "https://registry-2"],
    })
}

#[test]
fn the_tag_decodes_the_same_at_every_position() {
    let canonical = schema_registry();
    let entries = canonical.as_object().unwrap().len();
    for at in 0..entries {
        let text = tag_at(&canonical, "type", at);
        let connection: StreamsConnection = decode(&text);
        let StreamsConnection::SchemaRegistry(registry) = &connection else {
            panic!("not a schema registry at position {at}: {connection:?}");
        };
        assert_eq!(registry.name.as_deref(), Some("registry"));
        assert_eq!(registry.state, Some(StreamsConnectionState::Ready));
        assert_eq!(registry.provider, StreamsSchemaRegistryConnectionProvider::Confluent);
        assert_eq!(
            registry.schema_registry_urls,
            ["https://registry-1", "https://registry-2"]
        );
        let links = registry.links.as_ref().unwrap();
        assert_eq!(links[0].href.as_deref(), Some("https://example.com/a"));
        assert_eq!(links[0].rel.as_deref(), Some("self"));
        let SchemaRegistryAuthentication::UserInfo(auth) = &registry.schema_registry_authentication else {
            panic!("nested union: {:?}", registry.schema_registry_authentication);
        };
        assert_eq!(auth.username, "svc");
        assert_eq!(auth.extra["scope"], "all");
        // `_id` is not a property of the spec's connection: kept, in its place.
        assert_eq!(registry.extra.keys().collect::<Vec<_>>(), ["_id"]);
        assert_eq!(connection.tag(), Some("SchemaRegistry"));
        // Written back tag first, then the fields in the struct's order.
        assert_eq!(
            to_string(&connection),
            r#"{"type":"SchemaRegistry","links":[{"href":"https://example.com/a","rel":"self"}],"name":"registry","state":"READY","provider":"CONFLUENT","schemaRegistryAuthentication":{"type":"USER_INFO","username":"svc","scope":"all"},"schemaRegistryUrls":["https://registry-1","https://registry-2"],"_id":"6650000000000000000000aa"}"#
        );
    }
}

#[test]
fn the_nested_union_tag_may_come_last_too() {
    let text = r#"{"name":"r","provider":"CONFLUENT","schemaRegistryUrls":[],
        "schemaRegistryAuthentication":{"username":"svc","type":"USER_INFO"},"type":"SchemaRegistry"}"#;
    let StreamsConnection::SchemaRegistry(registry) = decode(text) else {
        panic!("not a schema registry");
    };
    assert!(
        matches!(registry.schema_registry_authentication, SchemaRegistryAuthentication::UserInfo(a) if a.username == "svc")
    );
}

#[test]
fn every_kind_of_value_before_the_tag_is_replayed() {
    let text = r#"{
        "name": "with \"quotes\" and \u00e9",
        "clusterGroupId": null,
        "dbRoleToExecute": {"role": "atlasAdmin", "type": "BUILT_IN", "links": []},
        "big": 18446744073709551615,
        "small": -9223372036854775808,
        "ratio": 0.1,
        "flag": false,
        "nothing": null,
        "nested": {"z": [1, -2, 3.5, "s", true, null, {"deep": {}}], "a": []},
        "state": "SOMETHING_NEW",
        "type": "Cluster",
        "clusterName": "c0"
    }"#;
    let StreamsConnection::Cluster(cluster) = decode(text) else {
        panic!("not a cluster");
    };
    assert_eq!(cluster.name.as_deref(), Some("with \"quotes\" and é"));
    assert_eq!(
        cluster.cluster_group_id,
        Nullable::Null,
        "null before the tag is a null"
    );
    assert_eq!(cluster.cluster_name.as_deref(), Some("c0"));
    assert_eq!(
        cluster.state,
        Some(StreamsConnectionState::Unknown("SOMETHING_NEW".into()))
    );
    let role = cluster.db_role_to_execute.value().unwrap();
    assert_eq!(role.role.as_deref(), Some("atlasAdmin"));
    assert_eq!(role.r#type, Some(DbRoleType::BuiltIn));
    assert_eq!(role.links.as_deref(), Some(&[][..]));
    // Properties the struct does not know keep their exact values and order.
    let extra: Vec<(&str, &Value)> = cluster.extra.iter().map(|(k, v)| (k.as_str(), v)).collect();
    assert_eq!(
        extra,
        [
            ("big", &json!(u64::MAX)),
            ("small", &json!(i64::MIN)),
            ("ratio", &json!(0.1)),
            ("flag", &json!(false)),
            ("nothing", &Value::Null),
            (
                "nested",
                &json!({"z": [1, -2, 3.5, "s", true, null, {"deep": {}}], "a": []})
            ),
        ]
    );
    assert!(cluster.extra["big"].is_u64() && cluster.extra["small"].is_i64());
}

#[test]
fn maps_and_absent_nullables_before_the_tag() {
    let text = r#"{"config":{"b":"2","a":"1"},"headers":{"X":"y"},"type":"Kafka"}"#;
    let StreamsConnection::Kafka(kafka) = decode(text) else {
        panic!("not kafka");
    };
    let expected: BTreeMap<String, String> = [("a", "1"), ("b", "2")].map(|(k, v)| (k.into(), v.into())).into();
    assert_eq!(kafka.config, Some(expected));
    assert_eq!(kafka.extra["headers"], json!({"X": "y"}));
    let text = r#"{"name":"c","type":"Cluster"}"#;
    let StreamsConnection::Cluster(cluster) = decode(text) else {
        panic!("not a cluster");
    };
    assert_eq!(cluster.cluster_group_id, Nullable::Absent);
    assert_eq!(
        to_string(&StreamsConnection::Cluster(cluster)),
        r#"{"type":"Cluster","name":"c"}"#
    );
}

#[test]
fn an_unknown_tag_keeps_the_whole_object_verbatim() {
    let text = r#"{"name":"p","big":18446744073709551615,"neg":-9223372036854775808,"f":1.5,"list":[{"b":1,"a":2}],"type":"Pipe","after":{"y":1,"x":[]},"last":null}"#;
    for at in [0, 3, 5, 7] {
        let moved = tag_at(&serde_json::from_str(text).unwrap(), "type", at);
        let connection: StreamsConnection = decode(&moved);
        let StreamsConnection::Unknown(object) = &connection else {
            panic!("not unknown: {connection:?}");
        };
        assert_eq!(object["big"].as_u64(), Some(u64::MAX));
        assert_eq!(object["neg"].as_i64(), Some(i64::MIN));
        assert_eq!(connection.tag(), Some("Pipe"));
        assert_eq!(to_string(&connection), moved, "kept byte for byte, key order included");
    }
}

#[test]
fn an_object_without_a_string_tag_is_unknown() {
    for text in [
        r#"{}"#,
        r#"{"name":"no tag","n":1}"#,
        r#"{"name":"numeric tag","type":5,"after":true}"#,
        r#"{"type":null,"name":"null tag"}"#,
        r#"{"name":"object tag","type":{"type":"Kafka"}}"#,
    ] {
        let connection: StreamsConnection = decode(text);
        assert!(matches!(connection, StreamsConnection::Unknown(_)), "{text}");
        assert_eq!(connection.tag(), None, "{text}");
        assert_eq!(to_string(&connection), text, "kept in order");
    }
    let details: AccountDetails = decode(r#"{"cloudProvider":"oracle","region":"x"}"#);
    assert_eq!(details.tag(), Some("oracle"));
    assert!(matches!(details, AccountDetails::Unknown(o) if o.len() == 2));
}

#[test]
fn a_second_tag_property_is_an_error() {
    for text in [
        r#"{"type":"Kafka","name":"k","type":"Kafka"}"#,
        r#"{"name":"k","type":"Kafka","type":"Cluster"}"#,
        r#"{"name":"k","type":"Pipe","x":1,"type":"Kafka"}"#,
        r#"{"type":5,"type":"Kafka"}"#,
    ] {
        assert_eq!(
            text_decode_error::<StreamsConnection>(text),
            "duplicate field `type`",
            "{text}"
        );
    }
}

#[test]
fn errors_name_what_is_wrong() {
    // A required property of the variant, missing, whether the tag comes first or last.
    for text in [
        r#"{"type":"SchemaRegistry","provider":"CONFLUENT","schemaRegistryAuthentication":{"type":"SASL_INHERIT"}}"#,
        r#"{"provider":"CONFLUENT","schemaRegistryAuthentication":{"type":"SASL_INHERIT"},"type":"SchemaRegistry"}"#,
    ] {
        assert_eq!(
            decode_error::<StreamsConnection>(text),
            "missing field `schemaRegistryUrls`"
        );
    }
    // ... and one of a nested union's variant.
    let text = r#"{"provider":"CONFLUENT","schemaRegistryUrls":[],"schemaRegistryAuthentication":{"type":"USER_INFO"},"type":"SchemaRegistry"}"#;
    assert_eq!(decode_error::<StreamsConnection>(text), "missing field `username`");
    // A known tag with a property of the wrong type is an error, not silently unknown, also
    // when the property was buffered before the tag.
    let text = r#"{"name":5,"type":"Kafka"}"#;
    assert_eq!(
        decode_error::<StreamsConnection>(text),
        "invalid type: integer `5`, expected a string"
    );
    let text = r#"{"links":{"href":"x"},"type":"Kafka"}"#;
    assert!(decode_error::<StreamsConnection>(text).starts_with("invalid type: map, expected a sequence"));
    // Not an object at all.
    assert_eq!(
        decode_error::<StreamsConnection>(r#"["type","Kafka"]"#),
        "invalid type: sequence, expected a StreamsConnection object"
    );
    // Broken JSON after the tag is still reported.
    assert!(serde_json::from_str::<StreamsConnection>(r#"{"name":"k","type":"Kafka","url":}"#).is_err());
}

#[test]
fn a_page_decodes_the_same_from_every_input() {
    let mut results: Vec<Value> = Vec::new();
    for (i, kind) in ["Sample", "Kafka", "Https", "Pipe", "S3"].iter().enumerate() {
        results.push(json!({"_id": format!("{i}"), "name": format!("c{i}"), "state": "READY",
            "links": [{"href": format!("https://x/{i}"), "rel": "self"}], "type": kind, "extraNumber": i}));
    }
    let text = json!({"results": results, "totalCount": 5}).to_string();
    let page: PaginatedApiStreamsConnectionView = decode(&text);
    let tags: Vec<Option<&str>> = page.results.iter().map(StreamsConnection::tag).collect();
    assert_eq!(
        tags,
        ["Sample", "Kafka", "Https", "Pipe", "S3"].map(Some),
        "in order, the unknown one kept"
    );
    assert!(matches!(&page.results[3], StreamsConnection::Unknown(o) if o["extraNumber"] == 3));
    // Re-encoded: every known connection with its tag moved first, the unknown one as it was.
    let again: Value = serde_json::to_value(&page).unwrap();
    assert_eq!(again["results"][3], results[3]);
    for i in [0, 1, 2, 4] {
        assert_eq!(again["results"][i].as_object().unwrap().keys().next().unwrap(), "type");
        assert_eq!(again["results"][i], results[i], "the same properties");
    }
}

#[test]
fn encoding_writes_the_tag_once_and_first() {
    let mut kafka: StreamsConnection =
        decode(r#"{"name":"k","bootstrapServers":"b:9092","type":"Kafka","future":{"x":1}}"#);
    assert_eq!(
        to_string(&kafka),
        r#"{"type":"Kafka","name":"k","bootstrapServers":"b:9092","future":{"x":1}}"#
    );
    // An extra property named like the tag cannot contradict the variant: it is left out.
    if let StreamsConnection::Kafka(k) = &mut kafka {
        k.extra.insert("type".into(), json!("Cluster"));
    }
    let expected = r#"{"type":"Kafka","name":"k","bootstrapServers":"b:9092","future":{"x":1}}"#;
    assert_eq!(to_string(&kafka), expected);
    assert_eq!(serde_json::to_value(&kafka).unwrap().to_string(), expected);
    assert_eq!(
        serde_json::to_string_pretty(&kafka).unwrap(),
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(expected).unwrap()).unwrap()
    );
    let empty: StreamsConnection = decode(r#"{"type":"Sample"}"#);
    assert_eq!(to_string(&empty), r#"{"type":"Sample"}"#);
    let unknown = StreamsConnection::Unknown(Map::new());
    assert_eq!(to_string(&unknown), "{}");
}
