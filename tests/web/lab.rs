//! The parallelism lab in the pool: each thread count really runs on that
//! many workers, and a cancelled run stops at once and leaves the pool usable.

use std::time::Duration;

use book_compute::control::Control;
use book_compute::kernel::{KernelKind, KernelRequest};
use book_compute::lab::{LabError, LabRequest, Split};
use book_compute::measure::Plan;
use book_runtime::clock::now_ms;
use book_widgets::lab::job::{run, RunError};
use gloo::timers::future::sleep;
use wasm_bindgen_test::*;

fn request(size: usize, thread_counts: Vec<usize>, plan: Plan) -> LabRequest {
    LabRequest {
        kernels: vec![KernelRequest::new(KernelKind::Mandelbrot, size).expect("valid")],
        splits: vec![Split::WorkStealing],
        thread_counts,
        plan,
    }
}

#[wasm_bindgen_test]
async fn each_thread_count_runs_on_that_many_workers() {
    let plan = Plan {
        warmup: 0,
        repetitions: 2,
    };
    let result = run(request(400, vec![1, 2], plan), Control::new())
        .await
        .expect("measured");
    assert!(
        result.pool_threads >= 2,
        "the test runner is isolated: a real pool"
    );
    let points = &result.sweeps[0].points;
    assert_eq!(
        points[0].threads_seen, 1,
        "one thread when the rest are parked"
    );
    assert_eq!(points[1].threads_seen, 2, "both workers took rows");
    assert!(result.after.is_some(), "the image comes back");
}

#[wasm_bindgen_test]
async fn cancelling_stops_within_a_tenth_of_a_second_and_the_pool_stays_usable() {
    let control = Control::new();
    let running = wasm_bindgen_futures::JsFuture::from(wasm_bindgen_futures::future_to_promise({
        let control = control.clone();
        async move {
            let outcome = run(request(3200, vec![1, 2], Plan::default()), control).await;
            Ok(wasm_bindgen::JsValue::from_bool(matches!(
                outcome,
                Err(RunError::Lab(LabError::Cancelled))
            )))
        }
    }));
    sleep(Duration::from_millis(300)).await;
    assert!(control.progress() > 0.0, "the run had started");
    let cancelled_at = now_ms();
    control.cancel();
    let was_cancelled = running.await.expect("the run settles");
    let took = now_ms() - cancelled_at;
    assert_eq!(was_cancelled.as_bool(), Some(true));
    assert!(took < 200.0, "cancelling took {took:.0} ms");

    let again = run(
        request(
            64,
            vec![2],
            Plan {
                warmup: 0,
                repetitions: 1,
            },
        ),
        Control::new(),
    )
    .await;
    assert!(again.is_ok(), "the pool still runs jobs after a cancel");
}
