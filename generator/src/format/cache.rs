//! The formatted text of items, kept between runs.
//!
//! Formatting (`syn` parsing, `prettyplease` printing) is most of a run, and a regeneration
//! after MongoDB ships a new version changes few items: an item whose tokens are those of a
//! previous run formats to the same text. The cache maps the SHA-256 of an item's tokens to
//! the text `prettyplease` printed for them (doc comments still as markers: the docs are spliced
//! in afterwards, so a changed description does not cost a format).
//!
//! The text depends on the formatter too, so the file is only read back by the very build of
//! the generator that wrote it (its version and the size and time of its executable). A file
//! that is missing, from another build, or unreadable is an empty cache; one that cannot be
//! written is left as it was. Generation never depends on it: with or without it, the output
//! is byte for byte the same (a test holds it so).

use std::collections::HashMap;
use std::path::Path;

use proc_macro2::TokenStream;
use sha2::{Digest, Sha256};

/// The first line of a cache file (the format's version).
const MAGIC: &str = "atlas-streams-generator format cache 1\n";

/// The hash of an item's tokens.
pub type Key = [u8; 32];

/// The items of one run: each one's key and formatted text (doc markers still in).
pub type Entries = Vec<(Key, String)>;

/// Formatted items by the hash of their tokens, read from a previous run.
#[derive(Debug, Default)]
pub struct FormatCache {
    entries: HashMap<Key, String>,
}

impl FormatCache {
    /// The cache in `path`, or an empty one where there is none that this build wrote.
    pub fn load(path: &Path) -> Self {
        let Some(fingerprint) = build_fingerprint() else {
            return Self::default();
        };
        std::fs::read(path)
            .ok()
            .and_then(|bytes| parse(&bytes, &fingerprint))
            .map(|entries| FormatCache { entries })
            .unwrap_or_default()
    }

    /// How many items the cache holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The formatted text of the item whose tokens hash to `key`.
    pub fn get(&self, key: &Key) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// Writes `entries` (the items of this run) to `path`, replacing what was there at once (a
    /// temporary file renamed), unless they are exactly what the cache already holds. Failing to
    /// write is not an error of the run: the next one formats again.
    pub fn save(&self, path: &Path, mut entries: Entries) {
        let Some(fingerprint) = build_fingerprint() else {
            return;
        };
        entries.sort_by_key(|entry| entry.0);
        entries.dedup_by(|a, b| a.0 == b.0);
        let unchanged =
            entries.len() == self.entries.len() && entries.iter().all(|(key, _)| self.entries.contains_key(key));
        if unchanged {
            return;
        }
        let mut bytes = Vec::with_capacity(entries.iter().map(|(_, text)| text.len() + 36).sum::<usize>() + 128);
        bytes.extend_from_slice(MAGIC.as_bytes());
        bytes.extend_from_slice(fingerprint.as_bytes());
        bytes.push(b'\n');
        for (key, text) in &entries {
            bytes.extend_from_slice(key);
            bytes.extend_from_slice(&(text.len() as u64).to_le_bytes());
            bytes.extend_from_slice(text.as_bytes());
        }
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        let written = path.parent().is_none_or(|dir| std::fs::create_dir_all(dir).is_ok())
            && std::fs::write(&temporary, &bytes).is_ok()
            && std::fs::rename(&temporary, path).is_ok();
        if !written {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

/// The hash of `tokens` as the formatter reads them (their text, written straight into the
/// hasher). Two streams with the same text parse alike, but for invisible
/// (`Delimiter::None`) groups, which print as their contents: the emitters make none (they
/// interpolate token streams, identifiers and literals only; `tests/format_cache.rs` checks
/// every item of `spec/`).
pub fn key_of(tokens: &TokenStream) -> Key {
    struct Hashing(Sha256);
    impl std::fmt::Write for Hashing {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.update(text.as_bytes());
            Ok(())
        }
    }
    let mut hashing = Hashing(Sha256::new());
    // Writing to a hasher cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut hashing, format_args!("{tokens}"));
    hashing.0.finalize().into()
}

/// What identifies the build of the generator that formats: its version, and the size and
/// modification time of the running executable (a rebuild, with another `syn` or
/// `prettyplease` say, is another build). `None` where the executable cannot be looked at:
/// no cache then.
fn build_fingerprint() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let metadata = std::fs::metadata(exe).ok()?;
    let modified = metadata.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!(
        "{} {} {}.{:09}",
        env!("CARGO_PKG_VERSION"),
        metadata.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    ))
}

/// The entries of a cache file written by the build `fingerprint`; `None` for any other file.
fn parse(bytes: &[u8], fingerprint: &str) -> Option<HashMap<Key, String>> {
    let rest = bytes.strip_prefix(MAGIC.as_bytes())?;
    let rest = rest.strip_prefix(fingerprint.as_bytes())?;
    let mut rest = rest.strip_prefix(b"\n")?;
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let (key, after) = rest.split_first_chunk::<32>()?;
        let (length, after) = after.split_first_chunk::<8>()?;
        let length = usize::try_from(u64::from_le_bytes(*length)).ok()?;
        if length > after.len() {
            return None;
        }
        let (text, after) = after.split_at(length);
        entries.insert(*key, String::from_utf8(text.to_vec()).ok()?);
        rest = after;
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_cache_loads_back_and_anything_else_is_empty() {
        let dir = std::env::temp_dir().join(format!("atlas-streams-format-cache-{}", std::process::id()));
        let path = dir.join("nested").join("cache");
        let key = key_of(&quote::quote!(
            struct A;
        ));
        assert_ne!(
            key,
            key_of(&quote::quote!(
                struct B;
            ))
        );
        FormatCache::default().save(&path, vec![(key, "struct A;\n".to_owned())]);
        let loaded = FormatCache::load(&path);
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded.get(&key), Some("struct A;\n"));

        // Another build's file, a truncated one, and garbage are empty caches.
        let bytes = std::fs::read(&path).unwrap();
        let fingerprint = build_fingerprint().unwrap();
        let mut other_build = format!("{MAGIC}another build\n").into_bytes();
        other_build.extend_from_slice(&bytes[MAGIC.len() + fingerprint.len() + 1..]);
        for corrupt in [other_build, bytes[..bytes.len() - 3].to_vec(), b"garbage".to_vec()] {
            std::fs::write(&path, corrupt).unwrap();
            assert!(FormatCache::load(&path).is_empty());
        }
        assert!(FormatCache::load(&dir.join("missing")).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
