//! Memory overhead (seed §11, "High with many threads"): what one more Web
//! Worker costs against what one more async task costs, both measured here.

use std::rc::Rc;

use futures::channel::oneshot;
use serde::Serialize;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::{parse_clamped, round_ms, Machine, NumberField};
use crate::runtime::clock::now_ms;
use crate::runtime::heap::live_bytes;
use crate::runtime::memory::{measure_echo_workers, start_echo_worker};
use crate::ui::widgets::frame::WidgetFrame;

/// Async tasks the widget accepts: each is small, a hundred thousand is fine.
const TASKS: std::ops::RangeInclusive<u64> = 1..=200_000;

/// Workers the widget accepts: each is a real browser thread with its own
/// JavaScript heap, and a phone has little memory to spare.
const WORKERS: std::ops::RangeInclusive<u64> = 1..=32;

#[derive(Serialize, Default)]
struct Report {
    widget: &'static str,
    tasks: usize,
    /// Heap bytes held per waiting task (its future, its slot in the executor,
    /// its channel), from the allocator's count.
    bytes_per_task: f64,
    task_spawn_us: f64,
    workers: usize,
    /// From `new Worker()` to its first answer: median over the workers.
    worker_start_ms: f64,
    /// The JavaScript memory the browser attributes to each worker, from
    /// `measureUserAgentSpecificMemory`; `None` where the browser cannot say.
    /// The thread's stack and the engine's own structures come on top.
    bytes_per_worker: Option<f64>,
    /// Why `bytes_per_worker` is missing, when it is.
    worker_memory_note: Option<String>,
    machine: Option<Machine>,
}

/// Spawns `n` tasks that each wait for a message, weighs them, then lets them finish.
async fn weigh_tasks(n: usize, report: &mut Report) {
    // The widget's own list of senders is allocated before the weighing starts.
    let mut senders = Vec::with_capacity(n);
    let before = live_bytes();
    let started = now_ms();
    for _ in 0..n {
        let (sender, message) = oneshot::channel::<()>();
        spawn_local(async move {
            // A message, or the widget going away, ends the wait.
            let _ = message.await;
        });
        senders.push(sender);
    }
    let spawned = now_ms() - started;
    let held = live_bytes().saturating_sub(before);
    report.tasks = n;
    report.bytes_per_task = (held as f64 / n as f64).round();
    report.task_spawn_us = round_ms(spawned * 1000.0 / n as f64);
    for sender in senders {
        let _ = sender.send(());
    }
    // Let them all run to their end before the workers are weighed.
    gloo::timers::future::TimeoutFuture::new(0).await;
}

/// Starts `n` echo workers, times them, and weighs them where the browser can.
async fn weigh_workers(n: usize, report: &mut Report) -> Result<(), String> {
    let mut workers = Vec::with_capacity(n);
    for _ in 0..n {
        workers.push(start_echo_worker().await?);
    }
    let mut starts: Vec<f64> = workers.iter().map(|w| w.start_ms).collect();
    starts.sort_by(f64::total_cmp);
    report.workers = n;
    report.worker_start_ms = round_ms(starts[starts.len() / 2]);
    match measure_echo_workers().await {
        Ok(memory) if memory.workers > 0 => {
            report.bytes_per_worker = Some((memory.bytes / memory.workers as f64).round());
        }
        Ok(_) => {
            report.worker_memory_note =
                Some("the browser's measurement attributed no memory to the workers".to_owned());
        }
        Err(why) => report.worker_memory_note = Some(why),
    }
    drop(workers);
    Ok(())
}

