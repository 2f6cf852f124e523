//! `update`: from a newly downloaded MongoDB spec to a reviewed release, in one step.
//!
//! [`plan`] takes the Streams part out of the new spec (`curate::extract`), compares it with the
//! part as last synced (`curate::changes`), checks every curation point against it (a target
//! that matches nothing, an update that says what upstream now says, an upstream change under a
//! point: `curate::apply`, `curate::check`), applies the curation, generates the client, diffs
//! its Rust API with the committed `api.txt` (`surface`), and from that verdict makes the
//! release: the next version under Cargo's rules (`version`) and a changelog entry
//! (`changelog`). Nothing is written until all of it succeeded; [`Plan::write`] then writes
//! only the files whose content changes, so running it again with the same input changes
//! nothing.

pub mod changelog;
pub mod version;

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::curate::{self, changes::UpstreamChange, document, extract, Layout};
use crate::diag::Report;
use crate::emit::SURFACE_FILE;
use crate::error::GenerateError;
use crate::surface::{self, Change, Impact, Surface};
use changelog::Entry;
use version::Version;

/// What `update` works on.
#[derive(Clone, Debug)]
pub struct Options {
    /// The new spec: MongoDB's whole Admin API spec, or only its Streams part.
    pub input: PathBuf,
    /// Where it came from, for the synced file's header (default: its file name).
    pub source: Option<String>,
    /// The curated spec directory (`upstream/`, `curation/`, the curated spec).
    pub spec_dir: PathBuf,
    /// The client crate (its `api.txt` is the API before, its `Cargo.toml` its version).
    pub out: PathBuf,
    /// The changelog to add the release to.
    pub changelog: PathBuf,
    /// Other crates released with the client (their `[package]` version follows it).
    pub also_bump: Vec<PathBuf>,
    /// The workspace's lock file, kept in step with the versions (if there is one).
    pub lockfile: Option<PathBuf>,
    /// The date of the sync and of the release (`YYYY-MM-DD`).
    pub date: String,
    /// Keep the curation points an upstream change runs into, after a person read them.
    pub accept_conflicts: bool,
    /// The formatting cache of the regeneration (`crate::Options::format_cache`): with the
    /// cache of the last `generate`, only the items the new version changes are formatted.
    pub format_cache: Option<PathBuf>,
}

/// A release `update` makes.
#[derive(Clone, Debug)]
pub struct Release {
    /// The version before.
    pub from: Version,
    /// The next version.
    pub to: Version,
    /// The changelog entry.
    pub entry: Entry,
}

/// Everything `update` found and would write.
#[derive(Clone, Debug)]
pub struct Plan {
    /// How much of the input the Streams part is.
    pub extracted: (usize, usize, usize, usize),
    /// The header of the upstream spec as last synced (where and when it came from).
    pub last_sync: String,
    /// What changed upstream since the last sync.
    pub upstream_changes: Vec<UpstreamChange>,
    /// How many curation points apply.
    pub points: usize,
    /// Upstream changes under curation points that were accepted (`accept_conflicts`).
    pub accepted: Option<Report>,
    /// What changes in the Rust API.
    pub api_changes: Vec<Change>,
    /// The release, if the generated crate changes.
    pub release: Option<Release>,
    /// Warnings of the new spec (legal but lossy constructs).
    pub warnings: Report,
    /// The files to write: (path, contents), only those whose contents change.
    pub files: Vec<(PathBuf, String)>,
}

impl Plan {
    /// Whether the release breaks callers.
    pub fn breaking(&self) -> bool {
        self.api_changes.iter().any(|c| c.impact == Impact::Breaking)
    }

    /// Writes every file whose contents change; returns their paths.
    pub fn write(&self) -> Result<Vec<PathBuf>, GenerateError> {
        for (path, contents) in &self.files {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| GenerateError::Io {
                    path: parent.to_owned(),
                    source,
                })?;
            }
            std::fs::write(path, contents).map_err(|source| GenerateError::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(self.files.iter().map(|(p, _)| p.clone()).collect())
    }

