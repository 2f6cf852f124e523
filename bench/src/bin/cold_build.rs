//! A user's cold build (issue 18): a program whose only API dependency is `atlas-streams`
//! against the same call written with reqwest + tokio + serde + serde_json by hand (the floor
//! any Atlas client needs), each built from nothing (`cargo build`, and `--release`).
//!
//! The two programs live in one scratch workspace with one lock file, the versions of this
//! workspace's `Cargo.lock` (see `atlas_streams_bench::cold`). Dependencies are fetched once,
//! untimed; then every timed build runs `--offline` in a fresh target directory, the two
//! programs alternating, and each figure is the median of `--runs N` builds. Besides wall time
//! it reports the CPU time of the build (user + system, from `/usr/bin/time`), which other work
//! on a shared machine disturbs less, and how many packages each build compiled.
//!
//! ```sh
//! cargo run --release -p atlas-streams-bench --bin cold-build               # full: 3 runs, debug and release
//! cargo run -p atlas-streams-bench --bin cold-build -- --quick              # CI: 1 run, debug only
//! cargo run --release -p atlas-streams-bench --bin cold-build -- --checkout ../before
//! ```
//!
//! Where the time goes inside one build: `cargo build --timings -p cold-client` in the scratch
//! directory (it is kept) writes cargo's per-crate report.

use std::path::{Path, PathBuf};

use atlas_streams_bench::args::Args;
use atlas_streams_bench::cold::{self, Builder, ColdBuild, Program};
use atlas_streams_bench::measure::{fmt_duration, fmt_ratio, ratio, verdict, Samples};
use atlas_streams_bench::table::Table;
use atlas_streams_bench::{machine_summary, workspace_root};

/// Targets of issue 18: (a)'s cold build time over (b)'s, per profile.
const DEBUG_TARGET: f64 = 1.25;
const RELEASE_TARGET: f64 = 1.4;

fn main() {
    let args = Args::parse(
        "Times a cold cargo build of a program using atlas-streams against the same call with reqwest + tokio + serde + serde_json.",
        &[
            ("profiles", "debug,release (default both; quick: debug)"),
            (
                "dir",
                "the scratch workspace, kept afterwards (default: <tmp>/atlas-streams-cold-build)",
            ),
            (
                "checkout",
                "the checkout whose generated/ crate program (a) uses (default: this one); the lock file stays this workspace's",
            ),
        ],
    );
    if let Err(message) = run(&args) {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

/// The builds of one program in one profile.
#[derive(Default)]
struct Runs {
    wall: Samples,
    cpu: Samples,
    compiled: Vec<usize>,
}

impl Runs {
    fn push(&mut self, build: ColdBuild) {
        self.wall.push(build.wall);
        if let Some(cpu) = build.cpu {
            self.cpu.push(cpu);
        }
        self.compiled.push(build.compiled);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let runs = args.runs_or(1, 3);
    let profiles: Vec<String> = args.list::<String>("profiles").unwrap_or_else(|| {
        let profiles: &[&str] = if args.quick { &["debug"] } else { &["debug", "release"] };
        profiles.iter().map(|p| p.to_string()).collect()
    });
    if let Some(bad) = profiles.iter().find(|p| *p != "debug" && *p != "release") {
        return Err(format!("unknown profile `{bad}` (expected debug or release)"));
    }
    let root = workspace_root();
    let checkout = args.get("checkout").map_or_else(|| root.clone(), PathBuf::from);
    let client_crate = std::fs::canonicalize(checkout.join("generated"))
        .map_err(|e| format!("no generated/ crate in {}: {e}", checkout.display()))?;
    let dir = args
        .get("dir")
        .map_or_else(|| std::env::temp_dir().join("atlas-streams-cold-build"), PathBuf::from);
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let runtime_manifest = read(&checkout.join("runtime/Cargo.toml"))?;
    let reqwest = cold::reqwest_version(&runtime_manifest)
        .ok_or("the runtime's manifest names no `reqwest = { version = ... }`")?;
    cold::write_workspace(&dir, &client_crate, &reqwest, &read(&root.join("Cargo.lock"))?)
        .map_err(|e| format!("cannot write the scratch workspace {}: {e}", dir.display()))?;

    let builder = Builder::new(dir.clone());
    eprintln!("fetching the dependencies into cargo's cache (untimed) ...");
    builder.fetch()?;
    let dependencies: Vec<usize> = Program::BOTH
        .iter()
        .map(|&p| builder.dependency_count(p))
        .collect::<Result<_, _>>()?;

    let mut results: Vec<[Runs; 2]> = profiles.iter().map(|_| Default::default()).collect();
    for run in 0..runs {
        for (p, profile) in profiles.iter().enumerate() {
            for (i, program) in Program::BOTH.into_iter().enumerate() {
                let build = builder.cold_build(program, profile == "release")?;
                eprintln!(
                    "run {}/{runs}: {profile} {}: {} (cpu {}), {} compiled",
                    run + 1,
                    program.package(),
                    fmt_duration(build.wall),
                    build.cpu.map_or_else(|| "?".to_owned(), fmt_duration),
                    build.compiled
                );
                results[p][i].push(build);
            }
        }
    }

    println!("# Cold build of a program using atlas-streams (issue 18)\n");
    println!(
        "{}; {runs} run(s) per median; program (a) on {}; scratch workspace {}.\n",
        machine_summary(),
        client_crate.display(),
        dir.display()
    );
    let mut table = Table::new(&[
        "profile",
        "(a) atlas-streams",
        "(b) floor",
        "ratio a/b",
        "target",
        "verdict",
        "cpu a",
        "cpu b",
        "cpu ratio",
        "compiled a",
        "compiled b",
    ]);
    for (profile, [a, b]) in profiles.iter().zip(&results) {
        let target = if profile == "release" {
            RELEASE_TARGET
        } else {
            DEBUG_TARGET
        };
        let wall_ratio = ratio(a.wall.median(), b.wall.median());
        let cpu = |runs: &Runs| {
            if runs.cpu.is_empty() {
                "?".to_owned()
            } else {
                fmt_duration(runs.cpu.median())
            }
        };
        let cpu_ratio = if a.cpu.is_empty() || b.cpu.is_empty() {
            "?".to_owned()
        } else {
            fmt_ratio(ratio(a.cpu.median(), b.cpu.median()))
        };
        table.row(vec![
            profile.clone(),
            fmt_duration(a.wall.median()),
            fmt_duration(b.wall.median()),
            fmt_ratio(wall_ratio),
            format!("≤ {}", fmt_ratio(target)),
            verdict(wall_ratio, target),
            cpu(a),
            cpu(b),
            cpu_ratio,
            compiled(&a.compiled),
            compiled(&b.compiled),
        ]);
    }
    println!("{}", table.render());
    println!(
        "Normal dependencies (`cargo tree -e normal`, distinct packages, the program not counted): (a) {}, (b) {}. \
         \"compiled\" counts cargo's `Compiling` lines (build dependencies included).",
        dependencies[0], dependencies[1]
    );
    Ok(())
}

/// The packages compiled, as one number when every run compiled the same.
fn compiled(counts: &[usize]) -> String {
    let (min, max) = (counts.iter().min(), counts.iter().max());
    match (min, max) {
        (Some(min), Some(max)) if min == max => min.to_string(),
        (Some(min), Some(max)) => format!("{min}-{max}"),
        _ => "?".to_owned(),
    }
}
