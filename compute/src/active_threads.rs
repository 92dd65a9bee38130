//! Running a job on exactly `k` threads of a bigger pool.
//!
//! A speedup curve needs runs on 1, 2, ... N threads. In the browser the pool's
//! Web Workers are started once and cannot be torn down, so instead of building
//! a pool per thread count, the other N - k workers are parked: each runs a
//! broadcast task that blocks until the job is done. Blocked workers cannot
//! steal, so only `k` threads (the caller among them) can do the job's work,
//! and the job's own tally of threads proves it.

use std::sync::{Arc, Condvar, Mutex, PoisonError};

#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    parked: usize,
    open: bool,
}

/// Opens the gate when dropped, so parked threads are released even if the job panics.
struct Release(Arc<Gate>);

impl Drop for Release {
    fn drop(&mut self) {
        let mut state = self.0.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.open = true;
        self.0.changed.notify_all();
    }
}

/// Runs `job` while all but `active` threads of the current pool are parked.
///
/// Must be called from a thread of the pool (inside `install` or `spawn`): the
/// caller stays active and blocks while the others park, which a browser allows
/// in a worker but not on the main thread.
pub fn with_active_threads<R>(active: usize, job: impl FnOnce() -> R) -> R {
    let pool_size = rayon::current_num_threads();
    let me = rayon::current_thread_index();
    let to_park: Vec<usize> = (0..pool_size)
        .rev()
        .filter(|&i| Some(i) != me)
        .take(pool_size.saturating_sub(active.max(1)))
        .collect();
    if to_park.is_empty() {
        return job();
    }
    let count = to_park.len();
    let gate = Arc::new(Gate::default());
    let release = Release(Arc::clone(&gate));
    let parking = Arc::clone(&gate);
    rayon::spawn_broadcast(move |context| {
        if !to_park.contains(&context.index()) {
            return;
        }
        let mut state = parking.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.parked += 1;
        parking.changed.notify_all();
        while !state.open {
            state = parking
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    });
    {
        let mut state = gate.state.lock().unwrap_or_else(PoisonError::into_inner);
        while state.parked < count {
            state = gate
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
    let result = job();
    drop(release);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::Control;
    use crate::kernel::{Input, KernelKind, KernelRequest, Strategy};

    fn busy_job(control: &Control) {
        let input = Input::prepare(KernelRequest::new(KernelKind::Primes, 400_000).expect("valid"));
        input
            .run(Strategy::Parallel, control)
            .expect("not cancelled");
    }

    #[test]
    fn only_the_active_threads_do_the_work() {
        let pool = crate::test_pool(4);
        for active in [1, 2, 3] {
            let control = Control::new();
            pool.install(|| with_active_threads(active, || busy_job(&control)));
            let seen = control.threads_seen();
            assert!(seen >= 1 && seen <= active, "{active} active, {seen} seen");
        }
    }

    #[test]
    fn the_pool_is_whole_again_afterwards() {
        let pool = crate::test_pool(3);
        pool.install(|| with_active_threads(1, || ()));
        // Every thread can take a broadcast again: none is still parked.
        let answered = pool.broadcast(|context| context.index());
        assert_eq!(answered, vec![0, 1, 2]);
    }

    /// Unwinding, as in native programs and these host tests: the guard's
    /// destructor releases the parked threads. The shipped WebAssembly build
    /// aborts on panic instead, so no destructor runs there; `book_pool::job`
    /// then marks the whole pool out of action (tests/worker_panic.rs).
    #[test]
    fn parked_threads_are_released_when_the_job_panics() {
        let pool = crate::test_pool(3);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| with_active_threads(1, || panic!("a failing job")))
        }));
        assert!(outcome.is_err());
        assert_eq!(pool.broadcast(|context| context.index()).len(), 3);
    }

    #[test]
    fn asking_for_more_threads_than_the_pool_has_uses_them_all() {
        let pool = crate::test_pool(2);
        assert_eq!(pool.install(|| with_active_threads(8, || 7)), 7);
    }
}
