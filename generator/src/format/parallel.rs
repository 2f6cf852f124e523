//! The formatting queue's workers: one job per index, on every core.

use crate::error::GenerateError;
use crate::stack::spawn_deep;

/// Runs `job` for `0..count` on every core (workers take the next index as they finish one);
/// results come back in index order.
///
/// Each helper thread gets the deep stack the calling thread has (`DEEP_STACK`): `syn`
/// and `prettyplease` recurse once per level of a deeply nested type, and an overflow aborts
/// the process. A job that panics (a formatter bug) becomes an error naming its index, on
/// whichever thread it ran.
pub fn run(
    count: usize,
    job: impl Fn(usize) -> Result<String, GenerateError> + Sync,
) -> Result<Vec<String>, GenerateError> {
    let run_one = |index: usize| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(index))).unwrap_or_else(|_| {
            Err(GenerateError::Emit {
                item: format!("(item {index} of the formatting queue)"),
                message: "the formatter panicked".to_owned(),
            })
        })
    };
    let threads = crate::stack::cores().clamp(1, 8);
    if threads == 1 || count < 2 {
        return (0..count).map(run_one).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if index >= count {
                return done;
            }
            done.push((index, run_one(index)));
        }
    };
    let mut slots: Vec<Option<Result<String, GenerateError>>> = (0..count).map(|_| None).collect();
    std::thread::scope(|scope| {
        // This thread works too: one fewer thread to start. A helper that cannot be started
        // leaves its share to the others.
        let helpers: Vec<_> = (1..threads).filter_map(|_| spawn_deep(scope, worker)).collect();
        let mut results = worker();
        for helper in helpers {
            // Jobs catch their own panics, so a helper ends normally.
            if let Ok(done) = helper.join() {
                results.extend(done);
            }
        }
        for (index, result) in results {
            slots[index] = Some(result);
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.unwrap_or_else(|| {
                Err(GenerateError::Emit {
                    item: "(formatting queue)".to_owned(),
                    message: "an item was never formatted".to_owned(),
                })
            })
        })
        .collect()
}
