//! The actor model on the event loop: mailboxes, a slow actor, a failure
//! that its supervisor restarts.

use book_compute::control::Control;
use book_widgets::concurrency::actors::engine::{run, ChatRoom};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn every_delivery_is_handled_or_lost_and_a_failed_actor_is_restarted() {
    let room = ChatRoom {
        users: 50,
        messages: 20,
        interval_ms: 2,
        slow_ms: 20,
        crash_every: 7,
    };
    let outcome = run(room, Control::new(), |_| {}).await;
    assert_eq!(outcome.expected, 1_000);
    assert_eq!(outcome.handled + outcome.lost, outcome.expected);
    assert_eq!(
        outcome.failures, 2,
        "the faulty user fails on messages 7 and 14"
    );
    assert_eq!(outcome.restarts, 2);
    assert!(outcome.lost >= 2, "at least the two messages it failed on");
    assert!(
        outcome.slow_peak > outcome.typical_peak,
        "the slow user's mailbox grows: {} against {}",
        outcome.slow_peak,
        outcome.typical_peak
    );
    // The actors take turns on the one thread: the handler changes with
    // nearly every message, not once per actor.
    assert!(outcome.switches > 50 * 10, "{}", outcome.switches);
}
