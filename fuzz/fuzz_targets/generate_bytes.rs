//! Arbitrary bytes in: the generator must answer with code or diagnostics, never panic.
//!
//! Seed it with `spec/atlas-streams.yaml` and `tests/bad_specs/*.yaml` (see `fuzz/README.md`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    // Ok and Err are both fine; a panic, stack overflow or hang is a finding.
    common::generate(&String::from_utf8_lossy(data));
});