    /// What a person reviews: upstream's changes, the curation, the Rust API's changes, the
    /// release and the files.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let (ops, ops_in, comps, comps_in) = self.extracted;
        let _ = writeln!(
            out,
            "the Streams part: {ops} of {ops_in} operations (tagged `{}` or under {}), {comps} of {comps_in} components (those they reference)",
            extract::STREAMS_TAG,
            extract::STREAMS_PREFIX
        );
        let _ = writeln!(out, "\nupstream, since the last sync ({}):", self.last_sync);
        if self.upstream_changes.is_empty() {
            let _ = writeln!(out, "  no change");
        }
        for change in &self.upstream_changes {
            let _ = writeln!(out, "  {change}");
        }
        let _ = writeln!(out, "\ncuration: all {} points apply", self.points);
        if let Some(accepted) = &self.accepted {
            let _ = writeln!(out, "accepted after review (--accept-conflicts):\n{accepted}");
        }
        let breaking = self.api_changes.iter().filter(|c| c.impact == Impact::Breaking).count();
        let _ = writeln!(
            out,
            "\nRust API: {} change(s), {breaking} breaking, {} additive",
            self.api_changes.len(),
            self.api_changes.len() - breaking
        );
        for change in &self.api_changes {
            let _ = writeln!(out, "  {change}");
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(out, "\nthe new spec's warnings:\n{}", self.warnings);
        }
        match &self.release {
            Some(release) => {
                let verdict = if self.breaking() { "breaking" } else { "not breaking" };
                let _ = writeln!(
                    out,
                    "\nrelease: {} -> {} ({verdict}); the changelog entry:\n",
                    release.from, release.to
                );
                for line in release.entry.render().lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
            None => {
                let _ = writeln!(out, "\nrelease: none (the generated crate does not change)");
            }
        }
        if self.files.is_empty() {
            let _ = writeln!(out, "\nnothing to write: everything is up to date");
        }
        out
    }
}

/// The header of the synced upstream spec.
fn upstream_header(source: &str, date: &str) -> String {
    format!(
        "# The Streams part of MongoDB's Atlas Administration API spec, as last synced: `{source}`, {date}.\n\
         # Kept: the operations tagged `{}` or under {}, and every component they\n\
         # reference, unchanged. Written by `atlas-streams-generator update`; never edited by hand (our changes\n\
         # are the curation, ../curation/).\n",
        extract::STREAMS_TAG,
        extract::STREAMS_PREFIX
    )
}

/// The first comment lines of a file, joined (where and when it was synced).
fn header_of(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    if lines.is_empty() {
        "no record of where it came from".to_owned()
    } else {
        lines.join(" ")
    }
}

