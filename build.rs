//! Regenerates the client from `spec/` (and from each fixture spec under `tests/fixtures/`)
//! into OUT_DIR on every build where they changed.
//!
//! A broken spec fails `cargo build` here with the generator's located diagnostics, and the
//! fresh output is what the drift test compares with the committed `generated/` crate and what
//! the fixture compile test `include!`s.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atlas_streams_generator::{generate, output};

fn main() -> ExitCode {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=spec");
    println!("cargo:rerun-if-changed=tests/fixtures");
    println!("cargo::rustc-check-cfg=cfg(official_spec)");

    let mut failed = false;
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
    // MongoDB's official Streams spec (beside the checkout in `shared/`) is real-world input the
    // generator must handle unchanged; `tests/official_spec.rs` compiles what comes out.
    let official = root.join("../shared/reference/atlas-streams-official.yaml");
    println!("cargo:rerun-if-changed={}", official.display());
    if official.is_file() {
        // MongoDB's own file is not ours to fix: its warnings (none today) are listed by
        // `tests/official_spec.rs`, not repeated on every build.
        failed |= !run(&official, &out.join("fixtures/official"), true);
        println!("cargo::rustc-cfg=official_spec");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
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
