//! The load stage reads a large document twice at once (the typed document from the text, the
//! YAML tree for the checks): what it returns must be what reading the tree alone gives. (The
//! same on MongoDB's full Admin spec, which stays outside the repository, is in the workspace's
//! `tests/admin_spec.rs`.)

use atlas_streams_generator::load;

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
