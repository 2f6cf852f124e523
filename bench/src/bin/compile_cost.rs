//! Compile cost of the generated code (issue 6, part 2).
//!
//! Builds scratch copies of the client crate (see `atlas_streams_bench::scratch`) whose
//! generated files come from (a) `spec/` and (b) the full Admin spec, generated here with the
//! generator library, and times `cargo check` and `cargo build` of each, with rustc's peak
//! memory from `/usr/bin/time -v`. The baseline, measured in the same run, is the same crate
//! with empty generated files (its `lib.rs` alone), so `(crate - baseline) / operations` is
//! what each generated operation (with its types) costs to compile.
//!
//! Dependencies, the runtime crate (`runtime/`, a path dependency of every scratch crate)
//! among them, are built once, untimed, into a target directory of their own (default
//! `target/compile-cost` in the workspace; `--target-dir` to change), and then only the crate
//! itself is rebuilt: its files are touched before each timed run, and builds are
//! non-incremental (`CARGO_INCREMENTAL=0`) so each compiles the whole crate. (Before the
//! runtime was a crate of its own, its modules were compiled with the crate in every timed run,
//! baseline included: the differences to the baseline mean the same, the absolute times and
//! the ratios no longer include the runtime.)
//!
//! ```sh
//! cargo run --release -p atlas-streams-bench --bin compile-cost            # full
//! cargo run -p atlas-streams-bench --bin compile-cost -- --quick # CI smoke run
//! ```

use std::path::{Path, PathBuf};

use atlas_streams_bench::args::Args;
use atlas_streams_bench::measure::{fmt_duration, fmt_ratio, ratio, verdict, Samples};
use atlas_streams_bench::scratch::{self, Cargo, GENERATED_RUST};
use atlas_streams_bench::table::Table;
use atlas_streams_bench::{machine_summary, reference_dir, workspace_root};
use atlas_streams_generator::{generate, GeneratedFile};

/// Target for the full Admin spec: `cargo check` wall time, in seconds.
const ADMIN_CHECK_TARGET_SECS: f64 = 20.0;
/// Target for the full Admin spec: rustc peak memory during `cargo check`, in GiB.
const ADMIN_CHECK_TARGET_GIB: f64 = 1.5;

/// One scratch crate.
struct Variant {
    name: &'static str,
    dir: PathBuf,
    operations: usize,
    generated_lines: usize,
}

/// The measurements of one variant and one cargo command.
#[derive(Default, Clone)]
struct Runs {
    wall: Samples,
    peak_kib: Option<u64>,
}

impl Runs {
    fn push(&mut self, run: scratch::CargoRun) {
        self.wall.push(run.wall);
        if let Some(kib) = run.max_rss_kib {
            self.peak_kib = Some(self.peak_kib.map_or(kib, |p| p.max(kib)));
        }
    }
}

