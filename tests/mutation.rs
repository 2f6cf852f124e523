//! Property test (issue 5): seeded random mutations of `spec/atlas-streams.yaml` never make the
//! generator panic. `Ok` and `Err` are both fine answers; a panic, a stack overflow or a hang is
//! not.
//!
//! Each case applies one to three mutations, chosen by a small xorshift generator from a fixed
//! seed: delete a line or a block, duplicate or swap lines, replace a scalar with another type or
//! garbage, break the indentation, point a `$ref` elsewhere (another schema, a missing one, the
//! enclosing schema itself, another section), insert bytes or Unicode, truncate the file.
//!
//! Every third accepted mutant is compiled (`cargo check` of one scratch crate holding them
//! all): accepting a spec promises code that compiles.
//!
//! The cases run in child processes (this test binary, re-run with `MUTATION_CHILD` set), so a
//! stack overflow or a hang is reported with its seed instead of aborting the whole binary; the
//! children split the seeds between the machine's cores. A failure prints the seed, the
//! mutations, the changed region of the text, and where the whole mutated text was written.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How many seeds are tried.
const CASES: u64 = 200;
/// Set in a child: `worker/workers`, the share of the seeds it runs.
const CHILD_ENV: &str = "MUTATION_CHILD";
/// Set in a child: the first seed index (of its share) to run.
const FROM_ENV: &str = "MUTATION_FROM";
/// Set in a child: the progress file it appends to.
const PROGRESS_ENV: &str = "MUTATION_PROGRESS";
/// How long one case may take before it counts as a hang (a debug build takes well under 1 s).
const CASE_TIMEOUT: Duration = Duration::from_secs(30);
/// Every how many accepted mutants one is compiled (all would take minutes on 2 cores).
const COMPILE_EVERY: usize = 3;
/// The stack each case runs on (the CLI's main thread has 8 MiB).
const STACK: usize = 8 * 1024 * 1024;

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/atlas-streams.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// xorshift64*: small, fast, and the same sequence everywhere for a seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Spread small seeds over the state; the state must never be zero.
        Rng(seed.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values a scalar may be replaced with: other types, other OpenAPI words, and garbage.
const SCALARS: &[&str] = &[
    "42",
    "-1",
    "3.5",
    "1e400",
    "true",
    "null",
    "~",
    "''",
    "[]",
    "{}",
    "[a, b]",
    "{type: banana}",
    "{type: array}",
    "{type: object, additionalProperties: {type: integer}}",
    "{$ref: '#/components/schemas/Nope'}",
    "{oneOf: [{type: string}, {type: integer}]}",
    "{allOf: []}",
    "{type: string, enum: [½, ①]}",
    "{type: string, pattern: '(['}",
    "object",
    "array",
    "cookie",
    "multipart/form-data",
    "'3.1.0'",
    "'2.0'",
    "é😀",
    "Thing½",
    "size²",
    "&anchor x",
    "*nope",
    "!!binary aGk=",
    "'unclosed",
    "- item",
    "a: b: c",
    "|",
    "\"\\u0000\"",
];

/// What may be inserted at a random byte offset.
const INSERTS: &[&str] = &[
    "\t",
    "\0",
    "\u{feff}",
    "é",
    "😀",
    "\u{202e}",
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    "- ",
    "#",
    "'",
    "\"",
    "\\",
    "\r",
    "\n",
    "\n  ",
    "\n    x: 1",
    "&a ",
    "*a",
    "!",
    "%",
    "@",
    "`",
    "?",
    "|",
    ">",
    "{{",
    "~1",
    "\u{0301}",
    "²",
    "½",
];

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The names under `components/schemas` (keys indented four spaces in that block).
fn schema_names(lines: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_components = false;
    let mut in_schemas = false;
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match indent_of(line) {
            0 => {
                in_components = trimmed.starts_with("components:");
                in_schemas = false;
            }
            2 => in_schemas = in_components && trimmed.starts_with("schemas:"),
            4 if in_schemas => {
                if let Some(name) = trimmed.strip_suffix(':') {
                    names.push(name.trim_matches(['\'', '"']).to_owned());
                }
            }
            _ => {}
        }
    }
    names
}

/// The component schema whose block holds line `at`, if any.
fn enclosing_schema(lines: &[String], at: usize, names: &[String]) -> Option<String> {
    lines[..=at].iter().rev().find_map(|line| {
        let name = line.strip_prefix("    ")?.strip_suffix(':')?;
        (!name.starts_with(' ') && names.iter().any(|n| n == name)).then(|| name.to_owned())
    })
}

