//! Scratch copies of the client crate for the compile-cost bench, and the timed `cargo` runs.
//!
//! A scratch crate is `generated/` as a standalone package: its hand-written `src/lib.rs` and
//! the `README.md` that is its crate documentation, its `Cargo.toml` with the workspace
//! inheritance resolved, relative `path` dependencies made absolute (the runtime: the
//! workspace's own `runtime/` crate, not a copy) and without `[dev-dependencies]` or
//! `[[example]]`, the workspace's `Cargo.lock` (so the same dependency versions are used,
//! `--offline`), and the generated files of whatever spec is being measured, or those of an
//! empty spec for the baseline.

use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use atlas_streams_generator::GeneratedFile;

use crate::measure::run_timed;

/// The generated Rust files the crate compiles by default, relative to the crate root; in the
/// baseline, those of a spec with no operation.
pub const GENERATED_RUST: &[&str] = &[
    "src/models.rs",
    "src/operations.rs",
    "src/builders.rs",
    "src/waiters.rs",
];

/// Generated files the crate compiles only with a feature (`test-util`: the mocks). They are
/// written (in the baseline too), so that `lib.rs` finds them, but the scratch crates build
/// without the feature: what is measured is what a crate using the client compiles.
pub const FEATURE_RUST: &[&str] = &["src/mocks.rs"];

/// The spec the runtime-only baseline is generated from: no operation and no schema, so the
/// generated files hold only what every client has (the `Client` type, its builder alias and
/// the runtime re-exports `lib.rs` relies on). Generated rather than written here, so the
/// baseline follows the generator's shape instead of drifting from it.
const BASELINE_SPEC: &str = "openapi: 3.0.1
info:
  title: Runtime-only baseline
  version: '1.0'
paths: {}
";

/// Manifest sections a standalone build of the library does not need.
const DROPPED_SECTIONS: &[&str] = &["[dev-dependencies]", "[[example]]", "[[test]]", "[[bench]]", "[lints]"];

/// How a scratch crate is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A workspace of its own, with the workspace's `Cargo.lock` (the compile-cost bench).
    Standalone,
    /// A member of a scratch workspace around it, which holds the lock file (the semver tests
    /// build many crates in one cargo invocation).
    Member,
}

/// Writes a scratch crate into `dir` (replacing what was there) from the workspace's
/// `generated/` crate, with `files` as its generated files (`None`: those of a spec with no
/// operation or schema, the runtime-only baseline).
///
/// The package is renamed `<name>-<variant>` (the library keeps its name): cargo hashes a
/// workspace root's artifacts by its name and version, not its path, so scratch crates sharing
/// one target directory under the same name would overwrite each other's artifacts and
/// fingerprints.
pub fn create(dir: &Path, workspace: &Path, variant: &str, files: Option<&[GeneratedFile]>) -> std::io::Result<()> {
    create_as(dir, workspace, variant, files, Layout::Standalone)
}

