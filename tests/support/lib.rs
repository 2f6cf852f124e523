//! Where the top-level `build.rs` put its fresh output, for the integration tests.

use std::path::PathBuf;

/// The client files generated from `spec/` by this build (`<dir>/src/models.rs`, ...).
pub fn fresh_spec_output() -> PathBuf {
    PathBuf::from(env!("OUT_DIR")).join("spec")
}

/// The client files generated from `tests/fixtures/<name>.yaml` by this build.
pub fn fresh_fixture_output(name: &str) -> PathBuf {
    PathBuf::from(env!("OUT_DIR")).join("fixtures").join(name)
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
