//! Stream processors: lifecycle rules, options, transitions that take time, injected failures,
//! seed data.

mod common;

use std::time::Duration;

use atlas_streams_emulator::{Delays, Seed};
use common::{complete, Api, Emulator, GROUP};
use serde_json::{json, Value};

async fn stats(api: &Api, path: &str) -> Value {
    api.get(path, "getStreamProcessor").await.expect(200, None)["stats"].clone()
}

async fn state(api: &Api, workspace: &str, name: &str) -> String {
    let path = format!("/streams/{workspace}/processor/{name}");
    let got = api.get(&path, "getStreamProcessor").await.expect(200, None);
    complete("getStreamProcessor", &got);
    got["state"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn processor_lifecycle() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    let workspace = json!({"name": "ws", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"},
        "failoverRegions": [{"cloudProvider": "AWS", "region": "OHIO_USA"}], "sampleConnections": {"solar": true}});
    api.post("/streams", "createStreamWorkspace", &workspace)
        .await
        .expect(200, None);
    let created = api.processor("ws", "solar").await;
    complete("createStreamProcessor", &created);
    // The create answer is a `StreamsProcessor`: no state, no stats (the spec's type).
    assert!(
        created.get("state").is_none() && created.get("stats").is_none(),
        "{created}"
    );
    assert!(created["_id"].as_str().is_some_and(|id| id.len() == 24));
    assert_eq!(
        created["pipeline"][0],
        json!({"$source": {"connectionName": "sample_stream_solar"}})
    );

    let p = "/streams/ws/processor/solar";
    let got = api.get(p, "getStreamProcessor").await.expect(200, None);
    assert_eq!(got["state"], "CREATED");
    assert_eq!(got["stats"]["inputMessageCount"], 0);
    assert_eq!(got["stats"]["processorId"], created["_id"]);

    // Stop needs a started processor; start needs a stopped (or created) one.
    let stop = api.post(&format!("{p}:stop"), "stopStreamProcessor", &json!({})).await;
    let body = stop.expect(409, Some("STREAM_PROCESSOR_INVALID_STATE_TRANSITION"));
    assert_eq!(body["parameters"], json!(["solar", "CREATED"]));
    let start = api
        .post(&format!("{p}:start"), "startStreamProcessor", &json!({}))
        .await;
    assert_eq!(start.expect(200, None), json!({}));
    assert_eq!(state(&api, "ws", "solar").await, "STARTED");
    let again = api
        .post(&format!("{p}:start"), "startStreamProcessor", &json!({}))
        .await;
    again.expect(409, Some("STREAM_PROCESSOR_INVALID_STATE_TRANSITION"));
    // Modify needs a processor that is not running (mongosh: it must be STOPPED).
    let modify = json!({"pipeline": [{"$source": {"connectionName": "sample_stream_solar"}}, {"$emit": {"connectionName": "__testLog"}}]});
    api.patch(p, "updateStreamProcessor", &modify)
        .await
        .expect(409, Some("STREAM_PROCESSOR_INVALID_STATE_TRANSITION"));
    api.post(&format!("{p}:stop"), "stopStreamProcessor", &json!({}))
        .await
        .expect(200, None);
    assert_eq!(state(&api, "ws", "solar").await, "STOPPED");

    let modify = json!({"name": "solar2", "tier": "SP10", "failoverEnabled": true,
        "options": {"dlq": {"connectionName": "c", "db": "d", "coll": "dlq"}, "resumeFromCheckpoint": false},
        "pipeline": [{"$source": {"connectionName": "sample_stream_solar"}}, {"$match": {"watts": {"$gt": 10}}}, {"$emit": {"connectionName": "__testLog"}}]});
    let modified = api.patch(p, "updateStreamProcessor", &modify).await.expect(200, None);
    complete("updateStreamProcessor", &modified);
    assert_eq!(modified["name"], "solar2");
    assert_eq!(modified["tier"], "SP10");
    assert_eq!(modified["options"]["dlq"]["coll"], "dlq");
    assert_eq!(modified["pipeline"][1], json!({"$match": {"watts": {"$gt": 10}}}));
    assert_eq!(modified["eligibleForFailover"], true);
    api.get(p, "getStreamProcessor")
        .await
        .expect(404, Some("STREAM_PROCESSOR_NOT_FOUND"));
    let p = "/streams/ws/processor/solar2";
    // `dlq: {}` removes the dead letter queue (mongosh's `sp.processor.modify`).
    let cleared = api
        .patch(p, "updateStreamProcessor", &json!({"options": {"dlq": {}}}))
        .await
        .expect(200, None);
    assert!(cleared["options"].get("dlq").is_none(), "{cleared}");

    // startWith: the failover region must be the workspace's or one of its failover regions.
    let with = format!("{p}:startWith");
    let far = json!({"failover": {"region": "TOKYO_JPN"}});
    api.post(&with, "startStreamProcessorWith", &far)
        .await
        .expect(400, Some("VALIDATION_ERROR"));
    let dry = json!({"failover": {"region": "OHIO_USA", "dryRun": true}});
    api.post(&with, "startStreamProcessorWith", &dry)
        .await
        .expect(200, None);
    assert_eq!(
        state(&api, "ws", "solar2").await,
        "STOPPED",
        "a dry run changes nothing"
    );
    let options = json!({"tier": "SP30", "resumeFromCheckpoint": false, "startAtOperationTime": "2025-01-01T00:00:00Z",
        "failover": {"region": "OHIO_USA", "mode": "FORCED", "clearCheckpoint": true}});
    api.post(&with, "startStreamProcessorWith", &options)
        .await
        .expect(200, None);
    let got = api.get(p, "getStreamProcessor").await.json();
    assert_eq!(
        (got["state"].as_str(), got["tier"].as_str()),
        (Some("STARTED"), Some("SP30"))
    );
    let bad_time = json!({"startAtOperationTime": "yesterday"});
    api.post(&with, "startStreamProcessorWith", &bad_time)
        .await
        .expect(400, Some("INVALID_JSON_ATTRIBUTE"));

    // An injected failure; a failed processor can start again.
    emulator
        .fail_processor(GROUP, "ws", "solar2", "Source connection unreachable")
        .unwrap();
    let failed = api.get(p, "getStreamProcessor").await.json();
    assert_eq!(failed["state"], "FAILED");
    assert_eq!(failed["stats"]["errorMsg"], "Source connection unreachable");
    api.post(&format!("{p}:start"), "startStreamProcessor", &json!({}))
        .await
        .expect(200, None);
    assert_eq!(state(&api, "ws", "solar2").await, "STARTED");

    // Creation rules; the list; delete of a running processor (mongosh: stopped, then dropped).
    let dup = json!({"name": "solar2", "pipeline": [{"$source": {"connectionName": "x"}}]});
    let answer = api.post("/streams/ws/processor", "createStreamProcessor", &dup).await;
    answer.expect(409, Some("STREAM_PROCESSOR_NAME_ALREADY_EXISTS"));
    let empty = json!({"name": "empty", "pipeline": []});
    api.post("/streams/ws/processor", "createStreamProcessor", &empty)
        .await
        .expect(400, Some("MISSING_ATTRIBUTE"));
    let page = api
        .get("/streams/ws/processors", "getStreamProcessors")
        .await
        .expect(200, None);
    complete("getStreamProcessors", &page);
    assert_eq!(page["results"][0]["state"], "STARTED");
    let deleted = api.delete(p, "deleteStreamProcessor").await;
    assert_eq!((deleted.status, deleted.bytes.len()), (204, 0));
    api.get(p, "getStreamProcessor")
        .await
        .expect(404, Some("STREAM_PROCESSOR_NOT_FOUND"));
    assert!(emulator.fail_processor(GROUP, "ws", "solar2", "x").is_err());
}

#[tokio::test]
async fn transitions_take_the_configured_time() {
    let delay = Duration::from_millis(150);
    let delays = Delays {
        processor_create: delay,
        processor_start: delay,
        processor_stop: delay,
        ..Delays::default()
    };
    let emulator = Emulator::builder().delays(delays).start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;
    api.processor("ws", "p").await;
    let p = "/streams/ws/processor/p";
    assert_eq!(state(&api, "ws", "p").await, "CREATING");
    // Not created yet: it cannot start.
    let early = api
        .post(&format!("{p}:start"), "startStreamProcessor", &json!({}))
        .await;
    early.expect(409, Some("STREAM_PROCESSOR_INVALID_STATE_TRANSITION"));
    tokio::time::sleep(delay + Duration::from_millis(50)).await;
    assert_eq!(state(&api, "ws", "p").await, "CREATED");
    // While starting, the processor keeps its state (as the Terraform provider's waiter
    // expects); a second start or a stop is refused until the start lands.
    api.post(&format!("{p}:start"), "startStreamProcessor", &json!({}))
        .await
        .expect(200, None);
    assert_eq!(state(&api, "ws", "p").await, "CREATED");
    let busy = api
        .post(&format!("{p}:start"), "startStreamProcessor", &json!({}))
        .await;
    busy.expect(409, Some("STREAM_PROCESSOR_INVALID_STATE_TRANSITION"));
    tokio::time::sleep(delay + Duration::from_millis(50)).await;
    assert_eq!(state(&api, "ws", "p").await, "STARTED");
    api.post(&format!("{p}:stop"), "stopStreamProcessor", &json!({}))
        .await
        .expect(200, None);
    assert_eq!(state(&api, "ws", "p").await, "STARTED");
    tokio::time::sleep(delay + Duration::from_millis(50)).await;
    assert_eq!(state(&api, "ws", "p").await, "STOPPED");
}

#[tokio::test]
async fn a_workspace_update_starts_and_stops_every_processor() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;
    for name in ["a", "b"] {
        api.processor("ws", name).await;
    }
    let start = json!({"processorStatus": {"status": "STARTED"}});
    api.patch("/streams/ws", "updateStreamWorkspace", &start)
        .await
        .expect(200, None);
    assert_eq!(
        (state(&api, "ws", "a").await, state(&api, "ws", "b").await),
        ("STARTED".into(), "STARTED".into())
    );
    let stop = json!({"processorStatus": {"status": "STOPPED"}});
    api.patch("/streams/ws", "updateStreamWorkspace", &stop)
        .await
        .expect(200, None);
    assert_eq!(
        (state(&api, "ws", "a").await, state(&api, "ws", "b").await),
        ("STOPPED".into(), "STOPPED".into())
    );
}

