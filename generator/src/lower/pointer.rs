//! JSON pointers into the spec: what lowering names its schemas and diagnostics by.

use crate::locate::{escape_segment, unescape_segment};

/// The prefix of every component schema's pointer.
pub(super) const SCHEMAS: &str = "#/components/schemas/";

/// Undoes JSON pointer escaping of one segment.
pub(super) fn unescape(segment: &str) -> String {
    unescape_segment(segment).into_owned()
}

/// The component name of a top-level `#/components/schemas/X` pointer.
pub(super) fn component_name(pointer: &str) -> Option<String> {
    let name = pointer.strip_prefix(SCHEMAS)?;
    (!name.contains('/')).then(|| unescape(name))
}

/// The pointer of a discriminator mapping entry (for diagnostics).
pub(super) fn mapping_site(union: &str, tag: &str) -> String {
    format!("{union}/discriminator/mapping/{}", escape_segment(tag))
}
