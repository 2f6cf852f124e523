//! Stateful flows of workspaces, connections (every type) and failover connections over raw
//! HTTP: create → list → get → update → delete, server-filled fields, secrets never returned.

mod common;

use common::{complete, Api, Emulator, GROUP};
use serde_json::{json, Value};

fn is_object_id(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.len() == 24 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

#[tokio::test]
async fn workspace_lifecycle() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    let body = json!({
        "name": "ws",
        "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"},
        "failoverRegions": [{"cloudProvider": "AWS", "region": "OHIO_USA"}],
        "sampleConnections": {"solar": true},
        "streamConfig": {"tier": "SP10", "maxTierSize": "SP30"},
    });
    let created = api
        .post("/streams", "createStreamWorkspace", &body)
        .await
        .expect(200, None);
    complete("createStreamWorkspace", &created);
    // Server-filled readOnly fields.
    assert!(is_object_id(&created["_id"]), "{created}");
    assert_eq!(created["groupId"], GROUP);
    let hostname = created["hostnames"][0].as_str().unwrap();
    assert!(hostname.ends_with(".virginia-usa.a.query.mongodb.net"), "{hostname}");
    assert_eq!(created["links"][0]["rel"], "self");
    assert_eq!(created["streamConfig"], json!({"tier": "SP10", "maxTierSize": "SP30"}));
    // `sampleConnections.solar` adds the `sample_stream_solar` connection.
    assert_eq!(created["connections"][0]["name"], "sample_stream_solar");
    assert_eq!(created["connections"][0]["type"], "Sample");

    let page = api.get("/streams", "listStreamWorkspaces").await.expect(200, None);
    complete("listStreamWorkspaces", &page);
    assert_eq!(page["results"][0]["_id"], created["_id"]);
    assert!(
        page["results"][0].get("connections").is_none(),
        "connections only on request"
    );

    let got = api.get("/streams/ws", "getStreamWorkspace").await.expect(200, None);
    assert!(got.get("connections").is_none());
    let with = api
        .get("/streams/ws?includeConnections=true", "getStreamWorkspace")
        .await
        .expect(200, None);
    assert_eq!(with["connections"].as_array().unwrap().len(), 1);

    let update = json!({"streamConfig": {"tier": "SP30"}, "region": "OREGON_USA",
        "failoverRegions": [{"cloudProvider": "AWS", "region": "OHIO_USA"}, {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}]});
    let updated = api
        .patch("/streams/ws", "updateStreamWorkspace", &update)
        .await
        .expect(200, None);
    assert_eq!(updated["streamConfig"], json!({"tier": "SP30", "maxTierSize": "SP30"}));
    assert_eq!(
        updated["dataProcessRegion"],
        json!({"cloudProvider": "AWS", "region": "OREGON_USA"})
    );
    assert_eq!(updated["failoverRegions"].as_array().unwrap().len(), 2);

    // Duplicates and missing ones.
    let again = api.post("/streams", "createStreamWorkspace", &body).await;
    again.expect(409, Some("STREAM_TENANT_NAME_ALREADY_EXISTS"));
    let nameless = json!({"dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}});
    api.post("/streams", "createStreamWorkspace", &nameless)
        .await
        .expect(400, Some("MISSING_ATTRIBUTE"));

    // A failover to a region the workspace does not have is refused; to one it has, accepted.
    let failover = json!({"processorStatus": {"status": "FAILED_OVER", "region": "TOKYO_JPN"}});
    api.patch("/streams/ws", "updateStreamWorkspace", &failover)
        .await
        .expect(400, Some("VALIDATION_ERROR"));
    let failover = json!({"processorStatus": {"status": "FAILED_OVER"}});
    api.patch("/streams/ws", "updateStreamWorkspace", &failover)
        .await
        .expect(400, Some("MISSING_ATTRIBUTE"));
    let failover = json!({"processorStatus": {"status": "FAILED_OVER", "region": "OHIO_USA", "mode": "GRACEFUL"}});
    api.patch("/streams/ws", "updateStreamWorkspace", &failover)
        .await
        .expect(200, None);

    // Delete answers 202 `{}`, then the workspace and its children are gone.
    let deleted = api
        .delete("/streams/ws", "deleteStreamWorkspace")
        .await
        .expect(202, None);
    assert_eq!(deleted, json!({}));
    let gone = api.get("/streams/ws", "getStreamWorkspace").await;
    let body = gone.expect(404, Some("STREAM_TENANT_NOT_FOUND_FOR_NAME"));
    assert_eq!(body["parameters"], json!(["ws"]));
    let children = api.get("/streams/ws/connections", "listStreamConnections").await;
    children.expect(404, Some("STREAM_TENANT_NOT_FOUND_FOR_NAME"));
    api.delete("/streams/ws", "deleteStreamWorkspace")
        .await
        .expect(404, Some("STREAM_TENANT_NOT_FOUND_FOR_NAME"));

    // With sample connections (a free-form body in the spec).
    let samples = json!({"name": "demo", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}});
    let demo = api
        .post(
            "/streams:withSampleConnections",
            "withStreamSampleConnections",
            &samples,
        )
        .await
        .expect(200, None);
    assert_eq!(demo["connections"][0]["name"], "sample_stream_solar");
    let no_region = json!({"name": "demo2"});
    let answer = api
        .post(
            "/streams:withSampleConnections",
            "withStreamSampleConnections",
            &no_region,
        )
        .await;
    answer.expect(400, Some("MISSING_ATTRIBUTE"));
}

