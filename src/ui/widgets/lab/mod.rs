//! The parallelism lab's widgets: one component for every kernel. A run is a
//! single job inside the worker pool; this component only starts it, shows its
//! progress (read from shared memory every 250 ms), cancels it, and draws the
//! figures that come back.

use std::rc::Rc;

use gloo::timers::callback::Interval;
use gloo::timers::future::TimeoutFuture;
use serde::Serialize;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::kit::frame::WidgetFrame;
use crate::compute::control::Control;
use crate::compute::kernel::{Image, Input, KernelKind, KernelRequest, Strategy};
use crate::compute::lab::{LabRequest, LabResult, Split};
use crate::compute::measure::{measure, sweep_counts, Plan, Sweep};
use crate::compute::stats::{read_plateau, PlateauReading};
use crate::content::directive::WidgetKind;
use crate::runtime::clock::now_ms;
use crate::runtime::environment::Environment;
use crate::runtime::event_loop::after_next_frame;
use crate::runtime::job::JobError;
use crate::runtime::lab::{self, RunError};
use crate::ui::widgets::kit::chart::{Series, SpeedupChart, WorkChart};
use crate::ui::widgets::kit::image_view::ImageView;
use crate::ui::widgets::kit::run::Run;

mod view;

#[derive(Properties, PartialEq)]
pub struct LabProps {
    /// Which lab widget this is; decides kernels, thread counts and pictures.
    pub kind: WidgetKind,
}

pub enum Msg {
    Start,
    Cancel,
    Tick,
    Finished(Result<LabResult, RunError>),
    /// Shows the next part of a finished report (see [`Reveal`]).
    Reveal,
    FellBack(Vec<Sweep>, String),
    SetThreads(usize),
    SetSize(String),
}

/// Where the sweep stands.
type State = Run<(), Rc<Report>>;

/// A finished run, ready to draw and to copy.
struct Report {
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

/// A parallelism lab widget.
pub struct LabWidget {
    environment: Environment,
    threads: usize,
    size: String,
    state: State,
    control: Option<Control>,
    progress: f64,
    ticker: Option<Interval>,
    reveal: Reveal,
}

/// A finished report appears in steps, each in a task of its own after the
/// browser has drawn the one before: the figures, the chart's axes, each
/// measured curve, then the pictures. The first report on a page runs code
/// the engine has not compiled yet, and drawn in one turn (or three) it can
/// hold a slower engine's main thread past 50 ms: a freeze in a widget whose
/// point is that the page stays responsive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reveal {
    Figures,
    /// The chart with this many of its curves drawn.
    Chart {
        curves: usize,
    },
    Pictures,
}

impl Reveal {
    /// Everything shown: the last step, and the state between reports.
    const WHOLE: Reveal = Reveal::Pictures;

    /// The step after this one, for a report with `curves` curves.
    fn next(self, curves: usize) -> Self {
        match self {
            Reveal::Figures => Reveal::Chart { curves: 0 },
            Reveal::Chart { curves: drawn } if drawn < curves => {
                Reveal::Chart { curves: drawn + 1 }
            }
            Reveal::Chart { .. } | Reveal::Pictures => Reveal::Pictures,
        }
    }

    /// How many of the chart's curves this step shows.
    fn curves(self) -> usize {
        match self {
            Reveal::Figures => 0,
            Reveal::Chart { curves } => curves,
            Reveal::Pictures => usize::MAX,
        }
    }
}

impl Component for LabWidget {
    type Message = Msg;
    type Properties = LabProps;

    fn create(ctx: &Context<Self>) -> Self {
        let environment = Environment::detect();
        let threads = environment.hardware_concurrency;
        let size = kernels(ctx.props().kind)[0].sizes().default.to_string();
        Self {
            environment,
            threads,
            size,
            state: State::Idle,
            control: None,
            progress: 0.0,
            ticker: None,
            reveal: Reveal::WHOLE,
        }
    }

