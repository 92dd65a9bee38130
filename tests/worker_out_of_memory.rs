//! A real allocation failure inside a pool job, in the shipped configuration:
//! the allocation error hook names it, the worker dies, the run says so and
//! the pool refuses every later run. Its own test page, as in
//! `worker_panic.rs`.
#![cfg(target_arch = "wasm32")]

use book_pool::job::{run_in_pool, JobError};
use book_runtime::panics;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn an_allocation_failure_in_a_worker_is_named_and_breaks_the_pool() {
    panics::install_hook();
    assert_eq!(run_in_pool(|| 6 * 7).await, Ok(42));
    // More than the module's whole memory may grow to (1 GiB).
    let crashed = run_in_pool(|| {
        let huge = std::hint::black_box(vec![1u8; 1536 << 20]);
        huge.len()
    })
    .await;
    match crashed {
        Err(JobError::Panicked(message)) => {
            assert!(message.contains("out of memory"), "{message}")
        }
        other => panic!("the run must say its worker ran out of memory: {other:?}"),
    }
    assert!(matches!(
        run_in_pool(|| 1).await,
        Err(JobError::PoolBroken(message)) if message.contains("out of memory")
    ));
}
