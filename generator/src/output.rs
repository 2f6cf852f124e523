//! Writing generated files (only those whose content changed) and checking for drift.

use std::path::{Path, PathBuf};

use crate::error::GenerateError;
use crate::file::GeneratedFile;

/// What `write` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files whose content changed (or that were new).
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: Vec<PathBuf>,
}

/// Writes each file under `out_dir`, leaving files with identical content untouched (so their
/// modification times, and cargo's rebuild decisions, stay as they were).
pub fn write(out_dir: &Path, files: &[GeneratedFile]) -> Result<WriteSummary, GenerateError> {
    let mut summary = WriteSummary::default();
    for file in files {
        let path = out_dir.join(&file.path);
        if std::fs::read_to_string(&path).is_ok_and(|existing| existing == file.contents) {
            summary.unchanged.push(file.path.clone());
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| GenerateError::Io {
                path: parent.to_owned(),
                source,
            })?;
        }
        std::fs::write(&path, &file.contents).map_err(|source| GenerateError::Io {
            path: path.clone(),
            source,
        })?;
        summary.written.push(file.path.clone());
    }
    Ok(summary)
}

/// A generated file whose committed copy differs from what the spec produces now.
#[derive(Debug, PartialEq, Eq)]
pub struct Stale {
    /// Path relative to the output crate.
    pub path: PathBuf,
    /// A unified diff (committed -> fresh), or a note that the file is missing.
    pub diff: String,
}

/// Compares fresh output with the files under `out_dir`.
pub fn check(out_dir: &Path, files: &[GeneratedFile]) -> Vec<Stale> {
    files
        .iter()
        .filter_map(|file| {
            let path = out_dir.join(&file.path);
            match std::fs::read_to_string(&path) {
                Ok(existing) if existing == file.contents => None,
                Ok(existing) => Some(Stale {
                    path: file.path.clone(),
                    diff: unified_diff(&existing, &file.contents, &file.path),
                }),
                Err(_) => Some(Stale {
                    path: file.path.clone(),
                    diff: format!("{} is missing\n", path.display()),
                }),
            }
        })
        .collect()
}

/// A unified diff with a few lines of context, capped so a big drift stays readable.
pub fn unified_diff(old: &str, new: &str, path: &Path) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let name = path.display().to_string();
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("committed {name}"), &format!("generated {name}"))
        .to_string();
    const LIMIT: usize = 200;
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= LIMIT {
        return text;
    }
    format!(
        "{}\n... ({} more diff lines)\n",
        lines[..LIMIT].join("\n"),
        lines.len() - LIMIT
    )
}
