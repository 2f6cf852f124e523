//! The generator's threads: the large stack they run on, starting them, and what they share
//! (a gate one opens for the others, values freed beside).

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

/// Starts `work` on a thread of its own with the deep stack, in `scope`; `None` if the thread
/// cannot be started (the caller then does the work itself).
pub fn spawn_deep<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    work: impl FnOnce() -> T + Send + 'scope,
) -> Option<std::thread::ScopedJoinHandle<'scope, T>> {
    std::thread::Builder::new()
        .stack_size(DEEP_STACK)
        .spawn_scoped(scope, work)
        .ok()
}

/// Frees `value` on a thread of its own, for a caller that need not wait for it: a large spec's
/// trees take milliseconds to free, on a path where the other core may be idle. Inline when no
/// thread can be started (the closure, and with it the value, is dropped then).
pub fn drop_beside<T: Send + 'static>(value: T) {
    // The deep stack: freeing a deeply nested tree recurses as decoding it did.
    let _ = std::thread::Builder::new()
        .stack_size(DEEP_STACK)
        .spawn(move || drop(value));
}

/// How many threads can run at once here (1 when the machine does not say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// A signal that one thread gives once and others wait for: that a core is free (see
/// `load::parse_then`). Dropping the [`Opener`] gives it, so a thread that fails or panics
/// never leaves a waiter behind.
#[derive(Debug, Default)]
pub struct Gate {
    open: std::sync::Mutex<bool>,
    opened: std::sync::Condvar,
}

impl Gate {
    /// The handle that opens the gate when dropped.
    pub fn opener(&self) -> Opener<'_> {
        Opener(self)
    }

    /// Returns once the gate is open.
    pub fn wait(&self) {
        let Ok(mut open) = self.open.lock() else {
            return;
        };
        while !*open {
            open = match self.opened.wait(open) {
                Ok(open) => open,
                Err(_) => return,
            };
        }
    }

    fn open(&self) {
        if let Ok(mut open) = self.open.lock() {
            *open = true;
        }
        self.opened.notify_all();
    }
}

/// Opens its [`Gate`] when dropped.
#[derive(Debug)]
pub struct Opener<'g>(&'g Gate);

impl Drop for Opener<'_> {
    fn drop(&mut self) {
        self.0.open();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_opens_when_its_opener_is_dropped_even_by_a_panic() {
        let gate = Gate::default();
        std::thread::scope(|scope| {
            let opener = gate.opener();
            let waiter = scope.spawn(|| gate.wait());
            std::thread::sleep(std::time::Duration::from_millis(20));
            assert!(!waiter.is_finished(), "the gate is still closed");
            drop(opener);
            waiter.join().unwrap();
        });
        let gate = Gate::default();
        std::thread::scope(|scope| {
            let failing = scope.spawn(|| {
                let _opener = gate.opener();
                panic!("the tree's checks failed");
            });
            gate.wait();
            assert!(failing.join().is_err());
        });
        // Once open, it stays open.
        gate.wait();
    }
}
