//! Generator speed and scaling (issue 6, part 1).
//!
//! Times each stage of the generator (load, lower, render, format) and the whole run
//! (`generate_from_str`) on the project's spec, MongoDB's official Streams spec, the full Admin
//! spec and synthetic ×N replicas of the Streams spec, against a **bare parse** of the same
//! text (`serde_yaml` into `openapiv3::OpenAPI`, the least any generator reading this format
//! must do) measured in the same runs. Runs are interleaved (every step of one run, then the
//! next run) and each figure is the median over `--runs`.
//!
//! ```sh
//! cargo run --release -p atlas-streams-bench --bin generator-bench            # full
//! cargo run -p atlas-streams-bench --bin generator-bench -- --quick # CI smoke run (no Admin spec, any profile)
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The allocator of the generator's CLI, so the bench measures what `generate` costs; the bare
/// parse baseline runs on it too. Build with `--no-default-features` for the system allocator.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The allocator this build measures with, for the report.
const ALLOCATOR_NAME: &str = if cfg!(feature = "mimalloc") {
    "mimalloc (as the generator's CLI)"
} else {
    "the system allocator"
};

use atlas_streams_bench::args::Args;
use atlas_streams_bench::measure::{fmt_duration, fmt_ratio, ratio, timed, verdict, Samples};
use atlas_streams_bench::replicate::{count_operations, replicate};
use atlas_streams_bench::table::Table;
use atlas_streams_bench::{machine_summary, reference_dir, workspace_root};
use atlas_streams_generator::{emit, format, generate_from_str, generate_from_str_with, load, lower, Options};

/// Target: the official Streams spec end to end.
const STREAMS_TARGET: Duration = Duration::from_millis(20);
/// Target: the official Streams spec end to end, as a multiple of its bare parse (for a machine
/// other than the one [`STREAMS_TARGET`] was set on).
const STREAMS_TARGET_RATIO: f64 = 4.0;
/// Target: the full Admin spec end to end, as a multiple of its bare parse.
const ADMIN_TARGET_RATIO: f64 = 3.0;
/// Target: per-operation time at the largest scale, as a multiple of ×1.
const LINEARITY_TARGET: f64 = 1.5;
/// At most this many measured runs per input, however fast it is.
const MAX_RUNS: usize = 100;

/// One spec to measure.
struct Input {
    /// Row label.
    label: String,
    /// The file name given to the generator (it only names the source in headers).
    file: PathBuf,
    /// The YAML text.
    text: String,
    /// The replication factor of a synthetic input.
    scale: Option<usize>,
}

/// Medians of one input's runs.
#[derive(Default)]
struct Timings {
    operations: usize,
    bare: Samples,
    load: Samples,
    lower: Samples,
    render: Samples,
    format: Samples,
    /// The `syn` parse of the rendered tokens, the first half of `format`.
    parse: Samples,
    /// The `prettyplease` printing of the parsed items, the second half of `format`.
    print: Samples,
    emit: Samples,
    end_to_end: Samples,
    /// End to end with `Options::mocks` off (`generate --no-mocks`).
    without_mocks: Samples,
    /// End to end with a warm formatting cache (`Options::format_cache`, as `generate` run again
    /// on an unchanged spec: every item's formatted text is taken from the previous run).
    regenerate: Samples,
}

