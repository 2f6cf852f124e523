//! The large stack the generator runs on.

/// The stack every generator thread runs on (see [`with_deep_stack`]).
pub const DEEP_STACK: usize = 256 * 1024 * 1024;

/// Runs `work` on a large stack. Decoding a deeply nested schema recurses once per level in
/// `serde`/`openapiv3`, with large frames; a caller's 2 MiB thread (a test, a build script)
/// would overflow on a few dozen levels of valid nesting. The reservation is virtual memory:
/// only what is touched is used.
///
/// The stack is a fresh segment on the caller's own thread (`stacker`), not a new thread: a
/// thread hop cost about 3 ms of a 15 ms run on the Streams spec (a cold core, a cold
/// allocator heap), more than any other fixed cost of a run.
pub fn with_deep_stack<T>(work: impl FnOnce() -> T) -> T {
    stacker::grow(DEEP_STACK, work)
}
