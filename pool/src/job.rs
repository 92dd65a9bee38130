//! Running a whole job inside the pool: the main thread never waits on it.
//!
//! Blocking the main thread in `par_iter` would freeze the page and also make
//! the main thread spin inside rayon. Instead the job is handed to the pool
//! ([`hand_over`], no lock taken) and its result comes back through a oneshot
//! channel that the UI awaits on the event loop.
//!
//! A worker that panics or runs out of memory aborts (the shipped build has
//! `panic = "abort"`): no destructor runs, threads it held at a barrier stay
//! there, and it never takes work again. So the first crash marks the pool
//! broken for the page's life: the run that crashed gets the message, every
//! run after it fails at once with the same message instead of waiting for
//! ever, and the book is told ([`panics::POOL_BROKEN_EVENT`]) so it can offer
//! a reload.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use gloo::timers::future::TimeoutFuture;

use crate::hand_over::{hand_over, Task};
use crate::start::{self as pool, PoolUnavailable};
use book_runtime::panics;

/// Why a job produced no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// There is no pool on this page; run on one thread instead, and say why.
    NoPool(PoolUnavailable),
    /// The job panicked (or ran out of memory) inside a worker.
    Panicked(String),
    /// The job's thread went away without a result.
    Lost,
    /// A worker crashed earlier on this page; the pool cannot be trusted.
    PoolBroken(String),
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::NoPool(unavailable) => write!(f, "no worker pool: {}", unavailable.reason),
            JobError::Panicked(message) => write!(
                f,
                "a worker stopped ({message}). Try a smaller size; reload the page to restore the full pool."
            ),
            JobError::Lost => f.write_str("the job stopped without a result; reload the page to restore the pool"),
            JobError::PoolBroken(message) => write!(
                f,
                "the worker pool is out of action: a worker stopped earlier on this page ({message}). Reload the page to run parallel widgets again."
            ),
        }
    }
}

thread_local! {
    /// Why the pool is out of action, once a worker has crashed.
    static BROKEN: RefCell<Option<String>> = const { RefCell::new(None) };

    /// One job in the pool at a time. Two jobs would share the threads and
    /// both measure wrong; worse, a job that parks threads (a sweep) and one
    /// that waits for every thread at a barrier (the pitfalls) would wait for
    /// each other forever. Widgets queue here, on the event loop.
    static TURN: Rc<futures::lock::Mutex<()>> = Rc::new(futures::lock::Mutex::new(()));
}

/// Runs `job` on a pool thread (its own parallel iterators use the whole pool)
/// and resolves with its result, after any job another widget started first.
/// Checks for a worker panic every 100 ms.
pub async fn run_in_pool<T, F>(job: F) -> Result<T, JobError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    refuse_if_broken()?;
    pool::ready().await.map_err(JobError::NoPool)?;
    let turn = TURN.with(Rc::clone);
    let _turn = turn.lock().await;
    refuse_if_broken()?;
    hand_over_and_await(job, Task::Job).await
}

/// Runs one small piece of work on a pool thread, *not* in turn with the
/// widgets' jobs: for a stream of independent pieces (a server's requests)
/// that together use every worker. Pieces may share the pool with another
/// widget's job, which then measures slower: the widget that sends pieces
/// says so. A piece handed over while a job runs starts when that job ends.
pub async fn run_piece_in_pool<T, F>(piece: F) -> Result<T, JobError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    refuse_if_broken()?;
    pool::ready().await.map_err(JobError::NoPool)?;
    hand_over_and_await(piece, Task::Piece).await
}

/// Why the pool is out of action, if a worker has crashed on this page.
pub fn broken() -> Option<String> {
    BROKEN.with(|broken| broken.borrow().clone())
}

fn refuse_if_broken() -> Result<(), JobError> {
    broken().map_or(Ok(()), |message| Err(JobError::PoolBroken(message)))
}

/// Marks the pool broken and tells the book, once.
fn mark_broken(message: &str) {
    let first = BROKEN.with(|broken| broken.borrow_mut().replace(message.to_owned()).is_none());
    if !first {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&message.into());
    if let Ok(event) =
        web_sys::CustomEvent::new_with_event_init_dict(panics::POOL_BROKEN_EVENT, &init)
    {
        let _ = window.dispatch_event(&event);
    }
}

async fn hand_over_and_await<T, F>(
    job: F,
    kind: fn(Box<dyn FnOnce() + Send>) -> Task,
) -> Result<T, JobError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (sender, mut receiver) = oneshot::channel();
    hand_over(kind(Box::new(move || {
        // The receiver may be gone if the widget was unmounted: nothing to report to.
        let _ = sender.send(job());
    })));
    loop {
        match select(receiver, TimeoutFuture::new(100)).await {
            Either::Left((result, _)) => return result.map_err(|_| JobError::Lost),
            Either::Right((_, pending)) => {
                if let Some(message) = panics::take() {
                    mark_broken(&message);
                    return Err(JobError::Panicked(message));
                }
                // Another run met the crash first: this one's thread may be
                // the dead one, or held at a barrier by it.
                refuse_if_broken()?;
                receiver = pending;
            }
        }
    }
}