fn main() {
    let args = Args::parse(
        "Times the generator's stages and scaling against a bare serde_yaml parse of the same spec.",
        &[
            (
                "scales",
                "replication factors of the synthetic specs (default 1,10,100; quick 1,10)",
            ),
            (
                "min-seconds",
                "keep running an input past --runs until this much time is measured (default 3; quick 0)",
            ),
        ],
    );
    let runs = args.runs_or(1, 5);
    let min_time =
        Duration::from_secs_f64(
            args.number::<f64>("min-seconds")
                .unwrap_or(if args.quick { 0.0 } else { 3.0 }),
        );
    let scales = args
        .list::<usize>("scales")
        .unwrap_or_else(|| if args.quick { vec![1, 10] } else { vec![1, 10, 100] });
    let inputs = match inputs(&scales, !args.quick) {
        Ok(inputs) => inputs,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(1);
        }
    };
    println!("# Generator benchmark\n");
    println!(
        "Machine: {}. Allocator: {ALLOCATOR_NAME}. Median of at least {runs} run(s){}, more for small \
         inputs until {} of runs are measured (at most {MAX_RUNS}); the `runs` column says how many.\n",
        machine_summary(),
        if runs >= 3 { " after one warm-up run" } else { "" },
        fmt_duration(min_time),
    );
    let mut results = Vec::new();
    for input in &inputs {
        eprintln!("measuring {} ...", input.label);
        match measure(input, runs, min_time) {
            Ok(timings) => results.push((input, timings)),
            Err(message) => eprintln!("error: {}: {message}", input.label),
        }
    }
    print_stages(&results);
    print_scaling(&results);
    print_targets(&results);
    print_first_generation_floor(&results);
    if results.len() < inputs.len() {
        std::process::exit(1);
    }
}

/// The inputs: the three real specs (those that exist; the 4 MB Admin spec only with
/// `with_admin`, which a quick smoke run leaves out) and the synthetic replicas.
fn inputs(scales: &[usize], with_admin: bool) -> Result<Vec<Input>, String> {
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let official = read(&workspace_root().join("spec/upstream/atlas-streams-official.yaml"))?;
    let mut inputs = vec![
        Input {
            label: "spec/atlas-streams.yaml (project)".into(),
            file: PathBuf::from("atlas-streams.yaml"),
            text: read(&workspace_root().join("spec/atlas-streams.yaml"))?,
            scale: None,
        },
        Input {
            label: "atlas-streams-official.yaml".into(),
            file: PathBuf::from("atlas-streams-official.yaml"),
            text: official.clone(),
            scale: None,
        },
    ];
    let admin = reference_dir().join("atlas-admin-full.yaml");
    if !with_admin {
        eprintln!("note: quick mode: measuring without MongoDB's full Admin spec");
    } else if !admin.is_file() {
        eprintln!(
            "note: {} is not there (MongoDB's full Admin spec stays outside the repository): measuring without it",
            admin.display()
        );
    } else {
        inputs.push(Input {
            label: "atlas-admin-full.yaml".into(),
            file: PathBuf::from("atlas-admin-full.yaml"),
            text: read(&admin)?,
            scale: None,
        });
    }
    for &scale in scales {
        let text = replicate(&official, scale).map_err(|e| format!("cannot replicate the Streams spec: {e}"))?;
        inputs.push(Input {
            label: format!("synthetic Streams ×{scale}"),
            file: PathBuf::from(format!("streams-x{scale}.yaml")),
            text,
            scale: Some(scale),
        });
    }
    Ok(inputs)
}

