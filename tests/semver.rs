//! `diff`'s verdicts, proven by the compiler.
//!
//! Each case is a pair of small specs, the old one and the new one (`tests/semver/base.yaml`,
//! changed in one way by the case's replacements), and a consumer written against the crate
//! generated from the old spec: `uses_everything.rs` builds every model (required fields and
//! some optional ones), matches every enum and union, calls every operation; `behaviour.rs`
//! prints what a caller observes (the `Accept` header sent, decoded values read as the docs
//! advise); `uses_triangle.rs` uses a union variant that goes away. The test generates
//! both crates into a scratch workspace under the target directory (the runtime by path, one
//! shared target directory, offline), compiles each consumer against the old crate (it must
//! compile: a sanity check of the case) and against the new one, and runs the consumers of
//! the cases about behaviour (`run`), comparing what they print. Then `diff` must say
//! "breaking" exactly when the consumer stops compiling or prints something else, and the
//! case's own expectation must agree with both (so that a consumer that tests nothing cannot
//! pass).
//!
//! Everything is checked in two cargo invocations (`cargo check --keep-going` of all old
//! consumers, then of all new ones) and the behaviour cases are built in one more; the first
//! run on a machine also checks and builds the runtime's dependencies into the scratch target
//! directory, about two minutes on 2 cores; later runs take seconds.
//!
//! `cargo_semver_checks_agrees` (ignored: it needs `cargo-semver-checks` on PATH and builds
//! rustdoc JSON of every crate, minutes; CI installs the tool and runs it with `--ignored`) runs
//! the same pairs through `cargo semver-checks` and prints a table of its verdicts beside
//! `diff`'s and the compiler's. It fails when `diff` and the compiler disagree, or when the tool
//! could not give a verdict; where the tool disagrees with the compiler (it cannot see a changed
//! property type behind `impl Into`, nor a changed default version, which is behaviour) it names
//! the case instead of failing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use atlas_streams_bench::scratch::{self, Layout};
use atlas_streams_generator::surface::{self, Impact, Surface};
use atlas_streams_generator::{generate_from_str, Generated};
use atlas_streams_workspace::workspace_root;

/// One spec change and what it must mean for callers.
struct Case {
    /// The case's name.
    name: &'static str,
    /// Its consumer: `tests/semver/<consumer>.rs`.
    consumer: &'static str,
    /// Replacements turning `base.yaml` into the old spec (most cases start from the base).
    old: &'static [(&'static str, &'static str)],
    /// Replacements turning `base.yaml` into the new spec.
    new: &'static [(&'static str, &'static str)],
    /// The consumer's output is compared between the old and the new crate (a change of
    /// behaviour, not of the API); otherwise it is only compiled.
    run: bool,
    /// What `diff` and the compiler must both say.
    breaking: bool,
}

const THING_PROPERTIES: &str = "        size: {type: integer, format: int32}\n";
const COLORS: &str = "      enum: [RED, BLUE]\n";
const SQUARE_FILL: &str = "        side: {type: number}\n        fill: {type: string, enum: [SOLID, HOLLOW]}\n";
const SHAPES: &str = "          square: '#/components/schemas/Square'\n";
const SHAPE_MEMBERS: &str = "        - $ref: '#/components/schemas/Square'\n";
/// The replacements that add a `Triangle` variant to `Shape`.
const WITH_TRIANGLE: &[(&str, &str)] = &[
    (
        SHAPES,
        "          square: '#/components/schemas/Square'\n          triangle: '#/components/schemas/Triangle'\n",
    ),
    (
        SHAPE_MEMBERS,
        "        - $ref: '#/components/schemas/Square'\n        - $ref: '#/components/schemas/Triangle'\n",
    ),
    (
        "    Circle:\n",
        "    Triangle:\n      type: object\n      properties:\n        base: {type: number}\n    Circle:\n",
    ),
];
const STEP_MEMBERS: &str = "            $limit: {type: integer, format: int64}\n";
/// The replacements that add a `$rotate` member to the key-tagged union `Step`.
const WITH_ROTATE: &[(&str, &str)] = &[
    (
        STEP_MEMBERS,
        "            $limit: {type: integer, format: int64}\n        - type: object\n          required: [$rotate]\n          properties:\n            $rotate: {$ref: '#/components/schemas/Rotate'}\n",
    ),
    (
        "    Scale:\n",
        "    Rotate:\n      type: object\n      properties:\n        degrees: {type: integer, format: int32}\n    Scale:\n",
    ),
];
const LIST_PARAMS: &str = "        - {name: color, in: query, schema: {type: string}}\n";
const DELETE: &str = "    delete:\n      operationId: deleteThing\n";
const DELETE_VERSION: &str =
    "          description: Deleted\n          content:\n            application/vnd.atlas.2024-01-01+json: {}\n";

