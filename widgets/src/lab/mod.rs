//! The parallelism lab's widgets: one component for every kernel. A run is a
//! single job inside the worker pool; this component only starts it, shows its
//! progress (read from shared memory every 250 ms), cancels it, and draws the
//! figures that come back.

use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use serde::Serialize;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::kit::frame::WidgetFrame;
use crate::event_loop::after_next_frame;
use crate::kit::chart::{Series, SpeedupChart, WorkChart};
use crate::kit::image_view::ImageView;
use crate::kit::run::{use_run, Run};
use book_compute::control::Control;
use book_compute::kernel::{Image, Input, KernelKind, KernelRequest, Strategy};
use book_compute::lab::{LabError, LabRequest, Split};
use book_compute::measure::{measure, sweep_counts, Plan, Sweep};
use book_compute::stats::{read_plateau, PlateauReading, Summary};
use book_content::directive::WidgetKind;
use book_pool::job::JobError;
use book_runtime::clock::now_ms;
use book_runtime::environment::Environment;

pub mod job;
mod view;

use job::RunError;
use view::{view_state, Reveal};

#[derive(Properties, PartialEq)]
pub struct LabProps {
    /// Which lab widget this is; decides kernels, thread counts and pictures.
    pub kind: WidgetKind,
}

/// A finished run, ready to draw and to copy.
struct Report {
    /// The browser as it was when the run started.
    environment: Environment,
    sweeps: Vec<Sweep>,
    before: Option<Rc<Image>>,
    after: Option<Rc<Image>>,
    /// Why the run was on one thread, when it was.
    fallback: Option<String>,
    json: String,
}

/// The figures written to `data-result`.
#[derive(Serialize)]
struct ResultJson<'a> {
    widget: &'a str,
    isolated: bool,
    shared_array_buffer: bool,
    hardware_concurrency: usize,
    pool_threads: usize,
    /// Most distinct threads that did work in any measured run.
    threads_seen: usize,
    /// Speedup of the first sweep's largest thread count.
    speedup: Option<f64>,
    fallback: Option<&'a str>,
    user_agent: &'a str,
    sweeps: &'a [Sweep],
}

/// A parallelism lab widget. A run is one job in the pool (or, without a
/// pool, small runs on this thread); the finished report is drawn in steps.
#[function_component(LabWidget)]
pub fn lab_widget(props: &LabProps) -> Html {
    let kind = props.kind;
    let most = use_memo((), |()| Environment::detect().hardware_concurrency);
    let threads = use_state(|| *most);
    let size = use_state(|| kernels(kind)[0].sizes().default.to_string());
    let run_state = use_run::<(), Rc<Report>>();
    // The report being revealed and how far: a new report starts hidden.
    let shown = use_state(|| None::<(Rc<Report>, Reveal)>);
    let report = run_state.done().cloned();
    let reveal = match (&report, &*shown) {
        (Some(report), Some((revealed, step))) if Rc::ptr_eq(report, revealed) => *step,
        (Some(_), _) => Reveal::Figures,
        (None, _) => Reveal::WHOLE,
    };
    {
        let shown = shown.clone();
        let key = report
            .as_ref()
            .map(|report| (Rc::as_ptr(report) as usize, reveal));
        let revealing = report.clone();
        use_effect_with(key, move |_| {
            if let Some(report) = revealing.filter(|_| reveal != Reveal::WHOLE) {
                // The next step in a task of its own, once this one is drawn.
                spawn_local(async move {
                    after_next_frame().await;
                    let next = reveal.next(report.sweeps.len());
                    shown.set(Some((report, next)));
                });
            }
        });
    }
    let running = run_state.is_running();
    let start = {
        let (run_state, threads, size) = (run_state.clone(), threads.clone(), size.clone());
        Callback::from(move |_| {
            if run_state.is_running() {
                return;
            }
            let requests = match requests(kind, &size) {
                Ok(requests) => requests,
                Err(why) => return run_state.refuse(why),
            };
            let threads = *threads;
            run_state.start((), move |control, _| {
                measure_kernels(kind, requests, threads, control)
            });
        })
    };
    let result = report
        .as_ref()
        .map(|report| AttrValue::from(report.json.clone()));
    let single = kernels(kind).len() == 1;
    let range = kernels(kind)[0].sizes();
    let input_id = format!("{}-size", kind.id());
    let slider_id = format!("{}-threads", kind.id());
    let on_size = {
        let size = size.clone();
        Callback::from(move |e: InputEvent| size.set(input_value(&e)))
    };
    let on_threads = {
        let (threads, most) = (threads.clone(), *most);
        Callback::from(move |e: InputEvent| {
            threads.set(input_value(&e).parse().unwrap_or(1).clamp(1, most));
        })
    };
    html! {
        <WidgetFrame {kind} {result} busy={running}>
            <div class="lab-controls">
                <button type="button" onclick={start} disabled={running}>
                    { if running { "Measuring…" } else { start_label(kind) } }
                </button>
                <button type="button" class="secondary" onclick={run_state.cancel()} disabled={!running}>
                    { "Cancel" }
                </button>
                if single {
                    <span class="field">
                        <label for={input_id.clone()}>
                            { format!("Size ({} to {} {})", range.min, range.max, range.unit) }
                        </label>
                        <input id={input_id} type="number" min={range.min.to_string()} max={range.max.to_string()}
                               value={(*size).clone()} disabled={running} oninput={on_size} />
                    </span>
                }
                if kind == WidgetKind::Mandelbrot {
                    <span class="field">
                        <label for={slider_id.clone()}>{ format!("Threads: {}", *threads) }</label>
                        <input id={slider_id} type="range" min="1" max={most.to_string()}
                               value={threads.to_string()} disabled={running} oninput={on_threads} />
                    </span>
                }
            </div>
            if running {
                <progress max="100" value={run_state.percent().to_string()} aria-label="Progress of the measurement" />
            }
            <div class="widget-output" role="status" aria-live="polite">
                { view_state(kind, run_state.state(), run_state.percent(), reveal) }
            </div>
        </WidgetFrame>
    }
}

