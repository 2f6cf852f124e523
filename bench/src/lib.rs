//! Benchmarks of the atlas-streams project (issue 6): the generator's speed and scaling, the
//! compile cost of the code it generates, and the generated client's runtime overhead.
//!
//! The machine these run on is shared and noisy, so every figure is a **ratio against a
//! baseline measured in the same run**, taken as the median of several interleaved runs:
//! - `generator-bench`: generation time against a bare `serde_yaml` parse of the same file, and
//!   per-operation time at ×1, ×10 and ×100 replicas of the official Streams spec;
//! - `compile-cost`: `cargo check`/`cargo build` of the client crate with generated code against
//!   the same crate with empty generated files (the runtime a prebuilt dependency of both);
//! - `runtime-bench`: a generated operation against the same request made with bare `reqwest`,
//!   and typed decoding of a page of connections against decoding into `serde_json::Value`
//!   (time, and the peak memory of a 200 MB page);
//! - `cold-build`: a user's cold `cargo build` of a program using the client against the same
//!   call written with reqwest + tokio + serde + serde_json by hand (issue 18).
//!
//! Each binary takes `--quick` (a CI smoke run, well under a minute once dependencies are
//! built) and `--runs N`, and prints Markdown tables. Nothing here asserts on time.

pub mod args;
pub mod checkout;
pub mod cold;
pub mod connections;
pub mod measure;
pub mod peak_memory;
pub mod replicate;
pub mod scratch;
pub mod server;
pub mod table;

use std::path::PathBuf;

/// The workspace root (the directory holding `spec/`, `generator/` and `generated/`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ lives inside the workspace")
        .to_owned()
}

/// The reference material beside the checkout (`../shared/reference`: MongoDB's full Admin
/// spec, which stays outside the repository), or where `ATLAS_STREAMS_REFERENCE` names.
pub fn reference_dir() -> PathBuf {
    std::env::var_os("ATLAS_STREAMS_REFERENCE")
        .map_or_else(|| workspace_root().join("../shared"), PathBuf::from)
        .join("reference")
}

/// The machine, as `nproc` and `free -h` would describe it, and how busy it was (the 1-minute
/// load average: other work on the machine slows every figure), for the report's header.
pub fn machine_summary() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown memory".to_owned());
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .map_or_else(String::new, |l| format!(", load average {l} at start"));
    format!("{cores} cores, {memory}, {profile} build{load}")
}