/// Runs every step `runs` times (plus a warm-up when there are 3 or more runs), and more
/// times (up to [`MAX_RUNS`]) while less than `min_time` has been measured: a small spec takes
/// a few milliseconds, and a median of 5 such runs on a busy machine is mostly noise.
fn measure(input: &Input, runs: usize, min_time: Duration) -> Result<Timings, String> {
    let mut timings = Timings::default();
    let warm_up = usize::from(runs >= 3);
    let mut spent = Duration::ZERO;
    let mut run = 0;
    // The regeneration's cache, filled once before the runs (every run then finds every item).
    let cache_dir = std::env::temp_dir().join(format!(
        "atlas-streams-generator-bench-{}-{}",
        std::process::id(),
        input.file.display()
    ));
    let mut cached = Options::default();
    cached.format_cache = Some(cache_dir.join("format-cache"));
    generate_from_str_with(&input.file, &input.text, &cached).map_err(|e| format!("generate failed: {e}"))?;
    while run < warm_up + runs || (spent < min_time && run < warm_up + MAX_RUNS) {
        let (bare, bare_time) = timed(|| serde_yaml::from_str::<openapiv3::OpenAPI>(&input.text));
        let bare = bare.map_err(|e| format!("bare parse failed: {e}"))?;
        timings.operations = count_operations(&bare);
        drop(bare);

        let source = input.text.clone();
        let (loaded, load_time) = timed(|| load::parse(input.file.clone(), source));
        let loaded = loaded.map_err(|e| format!("load failed: {e}"))?;
        let (api, lower_time) = timed(|| lower::lower(&loaded.api));
        let api = api
            .map_err(|d| format!("lower failed with {} diagnostic(s)", d.len()))?
            .api;
        let name = input.file.to_string_lossy();
        let ((files, surface), render_time) = timed(|| emit::render(&api, &name));
        let (formatted, format_time) = timed(|| {
            files
                .into_iter()
                .map(|file| format::format_file(&file.header, file.items))
                .collect::<Result<Vec<String>, _>>()
        });
        formatted.map_err(|e| format!("format failed: {e}"))?;
        // The two halves of formatting, timed apart on the items rendered once more.
        let items: Vec<emit::Item> = emit::render(&api, &name)
            .0
            .into_iter()
            .flat_map(|file| file.items.into_iter().map(|rendered| rendered.item))
            .collect();
        // Item by item, as `format` does (each item's syntax tree is printed and dropped before
        // the next is parsed: holding them all would time the memory, not the parse).
        let (mut parse_time, mut print_time) = (Duration::ZERO, Duration::ZERO);
        for item in items {
            let (parsed, parsing) = timed(|| format::parse_item(item));
            let parsed = parsed.map_err(|e| format!("parse failed: {e}"))?;
            let (printed, printing) = timed(|| format::print_items(parsed));
            drop(printed);
            parse_time += parsing;
            print_time += printing;
        }
        let (emitted, emit_time) = timed(|| format::format_crate(&emit::Crate::new(&api, &name)));
        emitted.map_err(|e| format!("emit failed: {e}"))?;
        drop((loaded, api, surface));

        let (generated, end_to_end_time) = timed(|| generate_from_str(&input.file, &input.text));
        generated.map_err(|e| format!("generate failed: {e}"))?;
        let mut no_mocks = Options::default();
        no_mocks.mocks = false;
        let (generated, without_mocks_time) = timed(|| generate_from_str_with(&input.file, &input.text, &no_mocks));
        generated.map_err(|e| format!("generate --no-mocks failed: {e}"))?;
        let (generated, regenerate_time) = timed(|| generate_from_str_with(&input.file, &input.text, &cached));
        generated.map_err(|e| format!("generate with a format cache failed: {e}"))?;

        if run >= warm_up {
            timings.bare.push(bare_time);
            timings.load.push(load_time);
            timings.lower.push(lower_time);
            timings.render.push(render_time);
            timings.format.push(format_time);
            timings.parse.push(parse_time);
            timings.print.push(print_time);
            timings.emit.push(emit_time);
            timings.end_to_end.push(end_to_end_time);
            timings.without_mocks.push(without_mocks_time);
            timings.regenerate.push(regenerate_time);
            spent += bare_time + load_time + lower_time + render_time + format_time + emit_time + end_to_end_time;
            spent += without_mocks_time + regenerate_time;
        }
        run += 1;
    }
    let _ = std::fs::remove_dir_all(&cache_dir);
    Ok(timings)
}

