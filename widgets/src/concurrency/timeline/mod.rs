//! §4's two diagrams as measurements: the same tasks run as futures on the
//! main thread, where their steps can only take turns (interleaved), and on
//! the worker pool, where they run at the same time (simultaneous). Both
//! Gantt charts are drawn from the real timestamps.

use serde::Serialize;
use yew::prelude::*;

use crate::kit::fields::{field_notes, parse_clamped, NumberField};
use crate::kit::frame::{result_json, WidgetFrame};
use crate::kit::gantt::Gantt;
use crate::kit::run::{use_run, Run};
use crate::round_ms;
use book_compute::concurrency::timeline::{run_on_pool, tasks_from_lengths, TaskSpec, Timeline};
use book_content::directive::WidgetKind;
use book_pool::job::{run_in_pool, JobError};
use book_runtime::clock::shared_ms;

pub mod interleave;

use interleave::run_interleaved;

/// What one arrangement of the tasks showed.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Arrangement {
    lanes: usize,
    makespan_ms: f64,
    busy_ms: f64,
    switches: usize,
    most_at_once: usize,
}

impl Arrangement {
    fn of(timeline: &Timeline) -> Self {
        Self {
            lanes: timeline.lanes_used(),
            makespan_ms: round_ms(timeline.makespan_ms()),
            busy_ms: round_ms(timeline.busy_ms()),
            switches: timeline.switches(),
            most_at_once: timeline.most_at_once(),
        }
    }
}

/// The figures a run writes to `data-result`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Report {
    tasks: Vec<TaskSpec>,
    event_loop: Arrangement,
    /// Steps of different tasks alternated on the one thread, never at once.
    interleaved: bool,
    /// Wake-ups the browser gave in a turn already taken, which waited.
    wakeups_deferred: usize,
    pool: Option<Arrangement>,
    pool_threads: usize,
    /// Steps of different tasks ran at the same instant on the pool.
    simultaneous: Option<bool>,
    /// Why there was no pool run, when there was none.
    pool_fallback: Option<String>,
}

struct Outcome {
    report: Report,
    event_loop: Timeline,
    pool: Option<Timeline>,
}

#[function_component(InterleavingTimeline)]
pub fn interleaving_timeline() -> Html {
    let run_state = use_run::<(), Box<Outcome>>();
    let lengths = use_state(|| "8, 8, 8".to_owned());
    let steps = use_state(|| "4".to_owned());
    let notes = use_state(Vec::<String>::new);
    let running = run_state.is_running();
    let start = {
        let (run_state, lengths, steps, notes) = (
            run_state.clone(),
            lengths.clone(),
            steps.clone(),
            notes.clone(),
        );
        Callback::from(move |_| {
            if run_state.is_running() {
                return;
            }
            let parsed =
                parse_clamped(&steps, "Steps per task", 1, 12).and_then(|(count, note)| {
                    tasks_from_lengths(&lengths, count as usize).map(|(tasks, mut more)| {
                        more.extend(note);
                        (tasks, more)
                    })
                });
            let (tasks, found) = match parsed {
                Ok(parsed) => parsed,
                Err(why) => return run_state.refuse(why),
            };
            notes.set(found);
            run_state.start(
                (),
                move |_, _| async move { run(tasks).await.map(Box::new) },
            );
        })
    };
    let result = run_state
        .done()
        .and_then(|outcome| result_json(&outcome.report));
    let on_lengths = {
        let lengths = lengths.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                lengths.set(input.value());
            }
        })
    };
    let on_steps = {
        let steps = steps.clone();
        Callback::from(move |text| steps.set(text))
    };
    html! {
        <WidgetFrame kind={WidgetKind::InterleavingTimeline} {result} busy={running}>
            <button type="button" onclick={start} disabled={running}>
                { if running { "Running…" } else { "Run the tasks both ways" } }
            </button>
            <div class="lab-controls">
                <span class="field">
                    <label for="timeline-lengths">{ "Step length of each task, in ms (2 to 8 tasks, 1 to 40 ms)" }</label>
                    <input id="timeline-lengths" type="text" inputmode="decimal" value={(*lengths).clone()} oninput={on_lengths} />
                </span>
                <NumberField id="timeline-steps" label="Steps per task" value={(*steps).clone()} min={1} max={12}
                             oninput={on_steps} />
            </div>
            { field_notes(&notes) }
            <div class="widget-output" role="status" aria-live="polite">
                { match run_state.state() {
                    // The timeline runs to its end: nothing cancels it.
                    Run::Idle | Run::Cancelled => html! { <p>{ "Each step works (holds its thread) for its length, then the task awaits. Run to draw both timelines from real timestamps." }</p> },
                    Run::Running(()) => html! { <p>{ "Running the tasks on the main thread, then on the pool…" }</p> },
                    Run::Done(outcome) => explain(outcome),
                    Run::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                } }
            </div>
        </WidgetFrame>
    }
}

