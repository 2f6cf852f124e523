//! The bad-spec corpus (issue 5): the generator answers every input with generated code or
//! with located diagnostics, never with a panic.
//!
//! Each `tests/bad_specs/<name>.yaml` is wrong in exactly one way (its first comment says how).
//! The test generates each one and snapshots what the generator says
//! (`tests/snapshots/bad_specs__<name>.snap`): the report must name the right place (file, line,
//! column, JSON pointer) and say how to fix it. A fixture whose defect is legal but lossy
//! (`DEFECT (warning)`) generates, and is answered by its located warnings. Fixtures named
//! `ok_*.yaml` are awkward but valid and must generate; their snapshot lists the Rust names the
//! generator chose (and any warning), and `ok_specs_compile` compiles what each generates.
//! Fixtures named `any_*.yaml` may be answered either way, but must be answered. Generated code
//! is also checked for Rust names that clash (two parameters with one name, a request builder
//! named `Client`, ...), which rustc would reject.
//!
//! Every fixture is generated in a child process (this test binary, re-run with
//! `BAD_SPECS_CHILD` set), so a stack overflow or a hang in the generator fails this test with
//! the fixture's name instead of aborting the whole test binary. The child generates on a thread
//! with std's default 2 MiB stack, as a caller's worker thread (or a test thread) would have.

use std::fmt::Write as _;
use std::io::Read as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use atlas_streams_generator::ir::{Api, TypeKind};
use atlas_streams_generator::{generate_from_bytes, GenerateError};

/// Set in the child process: the fixture to generate.
const CHILD_ENV: &str = "BAD_SPECS_CHILD";
/// Set in the child process: where to write the outcome.
const OUT_ENV: &str = "BAD_SPECS_OUT";
/// How long one fixture may take (a debug build; every fixture takes milliseconds).
const TIMEOUT: Duration = Duration::from_secs(60);
/// The stack the generator runs on: std's default for spawned threads.
const STACK: usize = 2 * 1024 * 1024;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_specs")
}

fn fixtures() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("tests/bad_specs exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    found.sort();
    found
}

/// What generating one fixture did.
#[derive(Debug)]
enum Outcome {
    /// Generated code; the text lists the names chosen, then the warnings report (if any).
    Generated(String, String),
    /// Generated code with names that clash, so it cannot compile; the text lists them.
    Uncompilable(String),
    /// `GenerateError::Spec`; the text is the report.
    Spec(String),
    /// Another `GenerateError`.
    OtherError(String),
    /// The generator panicked, overflowed its stack, or hung; the text says how.
    Crashed(String),
}

/// What a fixture must be answered with, by its name's prefix.
#[derive(Clone, Copy)]
enum Expect {
    /// `ok_*`: generated code.
    Generated,
    /// `any_*`: generated code or diagnostics.
    Either,
    /// Everything else: diagnostics.
    Diagnostics,
}

