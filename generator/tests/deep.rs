//! Deeply nested (valid) types generate on every thread of the generator, not only on the one
//! that called it: `syn` and `prettyplease` recurse once per level, and the formatting queue's
//! helper threads need the same deep stack as the caller. A stack overflow aborts the process,
//! so this test failing looks like a crash of the test binary.

use std::path::Path;

/// Maps nested `depth` deep, in YAML flow style.
fn nested_map(depth: usize) -> String {
    let mut schema = String::from("{type: string}");
    for _ in 0..depth {
        schema = format!("{{type: object, additionalProperties: {schema}}}");
    }
    schema
}

/// `operations` operations, each answering a map nested `depth` deep: enough items that both
/// formatting threads get some of them.
fn spec(operations: usize, depth: usize) -> String {
    let schema = nested_map(depth);
    let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: Deep maps, version: '1'}\npaths:\n");
    for i in 0..operations {
        yaml.push_str(&format!(
            "  /things{i}:\n    get:\n      operationId: listThings{i}\n      responses:\n        '200':\n          \
             description: OK\n          content:\n            application/json:\n              schema: {schema}\n"
        ));
    }
    yaml
}

#[test]
fn maps_nested_ninety_deep_generate_on_every_formatting_thread() {
    let yaml = spec(8, 90);
    for _ in 0..3 {
        let generated = atlas_streams_generator::generate_from_str(Path::new("deep.yaml"), &yaml)
            .expect("a valid deep spec generates");
        let file = |name: &str| {
            generated
                .files
                .iter()
                .find(|f| f.path.ends_with(name))
                .unwrap_or_else(|| panic!("{name}"))
                .contents
                .clone()
        };
        assert_eq!(
            file("operations.rs").matches("pub fn list_things").count(),
            8,
            "every operation is generated"
        );
        // Each operation's return type (its builder's `send`, `IntoFuture`) is the 90-deep map.
        assert!(file("builders.rs").matches("BTreeMap<").count() >= 8 * 90);
    }
}
