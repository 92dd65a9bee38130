//! A deadlock with no lock and no thread: two async tasks on the event loop,
//! each awaiting the other's message before sending its own.

use std::future::Future;

use futures::channel::oneshot;
use futures::future::{abortable, join, select, Either};
use gloo::timers::future::TimeoutFuture;
use serde::Serialize;
use yew::platform::spawn_local;
use yew::prelude::*;

use book_content::directive::WidgetKind;

use crate::kit::frame::{result_json, WidgetFrame};
use crate::kit::run::use_run;
use crate::round_ms;
use book_compute::pitfalls::one_thread::{polite_a, polite_b, stuck_pair, Stuck};
use book_runtime::clock::now_ms;
use book_runtime::environment::Environment;

/// How long the watchdog lets the two tasks go without either finishing.
const PATIENCE_MS: u32 = 500;

#[derive(Serialize)]
struct Report {
    widget: &'static str,
    workers: usize,
    /// The polite pair (each waits first) never finished.
    deadlocked: bool,
    waited_ms: f64,
    stuck: Vec<Stuck>,
    /// Both tasks were aborted, so nothing is left waiting.
    recovered: bool,
    /// The fixed pair (A speaks first) finished, with the messages each got.
    fixed_finished: bool,
    machine: Environment,
}

/// How the polite pair ended.
struct PoliteOutcome {
    /// Both tasks finished before the watchdog fired (they should not).
    finished: bool,
    /// How long the watchdog watched.
    waited_ms: f64,
    /// After the abort, both tasks really ended: nothing is left waiting.
    recovered: bool,
}

/// Runs the polite pair as two tasks under a watchdog, then aborts them and
/// checks that both have ended.
async fn polite_pair() -> PoliteOutcome {
    let (to_a, from_b) = oneshot::channel();
    let (to_b, from_a) = oneshot::channel();
    let (task_a, abort_a) = abortable(polite_a(from_b, to_b));
    let (task_b, abort_b) = abortable(polite_b(from_a, to_a));
    let started = now_ms();
    let ended = join(spawn_task(task_a), spawn_task(task_b));
    let outcome = select(ended, TimeoutFuture::new(PATIENCE_MS)).await;
    let waited_ms = now_ms() - started;
    abort_a.abort();
    abort_b.abort();
    match outcome {
        Either::Left(_) => PoliteOutcome {
            finished: true,
            waited_ms,
            recovered: true,
        },
        Either::Right((_, still_waiting)) => {
            // An aborted task ends at its next poll, which the abort schedules.
            let after = select(still_waiting, TimeoutFuture::new(PATIENCE_MS)).await;
            PoliteOutcome {
                finished: false,
                waited_ms,
                recovered: matches!(after, Either::Left(_)),
            }
        }
    }
}

/// The fix: A sends first, then waits; B waits, then answers. Whether both
/// ended before the watchdog's deadline.
async fn fixed_pair() -> bool {
    let (to_a, from_b) = oneshot::channel::<u32>();
    let (to_b, from_a) = oneshot::channel::<u32>();
    let a = async move {
        // B is alive until it has answered, so this send is received.
        let _ = to_b.send(1);
        from_b.await.unwrap_or(0)
    };
    let (task_a, abort_a) = abortable(a);
    let (task_b, abort_b) = abortable(polite_b(from_a, to_a));
    let ended = join(spawn_task(task_a), spawn_task(task_b));
    let outcome = select(ended, TimeoutFuture::new(PATIENCE_MS)).await;
    abort_a.abort();
    abort_b.abort();
    matches!(outcome, Either::Left(_))
}

/// Spawns `task` on the event loop as a task of its own; the receiver
/// resolves when it ends.
fn spawn_task(task: impl Future + 'static) -> oneshot::Receiver<()> {
    let (done, ended) = oneshot::channel();
    spawn_local(async move {
        // An aborted task's output says so; either way it has ended.
        let _ = task.await;
        let _ = done.send(());
    });
    ended
}

/// The widget: the deadlock, the watchdog, the fix.
#[function_component(DeadlockOneThread)]
pub fn deadlock_one_thread() -> Html {
    let run_state = use_run::<(), Report>();
    let running = run_state.is_running();
    let start = {
        let run_state = run_state.clone();
        Callback::from(move |_| {
            run_state.start((), |_, _| async move {
                let polite = polite_pair().await;
                let fixed_finished = fixed_pair().await;
                Ok(Report {
                    widget: "deadlock-one-thread",
                    workers: 0,
                    deadlocked: !polite.finished,
                    waited_ms: round_ms(polite.waited_ms),
                    stuck: if polite.finished {
                        Vec::new()
                    } else {
                        stuck_pair()
                    },
                    recovered: polite.recovered,
                    fixed_finished,
                    machine: Environment::detect(),
                })
            });
        })
    };
    let result = run_state.done().and_then(result_json);
    html! {
        <WidgetFrame kind={WidgetKind::DeadlockOneThread} {result} busy={running}>
            <button type="button" onclick={start} disabled={running}>{ if running { "Waiting…" } else { "Start the two tasks" } }</button>
            <pre><code>{ "task A: let msg = from_b.await; to_b.send(1);\ntask B: let msg = from_a.await; to_a.send(2);" }</code></pre>
            <div class="widget-output" role="status" aria-live="polite">
                if running {
                    <p>{ format!("Both tasks are awaiting; the watchdog gives them {PATIENCE_MS} ms. Scroll or type meanwhile: the page is not frozen, only the two tasks are stuck.") }</p>
                }
                if let Some(report) = run_state.done() {
                    if report.deadlocked {
                        <p><strong>{ format!("Deadlocked: after {} ms neither task had finished.", report.waited_ms) }</strong></p>
                        <ul>{ for report.stuck.iter().map(|s| html! { <li>{ format!("{} waits for {}", s.task, s.waits_for) }</li> }) }</ul>
                        <p>{ if report.recovered {
                                "The watchdog aborted both tasks (dropping a future cancels it), and both have ended: nothing is left waiting. "
                            } else {
                                "The watchdog aborted both tasks, but they had not ended shortly after: reload the page. "
                            } }
                           { "No lock, no thread, no CPU use: a deadlock on an event loop is silent. " }
                           { if report.fixed_finished { "With A sending before it waits, the same pair finishes at once." } else { "The fixed pair did not finish either; reload the page." } }</p>
                    } else {
                        <p>{ "The tasks finished, which they should not: please report this." }</p>
                    }
                }
            </div>
        </WidgetFrame>
    }
}