fn main() {
    let args = Args::parse(
        "Times cargo check/build of the client crate with generated code against the crate without it.",
        &[
            (
                "dir",
                "where the scratch crates go (default: <tmp>/atlas-streams-compile-cost)",
            ),
            (
                "target-dir",
                "shared cargo target directory (default: <workspace>/target/compile-cost)",
            ),
            ("commands", "cargo commands to time (default check,build; quick: check)"),
            (
                "specs",
                "which crates besides the baseline: spec,admin (default both; quick: spec)",
            ),
        ],
    );
    if let Err(message) = run(&args) {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let runs = args.runs_or(1, 3);
    let commands: Vec<String> = args.list::<String>("commands").unwrap_or_else(|| {
        let commands: &[&str] = if args.quick { &["check"] } else { &["check", "build"] };
        commands.iter().map(|c| c.to_string()).collect()
    });
    let specs: Vec<String> = args.list::<String>("specs").unwrap_or_else(|| {
        let specs: &[&str] = if args.quick { &["spec"] } else { &["spec", "admin"] };
        specs.iter().map(|c| c.to_string()).collect()
    });
    let root = workspace_root();
    let dir = args.get("dir").map_or_else(
        || std::env::temp_dir().join("atlas-streams-compile-cost"),
        PathBuf::from,
    );
    let target_dir = args
        .get("target-dir")
        .map_or_else(|| root.join("target/compile-cost"), PathBuf::from);
    let cargo = Cargo::new(target_dir);

    let mut variants = vec![prepare("baseline (no operation)", &dir, "baseline", &root, None)?];
    for spec in &specs {
        let (name, path): (&'static str, PathBuf) = match spec.as_str() {
            "spec" => ("spec/", root.join("spec")),
            "admin" => ("full Admin spec", reference_dir().join("atlas-admin-full.yaml")),
            other => return Err(format!("unknown spec `{other}` (expected spec or admin)")),
        };
        eprintln!("generating {} ...", path.display());
        let generated = generate(&path).map_err(|e| format!("generating {} failed: {e}", path.display()))?;
        let operations = generated.api.operations.len();
        let mut variant = prepare(name, &dir, spec, &root, Some(&generated.files))?;
        variant.operations = operations;
        variants.push(variant);
    }

    // Untimed: builds the dependencies, once for all variants (they share the target directory
    // and the lock file). A variant that does not compile fails its first timed run.
    for command in &commands {
        eprintln!(
            "warm-up: cargo {command} of {} (builds the dependencies) ...",
            variants[0].name
        );
        let warm = cargo.run(&variants[0].dir, command)?;
        eprintln!("  {}", fmt_duration(warm.wall));
    }
    let mut results = vec![vec![Runs::default(); commands.len()]; variants.len()];
    for run in 0..runs {
        for (v, variant) in variants.iter().enumerate() {
            for (c, command) in commands.iter().enumerate() {
                scratch::touch(&variant.dir).map_err(|e| format!("cannot touch {}: {e}", variant.dir.display()))?;
                let measured = cargo.run(&variant.dir, command)?;
                eprintln!(
                    "run {}/{runs}: cargo {command} of {}: {}",
                    run + 1,
                    variant.name,
                    fmt_duration(measured.wall)
                );
                results[v][c].push(measured);
            }
        }
    }
    report(&variants, &commands, &results, runs, &cargo);
    Ok(())
}

/// Writes one scratch crate (`<dir>/<variant>`) and counts its generated lines.
fn prepare(
    name: &'static str,
    dir: &Path,
    variant: &str,
    root: &Path,
    files: Option<&[GeneratedFile]>,
) -> Result<Variant, String> {
    let dir = dir.join(variant);
    scratch::create(&dir, root, variant, files)
        .map_err(|e| format!("cannot write the scratch crate {}: {e}", dir.display()))?;
    let generated_lines = files
        .unwrap_or_default()
        .iter()
        .filter(|f| GENERATED_RUST.iter().any(|p| f.path == Path::new(p)))
        .map(|f| f.contents.lines().count())
        .sum();
    Ok(Variant {
        name,
        dir,
        operations: 0,
        generated_lines,
    })
}

fn fmt_memory(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".to_owned(), |k| format!("{:.0} MiB", k as f64 / 1024.0))
}

fn report(variants: &[Variant], commands: &[String], results: &[Vec<Runs>], runs: usize, cargo: &Cargo) {
    println!("# Compile cost of the generated code\n");
    println!(
        "Machine: {}. Median wall time of {runs} run(s) of `cargo <command> --offline --lib` \
         (non-incremental, dependencies prebuilt, only the crate rebuilt); peak memory is the \
         largest process's maximum resident set (rustc), the highest over the runs{}.\n",
        machine_summary(),
        if cargo.gnu_time {
            ""
        } else {
            " (n/a: /usr/bin/time is missing)"
        }
    );
    let mut header = vec!["crate".to_owned(), "ops".to_owned(), "generated lines".to_owned()];
    for command in commands {
        header.push(format!("cargo {command}"));
        header.push(format!("{command} peak memory"));
    }
    let mut table = Table::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for (variant, runs) in variants.iter().zip(results) {
        let mut row = vec![
            variant.name.to_owned(),
            variant.operations.to_string(),
            variant.generated_lines.to_string(),
        ];
        for r in runs {
            row.push(fmt_duration(r.wall.median()));
            row.push(fmt_memory(r.peak_kib));
        }
        table.row(row);
    }
    println!("{}", table.render());

    println!("## Against the baseline without operations\n");
    let mut table = Table::new(&[
        "crate",
        "command",
        "crate − baseline",
        "per operation",
        "crate / baseline",
    ]);
    let baseline = &results[0];
    for (variant, runs) in variants.iter().zip(results).skip(1) {
        for ((command, r), b) in commands.iter().zip(runs).zip(baseline) {
            let extra = r.wall.median().saturating_sub(b.wall.median());
            table.row(vec![
                variant.name.to_owned(),
                format!("cargo {command}"),
                fmt_duration(extra),
                fmt_duration(extra / variant.operations.max(1) as u32),
                fmt_ratio(ratio(r.wall.median(), b.wall.median())),
            ]);
        }
    }
    println!("{}", table.render());

    let admin = variants.iter().position(|v| v.name == "full Admin spec");
    let check = commands.iter().position(|c| c == "check");
    if let (Some(a), Some(c)) = (admin, check) {
        let r = &results[a][c];
        let secs = r.wall.median().as_secs_f64();
        let mut table = Table::new(&["target (full Admin spec)", "measured", "verdict"]);
        table.row(vec![
            format!("`cargo check` ≤ {ADMIN_CHECK_TARGET_SECS} s"),
            fmt_duration(r.wall.median()),
            verdict(secs, ADMIN_CHECK_TARGET_SECS),
        ]);
        let gib = r.peak_kib.map(|k| k as f64 / 1024.0 / 1024.0);
        table.row(vec![
            format!("`cargo check` peak memory ≤ {ADMIN_CHECK_TARGET_GIB} GiB"),
            gib.map_or_else(|| "n/a".to_owned(), |g| format!("{g:.2} GiB")),
            gib.map_or_else(|| "n/a".to_owned(), |g| verdict(g, ADMIN_CHECK_TARGET_GIB)),
        ]);
        println!("## Targets\n");
        println!("{}", table.render());
    }
}