/// [`create`], as a crate of its own or as a member of a workspace around `dir`.
pub fn create_as(
    dir: &Path,
    workspace: &Path,
    variant: &str,
    files: Option<&[GeneratedFile]>,
    layout: Layout,
) -> std::io::Result<()> {
    let source = workspace.join("generated");
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::copy(source.join("src/lib.rs"), dir.join("src/lib.rs"))?;
    std::fs::copy(source.join("README.md"), dir.join("README.md"))?;
    let manifest = std::fs::read_to_string(source.join("Cargo.toml"))?;
    let root_manifest = std::fs::read_to_string(workspace.join("Cargo.toml"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        manifest_as(&manifest, &root_manifest, variant, &source, layout),
    )?;
    if layout == Layout::Standalone {
        std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    }
    match files {
        Some(files) => {
            for file in files {
                let path = dir.join(&file.path);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(path, &file.contents)?;
            }
        }
        None => {
            let baseline = atlas_streams_generator::generate_from_str(Path::new("baseline.yaml"), BASELINE_SPEC)
                .map_err(|e| std::io::Error::other(format!("cannot generate the baseline: {e}")))?;
            for file in &baseline.files {
                if GENERATED_RUST
                    .iter()
                    .chain(FEATURE_RUST)
                    .any(|p| file.path == Path::new(p))
                {
                    std::fs::write(dir.join(&file.path), &file.contents)?;
                }
            }
        }
    }
    Ok(())
}

/// The crate's manifest as a standalone package: `key.workspace = true` replaced by the root's
/// `[workspace.package]` value, a relative `path = "..."` made absolute against `crate_dir`
/// (where the manifest came from), test-only sections dropped, the package renamed
/// `<name>-<variant>` with the library keeping the original name, and an empty `[workspace]`
/// so it is not taken for a member of any workspace around it.
///
/// The runtime stays a path dependency on the workspace's `runtime/` crate: the warm-up builds
/// it once like any other dependency, and the timed runs compile only the scratch crate.
pub fn standalone_manifest(manifest: &str, root_manifest: &str, variant: &str, crate_dir: &Path) -> String {
    manifest_as(manifest, root_manifest, variant, crate_dir, Layout::Standalone)
}

/// [`standalone_manifest`], or the same without the empty `[workspace]` for a [`Layout::Member`].
fn manifest_as(manifest: &str, root_manifest: &str, variant: &str, crate_dir: &Path, layout: Layout) -> String {
    let inherited = workspace_package(root_manifest);
    let mut out = String::new();
    let (mut section, mut lib_name) = (String::new(), None);
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_owned();
        }
        if DROPPED_SECTIONS.contains(&section.as_str()) {
            continue;
        }
        let name = (section == "[package]")
            .then(|| trimmed.strip_prefix("name = \""))
            .flatten()
            .and_then(|rest| rest.strip_suffix('"'));
        if let Some(name) = name {
            lib_name = Some(name.replace('-', "_"));
            out.push_str(&format!("name = \"{name}-{variant}\"\n"));
            continue;
        }
        let replaced = trimmed
            .strip_suffix(".workspace = true")
            .and_then(|key| inherited.iter().find(|(k, _)| k == key))
            .map(|(key, value)| format!("{key} = {value}"))
            .or_else(|| absolute_path_dependency(line, crate_dir));
        out.push_str(replaced.as_deref().unwrap_or(line));
        out.push('\n');
    }
    if let Some(lib_name) = lib_name.filter(|_| !manifest.lines().any(|l| l.trim() == "[lib]")) {
        out.push_str(&format!("\n[lib]\nname = \"{lib_name}\"\n"));
    }
    if layout == Layout::Standalone {
        out.push_str("\n[workspace]\n");
    }
    out
}

/// `line` with its relative `path = "..."` (of an inline dependency table) resolved against
/// `crate_dir`, or `None` if it has none. The scratch crate lives elsewhere, so a path relative
/// to `generated/` would point nowhere.
fn absolute_path_dependency(line: &str, crate_dir: &Path) -> Option<String> {
    const KEY: &str = "path = \"";
    let start = line.find(KEY)? + KEY.len();
    let end = start + line[start..].find('"')?;
    let path = Path::new(&line[start..end]);
    if path.is_absolute() {
        return None;
    }
    let mut absolute = crate_dir.to_path_buf();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                absolute.pop();
            }
            Component::CurDir => {}
            other => absolute.push(other),
        }
    }
    // TOML basic strings treat `\` as an escape: written as a literal string instead.
    Some(format!(
        "{}path = '{}'{}",
        &line[..start - KEY.len()],
        absolute.display(),
        &line[end + 1..]
    ))
}

/// The `key = value` lines of the root manifest's `[workspace.package]` section.
fn workspace_package(root_manifest: &str) -> Vec<(String, String)> {
    let mut in_section = false;
    let mut values = Vec::new();
    for line in root_manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed == "[workspace.package]";
        } else if in_section {
            if let Some((key, value)) = trimmed.split_once('=') {
                values.push((key.trim().to_owned(), value.trim().to_owned()));
            }
        }
    }
    values
}

