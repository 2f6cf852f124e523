//! A synthetic page of stream connections, as `GET .../connections` answers it: every known
//! connection `type` in rotation with realistic fields, and every 50th connection of a `type`
//! this client does not know (which must decode to `StreamsConnection::Unknown`).

use serde_json::{json, Value};

/// The connection types in the page, in rotation.
pub const KNOWN_TYPES: &[&str] = &[
    "Sample",
    "Cluster",
    "Kafka",
    "Https",
    "AWSLambda",
    "S3",
    "AWSKinesisDataStreams",
    "SchemaRegistry",
    "AzureBlobStorage",
    "GCPPubSub",
];

/// Every this-many-th connection has an unknown `type`.
pub const UNKNOWN_EVERY: usize = 50;

/// The JSON of one page of `count` connections (`{results, totalCount, links}`).
pub fn page(count: usize) -> String {
    let results: Vec<Value> = (0..count).map(connection).collect();
    json!({
        "links": [{"href": "https://cloud.mongodb.com/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/streams/ws/connections?pageNum=1&itemsPerPage=500", "rel": "self"}],
        "results": results,
        "totalCount": count,
    })
    .to_string()
}

/// The same page with `type` moved to the front of every connection object.
pub fn tag_first(page: &str) -> Result<String, serde_json::Error> {
    move_tag(page, true)
}

/// The same page with `type` moved to the end of every connection object (the worst case for
/// a union decoder: everything before the tag must be kept until the tag is read).
pub fn tag_last(page: &str) -> Result<String, serde_json::Error> {
    move_tag(page, false)
}

fn move_tag(page: &str, first: bool) -> Result<String, serde_json::Error> {
    let mut value: Value = serde_json::from_str(page)?;
    if let Some(results) = value.get_mut("results").and_then(Value::as_array_mut) {
        for connection in results.iter_mut() {
            if let Some(object) = connection.as_object_mut() {
                if let Some(tag) = object.shift_remove("type") {
                    if first {
                        let mut reordered = serde_json::Map::new();
                        reordered.insert("type".to_owned(), tag);
                        reordered.extend(std::mem::take(object));
                        *object = reordered;
                    } else {
                        object.insert("type".to_owned(), tag);
                    }
                }
            }
        }
    }
    serde_json::to_string(&value)
}

/// How many connections of a page of `count` have an unknown type.
pub fn unknown_count(count: usize) -> usize {
    (0..count).filter(|i| is_unknown(*i)).count()
}

fn is_unknown(i: usize) -> bool {
    i % UNKNOWN_EVERY == UNKNOWN_EVERY - 1
}

/// Connection number `i` of the page.
fn connection(i: usize) -> Value {
    let name = format!("connection-{i:04}");
    let links = json!([{
        "href": format!("https://cloud.mongodb.com/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/streams/ws/connections/{name}"),
        "rel": "self"
    }]);
    let common = json!({
        "_id": format!("{:024x}", 0x6650_0000_0000_u64 + i as u64),
        "name": name,
        "region": "VIRGINIA_USA",
        "state": if i.is_multiple_of(7) { "PENDING" } else { "READY" },
        "links": links,
    });
    let own = if is_unknown(i) {
        json!({"type": "Pipe", "pipeUrl": format!("pipe://{i}"), "capacity": {"units": 4, "burst": true}})
    } else {
        own_fields(KNOWN_TYPES[i % KNOWN_TYPES.len()], i)
    };
    let mut object = common.as_object().cloned().unwrap_or_default();
    object.extend(own.as_object().cloned().unwrap_or_default());
    Value::Object(object)
}

/// The properties of one subtype.
fn own_fields(kind: &str, i: usize) -> Value {
    let aws = json!({"roleArn": format!("arn:aws:iam::123456789012:role/streams-{i}"), "testBucket": "bench-bucket"});
    let networking = json!({"access": {"type": "PUBLIC"}});
    let private = json!({"access": {"type": "PUBLIC"}});
    match kind {
        "Sample" => json!({"type": "Sample"}),
        "Cluster" => json!({
            "type": "Cluster",
            "clusterName": format!("Cluster{i}"),
            "clusterGroupId": null,
            "dbRoleToExecute": {"role": "atlasAdmin", "type": "BUILT_IN"},
        }),
        "Kafka" => json!({
            "type": "Kafka",
            "bootstrapServers": "broker-1.example.com:9092,broker-2.example.com:9092",
            "authentication": {"mechanism": "SCRAM-256", "username": format!("svc-{i}")},
            "security": {"protocol": "SASL_SSL"},
            "config": {"auto.offset.reset": "earliest", "group.id": format!("group-{i}")},
            "networking": networking,
        }),
        "Https" => json!({
            "type": "Https",
            "url": format!("https://hooks.example.com/streams/{i}"),
            "headers": {"X-Tenant": "bench", "X-Request-Source": "atlas"},
        }),
        "AWSLambda" => json!({"type": "AWSLambda", "aws": aws, "publicPrivateNetworking": private}),
        "S3" => json!({"type": "S3", "aws": aws, "networking": networking}),
        "AWSKinesisDataStreams" => json!({"type": "AWSKinesisDataStreams", "aws": aws, "networking": networking}),
        "SchemaRegistry" => json!({
            "type": "SchemaRegistry",
            "provider": "CONFLUENT",
            "schemaRegistryUrls": ["https://registry-1.example.com", "https://registry-2.example.com"],
            "schemaRegistryAuthentication": {"type": "USER_INFO", "username": format!("registry-{i}")},
        }),
        "AzureBlobStorage" => json!({
            "type": "AzureBlobStorage",
            "azure": {"region": "eastus", "servicePrincipalId": "9f0d6c2e-7f2b-4c86-9d7c-6a2b8c1f0e3a", "storageAccountName": "benchstore"},
            "publicPrivateNetworking": private,
        }),
        "GCPPubSub" => json!({
            "type": "GCPPubSub",
            "gcp": {"serviceAccountId": format!("svc-{i}@project.iam.gserviceaccount.com")},
            "publicPrivateNetworking": private,
        }),
        other => json!({"type": other}),
    }
}

/// The JSON of one Kafka connection (the body the single-connection request answers).
pub fn single() -> String {
    connection(2).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_mixes_every_type_and_some_unknown_ones() {
        let page: Value = serde_json::from_str(&page(500)).unwrap();
        let results = page["results"].as_array().unwrap();
        assert_eq!(results.len(), 500);
        for kind in KNOWN_TYPES {
            assert!(results.iter().any(|c| c["type"] == *kind), "{kind} missing");
        }
        let unknown = results.iter().filter(|c| c["type"] == "Pipe").count();
        assert_eq!(unknown, unknown_count(500));
        assert_eq!(unknown, 10);
    }

    #[test]
    fn the_tag_moves_first_or_last() {
        let page = page(20);
        for (moved, first) in [(tag_first(&page).unwrap(), true), (tag_last(&page).unwrap(), false)] {
            let moved: Value = serde_json::from_str(&moved).unwrap();
            for connection in moved["results"].as_array().unwrap() {
                let mut keys = connection.as_object().unwrap().keys();
                let tag = if first { keys.next() } else { keys.next_back() };
                assert_eq!(tag.map(String::as_str), Some("type"));
            }
        }
    }

    #[test]
    fn the_single_connection_is_kafka() {
        let single: Value = serde_json::from_str(&single()).unwrap();
        assert_eq!(single["type"], "Kafka");
    }
}