#[tokio::test]
async fn seed_data_is_created_through_the_same_checks() {
    let seed = Seed::from_json(
        &json!({"groups": {GROUP: {
            "workspaces": [{
                "name": "seeded", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"},
                "connections": [{"name": "events", "type": "Kafka", "bootstrapServers": "b:9092"}],
                "processors": [
                    {"name": "running", "pipeline": [{"$source": {"connectionName": "events"}}, {"$emit": {"connectionName": "events", "topic": "out"}}], "state": "STARTED"},
                    {"name": "paused", "pipeline": [{"$source": {"connectionName": "events"}}, {"$emit": {"connectionName": "events", "topic": "out"}}], "state": "STOPPED"},
                    {"name": "broken", "pipeline": [{"$source": {"connectionName": "events"}}, {"$emit": {"connectionName": "events", "topic": "out"}}], "state": "FAILED"},
                    {"name": "fresh", "pipeline": [{"$source": {"connectionName": "events"}}, {"$emit": {"connectionName": "events", "topic": "out"}}]}
                ]
            }],
            "privateLinkConnections": [{"provider": "AWS", "vendor": "MSK", "arn": "arn:aws:kafka:us-east-1:1:cluster/c"}],
            "vpcPeeringConnections": [{"requesterAccountId": "111122223333", "requesterVpcId": "vpc-1"}]
        }}})
        .to_string(),
    )
    .unwrap();
    // Delays do not hold seeded resources back.
    let emulator = Emulator::builder()
        .delays(Delays::all(Duration::from_secs(60)))
        .seed(seed)
        .start()
        .await
        .unwrap();
    let api = Api::new(&emulator);
    for (name, expected) in [
        ("running", "STARTED"),
        ("paused", "STOPPED"),
        ("broken", "FAILED"),
        ("fresh", "CREATED"),
    ] {
        assert_eq!(state(&api, "seeded", name).await, expected, "{name}");
    }
    let kafka = api
        .get("/streams/seeded/connections/events", "getStreamConnection")
        .await
        .json();
    assert_eq!(kafka["state"], "READY");
    let links = api
        .get("/streams/privateLinkConnections", "listPrivateLinkConnections")
        .await
        .json();
    assert_eq!(links["results"][0]["state"], "DONE");
    let peerings = api
        .get(
            "/streams/vpcPeeringConnections?requesterAccountId=111122223333",
            "listVpcPeeringConnections",
        )
        .await;
    assert_eq!(peerings.json()["totalCount"], 1);

    // A seed item that breaks the spec or the rules is refused, naming itself.
    let bad = |body: Value| Seed::from_json(&json!({"groups": {GROUP: {"workspaces": [body]}}}).to_string()).unwrap();
    let refused = emulator.seed(&bad(
        json!({"name": "x", "dataProcessRegion": {"cloudProvider": "MARS", "region": "VIRGINIA_USA"}}),
    ));
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("workspace `x`") && message.contains("INVALID_ENUM_VALUE"),
        "{message}"
    );
    let duplicate = emulator.seed(&bad(
        json!({"name": "seeded", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}}),
    ));
    assert!(duplicate.unwrap_err().to_string().contains("already exists"));
    assert!(Seed::from_json(r#"{"groups": {}, "extra": 1}"#).is_err());
    let bad_state = json!({"groups": {GROUP: {"workspaces": [{"name": "y",
        "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"},
        "processors": [{"name": "p", "pipeline": [{"$match": {}}], "state": "DANCING"}]}]}}});
    let refused = emulator.seed(&Seed::from_json(&bad_state.to_string()).unwrap());
    assert!(refused.unwrap_err().to_string().contains("DANCING"));
}