/// The kernel requests a widget measures, or why the size is refused.
fn requests(kind: WidgetKind, size: &str) -> Result<Vec<KernelRequest>, String> {
    let list = kernels(kind);
    if list.len() > 1 {
        return Ok(list.into_iter().map(KernelRequest::standard).collect());
    }
    let size = size.trim();
    let parsed = size.parse::<usize>().map_err(|_| {
        let unit = list[0].sizes().unit;
        if size.is_empty() {
            // Also what the number field reports for text it cannot read.
            format!("type the size as a whole number of {unit}")
        } else {
            format!("“{size}” is not a whole number of {unit}")
        }
    })?;
    Ok(vec![KernelRequest::new(list[0], parsed)?])
}

/// One run: the sweep inside the pool, or without one, the fallback here.
async fn measure_kernels(
    kind: WidgetKind,
    kernels: Vec<KernelRequest>,
    threads: usize,
    control: Control,
) -> Result<Rc<Report>, String> {
    let environment = Environment::detect();
    // Awaited in one place, so the widgets module holds the fallback once.
    let reason = match environment.obstacle() {
        Some(reason) => reason.to_owned(),
        None => match sweep(kind, kernels, threads, &environment, control).await {
            Ok(report) => return Ok(report),
            Err(RunError::Job(JobError::NoPool(unavailable))) => unavailable.reason,
            Err(RunError::Lab(LabError::Cancelled)) => return Err(LabError::Cancelled.to_string()),
            Err(error) => return Err(error.to_string()),
        },
    };
    Ok(fall_back(kind, environment, reason).await)
}

/// The sweep as one job inside the pool.
async fn sweep(
    kind: WidgetKind,
    kernels: Vec<KernelRequest>,
    threads: usize,
    environment: &Environment,
    control: Control,
) -> Result<Rc<Report>, RunError> {
    let pool = environment.hardware_concurrency;
    let thread_counts = match kind {
        WidgetKind::Mandelbrot => vec![threads],
        WidgetKind::PoolWorkers => vec![pool],
        _ => sweep_counts(pool),
    };
    let request = LabRequest {
        kernels,
        splits: vec![Split::WorkStealing, Split::StaticChunks],
        thread_counts,
        plan: Plan::default(),
    };
    let result = job::run(request, control).await?;
    Ok(report(
        kind,
        environment.clone(),
        result.sweeps,
        result.pool_threads,
        None,
        result.before,
        result.after,
    ))
}

