//! The load stage reads a large document twice at once (the typed document from the text, the
//! YAML tree for the checks): what it returns must be what reading the tree alone gives.

use std::path::Path;

use atlas_streams_generator::load;

/// The full Admin spec (4 MB, over the size from which the typed document is read beside the
/// tree) loads to exactly the document its YAML tree decodes to.
#[test]
fn a_large_spec_loads_to_the_document_its_tree_decodes_to() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/atlas-admin-full.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the tests need shared/ beside the checkout)", path.display()));
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

/// A large document with a merge key is read from the merged tree (the text's own reading
/// would keep `<<` as a key).
#[test]
fn a_large_spec_with_a_merge_key_is_read_from_the_merged_tree() {
    let filler: String = (0..40_000)
        .map(|i| format!("    X{i}:\n      type: string\n"))
        .collect();
    let text = format!(
        "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Base: &base\n      type: object\n      properties:\n        a: {{type: string}}\n    Derived:\n      <<: *base\n      description: d\n{filler}"
    );
    assert!(text.len() > 1 << 20);
    let loaded = load::parse("merge.yaml".into(), text).expect("merge keys are supported");
    let schemas = &loaded.api.components.as_ref().unwrap().schemas;
    let derived = format!("{:?}", schemas["Derived"]);
    assert!(derived.contains("\"a\""), "the merged properties are there: {derived}");
}
