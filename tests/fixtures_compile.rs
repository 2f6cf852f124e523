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
