//! The common pitfalls of seed §11, caused for real and then fixed.
//!
//! Each module is one hazard. The multi-threaded ones ([`race`], [`deadlock`],
//! [`philosophers`], [`contention`]) run on whatever rayon pool they are called
//! in (the browser's worker pool, or a test pool), each actor on its own pool
//! thread, all started together. [`one_thread`] has the same hazards with no
//! thread at all: futures on one event loop. [`scheduler`] is a small model
//! checker that lets the reader be the scheduler.

pub mod contention;
pub mod deadlock;
pub mod locks;
pub mod one_thread;
pub mod philosophers;
pub mod race;
pub mod scheduler;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::control::{Cancelled, Control};

/// The most actors a pitfall runs at once: one per pool thread, so a pool this
/// size or bigger is needed for each to be a real, simultaneous thread.
pub fn max_actors() -> usize {
    rayon::current_num_threads()
}

/// Runs `work(actor)` for `actors` actors, each on its own thread of the
/// current pool, released together by a barrier so that they really overlap.
///
/// `rayon::broadcast` gives every pool thread exactly one call, so an actor
/// never waits for a thread that is busy being another actor (a barrier over
/// `rayon::scope` tasks could). `actors` is capped at the pool's size. The
/// pool must have no other job: the browser runtime runs one at a time. Should
/// a thread still not come, Cancel releases the ones waiting at the barrier.
pub fn together<R: Send>(
    actors: usize,
    control: &Control,
    work: impl Fn(usize) -> R + Sync,
) -> Result<Vec<R>, Cancelled> {
    let actors = actors.clamp(1, max_actors());
    let arrived = AtomicUsize::new(0);
    rayon::broadcast(|context| {
        let actor = context.index();
        if actor >= actors {
            return None;
        }
        arrived.fetch_add(1, Ordering::AcqRel);
        while arrived.load(Ordering::Acquire) < actors {
            if control.is_cancelled() {
                return Some(Err(Cancelled));
            }
            std::hint::spin_loop();
        }
        Some(Ok(work(actor)))
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Burns roughly `iterations` loop turns of CPU: "thinking", "eating" or
/// holding a lock for a moment, without a clock (each worker's clock differs).
pub fn busy(iterations: u32) {
    let mut x = 0u32;
    for i in 0..iterations {
        x = std::hint::black_box(x.wrapping_add(i));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn together_runs_each_actor_once_on_its_own_thread() {
        let pool = crate::test_pool(3);
        let control = Control::new();
        let threads = pool.install(|| together(3, &control, |_| rayon::current_thread_index()));
        let mut threads: Vec<_> = threads
            .expect("not cancelled")
            .into_iter()
            .flatten()
            .collect();
        threads.sort_unstable();
        assert_eq!(threads, vec![0, 1, 2]);
        let capped = pool.install(|| together(10, &control, |actor| actor));
        assert_eq!(capped, Ok(vec![0, 1, 2]));
    }
}