/// A valid create body for every connection type of the spec, with the secrets each can carry.
fn connection_bodies() -> Vec<Value> {
    vec![
        json!({"name": "sample", "type": "Sample"}),
        json!({"name": "cluster", "type": "Cluster", "clusterName": "Cluster0",
            "dbRoleToExecute": {"role": "atlasAdmin", "type": "BUILT_IN"}}),
        json!({"name": "kafka", "type": "Kafka", "bootstrapServers": "b1:9092,b2:9092",
            "authentication": {"mechanism": "SCRAM-256", "username": "svc", "password": "pw",
                "clientSecret": "cs", "sslKey": "key", "sslKeyPassword": "kp"},
            "config": {"group.protocol.type": "consumer"},
            "networking": {"access": {"type": "PUBLIC"}},
            "security": {"protocol": "SASL_SSL", "brokerPublicCertificate": "-----BEGIN CERTIFICATE-----"}}),
        json!({"name": "https", "type": "Https", "url": "https://api.example.com", "headers": {"x-key": "v"}}),
        json!({"name": "lambda", "type": "AWSLambda", "aws": {"roleArn": "arn:aws:iam::1:role/r"}}),
        json!({"name": "s3", "type": "S3", "aws": {"roleArn": "arn:aws:iam::1:role/r", "testBucket": "b"}}),
        json!({"name": "kinesis", "type": "AWSKinesisDataStreams", "aws": {"roleArn": "arn:aws:iam::1:role/r"}}),
        json!({"name": "registry", "type": "SchemaRegistry", "provider": "CONFLUENT",
            "schemaRegistryUrls": ["https://sr.example.com"],
            "schemaRegistryAuthentication": {"type": "USER_INFO", "username": "u", "password": "srpw"}}),
        json!({"name": "blob", "type": "AzureBlobStorage",
            "azure": {"servicePrincipalId": "sp", "storageAccountName": "acct"}}),
        json!({"name": "pubsub", "type": "GCPPubSub", "gcp": {"serviceAccountId": "sa@p.iam.gserviceaccount.com"}}),
    ]
}

/// No writeOnly secret anywhere in `value`.
#[track_caller]
fn no_secrets(value: &Value) {
    let text = value.to_string();
    for secret in [
        "\"password\"",
        "\"clientSecret\"",
        "\"sslKey\"",
        "\"sslKeyPassword\"",
        "hunter2",
        "srpw",
        "\"pw\"",
    ] {
        assert!(!text.contains(secret), "{secret} returned: {text}");
    }
}

