//! The race with no parallelism: two async tasks on this page's one thread,
//! each reading a shared counter, awaiting, then writing it back.

use std::cell::Cell;
use std::rc::Rc;

use futures::channel::oneshot;
use gloo::timers::future::TimeoutFuture;
use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use yew::platform::spawn_local;
use yew::prelude::*;

use book_content::directive::WidgetKind;

use crate::kit::fields::{parse_clamped, NumberField};
use crate::kit::frame::{result_json, WidgetFrame};
use crate::kit::run::{use_run, Run};
use crate::round_ms;
use book_compute::pitfalls::one_thread::{increment, AwaitPoint, PER_TASK};
use book_runtime::clock::now_ms;
use book_runtime::environment::Environment;

/// One version's figures.
#[derive(Serialize, Clone)]
struct Version {
    await_point: AwaitPoint,
    expected: u64,
    actual: u64,
    lost: u64,
    ms: f64,
}

#[derive(Serialize)]
struct Report {
    widget: &'static str,
    tasks: usize,
    per_task: u32,
    /// Web Workers involved: none, both tasks run on the main thread.
    workers: usize,
    versions: Vec<Version>,
    machine: Environment,
}

/// Awaits between two microtask yields before one yields to the whole event
/// loop, so the page can draw and take input while the tasks race.
const HOPS_PER_FRAME: u32 = 256;

/// Lets the other task run: resolves in a later microtask, as any `await` on
/// an already settled promise does; every [`HOPS_PER_FRAME`]th time, in a
/// later event-loop task instead, so the race never becomes a long task.
async fn yield_now(hop: u32) {
    if hop.is_multiple_of(HOPS_PER_FRAME) {
        TimeoutFuture::new(0).await;
    } else {
        // A resolved promise cannot reject; the value is not needed.
        let _ = JsFuture::from(js_sys::Promise::resolve(&JsValue::UNDEFINED)).await;
    }
}

/// Spawns two tasks on the event loop that each add one `per_task` times.
async fn two_tasks(per_task: u32, point: AwaitPoint) -> Version {
    let counter = Rc::new(Cell::new(0u64));
    let hops = Rc::new(Cell::new(0u32));
    let started = now_ms();
    let finished: Vec<_> = (0..2)
        .map(|_| {
            let (done, finished) = oneshot::channel();
            let counter = Rc::clone(&counter);
            let hops = Rc::clone(&hops);
            spawn_local(async move {
                let next_hop = || {
                    hops.set(hops.get().wrapping_add(1));
                    yield_now(hops.get())
                };
                increment(&counter, per_task, point, next_hop).await;
                // The widget may be gone; then nobody waits for this.
                let _ = done.send(());
            });
            finished
        })
        .collect();
    for task in finished {
        // A dropped sender means the task was torn down with the page.
        let _ = task.await;
    }
    let expected = 2 * u64::from(per_task);
    let actual = counter.get();
    Version {
        await_point: point,
        expected,
        actual,
        lost: expected.saturating_sub(actual),
        ms: round_ms(now_ms() - started),
    }
}

/// The widget: the racy version, then the fixed one, on the main thread.
#[function_component(RaceOneThread)]
pub fn race_one_thread() -> Html {
    let per_task = use_state(|| "10000".to_string());
    let run_state = use_run::<(), Report>();
    let note = use_state(|| None::<String>);
    let running = run_state.is_running();
    let start = {
        let (per_task, run_state, note) = (per_task.clone(), run_state.clone(), note.clone());
        Callback::from(move |_| {
            if run_state.is_running() {
                return;
            }
            let (times, clamped) = match parse_clamped(
                &per_task,
                "Increments per task",
                u64::from(*PER_TASK.start()),
                u64::from(*PER_TASK.end()),
            ) {
                Ok(parsed) => parsed,
                Err(message) => return run_state.refuse(message),
            };
            note.set(clamped);
            let times = u32::try_from(times).unwrap_or(*PER_TASK.end());
            run_state.start((), move |_, _| async move {
                let racy = two_tasks(times, AwaitPoint::BetweenReadAndWrite).await;
                let fixed = two_tasks(times, AwaitPoint::AfterTheUpdate).await;
                Ok(Report {
                    widget: "race-one-thread",
                    tasks: 2,
                    per_task: times,
                    workers: 0,
                    versions: vec![racy, fixed],
                    machine: Environment::detect(),
                })
            });
        })
    };
    let result = run_state.done().and_then(result_json);
    html! {
        <WidgetFrame kind={WidgetKind::RaceOneThread} {result} busy={running}>
            <div class="lab-controls">
                <button type="button" onclick={start} disabled={running}>{ if running { "Running…" } else { "Run two tasks" } }</button>
                <NumberField id="race-one-thread-k" label="Increments per task" value={(*per_task).clone()}
                             min={u64::from(*PER_TASK.start())} max={u64::from(*PER_TASK.end())}
                             oninput={let s = per_task.clone(); Callback::from(move |v| s.set(v))} />
            </div>
            if let Some(message) = &*note {
                <p class="note">{ message.clone() }</p>
            }
            <div class="widget-output" role="status" aria-live="polite">
                if let Run::Failed(message) = run_state.state() {
                    <p class="error" role="alert">{ message.clone() }</p>
                }
                if let Some(report) = run_state.done() {
                    <table class="results">
                        <caption>{ "Two tasks on the main thread, no worker involved" }</caption>
                        <thead><tr><th>{ "each iteration" }</th><th>{ "expected" }</th><th>{ "counter" }</th><th>{ "lost updates" }</th><th>{ "time" }</th></tr></thead>
                        <tbody>
                            { for report.versions.iter().map(|v| html! {
                                <tr>
                                    <td><code>{ match v.await_point {
                                        AwaitPoint::BetweenReadAndWrite => "let v = n.get(); yield_now().await; n.set(v + 1);",
                                        AwaitPoint::AfterTheUpdate => "n.set(n.get() + 1); yield_now().await;",
                                    } }</code></td>
                                    <td>{ v.expected }</td>
                                    <td>{ v.actual }</td>
                                    <td>{ v.lost }</td>
                                    <td>{ format!("{} ms", v.ms) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    <p class="explanation">{ format!(
                        "One thread, no parallelism, and still {} of {} updates were lost: each task reads the counter, \
                         awaits, and while it waits the other task reads the same old value. The fix is not a lock but moving the await: \
                         on a single-threaded event loop, code between two awaits runs without interruption.",
                        report.versions[0].lost, report.versions[0].expected) }</p>
                }
            </div>
        </WidgetFrame>
    }
}
