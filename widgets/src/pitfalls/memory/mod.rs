//! Memory overhead (seed §11, "High with many threads"): what one more Web
//! Worker costs against what one more async task costs, both measured here.

use std::future::Future;

use book_compute::stats::Summary;
use futures::channel::oneshot;
use futures::future::{select, Either};
use gloo::timers::future::TimeoutFuture;
use serde::Serialize;
use yew::platform::spawn_local;
use yew::prelude::*;

use book_compute::control::Control;
use book_content::directive::WidgetKind;

use crate::heap::thread_live_bytes;
use crate::kit::fields::{parse_clamped, NumberField};
use crate::kit::frame::{result_json, WidgetFrame};
use crate::kit::run::{use_run, Run};
use crate::round_ms;
use book_runtime::clock::now_ms;
use book_runtime::environment::Environment;

mod workers;

use workers::{has_wait_async, measure_echo_workers, start_echo_worker};

/// Async tasks the widget accepts: each is small, a hundred thousand is fine.
const TASKS: std::ops::RangeInclusive<u64> = 1..=100_000;

/// Tasks where the browser lacks `Atomics.waitAsync` and each waiting task
/// costs a helper worker.
const TASKS_WITHOUT_WAIT_ASYNC: u64 = 50;

/// Milliseconds of spawning (or waking) between two yields to the event loop.
/// The tasks' first steps follow in the same turn and cost several times
/// their spawning, so a turn measured in time stays well under the 50 ms of
/// a long task even on a slower machine; a fixed count of tasks per turn
/// would not.
const SLICE_MS: f64 = 1.5;

/// Tasks handled between two looks at the clock.
const CLOCK_EVERY: usize = 64;

/// Workers the widget accepts: each is a real browser thread with its own
/// JavaScript heap, and a phone has little memory to spare.
const WORKERS: std::ops::RangeInclusive<u64> = 1..=32;

/// How long a worker may take to answer before the widget gives up on it.
const WORKER_START_LIMIT_MS: u32 = 10_000;

/// How long the browser may take to measure (Chromium waits for a garbage collection).
const MEASURE_LIMIT_MS: u32 = 40_000;

/// The figures written to `data-result`.
#[derive(Serialize, Default)]
struct Report {
    widget: &'static str,
    tasks: usize,
    /// Rust heap bytes held per waiting task (its future, its slot in the
    /// executor, its channel), from this thread's allocator count, taken once
    /// every task has been polled and is waiting. The browser keeps one small
    /// promise per waiting task on top, which this does not see.
    bytes_per_task: f64,
    /// Spawning, not running: the time to create and queue one task.
    task_spawn_us: f64,
    workers: usize,
    /// From `new Worker()` to its first answer: median over the workers;
    /// `None` when no worker started.
    worker_start_ms: Option<f64>,
    /// The JavaScript memory the browser attributes to each worker alone, from
    /// `measureUserAgentSpecificMemory`; `None` where the browser cannot say.
    /// The thread's stack and the engine's own structures come on top.
    bytes_per_worker: Option<f64>,
    /// Why a worker figure is missing, when one is.
    worker_note: Option<String>,
    machine: Option<Environment>,
}

/// Races `work` against the reader's Cancel and a time limit.
async fn limited<T>(
    work: impl Future<Output = T>,
    limit_ms: u32,
    cancelled: &Control,
) -> Option<T> {
    let cancelled = cancelled.clone();
    let stop = async move {
        let mut waited = 0;
        while waited < limit_ms && !cancelled.is_cancelled() {
            TimeoutFuture::new(100).await;
            waited += 100;
        }
    };
    match select(Box::pin(work), Box::pin(stop)).await {
        Either::Left((value, _)) => Some(value),
        Either::Right(_) => None,
    }
}