/// Without a pool: the kernels on this thread, at a size that keeps each
/// run well under a frame budget, yielding to the event loop between runs.
async fn fall_back(kind: WidgetKind, environment: Environment, reason: String) -> Rc<Report> {
    let mut sweeps = Vec::new();
    for kernel in kernels(kind) {
        let request = KernelRequest::new(kernel, fallback_size(kernel))
            .unwrap_or_else(|_| KernelRequest::standard(kernel));
        let input = Input::prepare(request);
        let control = Control::new();
        let Ok(reference) = input.run(Strategy::Sequential, &control) else {
            continue;
        };
        let mut samples = Vec::new();
        for _ in 0..3 {
            TimeoutFuture::new(0).await;
            let plan = Plan {
                warmup: 0,
                repetitions: 1,
            };
            if let Ok(m) = measure(
                &input,
                Strategy::Sequential,
                1,
                reference.digest(),
                plan,
                &control,
                &now_ms,
            ) {
                samples.push(m.summary.median_ms);
            }
        }
        if let Some(summary) = Summary::of(&samples) {
            sweeps.push(Sweep::new(
                request,
                Strategy::Sequential,
                summary,
                Vec::new(),
            ));
        }
    }
    report(kind, environment, sweeps, 0, Some(reason), None, None)
}

/// A finished run, with the JSON its frame writes to `data-result`.
fn report(
    kind: WidgetKind,
    environment: Environment,
    sweeps: Vec<Sweep>,
    pool_threads: usize,
    fallback: Option<String>,
    before: Option<Image>,
    after: Option<Image>,
) -> Rc<Report> {
    let threads_seen = sweeps
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.threads_seen))
        .max()
        .unwrap_or(1);
    let speedup = sweeps
        .first()
        .and_then(|s| s.points.last())
        .map(|p| p.speedup);
    let json = serde_json::to_string(&ResultJson {
        widget: kind.id(),
        isolated: environment.isolated,
        shared_array_buffer: environment.shared_array_buffer,
        hardware_concurrency: environment.hardware_concurrency,
        pool_threads,
        threads_seen,
        speedup,
        fallback: fallback.as_deref(),
        user_agent: &environment.user_agent,
        sweeps: &sweeps,
    })
    .unwrap_or_default();
    Rc::new(Report {
        environment,
        sweeps,
        before: before.map(Rc::new),
        after: after.map(Rc::new),
        fallback,
        json,
    })
}

fn input_value(event: &InputEvent) -> String {
    event
        .target_dyn_into::<web_sys::HtmlInputElement>()
        .map(|input| input.value())
        .unwrap_or_default()
}

/// The kernels a widget measures.
fn kernels(kind: WidgetKind) -> Vec<KernelKind> {
    match kind {
        WidgetKind::Matmul => vec![KernelKind::Matmul],
        WidgetKind::Blur => vec![KernelKind::Blur],
        WidgetKind::Sort => vec![KernelKind::Sort],
        WidgetKind::Primes => vec![KernelKind::Primes],
        WidgetKind::SpeedupSweep => KernelKind::ALL.to_vec(),
        _ => vec![KernelKind::Mandelbrot],
    }
}

/// Sizes that run in a few milliseconds, for the main thread.
fn fallback_size(kind: KernelKind) -> usize {
    match kind {
        KernelKind::Mandelbrot => 160,
        KernelKind::Matmul => 96,
        KernelKind::Blur => 96,
        KernelKind::Sort => 1 << 16,
        KernelKind::Primes => 100_000,
    }
}

fn start_label(kind: WidgetKind) -> &'static str {
    match kind {
        WidgetKind::Mandelbrot => "Draw and time it",
        WidgetKind::PoolWorkers => "Run one job on every worker",
        _ => "Measure the speedup curve",
    }
}

fn intro(kind: WidgetKind) -> &'static str {
    match kind {
        WidgetKind::Mandelbrot => "Computes the set once on one thread, then on the number of threads you choose, and compares the medians of five timed runs after a warm-up.",
        WidgetKind::PoolWorkers => "Runs the Mandelbrot job on the whole pool and counts the rows each worker computed.",
        WidgetKind::SpeedupSweep => "Measures every kernel of the book on 1, 2, … N threads. This takes a while: progress shows below, and Cancel stops it.",
        _ => "Checks the parallel result against the sequential one, then times five runs (after a warm-up) on 1, 2, … N threads, with the rest of the pool parked.",
    }
}
