//! The committed `generated/` crate is exactly what the generator makes of `spec/` today, and
//! the generator makes the same bytes every time.

use std::path::PathBuf;

use atlas_streams_generator::emit::{Module, SURFACE_FILE};
use atlas_streams_generator::{generate, output};
use atlas_streams_workspace::{fresh_spec_output, workspace_root};

#[test]
fn committed_generated_files_match_the_spec() {
    let fresh = atlas_streams_generator::generate(&workspace_root().join("spec")).expect("spec/ generates");
    let stale = output::check(&workspace_root().join("generated"), &fresh.files);
    let report: Vec<String> = stale
        .iter()
        .map(|s| format!("{}:\n{}", s.path.display(), s.diff))
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo run -p atlas-streams-generator -- generate`:\n{}",
        report.join("\n")
    );
}

#[test]
fn build_script_output_matches_the_committed_files() {
    let files = Module::ALL
        .into_iter()
        .map(Module::path)
        .chain([PathBuf::from(SURFACE_FILE)]);
    for file in files {
        let file = file.display().to_string();
        let from_build = std::fs::read_to_string(fresh_spec_output().join(&file)).unwrap();
        let committed = std::fs::read_to_string(workspace_root().join("generated").join(&file)).unwrap();
        assert!(
            from_build == committed,
            "{file}: build.rs output differs from the committed file"
        );
    }
}

#[test]
fn output_is_deterministic_and_independent_of_the_spec_location() {
    let spec = workspace_root().join("spec/atlas-streams.yaml");
    let first = generate(&spec).unwrap().files;
    let second = generate(&spec).unwrap().files;
    assert_eq!(first, second, "two runs over the same spec differ");
    // The same text from another directory (as build.rs and the CLI see it) gives the same bytes.
    let copy = std::env::temp_dir().join(format!("atlas-streams-drift-{}", std::process::id()));
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(&spec, copy.join("atlas-streams.yaml")).unwrap();
    let moved = generate(&copy).unwrap().files;
    std::fs::remove_dir_all(&copy).ok();
    assert_eq!(first, moved);
    assert!(
        first
            .iter()
            .all(|f| f.contents.starts_with("// @generated") || f.contents.starts_with("# @generated")),
        "every generated file starts with @generated"
    );
}

/// The spec the generator reads is MongoDB's (as last synced) with the curation applied, and
/// nothing else: the committed `spec/atlas-streams.yaml` is exactly what applying
/// `spec/curation/` to `spec/upstream/` writes.
#[test]
fn the_curated_spec_is_upstream_with_the_curation_applied() {
    let spec = workspace_root().join("spec");
    let layout = atlas_streams_generator::curate::Layout::find(&spec)
        .expect("the curation reads")
        .expect("spec/ is curated");
    let curated = atlas_streams_generator::curate::curate(&layout).unwrap_or_else(|e| panic!("{e}"));
    let committed = std::fs::read_to_string(&layout.output).unwrap();
    assert!(
        committed == curated.text,
        "spec/atlas-streams.yaml is not the curation applied to upstream; run `cargo run -p atlas-streams-generator -- generate`"
    );
    // Every point says why (the overlay reader refuses one that does not), and each changed
    // something (an action that selects nothing is an error).
    assert!(curated.overlay.actions.iter().all(|a| !a.description.trim().is_empty()));
    assert!(curated.applied.effects.iter().all(|e| !e.matched.is_empty()));
}
