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

/// Type-checks generated clients: each `(module, files)` (files as (stem, contents): `models`,
/// `operations`, `waiters`, `mocks`) becomes `pub mod <module> { pub mod models; ... }` of one
/// scratch crate `<tmp>/compile-check/<name>`, and `cargo check` runs once over all of them.
/// Every scratch crate shares one target directory (`<tmp>/compile-check/target`), so the
/// runtime and its dependencies are checked once, not once per test. The runtime has its
/// `test-util` feature, so the mocks are checked too. `Err` holds rustc's errors.
///
/// This is how the tests that generate at run time (the `ok_*` bad specs, mutations, the scale
/// spec) show that what they accept compiles, as `fixtures_compile.rs` does for the fixtures
/// `build.rs` generates.
pub fn check_compiles(
    tmp: &std::path::Path,
    name: &str,
    crates: &[(String, Vec<(String, String)>)],
) -> Result<(), String> {
    use std::fmt::Write as _;
    let root = workspace_root();
    let scratch = tmp.join("compile-check");
    let dir = scratch.join(name);
    let _ = std::fs::remove_dir_all(dir.join("src"));
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"generated-check-{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n\
         atlas-streams-runtime = {{ path = {runtime:?}, features = [\"test-util\"] }}\nserde = \"1\"\n\
         serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n",
        runtime = root.join("runtime")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The workspace's lock file: the same versions, all already downloaded (`--offline`).
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    // A spec whose types refer to each other in chains longer than 128 (the scale spec's
    // 700-object cycle) makes rustc's auto-trait check (`Send` of a request future) recurse
    // past its default limit; a crate including such code must raise it, as this one does.
    let mut lib = String::from(
        "#![recursion_limit = \"2048\"]\n#![allow(dead_code, deprecated, unused, clippy::all)]\n\
         // The generated code reaches the runtime as `crate::runtime`, as in `atlas-streams`.\n\
         use atlas_streams_runtime as runtime;\n",
    );
    for (module, files) in crates {
        let _ = writeln!(lib, "pub mod {module} {{");
        for (stem, contents) in files {
            let file = format!("{module}_{stem}.rs");
            std::fs::write(dir.join("src").join(&file), contents).map_err(|e| e.to_string())?;
            let _ = writeln!(lib, "    pub mod {stem} {{ include!({file:?}); }}");
        }
        lib.push_str("}\n");
    }
    std::fs::write(dir.join("src/lib.rs"), lib).map_err(|e| e.to_string())?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--message-format", "short", "--lib"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        // Not the outer build's: the scratch crate is built on its own.
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let errors = String::from_utf8_lossy(&output.stderr);
        let errors: Vec<&str> = errors.lines().filter(|l| l.contains("error")).take(40).collect();
        Err(errors.join("\n"))
    }
}

/// The Rust files of a generation, as [`check_compiles`] takes them: (stem, contents).
pub fn rust_files<'a>(files: impl IntoIterator<Item = (&'a std::path::Path, &'a str)>) -> Vec<(String, String)> {
    files
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "rs"))
        .map(|(path, contents)| {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            (stem, contents.to_owned())
        })
        .collect()
}

/// The reference material that stays outside the repository, as `build.rs` found it when this
/// was built (`None` where it was missing; the tests that need it are then ignored, with the
/// reason, by `#[cfg_attr(not(reference_…), ignore = "…")]`).
pub mod reference {
    use std::path::PathBuf;

    /// The seed docs pages the project was created from (MongoDB's docs pages:
    /// `../shared/seeds`).
    pub fn seeds_dir() -> Option<PathBuf> {
        option_env!("ATLAS_STREAMS_SEEDS_DIR").map(PathBuf::from)
    }

    /// MongoDB's whole Admin API spec, 4 MB (`../shared/reference/atlas-admin-full.yaml`).
    pub fn admin_spec() -> Option<PathBuf> {
        option_env!("ATLAS_STREAMS_ADMIN_SPEC").map(PathBuf::from)
    }
}

/// The project README's examples are compiled as doctests (the client crate compiles its own
/// README, `generated/README.md`), so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
