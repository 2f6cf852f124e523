//! The command line as a user runs it: `generate` reports what changed in the Rust API,
//! `diff` lists every breaking and additive change between two specs and fails on breaking
//! ones, and `check` fails on stale output. Exit statuses: 0 yes, 1 no (breaking, stale,
//! warnings denied), 2 could not run (unreadable file, spec errors).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/diff")
        .join(name)
}

fn run(args: &[&str]) -> (Output, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_atlas-streams-generator"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output, text)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A fresh temporary directory holding `file` with `text`: (the directory, the file).
fn temp_spec(tag: &str, file: &str, text: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("atlas-streams-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join(file);
    std::fs::write(&spec, text).unwrap();
    (dir, spec)
}

#[test]
fn diff_lists_every_breaking_change_and_fails() {
    let (output, text) = run(&["diff", path(&fixture("base.yaml")), path(&fixture("breaking.yaml"))]);
    assert_eq!(output.status.code(), Some(1), "{text}");
    for expected in [
        "breaking  removed operation delete_thing (DELETE /groups/{groupId}/things/{name} -> ())",
        // A rename is a removal (breaking) and an addition.
        "breaking  removed field Thing.size (Option<i32> (`size`))",
        "breaking  changed field Thing.color: Option<ThingColor> (`color`) -> ThingColor (`color`)",
        "breaking  added operation list_things argument region (String (query `region`))",
        "breaking  removed variant ThingColor::Blue (`BLUE`)",
        "breaking  changed operation create_thing default version: 2023-02-01 -> 2025-01-01",
        // A newly required field is a new constructor argument.
        "breaking  changed constructor Thing::new: (name: impl Into<String>) -> (name: impl Into<String>, color: impl Into<ThingColor>)",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert!(
        text.contains("additive  added field Thing.size_bytes (Option<i64> (`sizeBytes`))"),
        "{text}"
    );
    assert!(
        !text.contains("removed operation delete_thing argument"),
        "a removed operation's parts are not listed: {text}"
    );
    assert!(
        text.contains("additive  added setter Thing.size_bytes (impl Into<i64> (`sizeBytes`))"),
        "{text}"
    );
    assert!(text.contains("12 change(s): 10 breaking, 2 additive"), "{text}");
}

#[test]
fn diff_of_additive_changes_succeeds() {
    let (output, text) = run(&["diff", path(&fixture("base.yaml")), path(&fixture("additive.yaml"))]);
    assert_eq!(output.status.code(), Some(0), "{text}");
    for expected in [
        "additive  added operation refresh_thing (POST /groups/{groupId}/things/{name}:refresh -> ())",
        "additive  added field Thing.label (Option<String> (`label`))",
        "additive  added variant ThingColor::Yellow (`YELLOW`)",
        "additive  added operation list_things setter color (String (query `color`))",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert!(!text.contains("breaking  "), "{text}");
    assert!(text.contains("0 breaking"), "{text}");
}

#[test]
fn generate_reports_api_changes_and_check_catches_staleness() {
    let out = std::env::temp_dir().join(format!("atlas-streams-cli-{}", std::process::id()));
    let out_arg = path(&out).to_owned();
    let (first, text) = run(&["generate", "--spec", path(&fixture("base.yaml")), "--out", &out_arg]);
    assert!(first.status.success(), "{text}");
    assert!(text.contains("3 operations") && text.contains("wrote"), "{text}");
    let (same, text) = run(&["check", "--spec", path(&fixture("base.yaml")), "--out", &out_arg]);
    assert!(same.status.success(), "{text}");
    let (stale, text) = run(&["check", "--spec", path(&fixture("additive.yaml")), "--out", &out_arg]);
    assert_eq!(stale.status.code(), Some(1), "{text}");
    assert!(text.contains("stale") && text.contains("+    Yellow,"), "{text}");
    let (again, text) = run(&["generate", "--spec", path(&fixture("additive.yaml")), "--out", &out_arg]);
    assert!(again.status.success(), "{text}");
    assert!(text.contains("the Rust API changed"), "{text}");
    assert!(
        text.contains("additive  added field Thing.label (Option<String> (`label`))"),
        "{text}"
    );
    let (unchanged, text) = run(&["generate", "--spec", path(&fixture("additive.yaml")), "--out", &out_arg]);
    assert!(
        unchanged.status.success() && text.contains("the Rust API is unchanged") && text.contains("unchanged"),
        "{text}"
    );
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_bad_spec_exits_non_zero_with_located_diagnostics() {
    let (dir, spec) = temp_spec(
        "bad",
        "bad.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n",
    );
    let out = dir.join("out");
    let (output, text) = run(&["generate", "--spec", path(&spec), "--out", path(&out)]);
    std::fs::remove_dir_all(&dir).ok();
    // The whole document is checked: a dangling reference fails even in a schema no operation
    // uses (which is, besides, a warning of its own). A spec with errors cannot be generated
    // from: status 2, not the 1 of "the answer is no".
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("bad.yaml:6:9 (#/components/schemas/A/$ref)"), "{text}");
    assert!(text.contains("1 error, 1 warning in "), "{text}");
    let (dir, spec) = temp_spec(
        "bad2",
        "bad.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
    );
    let (output, text) = run(&["generate", "--spec", path(&spec), "--out", path(&dir.join("out"))]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains("bad.yaml:11:24 (#/paths/~1a/get/responses/200/content/application~1json/schema/$ref)"),
        "{text}"
    );
}

#[test]
fn warnings_are_printed_and_fail_only_when_denied() {
    let (dir, spec) = temp_spec(
        "warn",
        "warn.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Unused: {type: string}\n",
    );
    let out = dir.join("out");
    let (output, text) = run(&["generate", "--spec", path(&spec), "--out", path(&out)]);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("warning: the schema `Unused` is not used by any operation") && text.contains("warn.yaml:6:5"),
        "{text}"
    );
    for command in ["generate", "check"] {
        let (output, text) = run(&[command, "--spec", path(&spec), "--out", path(&out), "--deny-warnings"]);
        assert_eq!(output.status.code(), Some(1), "{command}: {text}");
        assert!(text.contains("warnings are denied"), "{command}: {text}");
    }
    // `diff` gives no verdict on a spec whose warnings are denied: 2, never the 1 of "breaking".
    let (output, text) = run(&["diff", path(&spec), path(&spec), "--deny-warnings"]);
    assert_eq!(output.status.code(), Some(2), "diff: {text}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A release script tells "breaking" (1) from "could not compare" (2) and "additive" (0).
#[test]
fn diff_exit_statuses_tell_breaking_from_broken() {
    let base = fixture("base.yaml");
    let missing = fixture("no-such-spec.yaml");
    let (output, text) = run(&["diff", path(&missing), path(&base)]);
    assert_eq!(output.status.code(), Some(2), "unreadable old spec: {text}");
    assert!(text.contains("no-such-spec.yaml"), "the message names the file: {text}");
    let (output, text) = run(&["diff", path(&base), path(&missing)]);
    assert_eq!(output.status.code(), Some(2), "unreadable new spec: {text}");
    let (dir, broken) = temp_spec(
        "diff-broken",
        "broken.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n",
    );
    let (output, text) = run(&["diff", path(&base), path(&broken)]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(output.status.code(), Some(2), "a spec with errors: {text}");
    let (output, text) = run(&["diff", path(&base), path(&fixture("breaking.yaml"))]);
    assert_eq!(output.status.code(), Some(1), "breaking: {text}");
    let (output, text) = run(&["diff", path(&base), path(&fixture("additive.yaml"))]);
    assert_eq!(output.status.code(), Some(0), "additive: {text}");
    let (output, text) = run(&["diff", path(&base), path(&base)]);
    assert_eq!(output.status.code(), Some(0), "unchanged: {text}");
    let (output, text) = run(&["diff", "--help"]);
    assert!(output.status.success() && text.contains("Exit status:"), "{text}");
}

/// `check` says "stale" with 1, and "could not run" with 2.
#[test]
fn check_exit_statuses_tell_stale_from_broken() {
    let (output, text) = run(&[
        "check",
        "--spec",
        path(&fixture("no-such-spec.yaml")),
        "--out",
        "/nonexistent",
    ]);
    assert_eq!(output.status.code(), Some(2), "{text}");
    let (output, text) = run(&[
        "generate",
        "--spec",
        path(&fixture("no-such-spec.yaml")),
        "--out",
        "/nonexistent",
    ]);
    assert_eq!(output.status.code(), Some(2), "{text}");
}

/// A curated spec directory: `generate` applies the overlay to the upstream spec, writes the
/// curated spec and the client; `check` catches a curated spec that is stale; a point that no
/// longer fits upstream stops the run (2) with its location in the overlay and its reason.
#[test]
fn a_curated_spec_directory_is_applied_checked_and_refused_when_a_point_no_longer_fits() {
    let dir = std::env::temp_dir().join(format!("atlas-streams-cli-curated-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let spec = dir.join("spec");
    std::fs::create_dir_all(spec.join("upstream")).unwrap();
    std::fs::create_dir_all(spec.join("curation")).unwrap();
    std::fs::copy(fixture("base.yaml"), spec.join("upstream/api.yaml")).unwrap();
    let overlay = |description: &str, target: &str| {
        format!(
            "overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nextends: ../upstream/api.yaml\nactions:\n  - target: {target}\n    description: {description}\n    update:\n      title: Things (curated)\n"
        )
    };
    std::fs::write(spec.join("curation/api.overlay.yaml"), overlay("our title", "$.info")).unwrap();
    let out = dir.join("out");
    let (output, text) = run(&["generate", "--spec", path(&spec), "--out", path(&out)]);
    assert!(output.status.success(), "{text}");
    let curated = std::fs::read_to_string(spec.join("api.yaml")).unwrap();
    assert!(
        curated.starts_with("# @generated") && curated.contains("title: Things (curated)"),
        "{curated}"
    );
    let (output, text) = run(&["check", "--spec", path(&spec), "--out", path(&out)]);
    assert_eq!(output.status.code(), Some(0), "{text}");
    // The curation changes; the curated spec on disk is now stale.
    std::fs::write(
        spec.join("curation/api.overlay.yaml"),
        overlay("a new title", "$.info").replace("(curated)", "(ours)"),
    )
    .unwrap();
    let (output, text) = run(&["check", "--spec", path(&spec), "--out", path(&out)]);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("api.yaml") && text.contains("+  title: Things (ours)"),
        "{text}"
    );
    // A point whose target matches nothing upstream.
    std::fs::write(
        spec.join("curation/api.overlay.yaml"),
        overlay("the old info", "$.information"),
    )
    .unwrap();
    let (output, text) = run(&["generate", "--spec", path(&spec), "--out", path(&out)]);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("api.overlay.yaml:5:5 (#/actions/0/target)"), "{text}");
    assert!(
        text.contains("matches nothing") && text.contains("Its reason: the old info"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
