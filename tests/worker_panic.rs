//! A real panic inside a pool job, in the shipped configuration (panic =
//! abort): the worker dies, the run that crashed says so, the run that was
//! waiting beside it is released, every later run fails at once, and the book
//! is told. Its own test page: a crash puts the pool out of action for the
//! page's life, as it would for a reader.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use book_pool::job::{run_in_pool, run_piece_in_pool, JobError};
use book_runtime::clock::now_ms;
use book_runtime::panics::{self, POOL_BROKEN_EVENT};
use futures::future::join;
use gloo::timers::future::sleep;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_panic_in_a_worker_breaks_the_pool_and_every_later_run_fails_at_once() {
    panics::install_hook();
    let told = Rc::new(RefCell::new(Vec::<String>::new()));
    let _listener = {
        let told = Rc::clone(&told);
        gloo::events::EventListener::new(&gloo::utils::window(), POOL_BROKEN_EVENT, move |event| {
            let detail = event
                .dyn_ref::<web_sys::CustomEvent>()
                .and_then(|event| event.detail().as_string())
                .unwrap_or_default();
            told.borrow_mut().push(detail);
        })
    };
    // The pool runs before anything crashes.
    assert_eq!(run_in_pool(|| 6 * 7).await, Ok(42));

    // A piece that holds its thread for up to 3 s, as a pitfall's barrier
    // holds threads, beside a piece whose thread panics.
    let started = now_ms();
    let waiting = run_piece_in_pool(move || {
        let until = now_ms() + 3_000.0;
        while now_ms() < until {
            std::hint::spin_loop();
        }
        "finished"
    });
    let crashing = async {
        sleep(Duration::from_millis(100)).await;
        run_piece_in_pool(|| -> u32 { panic!("index 9 out of range in a test kernel") }).await
    };
    let (waited, crashed) = join(waiting, crashing).await;
    // The main thread learns of the crash, not which job's thread it was:
    // whichever run sees it first reports the panic, the other the broken pool.
    let panicked = |outcome: &Result<_, JobError>| matches!(outcome, Err(JobError::Panicked(message)) if message.contains("index 9 out of range"));
    let waited = waited.map(|_| ());
    let crashed = crashed.map(|_| ());
    assert_eq!(
        [panicked(&waited), panicked(&crashed)]
            .iter()
            .filter(|&&p| p)
            .count(),
        1,
        "the panic is reported once: {waited:?} {crashed:?}"
    );
    assert!(crashed.is_err(), "the crashed run has no result");
    if waited.is_err() {
        assert!(
            now_ms() - started < 2_500.0,
            "the waiting run is released when the crash is seen, not when its own work ends"
        );
    }

    // Every later run fails at once, with the same message.
    let later = now_ms();
    match run_in_pool(|| 1).await {
        Err(JobError::PoolBroken(message)) => {
            assert!(message.contains("index 9 out of range"), "{message}")
        }
        other => panic!("a later run must refuse: {other:?}"),
    }
    assert!(now_ms() - later < 50.0, "at once, not after a wait");
    assert!(
        JobError::PoolBroken(String::new())
            .to_string()
            .contains("Reload the page"),
        "the message offers the way out"
    );
    let told = told.borrow();
    assert_eq!(told.len(), 1, "the book is told once: {told:?}");
    assert!(told[0].contains("index 9 out of range"), "{told:?}");
}