/// Applies one random mutation to the spec's lines (line-level) or text (byte-level).
fn mutate_once(rng: &mut Rng, lines: &mut Vec<String>, names: &[String]) -> String {
    if lines.is_empty() {
        lines.push(String::new());
    }
    let n = lines.len();
    let at = rng.below(n);
    match rng.below(10) {
        0 => {
            lines.remove(at);
            format!("delete line {}", at + 1)
        }
        1 => {
            // The line and everything indented under it.
            let indent = indent_of(&lines[at]);
            let mut end = at + 1;
            while end < n && (lines[end].trim().is_empty() || indent_of(&lines[end]) > indent) {
                end += 1;
            }
            lines.drain(at..end);
            format!("delete the {} lines from line {}", end - at, at + 1)
        }
        2 => {
            let line = lines[at].clone();
            lines.insert(at, line);
            format!("duplicate line {}", at + 1)
        }
        3 => {
            let other = rng.below(n);
            lines.swap(at, other);
            format!("swap lines {} and {}", at + 1, other + 1)
        }
        4 => {
            // A line with `key: value`, searched from a random start.
            let value = *rng.pick(SCALARS);
            let found = (0..n).map(|k| (at + k) % n).find(|&i| lines[i].contains(": "));
            match found {
                Some(i) => {
                    let colon = lines[i].find(": ").unwrap_or_default();
                    lines[i].truncate(colon + 2);
                    lines[i].push_str(value);
                    format!("line {}: value becomes `{value}`", i + 1)
                }
                None => "no scalar to replace".to_owned(),
            }
        }
        5 => {
            let delta = *rng.pick(&[-3i64, -2, -1, 1, 2, 3]);
            let indent = (indent_of(&lines[at]) as i64 + delta).max(0) as usize;
            let text = lines[at].trim_start_matches(' ').to_owned();
            lines[at] = format!("{}{text}", " ".repeat(indent));
            format!("line {}: indentation {delta:+}", at + 1)
        }
        6 | 7 => {
            let refs: Vec<usize> = (0..n).filter(|&i| lines[i].contains("$ref:")).collect();
            if refs.is_empty() {
                return "no $ref to retarget".to_owned();
            }
            let i = refs[rng.below(refs.len())];
            let target = match rng.below(6) {
                // The schema the `$ref` sits in: direct recursion through whatever is between.
                0 | 1 => match enclosing_schema(lines, i, names) {
                    Some(name) => format!("#/components/schemas/{name}"),
                    None => format!("#/components/schemas/{}", rng.pick(names)),
                },
                2 => "#/components/schemas/DoesNotExist".to_owned(),
                3 => rng
                    .pick(&[
                        "#/components/parameters/groupId",
                        "#/components/responses/notFound",
                        "#/paths/~1api~1atlas~1v2~1groups~1{groupId}~1streams",
                        "#/components/schemas",
                        "#",
                        "other.yaml#/components/schemas/X",
                    ])
                    .to_string(),
                _ => format!("#/components/schemas/{}", rng.pick(names)),
            };
            let line = &mut lines[i];
            let start = line.find("$ref:").unwrap_or_default();
            let closing = if line[start..].contains('}') { "}" } else { "" };
            line.truncate(start);
            let _ = write!(line, "$ref: '{target}'{closing}");
            format!("line {}: $ref becomes `{target}`", i + 1)
        }
        8 => {
            let mut text = lines.join("\n");
            let mut offset = rng.below(text.len() + 1);
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let insert = *rng.pick(INSERTS);
            text.insert_str(offset, insert);
            *lines = text.split('\n').map(str::to_owned).collect();
            format!("insert {insert:?} at byte {offset}")
        }
        _ => {
            let mut text = lines.join("\n");
            let mut offset = rng.below(text.len() + 1);
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            text.truncate(offset);
            *lines = text.split('\n').map(str::to_owned).collect();
            format!("truncate at byte {offset}")
        }
    }
}

/// The mutated spec for a seed, with the mutations applied.
fn mutated(original: &str, seed: u64) -> (String, Vec<String>) {
    let mut rng = Rng::new(seed);
    let mut lines: Vec<String> = original.split('\n').map(str::to_owned).collect();
    let names = schema_names(&lines);
    let count = 1 + rng.below(3);
    let mutations = (0..count).map(|_| mutate_once(&mut rng, &mut lines, &names)).collect();
    (lines.join("\n"), mutations)
}

/// The seeds a worker runs.
fn seeds_of(worker: u64, workers: u64) -> Vec<u64> {
    (0..CASES).filter(|s| s % workers == worker).collect()
}

