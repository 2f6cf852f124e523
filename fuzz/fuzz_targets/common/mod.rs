//! What the targets share: running the generator so that only a panic that reaches the caller
//! counts as a crash.
//!
//! libfuzzer-sys aborts on every panic, from its panic hook, before anything can catch it. The
//! generator may catch a dependency's panic itself (`load::parse` catches `openapiv3`'s
//! "somehow this parsed successfully the second time" and explains the input instead), and the
//! contract is only that no panic escapes `generate_from_str`. So the hook here just remembers
//! the panic, and the target aborts, after printing it, only when it escapes.

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Once;

thread_local! {
    /// The last panic on this thread: location, message and backtrace.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Generates from `text`; aborts (a crash for libFuzzer) if a panic escapes the generator.
pub fn generate(text: &str) {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let backtrace = std::backtrace::Backtrace::force_capture();
            let text = format!("{info}\n{backtrace}");
            LAST_PANIC.with(|last| *last.borrow_mut() = Some(text));
        }))
    });
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        atlas_streams_generator::generate_from_str(Path::new("fuzz.yaml"), text)
    }));
    if result.is_err() {
        let panic = LAST_PANIC.with(|last| last.borrow_mut().take()).unwrap_or_default();
        eprintln!("a panic escaped generate_from_str: {panic}");
        std::process::abort();
    }
}