fn print_stages(results: &[(&Input, Timings)]) {
    println!("## Stages and end to end (median)\n");
    println!(
        "`bare parse` is `serde_yaml::from_str::<openapiv3::OpenAPI>` of the same text, the baseline; \
         `load` is the generator's parse (with error paths); `render` (IR -> tokens) and `format` \
         (`syn` + `prettyplease`) are the public stage functions called one after the other on one \
         thread, `parse` and `print` the two halves of `format` timed apart (`syn::parse2` of every \
         item, then `prettyplease`); `emit` is both as `generate` runs them (`format::format_crate`, which may use every core); \
         `end to end` is `generate_from_str`, measured separately, `no mocks` the same with \
         `Options::mocks` off (`generate --no-mocks`), and `regenerate` the same with a warm \
         formatting cache (`Options::format_cache`, what `generate` does run again on an unchanged \
         spec: every item's formatted text is the previous run's).\n"
    );
    let mut table = Table::new(&[
        "spec",
        "ops",
        "YAML",
        "runs",
        "bare parse",
        "load",
        "lower",
        "render",
        "format",
        "parse",
        "print",
        "emit",
        "end to end",
        "end to end / bare parse",
        "no mocks",
        "no mocks / bare parse",
        "regenerate",
        "regenerate / bare parse",
    ]);
    for (input, t) in results {
        table.row(vec![
            input.label.clone(),
            t.operations.to_string(),
            format!("{} KiB", input.text.len() / 1024),
            t.end_to_end.len().to_string(),
            fmt_duration(t.bare.median()),
            fmt_duration(t.load.median()),
            fmt_duration(t.lower.median()),
            fmt_duration(t.render.median()),
            fmt_duration(t.format.median()),
            fmt_duration(t.parse.median()),
            fmt_duration(t.print.median()),
            fmt_duration(t.emit.median()),
            fmt_duration(t.end_to_end.median()),
            fmt_ratio(ratio(t.end_to_end.median(), t.bare.median())),
            fmt_duration(t.without_mocks.median()),
            fmt_ratio(ratio(t.without_mocks.median(), t.bare.median())),
            fmt_duration(t.regenerate.median()),
            fmt_ratio(ratio(t.regenerate.median(), t.bare.median())),
        ]);
    }
    println!("{}", table.render());
}

/// Per-operation time of each stage at each scale, and each relative to ×1.
fn print_scaling(results: &[(&Input, Timings)]) {
    let scaled: Vec<(usize, &Timings)> = results
        .iter()
        .filter_map(|(input, t)| input.scale.map(|s| (s, t)))
        .collect();
    let Some(&(base_scale, base)) = scaled.iter().min_by_key(|(s, _)| *s) else {
        return;
    };
    println!("## Scaling: synthetic replicas of the official Streams spec\n");
    println!(
        "Each replica renames every path, operation id, component and `$ref`. Per-operation time is \
         the median divided by the number of operations; the last column compares it with ×{base_scale} \
         (1.00× = perfectly linear).\n"
    );
    let mut table = Table::new(&[
        "scale",
        "ops",
        "end to end",
        "per op",
        "lower per op",
        "emit per op",
        "per op vs ×1",
    ]);
    let per_op = |d: Duration, ops: usize| d / ops.max(1) as u32;
    for (scale, t) in &scaled {
        let e2e = per_op(t.end_to_end.median(), t.operations);
        table.row(vec![
            format!("×{scale}"),
            t.operations.to_string(),
            fmt_duration(t.end_to_end.median()),
            fmt_duration(e2e),
            fmt_duration(per_op(t.lower.median(), t.operations)),
            fmt_duration(per_op(t.emit.median(), t.operations)),
            fmt_ratio(ratio(e2e, per_op(base.end_to_end.median(), base.operations))),
        ]);
    }
    println!("{}", table.render());
}