/// The Rust names the generator chose, for reviewing the `ok_*` fixtures.
fn summary(api: &Api) -> String {
    let mut out = String::new();
    for ty in &api.types {
        match &ty.kind {
            TypeKind::Struct(s) => {
                let _ = writeln!(out, "struct {} ({})", ty.name, ty.origin);
                for f in &s.fields {
                    let _ = writeln!(out, "    {}: {:?} <- {:?} {:?}", f.name, f.ty, f.wire_name, f.presence);
                }
                let _ = writeln!(out, "    {}: extra", s.extra_field);
            }
            TypeKind::TaggedUnion(u) => {
                let _ = writeln!(out, "union {} ({}) tag {:?}", ty.name, ty.origin, u.tag);
                for v in &u.variants {
                    let _ = writeln!(out, "    {}({}) <- {:?}", v.name, v.ty, v.tag_value);
                }
                let _ = writeln!(out, "    {}", u.unknown_variant);
            }
            TypeKind::KeyedUnion(u) => {
                let _ = writeln!(out, "keyed union {} ({})", ty.name, ty.origin);
                for v in &u.variants {
                    let boxed = if v.boxed { " boxed" } else { "" };
                    let _ = writeln!(out, "    {}({:?}){boxed} <- {:?}", v.name, v.ty, v.key);
                }
                let _ = writeln!(out, "    {}", u.unknown_variant);
            }
            TypeKind::StringEnum(e) => {
                let _ = writeln!(out, "enum {} ({})", ty.name, ty.origin);
                for v in &e.values {
                    let _ = writeln!(out, "    {} <- {:?}", v.name, v.wire);
                }
                let _ = writeln!(out, "    {}", e.unknown_variant);
            }
            TypeKind::Pattern(p) => {
                let _ = writeln!(out, "pattern {} ({}) {:?}", ty.name, ty.origin, p.pattern);
            }
        }
    }
    for op in &api.operations {
        let _ = writeln!(
            out,
            "fn {} / {} <- {:?} {} {}: {:?} -> {:?}",
            op.method_name,
            op.builder_name,
            op.operation_id,
            op.method.as_str(),
            op.path,
            op.body.as_ref().map(|b| &b.ty),
            op.response.kind
        );
        for p in &op.params {
            let _ = writeln!(out, "    {}: {:?} <- {:?} {:?}", p.name, p.ty, p.wire_name, p.location);
        }
    }
    out
}

/// Names that make generated code fail to compile although generation succeeded: two items
/// with one name in one namespace, or an item that shadows a name the generated code uses.
fn name_clashes(api: &Api) -> Vec<String> {
    fn duplicates<'a>(what: &str, names: impl IntoIterator<Item = &'a str>, out: &mut Vec<String>) {
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            if !seen.insert(name.trim_start_matches("r#")) {
                out.push(format!("{what}: `{name}` twice"));
            }
        }
    }
    // Names builders.rs uses unqualified (std items; the client type in doc links), the client's own
    // methods, and every request builder's own methods and fields. (Checked with rustc: each
    // clash below fails to compile.)
    const BUILDER_TYPES: &[&str] = &[
        "Client", "From", "Into", "Option", "Some", "None", "Ok", "Result", "String",
    ];
    const CLIENT_METHODS: &[&str] = &["builder", "core"];
    const BUILDER_METHODS: &[&str] = &["version", "send", "send_with_response", "items", "into_future"];
    let mut out = Vec::new();
    duplicates("model types", api.types.iter().map(|t| t.name.as_str()), &mut out);
    duplicates(
        "client methods",
        api.operations.iter().map(|o| o.method_name.as_str()),
        &mut out,
    );
    duplicates(
        "request builders",
        api.operations.iter().map(|o| o.builder_name.as_str()),
        &mut out,
    );
    for ty in &api.types {
        match &ty.kind {
            TypeKind::Struct(s) => duplicates(
                &format!("fields of {}", ty.name),
                s.fields.iter().map(|f| f.name.as_str()).chain([s.extra_field.as_str()]),
                &mut out,
            ),
            TypeKind::TaggedUnion(u) => duplicates(
                &format!("variants of {}", ty.name),
                u.variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .chain([u.unknown_variant.as_str()]),
                &mut out,
            ),
            TypeKind::KeyedUnion(u) => duplicates(
                &format!("variants of {}", ty.name),
                u.variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .chain([u.unknown_variant.as_str()]),
                &mut out,
            ),
            TypeKind::StringEnum(e) => duplicates(
                &format!("variants of {}", ty.name),
                e.values
                    .iter()
                    .map(|v| v.name.as_str())
                    .chain([e.unknown_variant.as_str()]),
                &mut out,
            ),
            TypeKind::Pattern(_) => {}
        }
    }
    for op in &api.operations {
        if CLIENT_METHODS.contains(&op.method_name.trim_start_matches("r#")) {
            out.push(format!(
                "client method `{}` is also a built-in Client method",
                op.method_name
            ));
        }
        if BUILDER_TYPES.contains(&op.builder_name.as_str()) {
            out.push(format!(
                "request builder `{}` shadows a name builders.rs uses",
                op.builder_name
            ));
        }
        duplicates(
            &format!("parameters of {}", op.method_name),
            op.params.iter().map(|p| p.name.as_str()),
            &mut out,
        );
        for p in op.params.iter().filter(|p| !p.required) {
            if BUILDER_METHODS.contains(&p.name.trim_start_matches("r#")) {
                out.push(format!(
                    "the setter of parameter `{}` of {} is also a built-in builder method",
                    p.wire_name, op.method_name
                ));
            }
        }
    }
    out
}

