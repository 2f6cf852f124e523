//! Every version MongoDB's official spec documents for an operation is served, for all 37
//! operations: the curated spec lists the official versions beside the seed pages' (issue: an
//! API tester that sent the official versions was answered 410 VERSION_GONE on the four seed
//! operations).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Api, Emulator, GROUP};
use serde_json::json;

/// The media types (`application/vnd.atlas.<date>+<suffix>`) of each operation of MongoDB's
/// official Streams spec, by short name: those of its request body and success answers.
fn official_media_types() -> BTreeMap<String, BTreeSet<String>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/upstream/atlas-streams-official.yaml"
    );
    let text = std::fs::read_to_string(path).expect("the upstream spec is in the repository");
    let spec: serde_json::Value = serde_yaml_to_json(&text);
    let mut out = BTreeMap::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item
            .as_object()
            .unwrap()
            .values()
            .filter(|v| v.get("responses").is_some())
        {
            let name = op["x-xgen-operation-id-override"].as_str().unwrap().to_owned();
            let mut media = BTreeSet::new();
            let mut contents = vec![&op["requestBody"]["content"]];
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('2') {
                    contents.push(&response["content"]);
                }
            }
            for content in contents.into_iter().filter_map(|c| c.as_object()) {
                media.extend(
                    content
                        .keys()
                        .filter(|k| k.starts_with("application/vnd.atlas."))
                        .cloned(),
                );
            }
            out.insert(name, media);
        }
    }
    out
}

fn serde_yaml_to_json(text: &str) -> serde_json::Value {
    // The emulator reads its spec with the generator's loader; a plain YAML read is enough here.
    let loaded = atlas_streams_generator::load::parse("upstream.yaml".into(), text.to_owned()).expect("upstream loads");
    serde_json::to_value(&loaded.api).unwrap()
}

fn version_of(media_type: &str) -> &str {
    let rest = media_type.trim_start_matches("application/vnd.atlas.");
    rest.split('+').next().unwrap()
}

#[tokio::test]
async fn every_official_version_of_every_operation_is_served() {
    let official = official_media_types();
    let operations = Emulator::operations().unwrap();
    assert_eq!(operations.len(), 37);
    assert_eq!(official.len(), 37);
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    let mut sent = 0;
    for op in &operations {
        let media = official
            .get(&op.name)
            .unwrap_or_else(|| panic!("{} is not in the official spec", op.name));
        for media_type in media {
            let version = version_of(media_type);
            assert!(
                op.versions.iter().any(|v| v == version),
                "{}: the official version {version} is not listed ({:?})",
                op.name,
                op.versions
            );
        }
        // Every listed version (the official ones and the seed pages'), in the operation's own
        // media type (`+json`, or `+gzip` for the log downloads). The version is checked before
        // the parameters, the body and the state, so the answer may be 400 or 404, never 406/410.
        let suffix = media.iter().next().unwrap().rsplit('+').next().unwrap();
        for version in &op.versions {
            let media_type = format!("application/vnd.atlas.{version}+{suffix}");
            let url = format!("{}{}", emulator.base_url(), with_params(&op.path));
            let body = matches!(op.method, "POST" | "PATCH" | "PUT").then(|| json!({}));
            let answer = api.raw(op.method, &url, Some(&media_type), body.as_ref()).await;
            assert!(
                answer.status != 406 && answer.status != 410,
                "{} at {media_type}: {} {}",
                op.name,
                answer.status,
                answer.text()
            );
            sent += 1;
        }
        // Older than every documented version: retired.
        let gone = format!("application/vnd.atlas.2000-01-01+{suffix}");
        let url = format!("{}{}", emulator.base_url(), with_params(&op.path));
        let answer = api.raw(op.method, &url, Some(&gone), None).await;
        assert_eq!(answer.status, 410, "{} at {gone}: {}", op.name, answer.text());
    }
    // One official version per operation, and five more from the seed pages (createStreamWorkspace
    // 2025-03-12, createStreamConnection 2023-11-15 and 2025-02-19, updateStreamConnection and
    // startStreamProcessor 2024-08-05): 42 (operation, version) pairs sent.
    assert_eq!(sent, 42);
}

/// The path with the project's id for `{groupId}` and `x` for every other parameter.
fn with_params(path: &str) -> String {
    let path = path.replace("{groupId}", GROUP);
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match (c, in_param) {
            ('{', _) => in_param = true,
            ('}', true) => {
                in_param = false;
                out.push('x');
            }
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    out
}
