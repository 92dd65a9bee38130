//! The worker pool: wasm-bindgen-rayon's Web Workers, started once per page.
//!
//! Starting is asynchronous (each worker loads the module) and can fail (no
//! shared memory). Every widget awaits the same start, so the pool is built once
//! and a failure is explained the same way everywhere.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use wasm_bindgen_futures::JsFuture;

use super::environment::Environment;

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
/// one worker per reported core; later calls await the same start.
pub async fn ready() -> Result<usize, PoolUnavailable> {
    let start = START.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| start().boxed_local().shared())
            .clone()
    });
    start.await
}

async fn start() -> Result<usize, PoolUnavailable> {
    let environment = Environment::detect();
    if let Some(obstacle) = environment.obstacle() {
        return Err(PoolUnavailable {
            reason: obstacle.to_owned(),
        });
    }
    let threads = environment.hardware_concurrency;
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads))
        .await
        .map(|_| threads)
        .map_err(|error| PoolUnavailable {
            reason: format!(
                "the browser refused to start {threads} worker threads ({}).",
                super::js_error::describe(&error)
            ),
        })
}
