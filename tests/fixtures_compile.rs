//! Every fixture's generated code compiles, and behaves as its construct promises.
//!
//! `build.rs` generates each `tests/fixtures/<name>.yaml` into OUT_DIR; this test crate
//! `include!`s the output, so a fixture that generates code rustc rejects fails the build.
//! (The snapshots in `snapshots.rs` show the same code for review.)

// The generated code reaches the runtime as `crate::runtime`, as it does in the real crate
// (where `atlas_streams::runtime` re-exports the same crate).
use atlas_streams_runtime as runtime;

macro_rules! fixture {
    ($name:ident) => {
        fixture!($name: models, operations, builders, waiters, mocks);
    };
    ($name:ident: $($file:ident),*) => {
        // The operations re-export the runtime's types for the crate root, unused here.
        #[allow(dead_code, unused_imports, clippy::large_enum_variant)]
        mod $name {
            $(
                pub mod $file {
                    include!(concat!(
                        env!("OUT_DIR"),
                        "/fixtures/",
                        stringify!($name),
                        "/src/",
                        stringify!($file),
                        ".rs"
                    ));
                }
            )*
        }
    };
}

fixture!(union);
fixture!(directions);
fixture!(scalars);
fixture!(names);
fixture!(recursion);
fixture!(paging);
fixture!(keyed);

use serde_json::json;

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(
        serde_json::to_value(&typed).expect("encodes"),
        value,
        "re-encodes to the same JSON"
    );
    typed
}

#[test]
fn union_dispatches_on_the_tag_and_keeps_unknown_tags() {
    use union::models::Pet;
    let cat: Pet = round_trip(json!({"kind": "cat", "name": "Tom", "lives": 9}));
    assert!(matches!(&cat, Pet::Cat(c) if c.lives == Some(9) && c.name == "Tom"));
    // `dog` is in the mapping but not in the parent's `kind` enum: still a known variant.
    let dog: Pet = round_trip(json!({"kind": "dog", "name": "Rex", "goodBoy": true}));
    assert!(matches!(dog, Pet::Dog(d) if d.good_boy));
    // A oneOf member missing from the mapping is tagged with its schema name.
    let parrot: Pet = round_trip(json!({"kind": "Parrot", "name": "Polly", "words": ["hi"]}));
    assert_eq!(parrot.tag(), Some("Parrot"));
    let newer: Pet = round_trip(json!({"name": "Nemo", "kind": "fish", "fins": 2}));
    assert!(matches!(&newer, Pet::Unknown(o) if o["fins"] == 2));
    assert_eq!(newer.tag(), Some("fish"));
    // A known tag with a wrong field type is an error, not silently "unknown".
    assert!(serde_json::from_value::<Pet>(json!({"kind": "dog", "name": "Rex", "goodBoy": "yes"})).is_err());
}

#[test]
fn read_only_and_write_only_split_the_directions() {
    use directions::models::{Account, AccountCreateRequest, AccountRequest, ProfileRequest};
    // The create body: the request form of `Account`, whose `…Request` name a component took.
    let request = AccountCreateRequest::new("a@example.com", "pw-hunter2")
        .api_key("key-hunter2")
        .profile(ProfileRequest::new().display_name("A"));
    let debug = format!("{request:?}");
    assert!(!debug.contains("hunter2"), "secrets leak into Debug: {debug}");
    let sent = serde_json::to_value(&request).unwrap();
    assert_eq!(sent["password"], "pw-hunter2");
    let account: Account =
        round_trip(json!({"id": "1", "email": "a@example.com", "profile": {"createdAt": "2024-01-01T00:00:00Z"}}));
    assert_eq!(account.id.as_deref(), Some("1"));
    // Only ever sent: keeps its name, and its readOnly property is gone.
    let patch = AccountRequest::new().email("b@example.com");
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({"email": "b@example.com"}));
}