    /// The reader left the page: a run still going would hold the pool (and
    /// every later widget's turn) for a page no longer shown.
    fn destroy(&mut self, _ctx: &Context<Self>) {
        if let Some(control) = &self.control {
            control.cancel();
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        let kind = ctx.props().kind;
        match msg {
            Msg::Start => {
                if self.state.is_running() {
                    return false;
                }
                match self.requests(kind) {
                    Err(message) => self.state = State::Failed(message),
                    Ok(requests) => self.start(ctx, requests),
                }
            }
            Msg::Cancel => {
                if let Some(control) = &self.control {
                    control.cancel();
                }
                return false;
            }
            Msg::Tick => {
                // Redraw only when the bar moves a whole percent: the main thread
                // shares the cores with the measurement.
                let progress = self.control.as_ref().map_or(0.0, Control::progress);
                let moved = (progress * 100.0).floor() != (self.progress * 100.0).floor();
                self.progress = progress;
                return moved;
            }
            Msg::Finished(outcome) => {
                self.ticker = None;
                self.control = None;
                self.state = match outcome {
                    Ok(result) => State::Done(Rc::new(self.report(
                        kind,
                        result.sweeps,
                        result.pool_threads,
                        None,
                        result.before,
                        result.after,
                    ))),
                    Err(RunError::Lab(crate::compute::lab::LabError::Cancelled)) => {
                        State::Cancelled
                    }
                    Err(RunError::Job(JobError::NoPool(unavailable))) => {
                        self.fall_back(ctx, unavailable.reason);
                        State::Running(())
                    }
                    Err(error) => State::Failed(error.to_string()),
                };
                if matches!(self.state, State::Done(_)) {
                    self.reveal = Reveal::Figures;
                    self.reveal_next_turn(ctx);
                }
            }
            Msg::Reveal => {
                let curves = match &self.state {
                    State::Done(report) => report.sweeps.len(),
                    _ => 0,
                };
                self.reveal = self.reveal.next(curves);
                if self.reveal != Reveal::WHOLE {
                    self.reveal_next_turn(ctx);
                }
            }
            Msg::FellBack(sweeps, reason) => {
                self.state = State::Done(Rc::new(self.report(
                    kind,
                    sweeps,
                    0,
                    Some(reason),
                    None,
                    None,
                )));
            }
            Msg::SetThreads(threads) => {
                self.threads = threads.clamp(1, self.environment.hardware_concurrency)
            }
            Msg::SetSize(size) => self.size = size,
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let kind = ctx.props().kind;
        let link = ctx.link();
        let running = self.state.is_running();
        let result = match &self.state {
            State::Done(report) => Some(AttrValue::from(report.json.clone())),
            _ => None,
        };
        let single = kernels(kind).len() == 1;
        let kernel = kernels(kind)[0];
        let range = kernel.sizes();
        let input_id = format!("{}-size", kind.id());
        let slider_id = format!("{}-threads", kind.id());
        html! {
            <WidgetFrame {kind} {result} busy={running}>
                <div class="lab-controls">
                    <button type="button" onclick={link.callback(|_| Msg::Start)} disabled={running}>
                        { if running { "Measuring…" } else { start_label(kind) } }
                    </button>
                    <button type="button" class="secondary" onclick={link.callback(|_| Msg::Cancel)} disabled={!running}>
                        { "Cancel" }
                    </button>
                    if single {
                        <span class="field">
                            <label for={input_id.clone()}>
                                { format!("Size ({} to {} {})", range.min, range.max, range.unit) }
                            </label>
                            <input id={input_id} type="number" min={range.min.to_string()} max={range.max.to_string()}
                                   value={self.size.clone()} disabled={running}
                                   oninput={link.callback(|e: InputEvent| Msg::SetSize(input_value(&e)))} />
                        </span>
                    }
                    if kind == WidgetKind::Mandelbrot {
                        <span class="field">
                            <label for={slider_id.clone()}>{ format!("Threads: {}", self.threads) }</label>
                            <input id={slider_id} type="range" min="1" max={self.environment.hardware_concurrency.to_string()}
                                   value={self.threads.to_string()} disabled={running}
                                   oninput={link.callback(|e: InputEvent| Msg::SetThreads(input_value(&e).parse().unwrap_or(1)))} />
                        </span>
                    }
                </div>
                if running {
                    <progress max="1" value={self.progress.to_string()} aria-label="Progress of the measurement" />
                }
                <div class="widget-output" role="status" aria-live="polite">
                    { self.view_state(kind) }
                </div>
            </WidgetFrame>
        }
    }
}

impl LabWidget {
    /// The kernel requests this widget measures, or why the size is refused.
    fn requests(&self, kind: WidgetKind) -> Result<Vec<KernelRequest>, String> {
        let list = kernels(kind);
        if list.len() > 1 {
            return Ok(list.into_iter().map(KernelRequest::standard).collect());
        }
        let size = self.size.trim().parse::<usize>().map_err(|_| {
            let unit = list[0].sizes().unit;
            if self.size.trim().is_empty() {
                // Also what the number field reports for text it cannot read.
                format!("type the size as a whole number of {unit}")
            } else {
                format!("“{}” is not a whole number of {unit}", self.size.trim())
            }
        })?;
        Ok(vec![KernelRequest::new(list[0], size)?])
    }

    fn start(&mut self, ctx: &Context<Self>, kernels: Vec<KernelRequest>) {
        self.environment = Environment::detect();
        self.state = State::Running(());
        self.progress = 0.0;
        if let Some(reason) = self.environment.obstacle() {
            self.fall_back(ctx, reason.to_owned());
            return;
        }
        let kind = ctx.props().kind;
        let pool = self.environment.hardware_concurrency;
        let thread_counts = match kind {
            WidgetKind::Mandelbrot => vec![self.threads],
            WidgetKind::PoolWorkers => vec![pool],
            _ => sweep_counts(pool),
        };
        let request = LabRequest {
            kernels,
            splits: vec![Split::WorkStealing, Split::StaticChunks],
            thread_counts,
            plan: Plan::default(),
        };
        let control = Control::new();
        self.control = Some(control.clone());
        let link = ctx.link().clone();
        self.ticker = Some(Interval::new(250, move || link.send_message(Msg::Tick)));
        let link = ctx.link().clone();
        spawn_local(async move {
            link.send_message(Msg::Finished(lab::run(request, control).await));
        });
    }

    /// Sends [`Msg::Reveal`] once the browser has drawn the step before.
    fn reveal_next_turn(&self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        spawn_local(async move {
            after_next_frame().await;
            link.send_message(Msg::Reveal);
        });
    }

    /// Without a pool: the kernels on this thread, at a size that keeps each
    /// run well under a frame budget, yielding to the event loop between runs.
    fn fall_back(&mut self, ctx: &Context<Self>, reason: String) {
        let kinds = kernels(ctx.props().kind);
        let link = ctx.link().clone();
        spawn_local(async move {
            let mut sweeps = Vec::new();
            for kind in kinds {
                let request = KernelRequest::new(kind, fallback_size(kind))
                    .unwrap_or_else(|_| KernelRequest::standard(kind));
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
                if let Some(summary) = crate::compute::stats::Summary::of(&samples) {
                    sweeps.push(Sweep::new(
                        request,
                        Strategy::Sequential,
                        summary,
                        Vec::new(),
                    ));
                }
            }
            link.send_message(Msg::FellBack(sweeps, reason));
        });
    }

    fn report(
        &self,
        kind: WidgetKind,
        sweeps: Vec<Sweep>,
        pool_threads: usize,
        fallback: Option<String>,
        before: Option<Image>,
        after: Option<Image>,
    ) -> Report {
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
            isolated: self.environment.isolated,
            shared_array_buffer: self.environment.shared_array_buffer,
            hardware_concurrency: self.environment.hardware_concurrency,
            pool_threads,
            threads_seen,
            speedup,
            fallback: fallback.as_deref(),
            user_agent: &self.environment.user_agent,
            sweeps: &sweeps,
        })
        .unwrap_or_default();
        Report {
            sweeps,
            before: before.map(Rc::new),
            after: after.map(Rc::new),
            fallback,
            json,
        }
    }
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
