//! Snapshots of the generated code, for review when the spec or the generator changes
//! (`cargo insta review`). The same code is compiled: `generated/` by the workspace, the
//! fixtures by `fixtures_compile.rs`.

use atlas_streams_workspace::{fresh_fixture_output, fresh_spec_output};

fn read(path: std::path::PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn spec_output() {
    insta::assert_snapshot!("spec_models", read(fresh_spec_output().join("src/models.rs")));
    insta::assert_snapshot!("spec_operations", read(fresh_spec_output().join("src/operations.rs")));
    insta::assert_snapshot!("spec_builders", read(fresh_spec_output().join("src/builders.rs")));
    insta::assert_snapshot!("spec_waiters", read(fresh_spec_output().join("src/waiters.rs")));
    insta::assert_snapshot!("spec_mocks", read(fresh_spec_output().join("src/mocks.rs")));
}

#[test]
fn fixture_outputs() {
    for name in ["union", "directions", "scalars", "names", "recursion", "keyed"] {
        let dir = fresh_fixture_output(name);
        insta::assert_snapshot!(format!("fixture_{name}_models"), read(dir.join("src/models.rs")));
        insta::assert_snapshot!(
            format!("fixture_{name}_operations"),
            read(dir.join("src/operations.rs"))
        );
        insta::assert_snapshot!(format!("fixture_{name}_builders"), read(dir.join("src/builders.rs")));
    }
}

/// The mocks of the fixture whose parameters have the most kinds of types (lists, integers,
/// enums, headers, required query parameters); `fixtures_compile.rs` compiles every fixture's.
#[test]
fn fixture_mocks() {
    let dir = fresh_fixture_output("scalars");
    insta::assert_snapshot!("fixture_scalars_mocks", read(dir.join("src/mocks.rs")));
}

#[test]
fn paging_fixture_output() {
    let dir = fresh_fixture_output("paging");
    insta::assert_snapshot!("fixture_paging_models", read(dir.join("src/models.rs")));
    insta::assert_snapshot!("fixture_paging_operations", read(dir.join("src/operations.rs")));
    insta::assert_snapshot!("fixture_paging_builders", read(dir.join("src/builders.rs")));
}
