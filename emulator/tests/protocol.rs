//! What every operation shares: versioned media types, envelopes, pretty printing, pagination,
//! parameter and body validation, Atlas error bodies, injected failures.

mod common;

use atlas_streams_emulator::InjectedFailure;
use common::{Api, Emulator, GROUP};
use serde_json::{json, Value};

#[tokio::test]
async fn versions_follow_atlas() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    let url = api.url("/streams");

    // No versioned Accept: 406 INVALID_VERSION_DATE (reference README: 406 without one).
    for accept in [
        None,
        Some("application/json"),
        Some("*/*"),
        Some("application/vnd.atlas.latest+json"),
    ] {
        let answer = api.raw("GET", &url, accept, None).await;
        let body = answer.expect(406, Some("INVALID_VERSION_DATE"));
        assert_eq!(body["reason"], "Not Acceptable");
        assert_eq!(body["error"], 406);
    }
    // A retired version: 410 VERSION_GONE with Atlas' detail and parameters.
    let gone = api
        .raw("GET", &url, Some("application/vnd.atlas.2022-10-01+json"), None)
        .await;
    let body = gone.expect(410, Some("VERSION_GONE"));
    let path = format!("api/atlas/v2/groups/{GROUP}/streams");
    assert_eq!(
        body["detail"],
        format!("Version 2022-10-01 of {path} is no longer available.")
    );
    assert_eq!(body["parameters"], json!(["2022-10-01", path]));
    assert_eq!(body["reason"], "Gone");
    // A version the resource never had.
    let future = api
        .raw("GET", &url, Some("application/vnd.atlas.2099-01-01+json"), None)
        .await;
    future.expect(406, Some("INVALID_VERSION_DATE"));

    // The documented version is echoed in the answer's media type, with the charset.
    let ok = api
        .raw("GET", &url, Some("application/vnd.atlas.2023-02-01+json"), None)
        .await;
    ok.expect(200, None);
    assert_eq!(
        ok.header("content-type"),
        Some("application/vnd.atlas.2023-02-01+json;charset=utf-8")
    );
    assert_eq!(ok.header("ratelimit-limit"), Some("100"));
    assert!(ok.header("ratelimit-remaining").is_some());

    // HEAD is GET without the body.
    let head = api
        .raw("HEAD", &url, Some("application/vnd.atlas.2023-02-01+json"), None)
        .await;
    assert_eq!((head.status, head.bytes.len()), (200, 0));
    assert!(head
        .header("content-type")
        .unwrap()
        .starts_with("application/vnd.atlas.2023-02-01+json"));

    // An operation documented at several versions answers each (seeds 001 and 003).
    api.workspace("ws").await;
    let create = api.url("/streams/ws/connections");
    for (i, version) in ["2023-11-15", "2025-02-19"].iter().enumerate() {
        let accept = format!("application/vnd.atlas.{version}+json");
        let body = json!({"name": format!("c{i}"), "type": "Https", "url": "https://example.com"});
        let answer = api.raw("POST", &create, Some(&accept), Some(&body)).await;
        answer.expect(200, None);
        assert_eq!(
            answer.header("content-type").unwrap(),
            format!("{accept};charset=utf-8")
        );
    }
}

#[tokio::test]
async fn envelope_and_pretty() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;

    // A single resource: {status, content} (MongoDB API guidelines, IPA-115).
    let one = api
        .get("/streams/ws?envelope=true", "getStreamWorkspace")
        .await
        .expect(200, None);
    assert_eq!(one["status"], 200);
    assert_eq!(one["content"]["name"], "ws");
    assert_eq!(one.as_object().unwrap().len(), 2);
    // A list: the page itself gains `status`.
    let page = api
        .get("/streams?envelope=true", "listStreamWorkspaces")
        .await
        .expect(200, None);
    assert_eq!(page["status"], 200);
    assert_eq!(page["results"][0]["name"], "ws");
    assert_eq!(page["totalCount"], 1);
    // A body without schema: {status, content: {}}.
    let deleted = api
        .delete("/streams/ws?envelope=true", "deleteStreamWorkspace")
        .await
        .expect(202, None);
    assert_eq!(deleted, json!({"status": 202, "content": {}}));

    api.workspace("ws").await;
    let pretty = api.get("/streams/ws?pretty=true", "getStreamWorkspace").await;
    let text = pretty.text();
    assert!(text.starts_with("{\n  \""), "{text}");
    assert_eq!(text, serde_json::to_string_pretty(&pretty.json()).unwrap());
    let compact = api.get("/streams/ws", "getStreamWorkspace").await.text();
    assert!(!compact.contains('\n'));
}