#[tokio::test]
async fn connections_of_every_type() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;
    let bodies = connection_bodies();
    for body in &bodies {
        let created = api
            .post("/streams/ws/connections", "createStreamConnection", body)
            .await
            .expect(200, None);
        complete("createStreamConnection", &created);
        no_secrets(&created);
        assert_eq!(created["type"], body["type"]);
        assert_eq!(created["state"], "READY");
        assert!(created["id"].is_string());
        let name = body["name"].as_str().unwrap();
        let path = format!("/streams/ws/connections/{name}");
        let got = api.get(&path, "getStreamConnection").await.expect(200, None);
        no_secrets(&got);
        assert_eq!(got["id"], created["id"]);
        assert!(got["links"][0]["href"].as_str().unwrap().ends_with(&path));
    }
    // The secrets' neighbours are returned: only writeOnly properties are dropped.
    let kafka = api
        .get("/streams/ws/connections/kafka", "getStreamConnection")
        .await
        .json();
    assert_eq!(
        kafka["authentication"],
        json!({"mechanism": "SCRAM-256", "username": "svc"})
    );
    assert_eq!(kafka["config"], json!({"group.protocol.type": "consumer"}));
    let registry = api
        .get("/streams/ws/connections/registry", "getStreamConnection")
        .await
        .json();
    assert_eq!(
        registry["schemaRegistryAuthentication"],
        json!({"type": "USER_INFO", "username": "u"})
    );

    let page = api
        .get("/streams/ws/connections", "listStreamConnections")
        .await
        .expect(200, None);
    complete("listStreamConnections", &page);
    no_secrets(&page);
    // Every connection created, and the sample one the workspace came with.
    assert_eq!(page["totalCount"], bodies.len() + 1);

    // PATCH takes the whole connection; the secret left out is kept (not visible, but the
    // update is accepted without it).
    let update = json!({"type": "Kafka", "bootstrapServers": "b3:9092",
        "authentication": {"mechanism": "SCRAM-256", "username": "svc2"}, "networking": {"access": {"type": "PUBLIC"}}});
    let updated = api
        .patch("/streams/ws/connections/kafka", "updateStreamConnection", &update)
        .await
        .expect(200, None);
    no_secrets(&updated);
    assert_eq!(updated["bootstrapServers"], "b3:9092");
    assert!(updated.get("security").is_none(), "left out, so dropped: {updated}");
    // Rules of an update: no type change, no Kafka networking change, no rename.
    let retype = json!({"type": "Https", "url": "https://x"});
    let answer = api
        .patch("/streams/ws/connections/kafka", "updateStreamConnection", &retype)
        .await;
    answer.expect(400, Some("STREAM_CANNOT_MODIFY_ATTRIBUTE"));
    let private = json!({"type": "Kafka", "networking": {"access": {"type": "VPC"}}});
    let answer = api
        .patch("/streams/ws/connections/kafka", "updateStreamConnection", &private)
        .await;
    answer.expect(400, Some("STREAM_CANNOT_MODIFY_ATTRIBUTE"));
    let rename = json!({"type": "Https", "name": "other", "url": "https://x"});
    let answer = api
        .patch("/streams/ws/connections/https", "updateStreamConnection", &rename)
        .await;
    answer.expect(400, Some("STREAM_CANNOT_MODIFY_ATTRIBUTE"));

    // Duplicates, unknown ones, deletes (202 `{}`).
    let answer = api
        .post("/streams/ws/connections", "createStreamConnection", &bodies[3])
        .await;
    answer.expect(409, Some("STREAM_CONNECTION_NAME_ALREADY_EXISTS"));
    let answer = api.get("/streams/ws/connections/nope", "getStreamConnection").await;
    answer.expect(404, Some("STREAM_CONNECTION_NOT_FOUND"));
    let deleted = api
        .delete("/streams/ws/connections/https", "deleteStreamConnection")
        .await;
    assert_eq!(deleted.expect(202, None), json!({}));
    let answer = api.get("/streams/ws/connections/https", "getStreamConnection").await;
    answer.expect(404, Some("STREAM_CONNECTION_NOT_FOUND"));

    // An injected failure shows in the connection's state.
    emulator.fail_connection(GROUP, "ws", "s3").unwrap();
    let s3 = api
        .get("/streams/ws/connections/s3", "getStreamConnection")
        .await
        .json();
    assert_eq!(s3["state"], "FAILED");
    assert!(emulator.fail_connection(GROUP, "ws", "nope").is_err());
}

#[tokio::test]
async fn failover_connections() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;
    api.kafka("ws", "events").await;
    let base = "/streams/ws/connections/events/failoverConnections";
    let body = json!({"type": "Kafka", "name": "events-dr", "region": "OHIO_USA", "bootstrapServers": "dr:9092",
        "authentication": {"mechanism": "PLAIN", "username": "u", "password": "pw"}});
    let created = api
        .post(base, "createFailoverConnection", &body)
        .await
        .expect(201, None);
    complete("createFailoverConnection", &created);
    no_secrets(&created);
    let id = created["id"].as_str().unwrap().to_owned();
    let page = api.get(base, "listFailoverConnections").await.expect(200, None);
    assert_eq!(page["results"][0]["id"], id.as_str());
    let path = format!("{base}/{id}");
    let got = api.get(&path, "getStreamFailoverConnection").await.expect(200, None);
    assert_eq!(got["bootstrapServers"], "dr:9092");
    let update = json!({"type": "Kafka", "name": "events-dr", "bootstrapServers": "dr2:9092"});
    let updated = api
        .patch(&path, "updateStreamFailoverConnection", &update)
        .await
        .expect(200, None);
    assert_eq!(updated["bootstrapServers"], "dr2:9092");
    // Of another type than its parent: refused.
    let cluster = json!({"type": "Cluster", "clusterName": "c"});
    api.post(base, "createFailoverConnection", &cluster)
        .await
        .expect(400, Some("VALIDATION_ERROR"));
    // 204 without a body.
    let deleted = api.delete(&path, "deleteStreamFailoverConnection").await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.bytes.is_empty());
    let answer = api.get(&path, "getStreamFailoverConnection").await;
    answer.expect(404, Some("STREAM_FAILOVER_CONNECTION_NOT_FOUND"));
}
