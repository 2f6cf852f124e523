//! Server-filled identifiers and names, in the shapes Atlas uses.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// A new 24-hex-digit id, built like a MongoDB ObjectId (seconds, a per-process random value,
/// a counter), so ids match the spec's `^([a-f0-9]{24})$` and sort by creation.
pub fn object_id() -> String {
    static PROCESS: OnceLock<String> = OnceLock::new();
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let process = PROCESS.get_or_init(|| crate::random::random_hex(5));
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as u32)
        .unwrap_or_default();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed) & 0x00ff_ffff;
    format!("{seconds:08x}{process}{count:06x}")
}

/// A short random lower-case suffix, as Atlas appends to generated host names.
pub fn suffix() -> String {
    crate::random::random_hex(3)
}

/// A stable pseudo-random stream derived from `seed` (FNV-1a, then xorshift).
fn stream(seed: &str) -> impl Iterator<Item = u64> {
    let mut state = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }) | 1;
    std::iter::from_fn(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        Some(state)
    })
}

/// A decimal string of `len` digits derived from `seed` (stable for the same seed, no leading
/// zero), for cloud account numbers.
pub fn digits(seed: &str, len: usize) -> String {
    stream(seed)
        .take(len)
        .enumerate()
        .map(|(i, n)| char::from(b'0' + if i == 0 { 1 + (n % 9) as u8 } else { (n % 10) as u8 }))
        .collect()
}

/// Lower-case hex of `len` digits derived from `seed` (stable for the same seed), for cloud
/// resource ids.
pub fn stable_hex(seed: &str, len: usize) -> String {
    stream(seed)
        .take(len)
        .map(|n| char::from(b"0123456789abcdef"[(n % 16) as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_spec_pattern_and_differ() {
        let a = object_id();
        let b = object_id();
        assert_ne!(a, b);
        for id in [a, b] {
            assert_eq!(id.len(), 24);
            assert!(id.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        }
        assert_eq!(digits("x", 12), digits("x", 12));
        assert_eq!(digits("x", 12).len(), 12);
        assert_eq!(stable_hex("x", 17).len(), 17);
    }
}