/// Everything `update` would do, or why it cannot (every curation point that no longer fits,
/// located in the overlay with its reason; a new spec with errors).
pub fn plan(options: &Options) -> Result<Plan, GenerateError> {
    let layout = Layout::find(&options.spec_dir)?.ok_or_else(|| GenerateError::Io {
        path: options.spec_dir.join(curate::CURATION_DIR),
        source: std::io::Error::other(format!(
            "`{}` is not a curated spec directory (it needs {}/<name>{} extending its upstream spec)",
            options.spec_dir.display(),
            curate::CURATION_DIR,
            curate::OVERLAY_SUFFIX
        )),
    })?;
    let overlay = curate::overlay::read_file(&layout.overlay)?;
    let (input, _) = document::read_file(&options.input)?;
    let part = extract::streams_part(&input);
    let (old, old_text) = document::read_file(&layout.upstream)?;
    let unchanged_upstream = part.spec == old;

    // Every point must fit the new upstream; every upstream change under a point is looked at.
    let applied_old = curate::apply::apply(&old, &overlay);
    let applied_new = curate::apply::apply(&part.spec, &overlay);
    let mut problems = applied_new.problems.clone();
    let conflicts = if applied_old.problems.is_empty() {
        curate::check::conflicts(&overlay, &applied_old, &applied_new)
    } else {
        // The curation did not fit the last synced spec either: those problems say why.
        problems.extend(applied_old.problems.iter().cloned());
        Vec::new()
    };
    let accepted = if options.accept_conflicts && !conflicts.is_empty() {
        let mut as_warnings = conflicts.clone();
        for d in &mut as_warnings {
            d.severity = crate::diag::Severity::Warning;
        }
        Some(overlay.report(as_warnings))
    } else {
        problems.extend(conflicts);
        None
    };
    if !problems.is_empty() {
        return Err(GenerateError::Spec(Box::new(overlay.report(problems))));
    }

    let curated = curate::curate_with(&overlay, &part.spec, &layout)?;
    let generation = crate::Options {
        format_cache: options.format_cache.clone(),
        ..crate::Options::default()
    };
    let generated = crate::generate_from_str_with(&layout.output, &curated.text, &generation)?;
    let before = std::fs::read_to_string(options.out.join(SURFACE_FILE))
        .map(|text| Surface::parse(&text))
        .unwrap_or_default();
    let api_changes = surface::diff(&before, &Surface::of(&generated.api));

    let mut files = Vec::new();
    let mut write_if_changed = |path: PathBuf, contents: String| {
        if std::fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            files.push((path, contents));
        }
    };
    let source = options.source.clone().unwrap_or_else(|| {
        options.input.file_name().map_or_else(
            || options.input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    });
    if !unchanged_upstream {
        write_if_changed(
            layout.upstream.clone(),
            document::write(&upstream_header(&source, &options.date), &part.spec),
        );
    }
    write_if_changed(layout.output.clone(), curated.text.clone());
    let generated_changes = generated
        .files
        .iter()
        .any(|f| std::fs::read_to_string(options.out.join(&f.path)).ok().as_deref() != Some(f.contents.as_str()));
    for file in &generated.files {
        write_if_changed(options.out.join(&file.path), file.contents.clone());
    }

    let release = if generated_changes || !api_changes.is_empty() {
        let manifest = options.out.join("Cargo.toml");
        let (name, from) = version::read_package(&manifest)?;
        let breaking = api_changes.iter().any(|c| c.impact == Impact::Breaking);
        let to = from.next(breaking);
        let upstream_line = format!(
            "MongoDB's Atlas Administration API spec synced from `{source}` ({} change(s) in its Streams part).",
            upstream_changes_count(&old, &part.spec)
        );
        let entry = Entry::new(to, &options.date, upstream_line, &api_changes, api_changes.is_empty());
        let changelog_text = std::fs::read_to_string(&options.changelog).unwrap_or_default();
        write_if_changed(
            options.changelog.clone(),
            changelog::with_entry(&changelog_text, &entry),
        );
        let mut names = vec![name];
        for path in std::iter::once(&manifest).chain(&options.also_bump) {
            let text = std::fs::read_to_string(path).map_err(|source| GenerateError::Io {
                path: path.clone(),
                source,
            })?;
            if let Some((other, _)) = version::package_of(&text) {
                names.push(other);
            }
            write_if_changed(path.clone(), version::with_package_version(&text, to));
        }
        if let Some(lockfile) = options.lockfile.as_ref().filter(|p| p.is_file()) {
            let mut lock = std::fs::read_to_string(lockfile).map_err(|source| GenerateError::Io {
                path: lockfile.clone(),
                source,
            })?;
            names.dedup();
            for name in &names {
                lock = version::with_locked_version(&lock, name, to);
            }
            write_if_changed(lockfile.clone(), lock);
        }
        Some(Release { from, to, entry })
    } else {
        None
    };

    Ok(Plan {
        extracted: (
            part.operations,
            part.operations_in_input,
            part.components.0,
            part.components.1,
        ),
        last_sync: header_of(&old_text),
        upstream_changes: curate::changes::between(&old, &part.spec),
        points: overlay.actions.len(),
        accepted,
        api_changes,
        release,
        warnings: generated.warnings,
        files,
    })
}

fn upstream_changes_count(old: &serde_json::Value, new: &serde_json::Value) -> usize {
    curate::changes::between(old, new)
        .iter()
        .map(|c| match c {
            UpstreamChange::Other(n, _) => *n,
            _ => 1,
        })
        .sum()
}

/// Today's date (UTC), `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    civil_from_days(days as i64)
}

/// The calendar date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(civil_from_days(0), "1970-01-01");
        assert_eq!(civil_from_days(20_794), "2026-12-07");
        assert_eq!(civil_from_days(11_016), "2000-02-29");
    }
}