/// The widget: tasks and workers counts, then the two costs side by side.
#[function_component(MemoryWidget)]
pub fn memory_widget() -> Html {
    let tasks = use_state(|| "10000".to_string());
    let workers = use_state(|| "4".to_string());
    let report = use_state(|| None::<Rc<Report>>);
    let running = use_state(|| false);
    let message = use_state(|| None::<String>);
    let start = {
        let (tasks, workers, report, running, message) = (
            tasks.clone(),
            workers.clone(),
            report.clone(),
            running.clone(),
            message.clone(),
        );
        Callback::from(move |_| {
            if *running {
                return;
            }
            let parsed = parse_clamped(&tasks, "Async tasks", *TASKS.start(), *TASKS.end())
                .and_then(|t| {
                    parse_clamped(&workers, "Web Workers", *WORKERS.start(), *WORKERS.end())
                        .map(|w| (t, w))
                });
            let ((t, t_note), (w, w_note)) = match parsed {
                Ok(parsed) => parsed,
                Err(refused) => return message.set(Some(refused)),
            };
            let note = [t_note, w_note]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            message.set((!note.is_empty()).then_some(note));
            running.set(true);
            let (report, running, message) = (report.clone(), running.clone(), message.clone());
            spawn_local(async move {
                let mut figures = Report {
                    widget: "memory-overhead",
                    ..Report::default()
                };
                weigh_tasks(t as usize, &mut figures).await;
                if let Err(why) = weigh_workers(w as usize, &mut figures).await {
                    message.set(Some(format!("Could not start the workers: {why}.")));
                }
                figures.machine = Some(Machine::detect());
                report.set(Some(Rc::new(figures)));
                running.set(false);
            });
        })
    };
    let result = report
        .as_ref()
        .and_then(|r| serde_json::to_string(&**r).ok())
        .map(AttrValue::from);
    html! {
        <WidgetFrame id="memory-overhead" title="Memory overhead: a thread against a task" {result} busy={*running}>
            <div class="lab-controls">
                <button type="button" onclick={start} disabled={*running}>{ if *running { "Weighing…" } else { "Weigh them" } }</button>
                <NumberField id="memory-tasks" label="Async tasks" value={(*tasks).clone()} min={*TASKS.start()} max={*TASKS.end()}
                             oninput={let s = tasks.clone(); Callback::from(move |v| s.set(v))} />
                <NumberField id="memory-workers" label="Web Workers" value={(*workers).clone()} min={*WORKERS.start()} max={*WORKERS.end()}
                             oninput={let s = workers.clone(); Callback::from(move |v| s.set(v))} />
            </div>
            if let Some(text) = &*message {
                <p class="note" role="alert">{ text.clone() }</p>
            }
            <div class="widget-output" role="status" aria-live="polite">
                if *running {
                    <p>{ "Spawning tasks, then starting workers. Chromium measures the page's memory at its next garbage collection, which can take up to 20 seconds." }</p>
                }
                if let Some(report) = &*report {
                    { view_report(report) }
                }
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
                <thead><tr><th></th><th>{ "memory each" }</th><th>{ "time to start each" }</th></tr></thead>
                <tbody>
                    <tr>
                        <td>{ format!("async task (of {})", report.tasks) }</td>
                        <td>{ format!("{} bytes", report.bytes_per_task) }</td>
                        <td>{ format!("{} µs", report.task_spawn_us) }</td>
                    </tr>
                    <tr>
                        <td>{ format!("Web Worker (of {})", report.workers) }</td>
                        <td>{ match report.bytes_per_worker {
                            Some(bytes) => format!("{:.0} kB of JavaScript heap, plus a thread and an engine", bytes / 1e3),
                            None => "not measurable here".to_owned(),
                        } }</td>
                        <td>{ format!("{} ms (median)", report.worker_start_ms) }</td>
                    </tr>
                </tbody>
            </table>
            if let Some(note) = &report.worker_memory_note {
                <p class="note">{ format!("Worker memory: {note}. The start time still shows the cost: each worker is a new thread with its own JavaScript engine.") }</p>
            }
            <p class="explanation">
                { "A task is a state machine on the heap: its future, a slot in the executor, its channel. \
                   A worker is a thread with its own stack, its own JavaScript heap and its own event loop. " }
                { ratio.map(|r| format!("Here one worker weighs as much as {r:.0} tasks: that is what \u{201c}high with many threads\u{201d} means.")).unwrap_or_default() }
            </p>
        </>
    }
}
