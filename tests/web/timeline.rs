//! The concurrency lab's timeline: futures taking turns on this page's one
//! thread, and the same tasks on the pool's threads at once.

use book_compute::concurrency::timeline::{run_on_pool, TaskSpec, Timeline};
use book_pool::job::run_in_pool;
use book_runtime::clock::shared_ms;
use book_widgets::concurrency::timeline::interleave::run_interleaved;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn tasks(count: usize, steps: usize, step_ms: f64) -> Vec<TaskSpec> {
    (0..count)
        .map(|i| TaskSpec::clamped(&format!("T{i}"), steps, step_ms).0)
        .collect()
}

#[wasm_bindgen_test]
async fn tasks_on_the_event_loop_interleave_and_never_overlap() {
    // A turn of the event loop ends at its microtask checkpoint: a step
    // that begins before the microtask queued by the step before it
    // has run began in that step's turn.
    let in_turn = Rc::new(Cell::new(false));
    let sharing = Rc::new(Cell::new(0));
    let watch = {
        let (in_turn, sharing) = (Rc::clone(&in_turn), Rc::clone(&sharing));
        move |_task: usize| {
            if in_turn.replace(true) {
                sharing.set(sharing.get() + 1);
            }
            let in_turn = Rc::clone(&in_turn);
            let turn_ends = Closure::once_into_js(move || in_turn.set(false));
            web_sys::window()
                .expect("the tests run in a window")
                .queue_microtask(turn_ends.unchecked_ref());
        }
    };
    let interleaved = run_interleaved(&tasks(3, 3, 2.0), watch).await;
    assert_eq!(
        sharing.get(),
        0,
        "each step has a turn of the event loop to itself"
    );
    let timeline = Timeline::new(interleaved.spans);
    assert_eq!(timeline.spans.len(), 9);
    assert_eq!(timeline.lanes_used(), 1);
    assert_eq!(
        timeline.most_at_once(),
        1,
        "one thread runs one step at a time"
    );
    assert!(!timeline.lane_overlaps());
    // Each task awaits before every step, so the next step on the thread
    // is another task's: the tasks alternate A B C A B C A B C.
    let order: Vec<usize> = timeline.spans.iter().map(|span| span.task).collect();
    assert_eq!(order, [0, 1, 2, 0, 1, 2, 0, 1, 2]);
    assert_eq!(timeline.switches(), 8);
}

#[wasm_bindgen_test]
async fn the_same_tasks_on_the_pool_run_at_the_same_time() {
    // Steps of 20 ms: a task much shorter can be over before the other
    // worker gets a core on a busy machine (WebKit runs 4 workers on 2
    // cores), and the two never meet. A pool that runs the tasks one
    // after the other still fails the last check, however long the steps.
    let work = tasks(2, 4, 20.0);
    let spans = run_in_pool(move || {
        run_on_pool(&work, &shared_ms, &|| {
            rayon::current_thread_index().unwrap_or(0)
        })
    })
    .await
    .expect("the test runner is isolated: a real pool");
    let timeline = Timeline::new(spans);
    assert_eq!(timeline.spans.len(), 8);
    assert!(!timeline.lane_overlaps());
    assert_eq!(timeline.lanes_used(), 2, "each task on a worker of its own");
    assert_eq!(
        timeline.most_at_once(),
        2,
        "both tasks' steps at one instant"
    );
}