/// The child's side: runs its share of the seeds from `MUTATION_FROM`, logging each to the
/// progress file before it starts and after it ends.
#[test]
fn child_runs_mutation_cases() {
    let (Ok(share), Ok(progress)) = (std::env::var(CHILD_ENV), std::env::var(PROGRESS_ENV)) else {
        return; // Not a child run: nothing to do.
    };
    let (worker, workers) = share.split_once('/').expect("worker/workers");
    let (worker, workers): (u64, u64) = (worker.parse().expect("worker"), workers.parse().expect("workers"));
    let from: usize = std::env::var(FROM_ENV).ok().and_then(|f| f.parse().ok()).unwrap_or(0);
    let original = spec_text();
    let mut log = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&progress)
        .expect("progress file");
    // Panics are caught and reported through the progress file; keep stderr for crashes.
    std::panic::set_hook(Box::new(|_| {}));
    for seed in seeds_of(worker, workers).into_iter().skip(from) {
        let (text, _) = mutated(&original, seed);
        writeln!(log, "start {seed}").expect("progress");
        log.flush().expect("progress");
        let result = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                std::panic::catch_unwind(AssertUnwindSafe(|| {
                    atlas_streams_generator::generate_from_str(Path::new("atlas-streams.yaml"), &text).is_ok()
                }))
            })
            .expect("a thread")
            .join()
            .expect("catch_unwind returns");
        match result {
            Ok(generated) => writeln!(log, "done {seed} {}", if generated { "ok" } else { "err" }),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                writeln!(log, "panic {seed} {}", message.replace('\n', " "))
            }
        }
        .expect("progress");
        log.flush().expect("progress");
    }
}

/// One worker child and where it is.
struct Worker {
    index: u64,
    child: Child,
    progress: PathBuf,
    /// How many of the worker's seeds were handed to earlier children.
    from: usize,
    /// When the current case started (by the progress file).
    current: Option<(u64, Instant)>,
}

fn spawn_worker(index: u64, workers: u64, from: usize, progress: &Path) -> Child {
    Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "child_runs_mutation_cases",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, format!("{index}/{workers}"))
        .env(FROM_ENV, from.to_string())
        .env(PROGRESS_ENV, progress)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the test binary can be re-run")
}

/// What the progress file says: (seed, outcome) for every case, `None` while running.
fn read_progress(path: &Path) -> Vec<(u64, Option<String>)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out: Vec<(u64, Option<String>)> = Vec::new();
    for line in text.lines() {
        let mut parts = line.splitn(3, ' ');
        let (Some(kind), Some(seed)) = (parts.next(), parts.next().and_then(|s| s.parse().ok())) else {
            continue;
        };
        let rest = parts.next().unwrap_or_default();
        match kind {
            "start" => out.push((seed, None)),
            "done" => out.push((seed, Some(rest.to_owned()))),
            "panic" => out.push((seed, Some(format!("PANIC: {rest}")))),
            _ => {}
        }
    }
    // A finished case replaces its start line.
    let mut merged: Vec<(u64, Option<String>)> = Vec::new();
    for (seed, outcome) in out {
        match merged.last_mut() {
            Some(last) if last.0 == seed && outcome.is_some() => last.1 = outcome,
            _ => merged.push((seed, outcome)),
        }
    }
    merged
}

