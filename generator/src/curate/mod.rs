//! Curation: MongoDB's spec (as last synced) plus our changes to it (an OpenAPI Overlay) make the
//! spec the generator reads. This stage runs before `load`.
//!
//! A spec directory is curated when it holds `curation/<name>.overlay.yaml`: the overlay
//! `extends` MongoDB's file (`upstream/…`, relative to the overlay), and applying it writes
//! `<name>.yaml` beside `curation/`, which the generator then reads like any spec. Each piece
//! has one job:
//! - [`document`]: YAML in and out as JSON trees, key order kept;
//! - [`overlay`]: the overlay read and checked (every action says why);
//! - [`apply`]: the actions applied, recording what each overrides;
//! - [`check`]: the curation points an upstream change runs into;
//! - [`extract`]: the Streams part of MongoDB's whole Admin spec;
//! - [`changes`]: what changed upstream between two syncs, for a person to read.

pub mod apply;
pub mod changes;
pub mod check;
pub mod document;
pub mod extract;
pub mod overlay;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::GenerateError;
use overlay::Overlay;

/// The files of a curated spec directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// `curation/<name>.overlay.yaml`.
    pub overlay: PathBuf,
    /// The upstream spec it extends.
    pub upstream: PathBuf,
    /// `<name>.yaml`: the curated spec, written by [`curate`].
    pub output: PathBuf,
}

/// The directory of the overlay inside a spec directory.
pub const CURATION_DIR: &str = "curation";
/// How an overlay's file name ends.
pub const OVERLAY_SUFFIX: &str = ".overlay.yaml";

impl Layout {
    /// The curated layout of `spec_dir`, if it has one (`None` for a plain spec file or
    /// directory): its overlay, the upstream file the overlay extends, and the output.
    pub fn find(spec_dir: &Path) -> Result<Option<Layout>, GenerateError> {
        let dir = spec_dir.join(CURATION_DIR);
        if !spec_dir.is_dir() || !dir.is_dir() {
            return Ok(None);
        }
        let mut overlays: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|source| GenerateError::Io {
                path: dir.clone(),
                source,
            })?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(OVERLAY_SUFFIX))
            })
            .collect();
        overlays.sort();
        let [overlay_path] = overlays.as_slice() else {
            return Err(GenerateError::SpecDirectory {
                path: dir,
                found: overlays.len(),
            });
        };
        let overlay = overlay::read_file(overlay_path)?;
        let upstream = overlay.extends_path().ok_or_else(|| {
            GenerateError::Spec(Box::new(overlay.report(vec![crate::diag::Diagnostic::new(
                "#",
                "the curation's overlay does not say which spec it extends",
                "add `extends: ../upstream/<file>.yaml` (relative to the overlay)",
            )])))
        })?;
        let name = overlay_path
            .file_name()
            .map(|n| n.to_string_lossy().trim_end_matches(OVERLAY_SUFFIX).to_owned())
            .unwrap_or_default();
        Ok(Some(Layout {
            overlay: overlay_path.clone(),
            upstream,
            output: spec_dir.join(format!("{name}.yaml")),
        }))
    }
}

/// A curated spec: the tree, and its text as `<name>.yaml` holds it.
#[derive(Clone, Debug)]
pub struct Curated {
    /// The curated spec.
    pub spec: Value,
    /// Its YAML text, with the header saying where it comes from.
    pub text: String,
    /// The overlay that made it.
    pub overlay: Overlay,
    /// What each curation point did.
    pub applied: apply::Applied,
}

/// Applies the layout's overlay to its upstream spec: the curated spec, or every curation point
/// that does not apply, located in the overlay with its reason.
pub fn curate(layout: &Layout) -> Result<Curated, GenerateError> {
    let overlay = overlay::read_file(&layout.overlay)?;
    let (upstream, _) = document::read_file(&layout.upstream)?;
    curate_with(&overlay, &upstream, layout)
}

/// [`curate`] with the overlay and the upstream spec already read.
pub fn curate_with(overlay: &Overlay, upstream: &Value, layout: &Layout) -> Result<Curated, GenerateError> {
    let applied = apply::apply(upstream, overlay);
    if !applied.problems.is_empty() {
        return Err(GenerateError::Spec(Box::new(overlay.report(applied.problems.clone()))));
    }
    let text = document::write(&header(layout), &applied.spec);
    Ok(Curated {
        spec: applied.spec.clone(),
        text,
        overlay: overlay.clone(),
        applied,
    })
}

/// The comment that opens a curated spec: what made it, from what, and that it is not edited.
fn header(layout: &Layout) -> String {
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let upstream_dir = layout
        .upstream
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        "# @generated by atlas-streams-generator: MongoDB's spec ({upstream_dir}/{}) with the curation\n\
         # ({CURATION_DIR}/{}) applied. Do not edit: change the curation (each point says why) and run\n\
         # `cargo run -p atlas-streams-generator -- generate`.\n",
        name(&layout.upstream),
        name(&layout.overlay),
    )
}
