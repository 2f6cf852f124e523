//! One segment of a JSON pointer, escaped and unescaped (RFC 6901: `~` is `~0`, `/` is `~1`).

use std::borrow::Cow;

/// Escapes one JSON pointer segment.
pub fn escape_segment(segment: &str) -> String {
    // Most segments have nothing to escape: one copy instead of two searches and two copies.
    if !segment.contains(['~', '/']) {
        return segment.to_owned();
    }
    segment.replace('~', "~0").replace('/', "~1")
}

/// Undoes the escaping of one JSON pointer segment (borrowed when there is nothing to undo).
pub fn unescape_segment(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}