const CASES: &[Case] = &[
    Case {
        name: "add_optional_property",
        consumer: "uses_everything",
        old: &[],
        new: &[(THING_PROPERTIES, "        size: {type: integer, format: int32}\n        label: {type: string}\n")],
        run: false,
        breaking: false,
    },
    Case {
        name: "add_required_property",
        consumer: "uses_everything",
        old: &[],
        new: &[
            ("      required: [name]\n", "      required: [name, owner]\n"),
            (THING_PROPERTIES, "        size: {type: integer, format: int32}\n        owner: {type: string}\n"),
        ],
        run: false,
        breaking: true,
    },
    Case {
        name: "remove_property",
        consumer: "uses_everything",
        old: &[],
        new: &[(THING_PROPERTIES, "")],
        run: false,
        breaking: true,
    },
    Case {
        name: "change_property_type",
        consumer: "uses_everything",
        old: &[],
        new: &[(THING_PROPERTIES, "        size: {type: string}\n")],
        run: false,
        breaking: true,
    },
    Case {
        name: "add_enum_value",
        consumer: "behaviour",
        old: &[],
        new: &[(COLORS, "      enum: [RED, BLUE, GREEN]\n")],
        run: true,
        breaking: false,
    },
    Case {
        name: "add_value_to_enum_sharing_an_implementation",
        consumer: "behaviour",
        old: &[],
        new: &[(
            SQUARE_FILL,
            "        side: {type: number}\n        fill: {type: string, enum: [SOLID, HOLLOW, STRIPED]}\n",
        )],
        run: true,
        breaking: false,
    },
    Case {
        name: "remove_enum_value",
        consumer: "uses_everything",
        old: &[],
        new: &[(COLORS, "      enum: [RED]\n")],
        run: false,
        breaking: true,
    },
    Case {
        name: "add_union_variant",
        consumer: "behaviour",
        old: &[],
        new: WITH_TRIANGLE,
        run: true,
        breaking: false,
    },
    Case {
        name: "add_operation",
        consumer: "uses_everything",
        old: &[],
        new: &[(
            DELETE,
            "    post:\n      operationId: renameThing\n      parameters:\n        - {name: name, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: Renamed}\n    delete:\n      operationId: deleteThing\n",
        )],
        run: false,
        breaking: false,
    },
    Case {
        name: "remove_operation",
        consumer: "uses_everything",
        old: &[],
        new: &[(DELETE, "    x-removed:\n      operationId: deleteThing\n")],
        run: false,
        breaking: true,
    },
    Case {
        name: "add_optional_query_parameter",
        consumer: "uses_everything",
        old: &[],
        new: &[(
            LIST_PARAMS,
            "        - {name: color, in: query, schema: {type: string}}\n        - {name: pretty, in: query, schema: {type: boolean}}\n",
        )],
        run: false,
        breaking: false,
    },
    Case {
        name: "make_parameter_required",
        consumer: "uses_everything",
        old: &[],
        new: &[(LIST_PARAMS, "        - {name: color, in: query, required: true, schema: {type: string}}\n")],
        run: false,
        breaking: true,
    },
    Case {
        name: "change_default_version",
        consumer: "behaviour",
        old: &[],
        new: &[(
            DELETE_VERSION,
            "          description: Deleted\n          content:\n            application/vnd.atlas.2024-01-01+json: {}\n            application/vnd.atlas.2025-01-01+json: {}\n",
        )],
        run: true,
        breaking: true,
    },
    Case {
        name: "rename_schema",
        consumer: "uses_everything",
        old: &[],
        new: &[
            ("    Color:\n", "    Colour:\n"),
            ("        color: {$ref: '#/components/schemas/Color'}\n", "        color: {$ref: '#/components/schemas/Colour'}\n"),
        ],
        run: false,
        breaking: true,
    },
    Case {
        name: "remove_union_variant",
        consumer: "uses_triangle",
        old: WITH_TRIANGLE,
        new: &[],
        run: false,
        breaking: true,
    },
    Case {
        name: "add_keyed_union_variant",
        consumer: "behaviour",
        old: &[],
        new: WITH_ROTATE,
        run: true,
        breaking: false,
    },
    Case {
        name: "remove_keyed_union_variant",
        consumer: "uses_rotate",
        old: WITH_ROTATE,
        new: &[],
        run: false,
        breaking: true,
    },
];

