//! The changelog entry of a release, from the facts: what `diff` found between the Rust API
//! before and after, each change in the section its verdict puts it in, and written into
//! `CHANGELOG.md` (Keep a Changelog's shape: the newest release first).

use crate::surface::{Change, Impact};

use super::version::Version;

/// The title of a new changelog.
const TITLE: &str = "# Changelog\n\n\
All notable changes of the `atlas-streams` client, newest first. Each entry is written by\n\
`atlas-streams-generator update` from the change of the generated Rust API (`diff`), with the\n\
version Cargo's SemVer rules give it.\n";

/// One release's entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The release.
    pub version: Version,
    /// Its date (`YYYY-MM-DD`).
    pub date: String,
    /// Where the upstream spec came from, and how much of it changed.
    pub upstream: String,
    /// Additions (`added …`, additive).
    pub added: Vec<String>,
    /// Other additive changes (`changed …`, a version added to an operation, documentation).
    pub changed: Vec<String>,
    /// Breaking changes.
    pub breaking: Vec<String>,
}

impl Entry {
    /// The entry of `changes`: each change under Added, Changed or Breaking. `docs_only`: the
    /// generated code changed without an API change (descriptions, examples), said under
    /// Changed.
    pub fn new(version: Version, date: &str, upstream: String, changes: &[Change], docs_only: bool) -> Entry {
        let mut entry = Entry {
            version,
            date: date.to_owned(),
            upstream,
            added: Vec::new(),
            changed: Vec::new(),
            breaking: Vec::new(),
        };
        for change in changes {
            let what = change.what.clone();
            match change.impact {
                Impact::Breaking => entry.breaking.push(what),
                Impact::Additive if what.starts_with("added ") => entry.added.push(what),
                Impact::Additive => entry.changed.push(what),
            }
        }
        if docs_only {
            entry.changed.push(
                "documentation and generated code follow the new upstream spec (no change of the Rust API)".to_owned(),
            );
        }
        entry
    }

    /// The entry as Markdown.
    pub fn render(&self) -> String {
        let mut out = format!("## [{}] - {}\n\n{}\n", self.version, self.date, self.upstream);
        for (title, items) in [
            ("Added", &self.added),
            ("Changed", &self.changed),
            ("Breaking", &self.breaking),
        ] {
            if items.is_empty() {
                continue;
            }
            out.push_str(&format!("\n### {title}\n\n"));
            for item in items {
                out.push_str(&format!("- {}\n", item.replace('\n', " ")));
            }
        }
        out
    }
}

/// `changelog` (the text of `CHANGELOG.md`, empty if there is none) with `entry` as its newest
/// release: after the title and its text, before the first release.
pub fn with_entry(changelog: &str, entry: &Entry) -> String {
    let changelog = if changelog.trim().is_empty() { TITLE } else { changelog };
    let rendered = entry.render();
    match changelog.find("\n## ") {
        Some(at) => format!("{}\n{rendered}{}", &changelog[..=at], &changelog[at..]),
        None => format!("{}\n{rendered}", changelog.trim_end_matches('\n').to_owned() + "\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(impact: Impact, what: &str) -> Change {
        Change {
            impact,
            what: what.to_owned(),
        }
    }

    #[test]
    fn changes_go_under_their_verdict_and_the_newest_entry_first() {
        let v = |t| Version::parse(t).unwrap();
        let entry = Entry::new(
            v("0.2.0"),
            "2026-12-07",
            "Synced.".into(),
            &[
                change(Impact::Additive, "added field A.b (Option<String> (`b`))"),
                change(
                    Impact::Additive,
                    "changed operation get_a versions: 2023-02-01 -> 2023-02-01, 2025-01-01",
                ),
                change(Impact::Breaking, "removed variant C::D (`D`)"),
            ],
            false,
        );
        let first = with_entry("", &entry);
        assert!(first.starts_with("# Changelog\n"));
        assert!(first.contains("## [0.2.0] - 2026-12-07\n\nSynced.\n\n### Added\n\n- added field A.b"));
        assert!(first.contains("### Changed\n\n- changed operation get_a versions"));
        assert!(first.contains("### Breaking\n\n- removed variant C::D"));
        let second = with_entry(
            &first,
            &Entry::new(v("0.2.1"), "2026-12-08", "Again.".into(), &[], true),
        );
        let (newer, older) = (second.find("## [0.2.1]").unwrap(), second.find("## [0.2.0]").unwrap());
        assert!(newer < older, "{second}");
        assert!(second.contains("- documentation and generated code follow the new upstream spec"));
    }
}
