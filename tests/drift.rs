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
