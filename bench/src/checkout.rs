//! Another checkout of this repository (a `git worktree` of an older commit, say), for
//! measuring a change before and after in one run: its own generator generates the specs, and
//! the scratch crates made from its `generated/` depend on its own runtime.

use std::path::{Path, PathBuf};
use std::process::Command;

use atlas_streams_generator::GeneratedFile;

use crate::scratch::{FEATURE_RUST, GENERATED_RUST};

/// A checkout whose generator is run through its CLI (built in release on first use).
pub struct Checkout {
    /// Its root (holding `Cargo.toml`, `spec/`, `generated/`).
    pub root: PathBuf,
    /// What to call it in reports: its commit, short.
    pub label: String,
}

impl Checkout {
    /// The checkout at `root`.
    pub fn open(root: &Path) -> Result<Checkout, String> {
        if !root.join("generator/Cargo.toml").is_file() {
            return Err(format!(
                "{} is no checkout of this repository (no generator/Cargo.toml)",
                root.display()
            ));
        }
        let output = Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run git in {}: {e}", root.display()))?;
        let label = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        let label = if label.is_empty() {
            root.display().to_string()
        } else {
            label
        };
        Ok(Checkout {
            root: root.to_owned(),
            label,
        })
    }

    /// The files its generator writes for `spec` (a file, or a directory with a curation), read
    /// back from `out`, and the number of operations it reports.
    pub fn generate(&self, spec: &Path, out: &Path) -> Result<(Vec<GeneratedFile>, usize), String> {
        std::fs::create_dir_all(out.join("src")).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        let output = Command::new(env!("CARGO"))
            .args([
                "run",
                "--quiet",
                "--release",
                "-p",
                "atlas-streams-generator",
                "--",
                "generate",
                "--spec",
            ])
            .arg(spec)
            .arg("--out")
            .arg(out)
            .current_dir(&self.root)
            // Its own target directory: the workspace's build of this bench is left alone.
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .map_err(|e| format!("cannot run the generator of {}: {e}", self.label))?;
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if !output.status.success() {
            return Err(format!(
                "the generator of {} failed on {}:\n{said}",
                self.label,
                spec.display()
            ));
        }
        let operations = said
            .split_whitespace()
            .zip(said.split_whitespace().skip(1))
            .find_map(|(n, word)| word.starts_with("operation").then(|| n.parse().ok()).flatten())
            .ok_or_else(|| {
                format!(
                    "the generator of {} did not say how many operations it generated:\n{said}",
                    self.label
                )
            })?;
        let mut files = Vec::new();
        for path in GENERATED_RUST.iter().chain(FEATURE_RUST) {
            let contents = std::fs::read_to_string(out.join(path)).unwrap_or_default();
            files.push(GeneratedFile {
                path: PathBuf::from(path),
                contents,
            });
        }
        Ok((files, operations))
    }
}