/// Sets the modification time of the generated files to now, so cargo rebuilds the crate (and
/// only the crate: its dependencies stay fresh).
pub fn touch(dir: &Path) -> std::io::Result<()> {
    let now = SystemTime::now();
    for path in GENERATED_RUST.iter().copied().chain(["src/lib.rs"]) {
        std::fs::File::options()
            .write(true)
            .open(dir.join(path))?
            .set_modified(now)?;
    }
    Ok(())
}

/// One timed cargo invocation.
#[derive(Clone, Copy, Debug)]
pub struct CargoRun {
    /// Wall time of the whole `cargo` command.
    pub wall: Duration,
    /// Peak resident memory of the largest process in the tree (rustc), if `/usr/bin/time` was
    /// there to measure it.
    pub max_rss_kib: Option<u64>,
}

/// How to run cargo on scratch crates.
#[derive(Clone, Debug)]
pub struct Cargo {
    /// The cargo binary (`$CARGO` when run by cargo, else `cargo`).
    pub program: PathBuf,
    /// The target directory shared by every scratch crate, so dependencies are built once.
    pub target_dir: PathBuf,
    /// Whether `/usr/bin/time -v` is available for peak memory.
    pub gnu_time: bool,
}

impl Cargo {
    /// Cargo with the given shared target directory.
    pub fn new(target_dir: PathBuf) -> Self {
        Cargo {
            program: std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from),
            target_dir,
            gnu_time: Path::new("/usr/bin/time").is_file(),
        }
    }

    /// Runs `cargo <subcommand> --offline` in `dir` (non-incremental, so every run compiles the
    /// whole crate) and measures it; fails with cargo's output if the build fails.
    pub fn run(&self, dir: &Path, subcommand: &str) -> Result<CargoRun, String> {
        let mut command = if self.gnu_time {
            let mut c = Command::new("/usr/bin/time");
            c.arg("-v").arg(&self.program);
            c
        } else {
            Command::new(&self.program)
        };
        command
            .arg(subcommand)
            .args(["--offline", "--quiet", "--lib"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TERM_COLOR", "never")
            // The bench may run under `cargo run`, whose variables must not leak into the build.
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("CARGO_PRIMARY_PACKAGE");
        let (wall, stderr) = run_timed(&mut command, &format!("`cargo {subcommand}` in {}", dir.display()))?;
        Ok(CargoRun {
            wall,
            max_rss_kib: max_rss_kib(&stderr),
        })
    }
}

/// GNU time's "Maximum resident set size (kbytes): N".
fn max_rss_kib(time_output: &str) -> Option<u64> {
    time_output
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|n| n.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_becomes_standalone() {
        let root = "[workspace]\nmembers = []\n\n[workspace.package]\nedition = \"2021\"\nlicense = \"Apache-2.0\"\n";
        let manifest = "[package]\nname = \"x\"\nedition.workspace = true\nlicense.workspace = true\n\n[dependencies]\nrt = { path = \"../runtime\", version = \"=0.1.0\" }\nserde = \"1\"\n\n[dev-dependencies]\ntokio = \"1\"\n\n[[example]]\nname = \"q\"\n";
        let out = standalone_manifest(manifest, root, "spec", Path::new("/ws/generated"));
        assert!(out.contains("name = \"x-spec\"\n"));
        assert!(out.contains("[lib]\nname = \"x\"\n"));
        assert!(out.contains("edition = \"2021\"\n"));
        assert!(out.contains("license = \"Apache-2.0\"\n"));
        assert!(out.contains("serde = \"1\""));
        assert!(
            out.contains("rt = { path = '/ws/runtime', version = \"=0.1.0\" }\n"),
            "{out}"
        );
        assert!(!out.contains("tokio"));
        assert!(!out.contains("example"));
        assert!(out.ends_with("[workspace]\n"));
    }

    #[test]
    fn gnu_time_peak_memory() {
        let out = "\tUser time (seconds): 1.0\n\tMaximum resident set size (kbytes): 123456\n";
        assert_eq!(max_rss_kib(out), Some(123456));
        assert_eq!(max_rss_kib("nothing"), None);
    }
}