#[tokio::test]
async fn pagination_pages_counts_and_bounds() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    for i in 0..5 {
        api.workspace(&format!("ws{i}")).await;
    }
    let names = |page: &Value| -> Vec<String> {
        page["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let rels = |page: &Value| -> Vec<String> {
        page["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["rel"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = "listStreamWorkspaces";
    let first = api.get("/streams?itemsPerPage=2", list).await.expect(200, None);
    assert_eq!(names(&first), ["ws0", "ws1"]);
    assert_eq!(first["totalCount"], 5);
    assert_eq!(rels(&first), ["self", "next"]);
    let next = first["links"][1]["href"].as_str().unwrap();
    assert!(next.ends_with("/streams?itemsPerPage=2&pageNum=2"), "{next}");
    let second = api
        .get("/streams?itemsPerPage=2&pageNum=2", list)
        .await
        .expect(200, None);
    assert_eq!(names(&second), ["ws2", "ws3"]);
    assert_eq!(rels(&second), ["self", "next", "previous"]);
    let last = api
        .get("/streams?itemsPerPage=2&pageNum=3", list)
        .await
        .expect(200, None);
    assert_eq!(names(&last), ["ws4"]);
    assert_eq!(rels(&last), ["self", "previous"]);
    let beyond = api
        .get("/streams?itemsPerPage=2&pageNum=9", list)
        .await
        .expect(200, None);
    assert!(names(&beyond).is_empty());
    assert_eq!(beyond["totalCount"], 5);

    // Bounds from the spec (itemsPerPage 1..500, pageNum >= 1), read as MongoDB's guidelines
    // (IPA-110) say: 0 is the default, above the maximum is the maximum.
    assert_eq!(
        names(&api.get("/streams?itemsPerPage=0", list).await.expect(200, None)).len(),
        5
    );
    assert_eq!(
        names(&api.get("/streams?itemsPerPage=100000", list).await.expect(200, None)).len(),
        5
    );
    assert_eq!(
        names(
            &api.get("/streams?pageNum=0&itemsPerPage=1", list)
                .await
                .expect(200, None)
        ),
        ["ws0"]
    );
    for bad in [
        "itemsPerPage=-1",
        "pageNum=-2",
        "itemsPerPage=two",
        "pageNum=1.5",
        "envelope=maybe",
    ] {
        let answer = api.get(&format!("/streams?{bad}"), list).await;
        let body = answer.expect(400, Some("INVALID_QUERY_PARAMETER"));
        assert!(body["badRequestDetail"]["fields"].is_array(), "{body}");
    }

    // includeCount=false drops totalCount (the processors list is the one that takes it).
    api.processor("ws0", "p").await;
    let counted = api
        .get("/streams/ws0/processors", "getStreamProcessors")
        .await
        .expect(200, None);
    assert_eq!(counted["totalCount"], 1);
    let uncounted = api
        .get("/streams/ws0/processors?includeCount=false", "getStreamProcessors")
        .await;
    let uncounted = uncounted.expect(200, None);
    assert!(uncounted.get("totalCount").is_none(), "{uncounted}");
    assert_eq!(uncounted["results"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn parameters_are_checked_against_the_spec() {
    let emulator = Emulator::start().await.unwrap();
    let mut api = Api::new(&emulator);
    // A group id that does not match ^([a-f0-9]{24})$.
    api.group = "not-a-group".into();
    api.get("/streams", "listStreamWorkspaces")
        .await
        .expect(400, Some("INVALID_GROUP_ID"));
    api.group = GROUP.into();
    // A required query parameter.
    let answer = api
        .get("/streams/vpcPeeringConnections", "listVpcPeeringConnections")
        .await;
    answer.expect(400, Some("MISSING_QUERY_PARAMETER"));
    let answer = api
        .get("/streams/accountDetails?cloudProvider=aws", "getAccountDetails")
        .await;
    let body = answer.expect(400, Some("MISSING_QUERY_PARAMETER"));
    assert_eq!(body["parameters"][0], "regionName");
    // Names with spaces and other reserved characters travel percent-encoded.
    let body = json!({"name": "my ws/1", "dataProcessRegion": {"cloudProvider": "AWS", "region": "DUBLIN_IRL"}});
    api.post("/streams", "createStreamWorkspace", &body)
        .await
        .expect(200, None);
    let got = api
        .get("/streams/my%20ws%2F1", "getStreamWorkspace")
        .await
        .expect(200, None);
    assert_eq!(got["name"], "my ws/1");
    assert!(got["links"][0]["href"]
        .as_str()
        .unwrap()
        .ends_with("/streams/my%20ws%2F1"));
}

#[tokio::test]
async fn bodies_are_validated_against_the_request_types() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;
    let connections = "/streams/ws/connections";
    let create = "createStreamConnection";
    let check = |answer: common::Answer, code: &str, field: &str| {
        let body = answer.expect(400, Some(code));
        let fields = body["badRequestDetail"]["fields"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            fields.iter().any(|f| f["field"] == field),
            "no violation at {field}: {body}"
        );
        body
    };

    // Unknown connection type (the union's tag).
    let answer = api
        .post(connections, create, &json!({"name": "c", "type": "Carrier pigeon"}))
        .await;
    let body = check(answer, "INVALID_ENUM_VALUE", "type");
    assert_eq!(
        body["detail"],
        "An invalid enumeration value Carrier pigeon was specified."
    );
    // Missing union tag.
    check(
        api.post(connections, create, &json!({"name": "c"})).await,
        "MISSING_ATTRIBUTE",
        "type",
    );
    // Unknown enum value, deep inside.
    let bad_enum = json!({"name": "c", "type": "Kafka", "networking": {"access": {"type": "CARRIER_PIGEON"}}});
    check(
        api.post(connections, create, &bad_enum).await,
        "INVALID_ENUM_VALUE",
        "networking.access.type",
    );
    // A pattern violation (a 24-hex-digit id).
    let bad_id = json!({"name": "c", "type": "Kafka", "networking": {"access": {"type": "PRIVATE_LINK", "connectionId": "xyz"}}});
    check(
        api.post(connections, create, &bad_id).await,
        "INVALID_ATTRIBUTE",
        "networking.access.connectionId",
    );
    // An unknown property, and a readOnly one a client may not send.
    let unknown = json!({"name": "c", "type": "Https", "url": "https://x", "colour": "blue"});
    check(
        api.post(connections, create, &unknown).await,
        "INVALID_ATTRIBUTE",
        "colour",
    );
    let read_only = json!({"name": "c", "type": "Https", "state": "READY"});
    check(
        api.post(connections, create, &read_only).await,
        "INVALID_ATTRIBUTE",
        "state",
    );
    // A value of the wrong JSON type.
    let wrong_type = json!({"name": "c", "type": "Kafka", "config": {"retries": 3}});
    check(
        api.post(connections, create, &wrong_type).await,
        "INVALID_JSON_ATTRIBUTE",
        "config.retries",
    );
    // Required properties of a subtype (SchemaRegistry) and of a nested type.
    let schema_registry = json!({"name": "sr", "type": "SchemaRegistry", "provider": "CONFLUENT",
        "schemaRegistryUrls": ["https://sr"], "schemaRegistryAuthentication": {"type": "USER_INFO", "username": "u"}});
    let body = check(
        api.post(connections, create, &schema_registry).await,
        "MISSING_ATTRIBUTE",
        "schemaRegistryAuthentication.password",
    );
    assert_eq!(
        body["detail"],
        "The required attribute schemaRegistryAuthentication.password was not specified."
    );
    // Every violation is listed, not only the first.
    let many = json!({"name": 5, "type": "Https", "url": true, "headers": {"a": 1}});
    let body = api
        .post(connections, create, &many)
        .await
        .expect(400, Some("INVALID_JSON_ATTRIBUTE"));
    assert_eq!(
        body["badRequestDetail"]["fields"].as_array().unwrap().len(),
        3,
        "{body}"
    );
    // Not JSON at all, and no body where one is required.
    let url = api.url(connections);
    let accept = format!("application/vnd.atlas.{}+json", common::version(create));
    let garbage = api.http.post(&url).header("accept", &accept).body("{not json");
    api.send(garbage).await.expect(400, Some("INVALID_JSON"));
    let empty = api.http.post(&url).header("accept", &accept);
    api.send(empty).await.expect(400, Some("INVALID_JSON"));
    // A required property of a workspace update's nested type.
    let update = json!({"processorStatus": {"mode": "FORCED"}});
    let answer = api.patch("/streams/ws", "updateStreamWorkspace", &update).await;
    check(answer, "MISSING_ATTRIBUTE", "processorStatus.status");
    // Region enums come from the spec's oneOf of three provider enums.
    let region = json!({"name": "w2", "dataProcessRegion": {"cloudProvider": "AWS", "region": "MOON_BASE_1"}});
    check(
        api.post("/streams", "createStreamWorkspace", &region).await,
        "INVALID_ENUM_VALUE",
        "dataProcessRegion.region",
    );
}

#[tokio::test]
async fn injected_failures_answer_once_then_the_operation_runs() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    let failure = InjectedFailure::new(429, "RATE_LIMITED").retry_after(3).times(2);
    emulator.fail_next("listStreamWorkspaces", failure).unwrap();
    for _ in 0..2 {
        let answer = api.get("/streams", "listStreamWorkspaces").await;
        let body = answer.expect(429, Some("RATE_LIMITED"));
        assert_eq!(body["reason"], "Too Many Requests");
        assert_eq!(answer.header("retry-after"), Some("3"));
    }
    api.get("/streams", "listStreamWorkspaces").await.expect(200, None);
    assert!(emulator
        .fail_next("noSuchOperation", InjectedFailure::new(503, "X"))
        .is_err());

    // The same over the control endpoint, as a test in another process would do it.
    let control = format!("{}/__emulator/inject", emulator.base_url());
    let body = json!({"operation": "listStreamWorkspaces", "status": 503, "errorCode": "SERVICE_UNAVAILABLE"});
    api.raw("POST", &control, None, Some(&body)).await.expect(200, None);
    api.get("/streams", "listStreamWorkspaces")
        .await
        .expect(503, Some("SERVICE_UNAVAILABLE"));
    let health = api
        .raw("GET", &format!("{}/__emulator/health", emulator.base_url()), None, None)
        .await;
    assert_eq!(health.expect(200, None)["operations"], 37);
}