/// The child's side: generate one fixture and write the outcome to a file.
#[test]
fn child_generates_one_fixture() {
    let (Ok(fixture), Ok(out)) = (std::env::var(CHILD_ENV), std::env::var(OUT_ENV)) else {
        return; // Not a child run: nothing to do.
    };
    let path = PathBuf::from(fixture);
    // Bytes, not text: a fixture may hold bytes that are not UTF-8, which the generator must
    // locate itself.
    let bytes = std::fs::read(&path).expect("fixture is readable");
    let name = PathBuf::from(path.file_name().expect("fixture has a name"));
    let result = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || std::panic::catch_unwind(AssertUnwindSafe(|| generate_from_bytes(&name, bytes))))
        .expect("a thread")
        .join()
        .expect("catch_unwind returns");
    let written = match result {
        Ok(Ok(generated)) => {
            let clashes = name_clashes(&generated.api);
            if clashes.is_empty() {
                let warnings = if generated.warnings.is_empty() {
                    String::new()
                } else {
                    generated.warnings.to_string()
                };
                format!("GENERATED\n{}\u{0}{warnings}", summary(&generated.api))
            } else {
                format!("CLASHES\n{}", clashes.join("\n"))
            }
        }
        Ok(Err(GenerateError::Spec(report))) => format!("SPEC\n{report}"),
        Ok(Err(other)) => format!("OTHER\n{other}"),
        Err(panic) => format!("PANIC\n{}", panic_message(&*panic)),
    };
    std::fs::write(out, written).expect("outcome is writable");
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}

/// The parent's side: runs the child for one fixture, with a timeout.
fn run_in_child(fixture: &Path) -> Outcome {
    let stem = fixture.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    let out = std::env::temp_dir().join(format!("bad_specs-{}-{stem}.out", std::process::id()));
    let _ = std::fs::remove_file(&out);
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "child_generates_one_fixture",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, fixture)
        .env(OUT_ENV, &out)
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the test binary can be re-run");
    // Drain stderr on a thread so a chatty child cannot block on a full pipe.
    let mut stderr_pipe = child.stderr.take().expect("piped stderr");
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break Some(status);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = stderr_reader.join().unwrap_or_default();
    let written = std::fs::read_to_string(&out).ok();
    let _ = std::fs::remove_file(&out);
    let Some(status) = status else {
        return Outcome::Crashed(format!("timed out after {TIMEOUT:?}"));
    };
    match written.as_deref().and_then(|w| w.split_once('\n')) {
        Some(("GENERATED", rest)) => {
            let (names, warnings) = rest.split_once('\u{0}').unwrap_or((rest, ""));
            Outcome::Generated(names.to_owned(), warnings.to_owned())
        }
        Some(("CLASHES", rest)) => Outcome::Uncompilable(rest.to_owned()),
        Some(("SPEC", rest)) => Outcome::Spec(rest.to_owned()),
        Some(("OTHER", rest)) => Outcome::OtherError(rest.to_owned()),
        Some(("PANIC", rest)) => Outcome::Crashed(format!("panicked: {rest}\n{}", tail(&stderr))),
        _ => Outcome::Crashed(format!(
            "the child process died ({status}) without an answer:\n{}",
            tail(&stderr)
        )),
    }
}

/// What a crashed child's stderr says about where: the panic location and the generator's
/// frames of the backtrace, or the stack overflow notice.
fn tail(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut keep = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.contains("panicked at") || line.contains("overflowed its stack") {
            keep.push(line.trim().to_owned());
        } else if line.contains("atlas_streams_generator::") {
            let at = lines.get(i + 1).map(|l| l.trim()).unwrap_or_default();
            keep.push(format!("    {} {at}", line.trim()));
        }
    }
    keep.truncate(16);
    keep.join("\n")
}

