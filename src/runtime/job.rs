//! Running a whole job inside the pool: the main thread never waits on it.
//!
//! Blocking the main thread in `par_iter` would freeze the page and also make
//! the main thread spin inside rayon (measured: 1.25x instead of 1.95x on two
//! cores). Instead the job is spawned into the pool and its result comes back
//! through a oneshot channel that the UI awaits on the event loop.

use futures::channel::oneshot;

use super::pool::{self, PoolUnavailable};

/// Why a job produced no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// There is no pool on this page; run on one thread instead, and say why.
    NoPool(PoolUnavailable),
    /// The job stopped without a result (it panicked inside a worker).
    Lost,
}

/// Runs `job` on a pool thread (its own parallel iterators use the whole pool)
/// and resolves with its result.
pub async fn run_in_pool<T, F>(job: F) -> Result<T, JobError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    pool::ready().await.map_err(JobError::NoPool)?;
    let (sender, receiver) = oneshot::channel();
    rayon::spawn(move || {
        // The receiver may be gone if the widget was unmounted: nothing to report to.
        let _ = sender.send(job());
    });
    receiver.await.map_err(|_| JobError::Lost)
}
