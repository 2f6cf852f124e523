//! MongoDB's whole Admin API spec (4 MB, 540 operations), the scale input: it stays outside the
//! repository (`../shared/reference/atlas-admin-full.yaml`), so these tests are ignored, with
//! the reason, where `build.rs` did not find it; CI has it and runs them.

use atlas_streams_generator::load;

fn admin_spec() -> std::path::PathBuf {
    atlas_streams_workspace::reference::admin_spec()
        .expect("a test that reads the Admin spec is ignored when build.rs found none (cfg reference_admin)")
}

/// The full Admin spec (over the size from which the typed document is read beside the tree)
/// loads to exactly the document its YAML tree decodes to.
#[test]
#[cfg_attr(
    not(reference_admin),
    ignore = "needs MongoDB's full Admin spec (4 MB), kept outside the repository in ../shared/reference"
)]
fn a_large_spec_loads_to_the_document_its_tree_decodes_to() {
    let path = admin_spec();
    let text = std::fs::read_to_string(&path).expect("the Admin spec is readable");
    assert!(
        text.len() > 1 << 20,
        "the spec is large enough to be read on two threads"
    );
    let loaded = load::parse(path.clone(), text.clone()).expect("the Admin spec loads");
    let tree: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let from_tree: openapiv3::OpenAPI = serde_yaml::from_value(tree).unwrap();
    assert!(loaded.api == from_tree, "the two readings differ");
    assert!(!loaded.api.paths.paths.is_empty());
}

/// The whole Admin spec generates without an error, and its warnings (legal but lossy
/// constructs, each located) are the reviewed list in the snapshot: a new one is looked at.
#[test]
#[cfg_attr(
    not(reference_admin),
    ignore = "needs MongoDB's full Admin spec (4 MB), kept outside the repository in ../shared/reference"
)]
fn the_admin_spec_generates_with_its_reviewed_warnings() {
    let path = admin_spec();
    let generated =
        atlas_streams_generator::generate(&path).unwrap_or_else(|e| panic!("the Admin spec generates:\n{e}"));
    assert!(
        generated.api.operations.len() >= 540,
        "{}",
        generated.api.operations.len()
    );
    // Named by its file name only: where the material lives differs between machines.
    let warnings = generated
        .warnings
        .one_line_each()
        .join("\n")
        .replace(&path.display().to_string(), "atlas-admin-full.yaml");
    insta::assert_snapshot!("admin_spec_warnings", warnings);
}