fn print_targets(results: &[(&Input, Timings)]) {
    let find = |label: &str| results.iter().find(|(i, _)| i.label == label).map(|(_, t)| t);
    let mut table = Table::new(&["target", "measured", "verdict"]);
    if let Some(t) = find("atlas-streams-official.yaml") {
        for (what, e2e) in [
            ("end to end", t.end_to_end.median()),
            ("regenerated (format cache warm)", t.regenerate.median()),
        ] {
            let r = ratio(e2e, t.bare.median());
            table.row(vec![
                format!(
                    "official Streams spec {what} ≤ {} (on another machine: ≤ {STREAMS_TARGET_RATIO}× its bare parse)",
                    fmt_duration(STREAMS_TARGET)
                ),
                format!(
                    "{} ({} bare parse: {})",
                    fmt_duration(e2e),
                    fmt_duration(t.bare.median()),
                    fmt_ratio(r)
                ),
                format!(
                    "{}; {}",
                    verdict(e2e.as_secs_f64(), STREAMS_TARGET.as_secs_f64()),
                    verdict(r, STREAMS_TARGET_RATIO)
                ),
            ]);
        }
    }
    if let Some(t) = find("atlas-admin-full.yaml") {
        for (what, e2e) in [
            ("end to end, with mocks (the default)", t.end_to_end.median()),
            ("end to end, without mocks (`--no-mocks`)", t.without_mocks.median()),
            ("regenerated (format cache warm, with mocks)", t.regenerate.median()),
        ] {
            let r = ratio(e2e, t.bare.median());
            table.row(vec![
                format!("full Admin spec ≤ {ADMIN_TARGET_RATIO}× its bare parse, {what}"),
                format!(
                    "{} ({} / {})",
                    fmt_ratio(r),
                    fmt_duration(e2e),
                    fmt_duration(t.bare.median())
                ),
                verdict(r, ADMIN_TARGET_RATIO),
            ]);
        }
    }
    let scaled: Vec<(usize, &Timings)> = results.iter().filter_map(|(i, t)| i.scale.map(|s| (s, t))).collect();
    let smallest = scaled.iter().min_by_key(|(s, _)| *s);
    let largest = scaled.iter().max_by_key(|(s, _)| *s);
    if let (Some((small, s)), Some((large, l))) = (smallest, largest) {
        if large > small {
            let per = |t: &Timings| t.end_to_end.median().as_secs_f64() / t.operations.max(1) as f64;
            let r = per(l) / per(s);
            table.row(vec![
                format!("per-operation time at ×{large} within {LINEARITY_TARGET}× of ×{small}"),
                fmt_ratio(r),
                verdict(r, LINEARITY_TARGET),
            ]);
        }
    }
    println!("## Targets\n");
    println!("{}", table.render());
}

/// The least a first generation could take on this machine, from the stages' own times: where
/// the end-to-end targets of the real specs are out of reach while formatting parses the tokens.
fn print_first_generation_floor(results: &[(&Input, Timings)]) {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut table = Table::new(&[
        "spec",
        "render",
        "parse",
        "print",
        "least end to end",
        "least without the parse",
        "target",
        "measured end to end",
    ]);
    let targets = [
        ("atlas-streams-official.yaml", STREAMS_TARGET_RATIO),
        ("atlas-admin-full.yaml", ADMIN_TARGET_RATIO),
    ];
    for (input, t) in results {
        let Some((_, target)) = targets.iter().find(|(label, _)| input.label == *label) else {
            continue;
        };
        let bare = t.bare.median();
        let of_bare = |d: Duration| ratio(d, bare);
        let (render, parse, print) = (
            of_bare(t.render.median()),
            of_bare(t.parse.median()),
            of_bare(t.print.median()),
        );
        let least = 1.0 + (render + parse + print) / cores as f64;
        let least_without_parse = 1.0 + (render + print) / cores as f64;
        table.row(vec![
            input.label.clone(),
            fmt_ratio(render),
            fmt_ratio(parse),
            fmt_ratio(print),
            fmt_ratio(least),
            fmt_ratio(least_without_parse),
            fmt_ratio(*target),
            fmt_ratio(of_bare(t.end_to_end.median())),
        ]);
    }
    if table.is_empty() {
        return;
    }
    println!("## Where a first generation's time goes\n");
    println!(
        "Each stage on one thread, as a multiple of the spec's bare parse. The least end to end \
         assumes that loading takes no longer than the bare parse, that lowering costs nothing, \
         and that rendering and formatting spread perfectly over this machine's {cores} core(s): \
         1 + (render + parse + print) / {cores}; the next column leaves the `syn` parse \
         out, as emitters that built `syn` trees instead of tokens would.\n"
    );
    println!("{}", table.render());
}
