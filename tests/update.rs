//! `update` on real upstream changes: each test takes MongoDB's Streams spec as last synced
//! (`spec/upstream/`), changes it as MongoDB might, and runs `update` on a copy of the
//! workspace's spec directory, client crate, changelog and manifests. Each asserts the curated
//! spec it makes, the verdict, the changelog entry and the version; the two changes a curation
//! point runs into stop `update` with that point, located, and write nothing.

use std::path::{Path, PathBuf};

use atlas_streams_generator::curate::document;
use atlas_streams_generator::update::{self, Plan};
use atlas_streams_generator::GenerateError;
use atlas_streams_workspace::workspace_root;
use serde_json::{json, Value};

/// A copy of what `update` reads and writes, in a directory of its own.
struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let dir = std::env::temp_dir().join(format!("atlas-streams-update-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = workspace_root();
        for file in [
            "spec/atlas-streams.yaml",
            "spec/upstream/atlas-streams-official.yaml",
            "spec/curation/atlas-streams.overlay.yaml",
            "generated/Cargo.toml",
            "generated/api.txt",
            "generated/src/models.rs",
            "generated/src/operations.rs",
            "generated/src/builders.rs",
            "generated/src/waiters.rs",
            "generated/src/mocks.rs",
            "emulator/Cargo.toml",
            "CHANGELOG.md",
            "Cargo.lock",
        ] {
            let to = dir.join(file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(root.join(file), &to).unwrap();
        }
        Sandbox { dir }
    }

    /// The upstream spec as last synced, changed by `change`, written as the new input.
    fn new_upstream(&self, change: impl FnOnce(&mut Value)) -> PathBuf {
        let (mut spec, _) = document::read_file(&self.dir.join("spec/upstream/atlas-streams-official.yaml")).unwrap();
        change(&mut spec);
        let path = self.dir.join("v2-new.yaml");
        std::fs::write(&path, document::write("", &spec)).unwrap();
        path
    }

    fn options(&self, input: &Path, accept_conflicts: bool) -> update::Options {
        update::Options {
            input: input.to_owned(),
            source: Some("test".into()),
            spec_dir: self.dir.join("spec"),
            out: self.dir.join("generated"),
            changelog: self.dir.join("CHANGELOG.md"),
            also_bump: vec![self.dir.join("emulator/Cargo.toml")],
            lockfile: Some(self.dir.join("Cargo.lock")),
            date: "2026-12-07".into(),
            accept_conflicts,
            format_cache: None,
        }
    }

    fn update(&self, input: &Path) -> Result<Plan, GenerateError> {
        update::plan(&self.options(input, false))
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.join(file)).unwrap()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const KAFKA: &str = "/components/schemas/StreamsKafkaConnection/allOf/1/properties";
const CREATE_WORKSPACE: &str = "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1streams/post";

/// Writes the plan and checks what every released change has in common: the versions of the
/// client and the emulator and the lock file follow, the changelog has the entry first, and a
/// second run with the same input changes nothing.
fn release(sandbox: &Sandbox, input: &Path, plan: &Plan, version: &str) -> String {
    let release = plan.release.as_ref().expect("a release");
    assert_eq!(release.to.to_string(), version);
    plan.write().unwrap();
    for manifest in ["generated/Cargo.toml", "emulator/Cargo.toml"] {
        assert!(
            sandbox.read(manifest).contains(&format!("\nversion = \"{version}\"\n")),
            "{manifest}"
        );
    }
    let lock = sandbox.read("Cargo.lock");
    assert!(lock.contains(&format!("name = \"atlas-streams\"\nversion = \"{version}\"")));
    assert!(lock.contains(&format!("name = \"atlas-streams-emulator\"\nversion = \"{version}\"")));
    let changelog = sandbox.read("CHANGELOG.md");
    let entry = format!("## [{version}] - 2026-12-07");
    assert!(changelog.find(&entry) < changelog.find("## [0.1.0]"), "{changelog}");
    let again = sandbox.update(input).unwrap();
    assert!(again.files.is_empty() && again.release.is_none(), "{}", again.report());
    changelog
}

/// The upstream change of a new optional property: `maxBatchSize` on the Kafka connection.
fn add_max_batch_size(spec: &mut Value) {
    spec.pointer_mut(KAFKA).unwrap().as_object_mut().unwrap().insert(
        "maxBatchSize".into(),
        json!({"type": "integer", "format": "int32", "description": "Most messages per batch."}),
    );
}

#[test]
fn a_new_optional_property_on_a_connection_type_is_an_additive_release() {
    let sandbox = Sandbox::new("property");
    let input = sandbox.new_upstream(add_max_batch_size);
    let plan = sandbox.update(&input).unwrap();
    assert!(!plan.breaking());
    assert!(plan
        .report()
        .contains("added property StreamsKafkaConnection.maxBatchSize"));
    let changelog = release(&sandbox, &input, &plan, "0.1.1");
    assert!(sandbox.read("spec/atlas-streams.yaml").contains("maxBatchSize:"));
    assert!(changelog
        .contains("### Added\n\n- added field StreamsKafkaConnection.max_batch_size (Option<i32> (`maxBatchSize`))"));
    assert!(changelog.contains("- added setter StreamsKafkaConnectionRequest.max_batch_size"));
    assert!(!changelog.contains("### Breaking"));
    assert!(sandbox
        .read("generated/src/models.rs")
        .contains("pub max_batch_size: Option<i32>"));
}

#[test]
fn a_new_enum_value_is_an_additive_release() {
    let sandbox = Sandbox::new("enum");
    let input = sandbox.new_upstream(|spec| {
        let state = spec
            .pointer_mut("/components/schemas/StreamsConnection/properties/state/enum")
            .unwrap();
        state.as_array_mut().unwrap().push(json!("PAUSED"));
    });
    let plan = sandbox.update(&input).unwrap();
    assert!(!plan.breaking());
    let changelog = release(&sandbox, &input, &plan, "0.1.1");
    assert!(sandbox.read("spec/atlas-streams.yaml").contains("- PAUSED"));
    assert!(
        changelog.contains("- added variant StreamsConnectionState::Paused (`PAUSED`)"),
        "{changelog}"
    );
}

#[test]
fn a_new_operation_under_streams_is_an_additive_release() {
    let sandbox = Sandbox::new("operation");
    let input = sandbox.new_upstream(|spec| {
        let paths = spec["paths"].as_object_mut().unwrap();
        paths.insert(
            "/api/atlas/v2/groups/{groupId}/streams/{tenantName}:pause".into(),
            json!({"post": {
                "tags": ["Streams"],
                "operationId": "pauseGroupStreamWorkspace",
                "x-xgen-operation-id-override": "pauseStreamWorkspace",
                "summary": "Pause One Stream Workspace",
                "parameters": [
                    {"$ref": "#/components/parameters/groupId"},
                    {"name": "tenantName", "in": "path", "required": true, "description": "Label that identifies the stream workspace.", "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "OK", "content": {"application/vnd.atlas.2026-01-01+json": {}}},
                    "404": {"$ref": "#/components/responses/notFound"}
                }
            }}),
        );
    });
    let plan = sandbox.update(&input).unwrap();
    assert!(!plan.breaking());
    assert!(plan.report().contains(
        "added operation POST /api/atlas/v2/groups/{groupId}/streams/{tenantName}:pause (pauseGroupStreamWorkspace)"
    ));
    let changelog = release(&sandbox, &input, &plan, "0.1.1");
    assert!(changelog.contains(
        "- added operation pause_stream_workspace (POST /api/atlas/v2/groups/{groupId}/streams/{tenantName}:pause -> ())"
    ));
    assert!(sandbox
        .read("generated/src/operations.rs")
        .contains("pub fn pause_stream_workspace("));
}

#[test]
fn a_removed_version_is_a_breaking_release() {
    let sandbox = Sandbox::new("version");
    let input = sandbox.new_upstream(|spec| {
        let op = spec.pointer_mut(CREATE_WORKSPACE).unwrap();
        for content in ["/requestBody/content", "/responses/200/content"] {
            let content = op.pointer_mut(content).unwrap().as_object_mut().unwrap();
            content.shift_remove("application/vnd.atlas.2023-02-01+json");
        }
    });
    let plan = sandbox.update(&input).unwrap();
    assert!(plan.breaking());
    assert!(plan.report().contains(
        "removed version 2023-02-01 of POST /api/atlas/v2/groups/{groupId}/streams (createGroupStreamWorkspace)"
    ));
    let changelog = release(&sandbox, &input, &plan, "0.2.0");
    assert!(changelog.contains(
        "### Breaking\n\n- changed operation create_stream_workspace versions: 2023-02-01, 2025-03-12 -> 2025-03-12"
    ), "{changelog}");
    let (curated, _) = document::read_file(&sandbox.dir.join("spec/atlas-streams.yaml")).unwrap();
    let content = curated
        .pointer(&format!("{CREATE_WORKSPACE}/requestBody/content"))
        .unwrap();
    let versions: Vec<&String> = content.as_object().unwrap().keys().collect();
    assert_eq!(
        versions,
        ["application/vnd.atlas.2025-03-12+json"],
        "only the seed's version is left"
    );
}

#[test]
fn an_upstream_change_under_a_curation_point_stops_until_accepted() {
    let sandbox = Sandbox::new("conflict");
    let before = sandbox.read("spec/atlas-streams.yaml");
    let input = sandbox.new_upstream(|spec| {
        spec.pointer_mut(CREATE_WORKSPACE).unwrap()["summary"] = json!("Create One Stream Workspace (new wording)");
    });
    let Err(GenerateError::Spec(report)) = sandbox.update(&input) else {
        panic!("a conflict stops update");
    };
    let text = report.to_string();
    assert!(
        text.contains("atlas-streams.overlay.yaml:"),
        "located in the overlay: {text}"
    );
    assert!(
        text.contains("upstream had `\"Create One Stream Workspace\"` and has `\"Create One Stream Workspace (new wording)\"` now"),
        "{text}"
    );
    assert!(text.contains("Its reason: From seed 002"), "the point's reason: {text}");
    assert_eq!(sandbox.read("spec/atlas-streams.yaml"), before, "nothing is written");
    // After review, the point is kept: its summary still wins, and nothing else changes.
    let plan = update::plan(&sandbox.options(&input, true)).unwrap();
    assert!(plan.report().contains("accepted after review"));
    assert!(plan.release.is_none(), "{}", plan.report());
}

#[test]
fn a_curated_target_deleted_upstream_stops_with_the_point_and_its_reason() {
    let sandbox = Sandbox::new("deleted");
    let before = sandbox.read("CHANGELOG.md");
    let input = sandbox.new_upstream(|spec| {
        let kafka = spec
            .pointer_mut("/components/schemas/StreamsKafkaAuthentication/properties")
            .unwrap();
        // MongoDB renames the map of authentication properties away (a restructure).
        let properties = kafka.take();
        let schema = spec
            .pointer_mut("/components/schemas/StreamsKafkaAuthentication")
            .unwrap();
        let schema = schema.as_object_mut().unwrap();
        schema.shift_remove("properties");
        schema.insert("allOf".into(), json!([{"properties": properties}]));
    });
    let Err(GenerateError::Spec(report)) = sandbox.update(&input) else {
        panic!("a point that matches nothing stops update");
    };
    let text = report.to_string();
    assert!(
        text.contains(
            "matches nothing in the upstream spec: `$.components.schemas.StreamsKafkaAuthentication.properties`"
        ),
        "{text}"
    );
    assert!(text.contains("Its reason: `httpsCaPem`: seeds 001/003"), "{text}");
    assert!(text.contains("(#/actions/"), "located: {text}");
    assert_eq!(sandbox.read("CHANGELOG.md"), before, "nothing is written");
}

/// MongoDB's whole Admin API spec (a different copy than the one synced): `update` takes its
/// Streams part and finds it equal to the synced one.
#[test]
#[cfg_attr(
    not(reference_admin),
    ignore = "needs MongoDB's full Admin spec (4 MB), kept outside the repository in ../shared/reference"
)]
fn the_whole_admin_spec_is_taken_down_to_its_streams_part() {
    let sandbox = Sandbox::new("admin");
    let input = atlas_streams_workspace::reference::admin_spec().unwrap();
    let plan = sandbox.update(&input).unwrap();
    let report = plan.report();
    assert!(report.contains("37 of 540 operations"), "{report}");
    assert!(plan.upstream_changes.is_empty(), "{report}");
    assert!(plan.release.is_none() && plan.files.is_empty(), "{report}");
}

/// `update` with the formatting cache of the last generation (the workflow of a new MongoDB
/// version): the files it would write are the same as without the cache, and the cache keeps
/// the items of the new version.
#[test]
fn an_update_with_a_format_cache_writes_what_one_without_writes() {
    let sandbox = Sandbox::new("cache");
    let input = sandbox.new_upstream(add_max_batch_size);
    let without = sandbox.update(&input).unwrap();
    let cache = sandbox.dir.join("format-cache");
    let mut options = sandbox.options(&input, false);
    options.format_cache = Some(cache.clone());
    let cold = update::plan(&options).unwrap();
    let warm = update::plan(&options).unwrap();
    assert!(!without.files.is_empty());
    assert_eq!(cold.files, without.files);
    assert_eq!(warm.files, without.files);
    assert!(atlas_streams_generator::format::FormatCache::load(&cache).len() > 100);
}
