//! The worker pool: wasm-bindgen-rayon's Web Workers, started once per page.
//!
//! Starting is asynchronous (each worker loads the module) and can fail (no
//! shared memory). Every widget awaits the same start, so the pool is built once
//! and a failure is explained the same way everywhere.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use wasm_bindgen_futures::JsFuture;

use book_runtime::environment::Environment;

/// Why the pool is not there; the widgets show `reason` and run on one thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolUnavailable {
    pub reason: String,
}

type PoolStart = Shared<LocalBoxFuture<'static, Result<usize, PoolUnavailable>>>;

thread_local! {
    static START: RefCell<Option<PoolStart>> = const { RefCell::new(None) };
}

/// The pool's size once it runs, or why it cannot. The first call starts it with
/// one worker per reported core; later calls await the same start. A failed
/// start is forgotten once it is reported, so the next run tries again (a
/// worker's file may have failed to load on a flaky network).
pub async fn ready() -> Result<usize, PoolUnavailable> {
    let start = START.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| start().boxed_local().shared())
            .clone()
    });
    let outcome = start.clone().await;
    if outcome.is_err() {
        START.with(|cell| {
            let mut cell = cell.borrow_mut();
            // Only this start: a retry may already be under way.
            if cell.as_ref().is_some_and(|current| current.ptr_eq(&start)) {
                cell.take();
            }
        });
    }
    outcome
}

async fn start() -> Result<usize, PoolUnavailable> {
    let environment = Environment::detect();
    if let Some(obstacle) = environment.obstacle() {
        return Err(PoolUnavailable {
            reason: obstacle.to_owned(),
        });
    }
    let threads = environment.hardware_concurrency;
    // Work reaches the pool through a dispatcher inside it, never through a
    // `rayon::spawn` on this thread (`hand_over`).
    wasm_bindgen_rayon::on_thread_start(crate::hand_over::start_dispatcher);
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads))
        .await
        .map(|_| threads)
        .map_err(|error| PoolUnavailable {
            reason: format!(
                "the {threads} worker threads could not start ({}). Run it again to retry, or reload the page.",
                book_runtime::js_error::describe(&error)
            ),
        })
}
