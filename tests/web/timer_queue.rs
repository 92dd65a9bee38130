//! The timer queue: many waits on one browser timer, none woken early.

use std::cell::RefCell;
use std::rc::Rc;

use book_runtime::clock::now_ms;
use book_widgets::concurrency::server::timer_queue::sleep;
use futures::future::join_all;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn a_thousand_waits_each_end_after_their_own_delay() {
    let late = Rc::new(RefCell::new(Vec::new()));
    let started = now_ms();
    join_all((0..1_000_u32).map(|i| {
        let late = Rc::clone(&late);
        async move {
            let delay = (i * 7) % 60;
            let asked = now_ms();
            sleep(delay).await;
            late.borrow_mut().push(now_ms() - asked - f64::from(delay));
        }
    }))
    .await;
    let late = late.take();
    assert_eq!(late.len(), 1_000, "every wait ended");
    // Whole milliseconds, rounded up from the time asked: never early.
    assert!(late.iter().all(|&l| l > -1.0), "{late:?}");
    assert!(now_ms() - started >= 59.0);
}
