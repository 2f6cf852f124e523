//! Media types as the passes compare them: normalized, and what their suffix says the body is.
//!
//! Beside `atlas` (which reads the API version out of a vendor media type) and `sites` (which
//! picks an operation's media type), below both: each reads these helpers from here.

/// A media type as it is compared: without parameters (`; charset=utf-8`), spaces or case
/// (RFC 9110 §8.3.1: type, subtype and suffix are case-insensitive).
pub(super) fn normalize_media_type(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// What a media type's `+suffix` (or subtype) says the body is: `json`, `gzip`, `csv`, ...
pub(super) fn media_suffix(media_type: &str) -> String {
    let media_type = normalize_media_type(media_type);
    match media_type.rsplit_once('+') {
        Some((_, suffix)) => suffix.to_owned(),
        None => media_type.rsplit('/').next().unwrap_or("json").to_owned(),
    }
}

/// Whether a media type is not JSON (a download, say). Parameters such as `charset` do not
/// change what the body is.
pub(super) fn is_binary(media_type: &str) -> bool {
    let media_type = normalize_media_type(media_type);
    !(media_type.ends_with("+json") || media_type.ends_with("/json"))
}