/// Atlas' checks of a pipeline, on create and on modify: the stage order rules MongoDB's docs
/// state, every `connectionName` from the workspace's registry, and well-formed stages.
#[tokio::test]
async fn pipelines_are_checked_as_atlas_does() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;
    api.kafka("ws", "events").await;
    let create = |pipeline: Value| json!({"name": "p", "pipeline": pipeline});
    let source = json!({"$source": {"connectionName": "events", "topic": "in"}});
    let emit = json!({"$emit": {"connectionName": "events", "topic": "out"}});
    let refusals = [
        // A connection the registry does not have, wherever it is named.
        (
            json!([{"$source": {"connectionName": "nope", "topic": "in"}}, emit]),
            "STREAM_PROCESSOR_CONNECTION_NOT_FOUND",
            "nope",
        ),
        (
            json!([source, {"$merge": {"into": {"connectionName": "gone", "db": "d", "coll": "c"}}}]),
            "STREAM_PROCESSOR_CONNECTION_NOT_FOUND",
            "gone",
        ),
        // `$source` second; a sink before the end; `$group` outside a window; no sink at all.
        (
            json!([{"$match": {"a": 1}}, source, emit]),
            "STREAM_PROCESSOR_INVALID_PIPELINE",
            "pipeline[1]",
        ),
        (
            json!([source, emit, {"$match": {"a": 1}}]),
            "STREAM_PROCESSOR_INVALID_PIPELINE",
            "pipeline[1]",
        ),
        (
            json!([source, {"$group": {"_id": null}}, emit]),
            "STREAM_PROCESSOR_INVALID_PIPELINE",
            "pipeline[1]",
        ),
        (
            json!([source, {"$match": {"a": 1}}]),
            "STREAM_PROCESSOR_INVALID_PIPELINE",
            "pipeline[1]",
        ),
        // Malformed stages: an unknown one, two keys, a window without its interval.
        (
            json!([source, {"$emitt": {"connectionName": "events"}}]),
            "STREAM_PROCESSOR_INVALID_PIPELINE",
            "$emitt",
        ),
        (
            json!([source, {"$match": {}, "$project": {}}, emit]),
            "STREAM_PROCESSOR_INVALID_PIPELINE",
            "pipeline[1]",
        ),
        (
            json!([source, {"$tumblingWindow": {"pipeline": []}}, emit]),
            "MISSING_ATTRIBUTE",
            "pipeline[1].$tumblingWindow.interval",
        ),
    ];
    for (pipeline, code, parameter) in refusals {
        let refused = api
            .post(
                "/streams/ws/processor",
                "createStreamProcessor",
                &create(pipeline.clone()),
            )
            .await;
        let body = refused.expect(400, Some(code));
        let said = body["parameters"][0].as_str().unwrap_or_default();
        assert!(said.contains(parameter), "{pipeline}: {body}");
    }
    // Nothing refused was created; a good pipeline is.
    let listed = api
        .get("/streams/ws/processors", "getStreamProcessors")
        .await
        .expect(200, None);
    assert_eq!(listed["totalCount"], 0, "{listed}");
    api.post(
        "/streams/ws/processor",
        "createStreamProcessor",
        &create(json!([source, emit])),
    )
    .await
    .expect(200, None);
    // Modify checks the new pipeline the same way.
    let modify = json!({"pipeline": [source, {"$emit": {"connectionName": "elsewhere", "topic": "out"}}]});
    api.patch("/streams/ws/processor/p", "updateStreamProcessor", &modify)
        .await
        .expect(400, Some("STREAM_PROCESSOR_CONNECTION_NOT_FOUND"));
}