/// Spawns `n` tasks that each wait for a message, weighs them once they all
/// wait, then lets them finish. `false` if cancelled.
async fn weigh_tasks(n: usize, report: &mut Report, cancelled: &Control) -> bool {
    // The widget's own list of senders is allocated before the weighing starts.
    let mut senders = Vec::with_capacity(n);
    let before = thread_live_bytes();
    let mut spawning = 0.0;
    while senders.len() < n {
        let started = now_ms();
        while senders.len() < n && now_ms() - started < SLICE_MS {
            for _ in 0..CLOCK_EVERY.min(n - senders.len()) {
                let (sender, message) = oneshot::channel::<()>();
                spawn_local(async move {
                    // A message, or the widget going away, ends the wait.
                    let _ = message.await;
                });
                senders.push(sender);
            }
        }
        spawning += now_ms() - started;
        // Let the page draw, and every task so far take its first step.
        TimeoutFuture::new(0).await;
        if cancelled.is_cancelled() {
            return false;
        }
    }
    let held = thread_live_bytes().saturating_sub(before).max(0);
    report.tasks = n;
    report.bytes_per_task = (held as f64 / n as f64).round();
    report.task_spawn_us = round_ms(spawning * 1000.0 / n as f64);
    // Waking is sliced too: each woken task finishes in the turn it is woken.
    let mut senders = senders.into_iter();
    loop {
        let started = now_ms();
        let mut woken = 0;
        for sender in senders.by_ref() {
            let _ = sender.send(());
            woken += 1;
            if woken % CLOCK_EVERY == 0 && now_ms() - started >= SLICE_MS {
                break;
            }
        }
        if woken == 0 {
            break;
        }
        TimeoutFuture::new(0).await;
    }
    true
}

/// Starts `n` echo workers, times them, and weighs them where the browser can.
async fn weigh_workers(n: usize, report: &mut Report, cancelled: &Control) {
    let mut workers = Vec::with_capacity(n);
    for _ in 0..n {
        match limited(start_echo_worker(), WORKER_START_LIMIT_MS, cancelled).await {
            Some(Ok(worker)) => workers.push(worker),
            Some(Err(why)) => {
                report.worker_note = Some(why);
                break;
            }
            None if cancelled.is_cancelled() => return,
            None => {
                report.worker_note = Some(format!(
                    "a worker did not answer within {} s",
                    WORKER_START_LIMIT_MS / 1000
                ));
                break;
            }
        }
    }
    report.workers = workers.len();
    if workers.is_empty() {
        return;
    }
    let starts: Vec<f64> = workers.iter().map(|w| w.start_ms).collect();
    report.worker_start_ms = Summary::of(&starts).map(|s| round_ms(s.median_ms));
    match limited(measure_echo_workers(), MEASURE_LIMIT_MS, cancelled).await {
        Some(Ok(memory)) if memory.workers > 0 => {
            report.bytes_per_worker = Some((memory.bytes / memory.workers as f64).round());
        }
        Some(Ok(_)) => {
            report.worker_note = Some(
                "the browser's measurement attributed no memory to the workers alone".to_owned(),
            );
        }
        Some(Err(why)) => report.worker_note = Some(why),
        None if cancelled.is_cancelled() => {}
        None => {
            report.worker_note = Some(format!(
                "the browser did not measure within {} s",
                MEASURE_LIMIT_MS / 1000
            ))
        }
    }
}

