//! Regenerates the client from `spec/` (and from each fixture spec under `tests/fixtures/`, and
//! from MongoDB's official Streams spec as last synced, `spec/upstream/`) into OUT_DIR on every
//! build where they changed.
//!
//! A broken spec fails `cargo build` here with the generator's located diagnostics, and the
//! fresh output is what the drift test compares with the committed `generated/` crate and what
//! the fixture compile test `include!`s.
//!
//! It also finds the reference material that stays outside the repository (MongoDB's docs
//! pages the project was made from, and the 4 MB full Admin spec; see `reference` below) and
//! tells the tests whether it is there (`cfg(reference_seeds)`, `cfg(reference_admin)`): a test
//! that needs it is ignored with the reason when it is not. Nothing here needs it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atlas_streams_generator::{generate, output};

/// Where the reference material is, when it is not `../shared` beside the checkout.
const REFERENCE_ENV: &str = "ATLAS_STREAMS_REFERENCE";
/// Set (to anything but `0` or empty) where the material must be there: CI, which has it, runs
/// every test that needs it, and a missing piece fails the build instead of ignoring tests.
const REQUIRE_ENV: &str = "ATLAS_STREAMS_REQUIRE_REFERENCE";

fn main() -> ExitCode {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=spec");
    println!("cargo:rerun-if-changed=tests/fixtures");

    let mut failed = !reference(&root);
    failed |= !run(&root.join("spec"), &out.join("spec"), false);
    let fixtures = root.join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    specs.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    specs.sort();
    for spec in specs {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        failed |= !run(&spec, &out.join("fixtures").join(stem), false);
    }
    // MongoDB's official Streams spec, as last synced, is real-world input the generator must
    // handle unchanged; `tests/official_spec.rs` compiles what comes out. MongoDB's own file is
    // not ours to fix: its warnings (none today) are listed by that test, not repeated on every
    // build.
    let official = root.join("spec/upstream/atlas-streams-official.yaml");
    failed |= !run(&official, &out.join("fixtures/official"), true);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Finds the reference material and passes what it found to the tests, as a `cfg` each and the
/// path in an environment variable (`option_env!`): the seed pages (`seeds/`, MongoDB's docs
/// pages, which are not ours to redistribute) and the full Admin spec
/// (`reference/atlas-admin-full.yaml`, 4 MB, the scale input). False when a piece is missing
/// although [`REQUIRE_ENV`] asks for it.
///
/// Only paths that exist are watched: cargo re-runs a build script on every build while a path
/// it watches is missing, which would rebuild every test of a clone that has no material. So
/// material added later is seen once `ATLAS_STREAMS_REFERENCE` changes or this script is
/// touched; the ignore reasons say so.
fn reference(root: &Path) -> bool {
    println!("cargo:rerun-if-env-changed={REFERENCE_ENV}");
    println!("cargo:rerun-if-env-changed={REQUIRE_ENV}");
    println!("cargo::rustc-check-cfg=cfg(reference_seeds, reference_admin)");
    let dir = std::env::var_os(REFERENCE_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    let required = std::env::var(REQUIRE_ENV).is_ok_and(|v| !v.is_empty() && v != "0");
    let pieces = [
        ("reference_seeds", "ATLAS_STREAMS_SEEDS_DIR", dir.join("seeds")),
        (
            "reference_admin",
            "ATLAS_STREAMS_ADMIN_SPEC",
            dir.join("reference/atlas-admin-full.yaml"),
        ),
    ];
    let mut complete = true;
    for (cfg, env, path) in pieces {
        if path.exists() {
            let path = path.canonicalize().unwrap_or(path);
            println!("cargo:rerun-if-changed={}", path.display());
            println!("cargo::rustc-cfg={cfg}");
            println!("cargo::rustc-env={env}={}", path.display());
        } else if required {
            eprintln!(
                "{} is missing, and {REQUIRE_ENV} asks for every piece of reference material: put the \
                 material beside the checkout (../shared) or name its directory in {REFERENCE_ENV}",
                path.display()
            );
            complete = false;
        }
    }
    complete
}

/// Generates one spec into `dir`; prints the diagnostics and returns false on failure. Each
/// warning becomes a `cargo:warning=` line (cargo shows them for this workspace's own build
/// scripts), unless `quiet`.
fn run(spec: &Path, dir: &Path, quiet: bool) -> bool {
    let result = generate(spec).and_then(|generated| {
        if !quiet {
            for line in generated.warnings.one_line_each() {
                println!("cargo:warning=atlas-streams: {line}");
            }
        }
        output::write(dir, &generated.files)
    });
    match result {
        Ok(_) => true,
        Err(error) => {
            eprintln!("{error}");
            println!(
                "cargo:warning=atlas-streams: generating from {} failed; the diagnostics follow below",
                spec.display()
            );
            false
        }
    }
}
