//! The next version of the client crate under Cargo's SemVer rules, and writing it into the
//! crates' manifests and the lock file.
//!
//! Cargo reads `0.x.y` as: a change of `x` is breaking, of `y` is not; from `1.0.0` on, the major
//! version is the breaking one. So a breaking release of `0.3.2` is `0.4.0`, an additive one
//! `0.3.3`; of `1.2.3`, `2.0.0` and `1.2.4` (an additive release is a patch release here: the
//! generated API only grows, and callers never pin below it).

use std::fmt;
use std::path::Path;

use crate::error::GenerateError;

/// A `major.minor.patch` version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

impl Version {
    /// Reads `1.2.3` (pre-release and build parts are not supported: a release bumps a plain
    /// version).
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.').map(|p| p.parse::<u64>().ok());
        let version = Version {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        };
        parts.next().is_none().then_some(version)
    }

    /// The next version: breaking or not, under Cargo's rules (see the module docs).
    pub fn next(self, breaking: bool) -> Version {
        match (self.major, breaking) {
            (0, true) => Version {
                minor: self.minor + 1,
                patch: 0,
                ..self
            },
            (_, true) => Version {
                major: self.major + 1,
                minor: 0,
                patch: 0,
            },
            (_, false) => Version {
                patch: self.patch + 1,
                ..self
            },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The `[package]` name and version of a manifest's text.
pub fn package_of(manifest: &str) -> Option<(String, Version)> {
    let mut in_package = false;
    let (mut name, mut version) = (None, None);
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        let value = |key: &str| {
            let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
            Some(rest.trim_matches('"').to_owned())
        };
        name = name.or_else(|| value("name"));
        version = version.or_else(|| value("version").and_then(|v| Version::parse(&v)));
    }
    Some((name?, version?))
}

/// A manifest's text with its `[package]` version set to `version` (nothing else changes).
pub fn with_package_version(manifest: &str, version: Version) -> String {
    let mut in_package = false;
    let mut done = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_package = trimmed == "[package]";
        } else if in_package && !done && trimmed.starts_with("version") && trimmed.contains('=') {
            let ending = if line.ends_with('\n') { "\n" } else { "" };
            out.push_str(&format!("version = \"{version}\"{ending}"));
            done = true;
            continue;
        }
        out.push_str(line);
    }
    out
}

/// A lock file's text with the entry of package `name` (a path package: no `source`) at
/// `version`.
pub fn with_locked_version(lock: &str, name: &str, version: Version) -> String {
    let entry = format!("name = \"{name}\"\nversion = \"");
    let Some(at) = lock.find(&format!("[[package]]\n{entry}")) else {
        return lock.to_owned();
    };
    let start = at + "[[package]]\n".len() + entry.len();
    let end = lock[start..].find('"').map_or(start, |e| start + e);
    format!("{}{version}{}", &lock[..start], &lock[end..])
}

/// Reads a manifest's package name and version, with the path in the error.
pub fn read_package(path: &Path) -> Result<(String, Version), GenerateError> {
    let text = std::fs::read_to_string(path).map_err(|source| GenerateError::Io {
        path: path.to_owned(),
        source,
    })?;
    package_of(&text).ok_or_else(|| GenerateError::Io {
        path: path.to_owned(),
        source: std::io::Error::other("no `[package]` name and plain `major.minor.patch` version in it"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_semver_rules() {
        let v = |t: &str| Version::parse(t).unwrap();
        assert_eq!(v("0.3.2").next(true), v("0.4.0"));
        assert_eq!(v("0.3.2").next(false), v("0.3.3"));
        assert_eq!(v("1.2.3").next(true), v("2.0.0"));
        assert_eq!(v("1.2.3").next(false), v("1.2.4"));
        assert_eq!(Version::parse("1.2"), None);
        assert_eq!(Version::parse("1.2.3-beta"), None);
    }

    #[test]
    fn manifests_and_lock_files_change_in_one_place() {
        let manifest = "[package]\nname = \"atlas-streams\"\nversion = \"0.1.0\"\n\n[dependencies]\nx = { version = \"=0.1.0\" }\n";
        assert_eq!(
            package_of(manifest),
            Some(("atlas-streams".into(), Version::parse("0.1.0").unwrap()))
        );
        let bumped = with_package_version(manifest, Version::parse("0.2.0").unwrap());
        assert_eq!(
            bumped,
            manifest.replacen("version = \"0.1.0\"", "version = \"0.2.0\"", 1)
        );
        let lock = "[[package]]\nname = \"atlas-streams\"\nversion = \"0.1.0\"\ndependencies = []\n\n[[package]]\nname = \"atlas-streams-runtime\"\nversion = \"0.1.0\"\n";
        let locked = with_locked_version(lock, "atlas-streams", Version::parse("0.1.1").unwrap());
        assert!(locked.starts_with("[[package]]\nname = \"atlas-streams\"\nversion = \"0.1.1\"\n"));
        assert!(locked.ends_with("name = \"atlas-streams-runtime\"\nversion = \"0.1.0\"\n"));
    }
}