/// The scratch workspace: `<target>/tmp/semver`.
fn scratch_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("semver")
}

/// `base.yaml` with `replacements` applied; each must match exactly once.
fn spec(case: &Case, replacements: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(workspace_root().join("tests/semver/base.yaml")).unwrap();
    for (from, to) in replacements {
        assert_eq!(
            text.matches(from).count(),
            1,
            "{}: `{from}` must occur once in the spec",
            case.name
        );
        text = text.replacen(from, to, 1);
    }
    text
}

fn generate(case: &Case, side: &str, text: &str) -> Generated {
    generate_from_str(Path::new(&format!("{}-{side}.yaml", case.name)), text)
        .unwrap_or_else(|e| panic!("{}: the {side} spec does not generate: {e}", case.name))
}

/// The old and new APIs of every case, and the scratch workspace holding their crates and
/// consumers (`<case>/old`, `<case>/new`, `<case>/consumer-old`, `<case>/consumer-new`).
fn prepare() -> Vec<(Surface, Surface)> {
    let dir = scratch_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let root = workspace_root();
    let mut members = Vec::new();
    let mut surfaces = Vec::new();
    for case in CASES {
        let old = generate(case, "old", &spec(case, case.old));
        let new = generate(case, "new", &spec(case, case.new));
        for (side, generated) in [("old", &old), ("new", &new)] {
            let variant = format!("{}-{side}", case.name.replace('_', "-"));
            let crate_dir = dir.join(case.name).join(side);
            // Only what changed is rewritten, so cargo's fingerprints stay fresh between runs.
            write_if_changed(&crate_dir, |tmp| {
                scratch::create_as(tmp, &root, &variant, Some(&generated.files), Layout::Member)
            });
            consumer(case, side, &dir);
            members.push(format!("{}/{side}", case.name));
            members.push(format!("{}/consumer-{side}", case.name));
        }
        surfaces.push((Surface::of(&old.api), Surface::of(&new.api)));
    }
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    write(&dir.join("Cargo.toml"), &manifest);
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    }
    surfaces
}