#[test]
fn scalars_enums_newtypes_and_nullables() {
    use scalars::models::{GroupId, Job, JobState, Region};
    assert!(GroupId::new("not-an-id").is_err());
    assert_eq!(
        GroupId::new("32b6e34b3d91647abb20e7b8").unwrap().as_str(),
        "32b6e34b3d91647abb20e7b8"
    );
    assert_eq!("RUNNING".parse::<JobState>().unwrap(), JobState::Running);
    assert_eq!(JobState::from("PAUSED"), JobState::Unknown("PAUSED".into()));
    assert_eq!(Region::from("eastus"), Region::Eastus);
    let job: Job = round_trip(json!({
        "groupId": "32b6e34b3d91647abb20e7b8",
        "state": "PAUSED",
        "startedAt": "2024-05-06T07:08:09Z",
        "note": null,
        "pipeline": [{"$match": {"z": 1, "a": 9007199254740993_i64}}],
        "bytes": 9007199254740993_i64,
        "newField": {"kept": true}
    }));
    assert_eq!(job.state.as_str(), "PAUSED");
    assert!(job.note.is_null() && job.owner.is_absent());
    assert_eq!(job.bytes, Some(9_007_199_254_740_993));
    assert_eq!(job.extra["newField"], json!({"kept": true}));
    let stage_keys: Vec<&String> = job.pipeline.as_ref().unwrap()[0]["$match"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(stage_keys, ["z", "a"], "pipeline key order is kept");
    // Lenient reads: an id that does not match its pattern still decodes, and says so; the
    // same value from the caller is refused.
    let odd: Job = round_trip(json!({"groupId": "nope", "state": "DONE", "startedAt": "2024-05-06T07:08:09Z"}));
    assert_eq!(odd.group_id.as_str(), "nope");
    assert!(!odd.group_id.is_valid());
    assert!(job.group_id.is_valid());
    assert!(GroupId::new("nope").is_err());
}

#[test]
fn names_that_are_not_identifiers_still_generate() {
    use names::models::{FooBar, FooBar2, ResultValue, ResultValueKind};
    let value: ResultValue = round_trip(
        json!({"type": "t", "self": "s", "match": 1, "group.protocol.type": "g", "1st": true, "extra": "e", "Extra": "E", "kind": ""}),
    );
    assert_eq!(value.r#type.as_deref(), Some("t"));
    assert_eq!(value.self_.as_deref(), Some("s"));
    assert_eq!(value.n1st, Some(true));
    assert_eq!(value.kind, Some(ResultValueKind::Empty));
    // A value spelled `Unknown` is `UnknownValue`: the catch-all is always `Unknown`.
    assert_eq!(ResultValueKind::from("Unknown"), ResultValueKind::UnknownValue);
    assert_eq!(ResultValueKind::from("other"), ResultValueKind::Unknown("other".into()));
    let _ = (FooBar::default(), FooBar2::default());
}

#[test]
fn recursive_types_are_boxed() {
    use recursion::models::{Expression, Node};
    let node: Node = round_trip(json!({"value": "a", "next": {"value": "b"}, "children": [{"value": "c"}]}));
    assert_eq!(node.next.as_ref().and_then(|n| n.value.as_deref()), Some("b"));
    let expression: Expression = round_trip(json!({"op": "not", "operand": {"op": "lit", "value": true}}));
    assert!(matches!(expression, Expression::Not(_)));
}

mod common;

#[tokio::test]
async fn an_idempotent_get_is_retried_after_the_connection_drops() {
    // The Atlas operations of `spec/` are all POST or PATCH; a fixture GET shows the other side
    // of the rule: a request that is safe to repeat is sent again after an ambiguous failure.
    let server = common::HangUpServer::start(1).await;
    let client = recursion::operations::Client::builder()
        .base_url(&server.base_url)
        .retry(atlas_streams::RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(10)))
        .build()
        .unwrap();
    let node = client.get_tree().await.unwrap();
    assert_eq!(node, recursion::models::Node::default());
    assert_eq!(server.connections(), 2, "dropped once, answered on the retry");
}

#[tokio::test]
async fn lists_with_an_int32_page_number_and_a_required_total_walk_every_page() {
    use futures_util::TryStreamExt;
    // Five things, two per page: `totalCount` (required, `int32`) ends the walk after page 3.
    let server = common::TestServer::with_handler(|r| {
        let query = r.query.clone().unwrap_or_default();
        let page: i64 = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("pageNum=")?.parse().ok())
            .unwrap_or(1);
        let results: Vec<_> = ((page - 1) * 2..(page * 2).min(5))
            .map(|i| json!({"name": format!("t{i}")}))
            .collect();
        common::Canned::new(
            200,
            "application/vnd.atlas.2024-01-01+json",
            json!({"results": results, "totalCount": 5}),
        )
    })
    .await;
    let client = paging::operations::Client::builder()
        .base_url(&server.base_url)
        .build()
        .unwrap();
    let things: Vec<paging::models::Thing> = client
        .list_things()
        .items_per_page(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = things.iter().filter_map(|t| t.name.as_deref()).collect();
    assert_eq!(names, ["t0", "t1", "t2", "t3", "t4"]);
    assert_eq!(server.received().len(), 3, "no request past the total");

    // The other list: `int64` page number, `results` and `totalCount` optional and nullable.
    use runtime::__private::Paged;
    let page: paging::models::PaginatedOthers = round_trip(json!({"results": null, "totalCount": null}));
    let page = paging::builders::ListOthers::items_of(page);
    assert!(page.items.is_empty());
    assert_eq!(page.total, None);
}

#[test]
fn key_tagged_unions_type_known_keys_and_keep_everything_else() {
    use keyed::models::{Emit, EmitFormat, Source, Stage, Window};
    let text = r#"[{"$source":{"topic":"in","connectionName":"k"}},{"$match":{"z":1,"a":{"$gt":9007199254740993}}},{"$window":{"size":60,"pipeline":[{"$limit":5},{"$future":{"x":1}}]}},{"$emit":{"connectionName":"k","format":"parquet","newField":[1]}}]"#;
    let stages: Vec<Stage> = serde_json::from_str(text).unwrap();
    // The struct keeps the order its properties came in (`topic` first), the free-form value
    // its key order and its 64-bit integer, the window its own stages (the union again).
    assert!(matches!(&stages[0], Stage::Source(s) if s.connection_name == "k" && s.topic.as_deref() == Some("in")));
    let Stage::Window(window) = &stages[2] else {
        panic!("{:?}", stages[2])
    };
    assert_eq!(window.pipeline[0], Stage::Limit(5));
    assert_eq!(window.pipeline[1].key(), Some("$future"), "an unknown key is kept");
    let Stage::Emit(emit) = &stages[3] else {
        panic!("{:?}", stages[3])
    };
    assert_eq!(emit.format, Some(EmitFormat::Unknown("parquet".into())));
    assert_eq!(emit.extra["newField"], json!([1]));
    assert_eq!(
        serde_json::to_string(&stages).unwrap(),
        text,
        "re-encodes byte for byte"
    );

    // Built in code: each member's value converts into the union; JSON of a known key is typed.
    let built: Vec<Stage> = vec![
        Source::new("k").topic("in").into(),
        json!({"$match": {"a": 1}}).into(),
        Window::new(60, vec![json!({"$limit": 5}).into()]).into(),
        Emit::new("k").format(EmitFormat::Json).into(),
    ];
    assert!(
        matches!(built[1], Stage::Match(_))
            && matches!(&built[2], Stage::Window(w) if w.pipeline[0] == Stage::Limit(5))
    );
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!([{"$source": {"connectionName": "k", "topic": "in"}}, {"$match": {"a": 1}},
            {"$window": {"size": 60, "pipeline": [{"$limit": 5}]}}, {"$emit": {"connectionName": "k", "format": "json"}}])
    );
    // A value whose key is known but whose value does not fit, several keys, no object: kept.
    for odd in [
        json!({"$limit": "five"}),
        json!({"$limit": 1, "$match": {}}),
        json!("$limit"),
    ] {
        let stage = Stage::from(odd.clone());
        assert!(matches!(&stage, Stage::Unknown(v) if *v == odd), "{stage:?}");
        assert_eq!(serde_json::to_value(&stage).unwrap(), odd);
    }
}

#[tokio::test]
async fn a_marked_pipeline_is_checked_before_it_is_sent() {
    use keyed::models::{Emit, Job, Source, Stage};
    let server = common::TestServer::with_handler(|r| {
        common::Canned::new(200, "application/json", String::from_utf8_lossy(&r.body))
    })
    .await;
    let client = keyed::operations::Client::builder()
        .base_url(&server.base_url)
        .build()
        .unwrap();
    let good: Vec<Stage> = vec![Source::new("k").into(), Emit::new("k").into()];
    let sent = client.create_job(Job::new("j", good.clone())).await.unwrap();
    assert_eq!(sent.stages, good);
    // `$source` second: refused with the place and the rule, and nothing is sent.
    let bad: Vec<Stage> = vec![
        json!({"$match": {}}).into(),
        Source::new("k").into(),
        Emit::new("k").into(),
    ];
    let error = client.create_job(Job::new("j", bad)).await.unwrap_err();
    let atlas_streams::Error::InvalidPipeline { error, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (error.at.as_str(), error.rule),
        ("/stages/1", atlas_streams::error::PipelineRule::SourceFirst)
    );
    assert_eq!(server.received().len(), 1, "only the good job was sent");
}