/// The widget: tasks and workers counts, then the two costs side by side.
#[function_component(MemoryWidget)]
pub fn memory_widget() -> Html {
    let tasks = use_state(|| "10000".to_string());
    let workers = use_state(|| "4".to_string());
    let run_state = use_run::<(), Report>();
    let message = use_state(|| None::<String>);
    let running = run_state.is_running();
    let start = {
        let (tasks, workers, run_state, message) = (
            tasks.clone(),
            workers.clone(),
            run_state.clone(),
            message.clone(),
        );
        Callback::from(move |_| {
            if run_state.is_running() {
                return;
            }
            let most_tasks = if has_wait_async() {
                *TASKS.end()
            } else {
                TASKS_WITHOUT_WAIT_ASYNC
            };
            let parsed =
                parse_clamped(&tasks, "Async tasks", *TASKS.start(), most_tasks).and_then(|t| {
                    parse_clamped(&workers, "Web Workers", *WORKERS.start(), *WORKERS.end())
                        .map(|w| (t, w))
                });
            let ((t, t_note), (w, w_note)) = match parsed {
                Ok(parsed) => parsed,
                Err(refused) => return run_state.refuse(refused),
            };
            let mut notes: Vec<String> = [t_note, w_note].into_iter().flatten().collect();
            if most_tasks < *TASKS.end() {
                notes.push(format!(
                    "This browser has no Atomics.waitAsync, so each waiting task costs a helper worker: at most {most_tasks} tasks."
                ));
            }
            message.set((!notes.is_empty()).then(|| notes.join(" ")));
            run_state.start((), move |control, _| async move {
                let mut figures = Report {
                    widget: "memory-overhead",
                    ..Report::default()
                };
                if weigh_tasks(t as usize, &mut figures, &control).await {
                    weigh_workers(w as usize, &mut figures, &control).await;
                }
                figures.machine = Some(Environment::detect());
                Ok(figures)
            });
        })
    };
    let result = run_state.done().and_then(result_json);
    html! {
        <WidgetFrame kind={WidgetKind::MemoryOverhead} {result} busy={running}>
            <div class="lab-controls">
                <button type="button" onclick={start} disabled={running}>{ if running { "Weighing…" } else { "Weigh them" } }</button>
                <button type="button" class="secondary" onclick={run_state.cancel()} disabled={!running}>{ "Cancel" }</button>
                <NumberField id="memory-tasks" label="Async tasks" value={(*tasks).clone()} min={*TASKS.start()} max={*TASKS.end()}
                             oninput={let s = tasks.clone(); Callback::from(move |v| s.set(v))} />
                <NumberField id="memory-workers" label="Web Workers" value={(*workers).clone()} min={*WORKERS.start()} max={*WORKERS.end()}
                             oninput={let s = workers.clone(); Callback::from(move |v| s.set(v))} />
            </div>
            if let Some(text) = &*message {
                <p class="note">{ text.clone() }</p>
            }
            <div class="widget-output" role="status" aria-live="polite">
                { match run_state.state() {
                    Run::Idle => Html::default(),
                    Run::Running(()) => html! {
                        <p>{ "Spawning tasks, then starting workers. Chromium measures the page's memory at its next garbage collection, which can take up to 20 seconds." }</p>
                    },
                    Run::Done(report) => view_report(report),
                    Run::Cancelled => html! { <p>{ "Cancelled." }</p> },
                    Run::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                } }
            </div>
        </WidgetFrame>
    }
}

fn view_report(report: &Report) -> Html {
    let ratio = report
        .bytes_per_worker
        .filter(|_| report.bytes_per_task > 0.0)
        .map(|w| w / report.bytes_per_task);
    html! {
        <>
            <table class="results">
                <caption>{ "One more unit of concurrency costs" }</caption>
                <thead><tr><th></th><th>{ "memory each" }</th><th>{ "time to create each" }</th></tr></thead>
                <tbody>
                    <tr>
                        <td>{ format!("async task (of {})", report.tasks) }</td>
                        <td>{ format!("{} bytes of Rust heap", report.bytes_per_task) }</td>
                        <td>{ format!("{} µs to spawn", report.task_spawn_us) }</td>
                    </tr>
                    <tr>
                        <td>{ format!("Web Worker (of {})", report.workers) }</td>
                        <td>{ match report.bytes_per_worker {
                            Some(bytes) => format!("{:.0} kB of JavaScript heap, plus a thread and an engine", bytes / 1e3),
                            None => "not measurable here".to_owned(),
                        } }</td>
                        <td>{ match report.worker_start_ms {
                            Some(ms) => format!("{ms} ms to first answer (median)"),
                            None => "did not start".to_owned(),
                        } }</td>
                    </tr>
                </tbody>
            </table>
            if let Some(note) = &report.worker_note {
                <p class="note">{ format!("Workers: {note}.") }</p>
            }
            <p class="explanation">
                { "A task is a state machine on the heap: its future, a slot in the executor, its channel. \
                   A worker is a thread with its own stack, its own JavaScript heap and its own event loop. " }
                { ratio.map(|r| format!("Here one worker's heap alone weighs as much as {r:.0} tasks. A Web Worker carries a whole JavaScript engine; a native thread is lighter, yet far heavier than a task: that is what \u{201c}high with many threads\u{201d} means.")).unwrap_or_default() }
            </p>
        </>
    }
}