/// Writes `text` to `path` unless it already holds it.
fn write(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Creates a crate with `make` in a temporary directory and copies into `dir` only the files
/// that differ.
fn write_if_changed(dir: &Path, make: impl FnOnce(&Path) -> std::io::Result<()>) {
    let tmp = dir.with_extension("tmp");
    make(&tmp).unwrap();
    let generated = scratch::GENERATED_RUST.iter().chain(scratch::FEATURE_RUST);
    for relative in ["Cargo.toml", "src/lib.rs", "README.md", "api.txt"]
        .iter()
        .chain(generated)
    {
        let text = std::fs::read_to_string(tmp.join(relative)).unwrap();
        write(&dir.join(relative), &text);
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// The consumer of a case against one side: `tests/semver/<case>.rs` as a binary.
fn consumer(case: &Case, side: &str, dir: &Path) {
    let name = consumer_name(case, side);
    let crate_ = format!("{}-{side}", case.name.replace('_', "-"));
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [[bin]]\nname = \"{name}\"\npath = \"main.rs\"\n\n[dependencies]\n\
         atlas-streams = {{ package = \"atlas-streams-{crate_}\", path = \"../{side}\" }}\n\
         serde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n",
    );
    let path = workspace_root().join(format!("tests/semver/{}.rs", case.consumer));
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {}: {e}", case.name, path.display()));
    let consumer_dir = dir.join(case.name).join(format!("consumer-{side}"));
    write(&consumer_dir.join("Cargo.toml"), &manifest);
    write(&consumer_dir.join("main.rs"), &source);
}

fn consumer_name(case: &Case, side: &str) -> String {
    format!("{}-consumer-{side}", case.name.replace('_', "-"))
}

/// Runs cargo in the scratch workspace (offline, its own target directory).
fn cargo(args: &[&str]) -> std::process::Output {
    let dir = scratch_dir();
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .args(["--offline", "--message-format=json-diagnostic-rendered-ansi"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PRIMARY_PACKAGE")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// What one cargo invocation compiled: the targets that compiled, and the rendered errors of
/// each target that did not.
#[derive(Default)]
struct Compiled {
    ok: Vec<String>,
    errors: BTreeMap<String, String>,
}

fn compiled(output: &std::process::Output) -> Compiled {
    let mut out = Compiled::default();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let target = message["target"]["name"].as_str().unwrap_or_default().to_owned();
        let package = message["package_id"].as_str().unwrap_or_default().to_owned();
        let key = if target == "atlas_streams" { package } else { target };
        match message["reason"].as_str() {
            Some("compiler-artifact") => out.ok.push(key),
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
                out.errors.entry(key).or_default().push_str(rendered);
            }
            _ => {}
        }
    }
    out
}

/// Checks every consumer of one side (all at once, going on past failures).
fn check(side: &str) -> Compiled {
    let packages: Vec<String> = CASES.iter().map(|c| consumer_name(c, side)).collect();
    let mut args = vec!["check", "--keep-going"];
    for package in &packages {
        args.push("-p");
        args.push(package);
    }
    let output = cargo(&args);
    let result = compiled(&output);
    for case in CASES {
        let crate_package = format!("atlas-streams-{}-{side}", case.name.replace('_', "-"));
        assert!(
            result.ok.iter().any(|k| k.contains(&crate_package)),
            "{}: the crate generated from the {side} spec does not compile:\n{}\n{}",
            case.name,
            result
                .errors
                .iter()
                .filter(|(k, _)| k.contains(&crate_package))
                .map(|(_, e)| e.as_str())
                .collect::<String>(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    result
}

/// Builds and runs the behaviour cases' consumers; their output by consumer name.
fn run_consumers(new_compiled: &Compiled) -> BTreeMap<String, String> {
    let mut names = Vec::new();
    for case in CASES.iter().filter(|c| c.run) {
        names.push(consumer_name(case, "old"));
        if new_compiled.ok.contains(&consumer_name(case, "new")) {
            names.push(consumer_name(case, "new"));
        }
    }
    let mut args = vec!["build", "--keep-going"];
    for name in &names {
        args.push("-p");
        args.push(name);
    }
    let output = cargo(&args);
    assert!(
        output.status.success(),
        "building the behaviour consumers failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    names
        .into_iter()
        .map(|name| {
            let binary = scratch_dir().join("target/debug").join(&name);
            let run = Command::new(&binary).output().expect("the consumer runs");
            assert!(
                run.status.success(),
                "{name} failed: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            (name, String::from_utf8_lossy(&run.stdout).into_owned())
        })
        .collect()
}

/// The verdicts of one case.
#[derive(Debug)]
struct Verdicts {
    diff: bool,
    compile_fails: bool,
    output_changes: bool,
    changes: Vec<String>,
}

/// Every case's verdicts (the crates compiled and run once for all).
fn verdicts() -> Vec<Verdicts> {
    let surfaces = prepare();
    let old = check("old");
    for case in CASES {
        let name = consumer_name(case, "old");
        assert!(
            old.ok.contains(&name),
            "{}: the consumer does not compile against the old crate (the case is wrong):\n{}",
            case.name,
            old.errors.get(&name).map_or("", String::as_str)
        );
    }
    let new = check("new");
    let outputs = run_consumers(&new);
    CASES
        .iter()
        .zip(surfaces)
        .map(|(case, (before, after))| {
            let changes = surface::diff(&before, &after);
            let compile_fails = !new.ok.contains(&consumer_name(case, "new"));
            let output_changes = case.run
                && !compile_fails
                && outputs.get(&consumer_name(case, "old")) != outputs.get(&consumer_name(case, "new"));
            Verdicts {
                diff: changes.iter().any(|c| c.impact == Impact::Breaking),
                compile_fails,
                output_changes,
                changes: changes.iter().map(ToString::to_string).collect(),
            }
        })
        .collect()
}

#[test]
fn diff_says_breaking_exactly_when_a_consumer_breaks() {
    let mut failures = Vec::new();
    for (case, v) in CASES.iter().zip(verdicts()) {
        let compiler = v.compile_fails || v.output_changes;
        println!(
            "{:<45} diff: {:<9} compiler: {} (fails to compile: {}, output changes: {})",
            case.name,
            verdict(v.diff),
            verdict(compiler),
            v.compile_fails,
            v.output_changes
        );
        if v.diff != compiler || v.diff != case.breaking {
            failures.push(format!(
                "{}: diff says {}, the compiler {} (fails to compile: {}, output changes: {}), the case expects {}\n  {}",
                case.name,
                verdict(v.diff),
                verdict(compiler),
                v.compile_fails,
                v.output_changes,
                verdict(case.breaking),
                v.changes.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn verdict(breaking: bool) -> &'static str {
    if breaking {
        "breaking"
    } else {
        "additive"
    }
}

/// The same pairs through `cargo semver-checks` (rustdoc JSON of both crates, compared lint by
/// lint), as a table beside `diff`'s verdicts and the compiler's. Ignored: it needs the tool
/// and takes minutes; run it with `cargo test --test semver -- --ignored --nocapture` (CI does).
#[test]
#[ignore = "needs cargo-semver-checks on PATH (cargo install cargo-semver-checks --locked) and takes minutes; CI runs it"]
fn cargo_semver_checks_agrees() {
    let tool = Command::new("cargo").args(["semver-checks", "--version"]).output();
    assert!(
        tool.is_ok_and(|o| o.status.success()),
        "cargo-semver-checks is not installed: `cargo install cargo-semver-checks --locked`, then run this again"
    );
    let all = verdicts();
    let mut failures = Vec::new();
    let mut disagreements = Vec::new();
    let dir = scratch_dir().join("semver-checks");
    let root = workspace_root();
    let mut rows = vec![
        "| case | `diff` | compiler | `cargo semver-checks` |".to_owned(),
        "|---|---|---|---|".to_owned(),
    ];
    for (case, v) in CASES.iter().zip(all) {
        // Both sides under one package name, each a workspace of its own.
        for (side, replacements) in [("old", case.old), ("new", case.new)] {
            let generated = generate(case, side, &spec(case, replacements));
            let crate_dir = dir.join(case.name).join(side);
            write_if_changed(&crate_dir, |tmp| {
                scratch::create_as(tmp, &root, "case", Some(&generated.files), Layout::Standalone)
            });
            if !crate_dir.join("Cargo.lock").exists() {
                std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
            }
            let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
            if !manifest.contains("[workspace]") {
                write(&crate_dir.join("Cargo.toml"), &format!("{manifest}\n[workspace]\n"));
            }
        }
        let output = Command::new("cargo")
            .args(["semver-checks", "check-release", "--baseline-root"])
            .arg(dir.join(case.name).join("old"))
            .arg("--manifest-path")
            .arg(dir.join(case.name).join("new/Cargo.toml"))
            // It resolves every platform's dependencies (`cargo metadata`), so it may have
            // to fetch crates from the registry that the workspace never built.
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .output()
            .expect("cargo semver-checks runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let lints: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("--- failure "))
            .map(|l| l.split(':').next().unwrap_or(l))
            .collect();
        let tool_breaking = if output.status.success() {
            Some(false)
        } else if text.contains("semver requires new major version") {
            Some(true)
        } else {
            None
        };
        let checks = match tool_breaking {
            Some(false) => "additive".to_owned(),
            Some(true) => format!("breaking ({})", lints.join(", ")),
            None => {
                let reason = text.lines().find(|l| l.starts_with("error")).unwrap_or_default();
                failures.push(format!(
                    "{}: cargo semver-checks gave no verdict: {reason}\n{text}",
                    case.name
                ));
                format!("did not run: {reason}")
            }
        };
        let compiler_breaking = v.compile_fails || v.output_changes;
        let compiler = if v.compile_fails {
            "breaking (does not compile)"
        } else if v.output_changes {
            "breaking (output changes)"
        } else {
            "additive"
        };
        if v.diff != compiler_breaking {
            failures.push(format!(
                "{}: diff says {}, the compiler {compiler}",
                case.name,
                verdict(v.diff)
            ));
        }
        if tool_breaking.is_some_and(|tool| tool != compiler_breaking) {
            disagreements.push(format!(
                "{}: cargo semver-checks says {}, the compiler (and diff) {compiler}",
                case.name, checks
            ));
        }
        rows.push(format!(
            "| {} | {} | {compiler} | {checks} |",
            case.name,
            verdict(v.diff)
        ));
    }
    println!("{}", rows.join("\n"));
    // The tool's blind spots are named, not failed on: the compiler is the judge of a verdict.
    for line in &disagreements {
        println!("named, not failed: {line}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