/// Stats grow while a processor runs and hold still when it stops (invented rates, see the
/// emulator's processors module), with the worker status the docs list.
#[tokio::test]
async fn stats_grow_while_a_processor_runs() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;
    api.processor("ws", "p").await;
    let p = "/streams/ws/processor/p";
    let before = stats(&api, p).await;
    assert_eq!(before["inputMessageCount"], 0);
    assert!(
        before.get("status").is_none(),
        "a created processor has no worker: {before}"
    );
    api.post(&format!("{p}:start"), "startStreamProcessor", &json!({}))
        .await
        .expect(200, None);
    tokio::time::sleep(Duration::from_millis(60)).await;
    let running = stats(&api, p).await;
    assert_eq!(running["status"], "running");
    let count = running["inputMessageCount"].as_u64().unwrap();
    assert!(count > 0, "{running}");
    assert!(running["inputMessageSize"].as_u64().unwrap() > 0);
    api.post(&format!("{p}:stop"), "stopStreamProcessor", &json!({}))
        .await
        .expect(200, None);
    let stopped = stats(&api, p).await["inputMessageCount"].as_u64().unwrap();
    assert!(stopped >= count);
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert_eq!(
        stats(&api, p).await["inputMessageCount"].as_u64().unwrap(),
        stopped,
        "a stopped processor reads nothing"
    );
}