#[test]
fn every_bad_spec_is_answered_with_located_diagnostics() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 25, "the corpus has {} fixtures", fixtures.len());
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for fixture in &fixtures {
        let stem = fixture.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let bytes = std::fs::read(fixture).expect("fixture is readable");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.trim_start_matches('\u{feff}').starts_with("# "),
            "{stem}.yaml must start with a comment saying what is wrong with it"
        );
        let expected = match stem.split('_').next() {
            Some("ok") => Expect::Generated,
            Some("any") => Expect::Either,
            _ => Expect::Diagnostics,
        };
        let located = |report: &str| report.contains(&format!("--> {stem}.yaml")) && report.contains("= help: ");
        match (run_in_child(fixture), expected) {
            (Outcome::Generated(names, warnings), Expect::Generated | Expect::Either) => {
                if !warnings.is_empty() && !located(&warnings) {
                    failures.push(format!(
                        "{stem}: a warning lacks a location or a help line:\n{warnings}"
                    ));
                }
                snapshots.push((stem, format!("{names}{warnings}")));
            }
            // A lossy spec generates: its warnings are the answer.
            (Outcome::Generated(_, report), Expect::Diagnostics)
            | (Outcome::Spec(report), Expect::Diagnostics | Expect::Either) => {
                if report.is_empty() {
                    failures.push(format!(
                        "{stem}: generated code without a word, but the spec is wrong (see its comment)"
                    ));
                } else if !located(&report) {
                    failures.push(format!("{stem}: the report lacks a location or a help line:\n{report}"));
                }
                snapshots.push((stem, report));
            }
            (Outcome::Spec(report), Expect::Generated) => {
                failures.push(format!("{stem}: must generate, but:\n{report}"))
            }
            (Outcome::Uncompilable(clashes), _) => failures.push(format!(
                "{stem}: generated code that cannot compile (a diagnostic or other names were due):\n{clashes}"
            )),
            (Outcome::OtherError(e), _) => failures.push(format!("{stem}: not a spec diagnostic: {e}")),
            (Outcome::Crashed(how), _) => failures.push(format!("{stem}: CRASH: {how}")),
        }
    }
    // Every snapshot is compared (insta prints each difference), not just up to the first.
    for (stem, text) in snapshots {
        let compared = std::panic::catch_unwind(|| insta::assert_snapshot!(stem.as_str(), text));
        if compared.is_err() {
            failures.push(format!(
                "{stem}: the answer differs from tests/snapshots/bad_specs__{stem}.snap (see above)"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n\n")
    );
}

/// Every `ok_*` fixture's generated code compiles (one scratch crate, one `cargo check`): the
/// names the corpus test lists are only half the promise.
#[test]
fn ok_specs_compile() {
    let mut crates = Vec::new();
    for fixture in fixtures() {
        let stem = fixture.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        if !stem.starts_with("ok_") {
            continue;
        }
        let bytes = std::fs::read(&fixture).expect("fixture is readable");
        let name = PathBuf::from(format!("{stem}.yaml"));
        // The corpus test has already seen each of these generate in a child process.
        let generated = std::thread::Builder::new()
            .stack_size(8 * STACK)
            .spawn(move || generate_from_bytes(&name, bytes))
            .expect("a thread")
            .join()
            .expect("no panic")
            .unwrap_or_else(|e| panic!("{stem} must generate: {e}"));
        let files = atlas_streams_workspace::rust_files(
            generated.files.iter().map(|f| (f.path.as_path(), f.contents.as_str())),
        );
        crates.push((stem, files));
    }
    assert!(crates.len() >= 15, "{} ok fixtures", crates.len());
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    if let Err(errors) = atlas_streams_workspace::check_compiles(tmp, "ok_specs", &crates) {
        panic!("the code generated for the ok_* fixtures does not compile:\n{errors}");
    }
}