/// The changed region of the mutated text, with line numbers and a little context.
fn changed_region(original: &str, mutated: &str) -> String {
    let a: Vec<&str> = original.split('\n').collect();
    let b: Vec<&str> = mutated.split('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let start = prefix.saturating_sub(3);
    let end = (b.len() - suffix + 3).min(b.len());
    let mut out = String::new();
    for (i, line) in b.iter().enumerate().take(end).skip(start).take(80) {
        let mark = if i >= prefix && i < b.len() - suffix { '>' } else { ' ' };
        let _ = writeln!(out, "{mark}{:>5} | {line}", i + 1);
    }
    if end - start > 80 {
        let _ = writeln!(out, "  ... ({} more changed lines)", end - start - 80);
    }
    out
}

#[test]
fn mutated_specs_never_crash_the_generator() {
    let original = spec_text();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4) as u64;
    let dir = std::env::temp_dir().join(format!("mutation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let started = Instant::now();
    let mut running: Vec<Worker> = (0..workers)
        .map(|index| {
            let progress = dir.join(format!("worker-{index}-0.log"));
            Worker {
                index,
                child: spawn_worker(index, workers, 0, &progress),
                progress,
                from: 0,
                current: None,
            }
        })
        .collect();
    let mut outcomes: BTreeMap<u64, String> = BTreeMap::new();
    while !running.is_empty() {
        std::thread::sleep(Duration::from_millis(20));
        let mut still = Vec::new();
        for mut worker in running {
            let progress = read_progress(&worker.progress);
            let pending = progress.last().filter(|(_, o)| o.is_none()).map(|(s, _)| *s);
            let status = worker.child.try_wait().expect("child status");
            // A case that runs too long is a hang: end the child, which counts as a crash.
            let hung = match (pending, worker.current) {
                (Some(seed), Some((current, since))) if seed == current => since.elapsed() > CASE_TIMEOUT,
                (Some(seed), _) => {
                    worker.current = Some((seed, Instant::now()));
                    false
                }
                (None, _) => false,
            };
            if status.is_none() && !hung {
                still.push(worker);
                continue;
            }
            if hung {
                let _ = worker.child.kill();
            }
            let status = worker.child.wait().expect("child status");
            for (seed, outcome) in &progress {
                let outcome = match outcome {
                    Some(o) => o.clone(),
                    None if hung => format!("HANG: still running after {CASE_TIMEOUT:?}"),
                    None => {
                        format!("CRASH: the process died ({status}): a stack overflow, an abort or an uncaught panic")
                    }
                };
                outcomes.insert(*seed, outcome);
            }
            // Restart after the case that killed the child, if any seeds are left.
            let done = worker.from + progress.len();
            if done < seeds_of(worker.index, workers).len() && (pending.is_some() || !status.success()) {
                let from = done.max(worker.from + 1);
                let progress = dir.join(format!("worker-{}-{from}.log", worker.index));
                still.push(Worker {
                    index: worker.index,
                    child: spawn_worker(worker.index, workers, from, &progress),
                    progress,
                    from,
                    current: None,
                });
            }
        }
        running = still;
    }
    let _ = std::fs::remove_dir_all(&dir);

    let generated = outcomes.values().filter(|o| *o == "ok").count();
    let rejected = outcomes.values().filter(|o| *o == "err").count();
    println!(
        "{} mutated specs in {:.1?}: {generated} generated, {rejected} rejected with diagnostics",
        outcomes.len(),
        started.elapsed()
    );
    let mut report = String::new();
    for (seed, outcome) in outcomes.iter().filter(|(_, o)| *o != "ok" && *o != "err") {
        let (text, mutations) = mutated(&original, *seed);
        let saved = std::env::temp_dir().join(format!("mutation-seed-{seed}.yaml"));
        let _ = std::fs::write(&saved, &text);
        let _ = writeln!(
            report,
            "seed {seed}: {outcome}\n  mutations: {mutations:?}\n  whole mutated text: {}\n{}",
            saved.display(),
            changed_region(&original, &text)
        );
    }
    let missing: Vec<u64> = (0..CASES).filter(|s| !outcomes.contains_key(s)).collect();
    assert!(missing.is_empty(), "seeds never run: {missing:?}");
    assert!(report.is_empty(), "the generator crashed on mutated specs:\n\n{report}");

    // What is accepted must compile: every COMPILE_EVERY-th accepted mutant, in one scratch
    // crate (one `cargo check`), regenerated here (each already generated in a child).
    let accepted: Vec<u64> = outcomes.iter().filter(|(_, o)| *o == "ok").map(|(s, _)| *s).collect();
    let mut crates = Vec::new();
    for seed in accepted.iter().step_by(COMPILE_EVERY) {
        let (text, _) = mutated(&original, *seed);
        let generated = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || atlas_streams_generator::generate_from_str(Path::new("atlas-streams.yaml"), &text))
            .expect("a thread")
            .join()
            .expect("it generated in the child")
            .expect("it generated in the child");
        let files = atlas_streams_workspace::rust_files(
            generated.files.iter().map(|f| (f.path.as_path(), f.contents.as_str())),
        );
        crates.push((format!("seed_{seed}"), files));
    }
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    if let Err(errors) = atlas_streams_workspace::check_compiles(tmp, "mutation", &crates) {
        panic!("accepted mutants generate code that does not compile (module = seed):\n{errors}");
    }
}

/// Mutations depend on the seed only, and nearly every seed changes the spec.
#[test]
fn mutations_are_reproducible() {
    let original = spec_text();
    for seed in [0, 1, 17, 199] {
        assert_eq!(mutated(&original, seed).0, mutated(&original, seed).0);
    }
    let changed = (0..CASES).filter(|&s| mutated(&original, s).0 != original).count();
    assert!(
        changed as u64 > CASES * 9 / 10,
        "only {changed} of {CASES} cases change the spec"
    );
}