/// The tasks on the event loop, then the same tasks on the pool.
async fn run(tasks: Vec<TaskSpec>) -> Result<Outcome, String> {
    let interleaved = run_interleaved(&tasks, |_| ()).await;
    let event_loop = Timeline::new(interleaved.spans);
    let on_pool = {
        let tasks = tasks.clone();
        run_in_pool(move || {
            let spans = run_on_pool(&tasks, &shared_ms, &|| {
                rayon::current_thread_index().unwrap_or(0)
            });
            (spans, rayon::current_num_threads())
        })
        .await
    };
    let (pool, pool_threads, pool_fallback) = match on_pool {
        Ok((spans, threads)) => (Some(Timeline::new(spans)), threads, None),
        Err(JobError::NoPool(unavailable)) => (None, 0, Some(unavailable.reason)),
        Err(error) => return Err(error.to_string()),
    };
    let looped = Arrangement::of(&event_loop);
    let report = Report {
        interleaved: looped.switches > 0 && looped.most_at_once == 1,
        wakeups_deferred: interleaved.wakeups_deferred,
        simultaneous: pool.as_ref().map(|pool| pool.most_at_once() > 1),
        pool: pool.as_ref().map(Arrangement::of),
        event_loop: looped,
        pool_threads,
        pool_fallback,
        tasks,
    };
    Ok(Outcome {
        report,
        event_loop,
        pool,
    })
}

fn explain(outcome: &Outcome) -> Html {
    let report = &outcome.report;
    let names: Vec<String> = report.tasks.iter().map(|t| t.name.clone()).collect();
    let scale = outcome
        .pool
        .as_ref()
        .map_or(0.0, Timeline::makespan_ms)
        .max(outcome.event_loop.makespan_ms());
    let looped = &report.event_loop;
    html! {
        <>
            <h5>{ "Concurrency: one thread, the tasks take turns" }</h5>
            <Gantt timeline={outcome.event_loop.clone()} tasks={names.clone()} lane_label="main thread" scale_ms={scale}
                   summary={format!("On the main thread the steps took turns: {} switches, never two at once, {:.1} ms in all.", looped.switches, looped.makespan_ms)} />
            <p>
                { format!(
                    "{:.1} ms of work took {:.1} ms on one thread. The steps of different tasks alternated {} times and never ran at once: \
                     each task made progress while the others waited, which is what the seed calls interleaved.",
                    looped.busy_ms, looped.makespan_ms, looped.switches
                ) }
                { " Each step had a turn of the event loop to itself, and the gaps between steps are the loop's other turns: timers, drawing, your input." }
                { match report.wakeups_deferred {
                    0 => String::new(),
                    deferred => format!(
                        " This browser woke several tasks in one turn {deferred} times; the tasks that were not first waited for the next turn, \
                         as a cooperative scheduler must, or one turn would have held the thread for several steps."
                    ),
                } }
            </p>
            { match (&outcome.pool, &report.pool, &report.pool_fallback) {
                (Some(timeline), Some(pool), _) => html! {
                    <>
                        <h5>{ format!("Parallelism: the pool's {} threads, the tasks at the same time", report.pool_threads) }</h5>
                        <Gantt timeline={timeline.clone()} tasks={names} lane_label="worker" scale_ms={scale}
                               summary={format!("On the pool up to {} steps ran at once, on {} threads, {:.1} ms in all.", pool.most_at_once, pool.lanes, pool.makespan_ms)} />
                        <p>
                            { format!(
                                "The same work took {:.1} ms on {} worker threads, with up to {} steps running at the same instant: simultaneous. ",
                                pool.makespan_ms, pool.lanes, pool.most_at_once
                            ) }
                            { if pool.lanes < report.tasks.len() {
                                "With fewer threads than tasks, some tasks still wait their turn: parallelism is bounded by the cores."
                            } else {
                                "Each task had a thread of its own."
                            } }
                        </p>
                    </>
                },
                (_, _, Some(reason)) => html! {
                    <p class="fallback">
                        <strong>{ "No pool on this page, so only the first diagram. " }</strong>
                        { format!("The worker pool could not start: {reason} The event-loop half needs no worker and ran as it is.") }
                    </p>
                },
                _ => Html::default(),
            } }
        </>
    }
}
