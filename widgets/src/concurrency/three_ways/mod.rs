//! One CPU-bound workload, three ways (§5): in one go on the main
//! thread, which freezes the page; sliced into pieces that give the event
//! loop back between them, which keeps the page alive but is no faster; and
//! on the worker pool, which is both. An animation runs throughout, and a
//! frame meter counts the frames the page failed to draw. A last run on the
//! pool with the animation stopped measures what drawing those frames took
//! from the workers: on a machine with few cores, the page's own frames
//! compete with the pool for them.

use gloo::timers::future::TimeoutFuture;
use serde::Serialize;
use yew::prelude::*;

use crate::event_loop::{yield_turn, FrameMeter};
use crate::kit::fields::{buttons, parse_clamped, NumberField};
use crate::kit::frame::{result_json, WidgetFrame};
use crate::kit::run::{use_run, Run};
use crate::round_ms;
use book_compute::concurrency::frames;
use book_compute::control::{Cancelled, Control};
use book_compute::primes::{Primes, Split};
use book_compute::stats::Summary;
use book_content::directive::WidgetKind;
use book_pool::job::{run_in_pool, JobError};
use book_runtime::clock::now_ms;
use book_runtime::environment::Environment;

mod explain;
use explain::explain;

/// Numbers to test for primality, in thousands: the workload's size.
const MIN_THOUSANDS: u64 = 100;
const MAX_THOUSANDS: u64 = 20_000;
const DEFAULT_THOUSANDS: &str = "3000";
/// How long a slice may hold the main thread before it yields: well inside
/// one frame (16.7 ms at 60 Hz), so frames keep coming.
const SLICE_MS: f64 = 4.0;
/// Numbers per piece of a slice: small enough to check the clock often.
const PIECE: u32 = 2_048;
/// Runs of each way, after the warm-up: the median is reported, with the spread.
const REPETITIONS: usize = 3;

/// What one way of running the workload measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Way {
    /// The median of the repetitions, and their spread.
    ms: f64,
    min_ms: f64,
    max_ms: f64,
    /// The most frames dropped, and the longest freeze, in any repetition.
    dropped_frames: usize,
    longest_gap_ms: f64,
    /// The fewest frames the page drew during a repetition.
    frames_drawn: usize,
}

/// Repetitions' times: the median and the range, rounded as shown. The
/// pool's runs with the page drawing nothing have only these, since no frame
/// is asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Spread {
    ms: f64,
    min_ms: f64,
    max_ms: f64,
}

impl Spread {
    /// `None` for no samples.
    fn of(samples: &[f64]) -> Option<Self> {
        Summary::of(samples).map(|summary| Self {
            ms: round_ms(summary.median_ms),
            min_ms: round_ms(summary.min_ms),
            max_ms: round_ms(summary.max_ms),
        })
    }
}

/// The figures a run writes to `data-result`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Report {
    numbers: u32,
    primes: u64,
    refresh_ms: f64,
    one_go: Way,
    sliced: Way,
    slices: usize,
    pool: Option<Way>,
    pool_threads: usize,
    /// The one-go time over the pool's: how much faster the pool was.
    pool_speedup: Option<f64>,
    /// The pool again with the animation and its frames stopped, and the
    /// one-go time over that: what the pool does with the cores to itself.
    pool_quiet: Option<Spread>,
    pool_quiet_speedup: Option<f64>,
    pool_fallback: Option<String>,
    hardware_concurrency: usize,
}

/// The run's steps: the idle watch, the warm-up, the three ways, and the
/// pool again with the page drawing nothing.
const STEPS: u8 = 6;

/// While it runs: how many of its [`STEPS`] are done, and what runs now.
type Step = (u8, &'static str);

/// What the run says first, before it reports its first step.
const FIRST_STEP: Step = (
    0,
    "Watching the page idle, to learn the display's frame rate…",
);

#[function_component(OneWorkloadThreeWays)]
pub fn one_workload_three_ways() -> Html {
    let run_state = use_run::<Step, Box<Report>>();
    let size = use_state(|| DEFAULT_THOUSANDS.to_owned());
    let note = use_state(|| None::<String>);
    let dot = use_node_ref();
    let running = run_state.is_running();
    let start = {
        let (run_state, size, note, dot) =
            (run_state.clone(), size.clone(), note.clone(), dot.clone());
        Callback::from(move |_| {
            if run_state.is_running() {
                return;
            }
            let (thousands, clamped) =
                match parse_clamped(&size, "Numbers (thousands)", MIN_THOUSANDS, MAX_THOUSANDS) {
                    Ok(parsed) => parsed,
                    Err(why) => return run_state.refuse(why),
                };
            note.set(clamped);
            let dot = dot.clone();
            let numbers = (thousands * 1_000) as u32;
            run_state.start(FIRST_STEP, move |control, live| async move {
                run(numbers, control, dot, move |step| live.show(step))
                    .await
                    .map(Box::new)
            });
        })
    };
    let on_size = {
        let size = size.clone();
        Callback::from(move |text| size.set(text))
    };
    let result = run_state.done().and_then(result_json);
    html! {
        <WidgetFrame kind={WidgetKind::OneWorkloadThreeWays} {result} busy={running}>
            { buttons("Run it three ways", running, start, run_state.cancel()) }
            <div class="lab-controls">
                <NumberField id="three-ways-size" label="Numbers to test, in thousands" value={(*size).clone()}
                             min={MIN_THOUSANDS} max={MAX_THOUSANDS} oninput={on_size} />
            </div>
            if let Some(note) = &*note { <p class="note">{ note.clone() }</p> }
            <div class="frame-meter" role="img"
                 aria-label="A dot moved by the page on every frame it draws: it stops when the main thread is held.">
                <div ref={dot} class="frame-meter-dot"></div>
            </div>
            <div class="widget-output" role="status" aria-live="polite">
                { match run_state.state() {
                    Run::Idle => html! { <p>{ "Counts the primes below the size three ways while the dot moves on every frame the page draws. The first way freezes the page on purpose." }</p> },
                    Run::Running((done, phase)) => html! {
                        <>
                            <progress max={STEPS.to_string()} value={done.to_string()} aria-label="Steps of the run done" />
                            <p>{ *phase }</p>
                        </>
                    },
                    Run::Done(report) => explain(report),
                    Run::Cancelled => html! { <p>{ "Cancelled." }</p> },
                    Run::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                } }
            </div>
        </WidgetFrame>
    }
}

/// How long to wait for the page to draw steadily before giving up.
const STEADY_WAIT_MS: f64 = 5_000.0;

/// The display's refresh period, once the page has drawn steadily for a
/// 400 ms watch: a browser may throttle a page it does not show yet (a
/// fresh WebKit window can draw one frame a second), and counting
/// missed frames then would blame the count for the browser's throttling.
async fn steady_refresh(meter: &FrameMeter) -> Option<f64> {
    let give_up = now_ms() + STEADY_WAIT_MS;
    while now_ms() < give_up {
        let from = now_ms();
        TimeoutFuture::new(400).await;
        let recent: Vec<f64> = meter.frames().into_iter().filter(|t| *t >= from).collect();
        if let Some(period) = frames::steady_period(&recent) {
            return Some(period);
        }
    }
    None
}

/// The three runs, each checked against the first, with the frames drawn meanwhile.
async fn run(
    numbers: u32,
    control: Control,
    dot: NodeRef,
    phase: impl Fn(Step),
) -> Result<Report, String> {
    let environment = Environment::detect();
    let meter = FrameMeter::start(move |time| {
        if let Some(dot) = dot.cast::<web_sys::HtmlElement>() {
            // A transform only: the compositor moves the dot without a
            // layout or a repaint, so the meter costs the pool little.
            let x = (time / 4.0) % 280.0;
            // Only the dot's place: nothing the reader needs if it fails.
            let _ = dot
                .style()
                .set_property("transform", &format!("translateX({x:.1}px)"));
        }
    });
    let primes = Primes::new(numbers);
    let cancelled = |_: Cancelled| "Cancelled.".to_owned();

    phase(FIRST_STEP);
    let refresh_ms = steady_refresh(&meter).await.ok_or_else(|| {
        "This tab drew no steady frames for five seconds (the browser hides or throttles it), so a frozen page could not be seen: bring the tab to the front and start again.".to_owned()
    })?;

    phase((1, "Warming up: starting the pool, compiling the count…"));
    // A twentieth of the work, each way, so no way pays for starting the
    // workers or for the browser's first, slower compilation of the code.
    let warm = Primes::new(numbers / 20);
    warm.sequential(&control).map_err(cancelled)?;
    if book_pool::ready().await.is_ok() {
        // Only warming: the measured run below reports any failure.
        let _ = run_in_pool(move || warm.parallel(Split::WorkStealing, &Control::new())).await;
    }

    phase((
        2,
        "1 of 3: in one go on the main thread (the page freezes, three times)…",
    ));
    let mut one_go = Timings::default();
    let mut count = 0;
    for _ in 0..REPETITIONS {
        // Give the message a frame to show before the thread is held, and a
        // Cancel pressed meanwhile its turn: one freeze cannot be stopped
        // once begun, but the ones after it need not begin.
        TimeoutFuture::new(50).await;
        control.check().map_err(cancelled)?;
        let started = now_ms();
        count = primes.sequential(&control).map_err(cancelled)?;
        one_go.add(&meter, started, now_ms(), refresh_ms).await;
    }
    let differs = |way: &str, other: u64| {
        format!("The {way} count {other} differs from {count}: a bug, please report it.")
    };

    phase((3, "2 of 3: in slices that give the event loop back…"));
    let mut sliced = Timings::default();
    let mut slices = 0;
    for _ in 0..REPETITIONS {
        let started = now_ms();
        let (sliced_count, pieces) = in_slices(&primes, &control).await.map_err(cancelled)?;
        sliced.add(&meter, started, now_ms(), refresh_ms).await;
        if sliced_count != count {
            return Err(differs("sliced", sliced_count));
        }
        slices = pieces;
    }

    phase((4, "3 of 3: on the worker pool…"));
    let mut pooled = Timings::default();
    let mut pool_threads = 0;
    let mut pool_fallback = None;
    for _ in 0..REPETITIONS {
        let started = now_ms();
        let job_control = control.clone();
        let outcome = run_in_pool(move || {
            (
                primes.parallel(Split::WorkStealing, &job_control),
                rayon::current_num_threads(),
            )
        })
        .await;
        match outcome {
            Ok((Ok(pool_count), threads)) => {
                pooled.add(&meter, started, now_ms(), refresh_ms).await;
                if pool_count != count {
                    return Err(differs("pool's", pool_count));
                }
                pool_threads = threads;
            }
            Ok((Err(_), _)) => return Err("Cancelled.".to_owned()),
            Err(JobError::NoPool(unavailable)) => {
                pool_fallback = Some(unavailable.reason);
                break;
            }
            Err(error) => return Err(error.to_string()),
        }
    }
    let pool_quiet = if pool_fallback.is_none() {
        phase((
            5,
            "Then on the pool again, the dot stopped: what drawing frames took from the workers…",
        ));
        // Stopping the meter ends the page's frames: nothing asks for one.
        drop(meter);
        let mut times = Vec::with_capacity(REPETITIONS);
        for _ in 0..REPETITIONS {
            let started = now_ms();
            let job_control = control.clone();
            match run_in_pool(move || primes.parallel(Split::WorkStealing, &job_control)).await {
                Ok(Ok(quiet_count)) if quiet_count == count => times.push(now_ms() - started),
                Ok(Ok(quiet_count)) => return Err(differs("quiet pool's", quiet_count)),
                Ok(Err(_)) => return Err("Cancelled.".to_owned()),
                Err(error) => return Err(error.to_string()),
            }
        }
        Spread::of(&times)
    } else {
        None
    };
    let (one_go, sliced) = (one_go.way(), sliced.way());
    let pool = pool_fallback.is_none().then(|| pooled.way());
    let speedup = |ms: f64| (ms > 0.0).then(|| (one_go.ms / ms * 100.0).round() / 100.0);
    Ok(Report {
        numbers,
        primes: count,
        refresh_ms: round_ms(refresh_ms),
        pool_speedup: pool.as_ref().and_then(|pool| speedup(pool.ms)),
        pool_quiet_speedup: pool_quiet.as_ref().and_then(|quiet| speedup(quiet.ms)),
        pool_quiet,
        one_go,
        sliced,
        slices,
        pool,
        pool_threads,
        pool_fallback,
        hardware_concurrency: environment.hardware_concurrency,
    })
}

/// The count, holding the thread at most [`SLICE_MS`] at a time.
async fn in_slices(primes: &Primes, control: &Control) -> Result<(u64, usize), Cancelled> {
    let mut count = 0;
    let mut next = 0;
    let mut slices = 0;
    while next < primes.limit {
        let slice_start = now_ms();
        while next < primes.limit && now_ms() - slice_start < SLICE_MS {
            let end = next.saturating_add(PIECE);
            count += primes.count_between(next, end, control)?;
            next = end;
        }
        slices += 1;
        yield_turn().await;
    }
    Ok((count, slices))
}

/// The time from `started` to `ended`, and the frames missed meanwhile,
/// after waiting for the frame that follows.
/// One way's repetitions: their times, and the worst of their frames.
#[derive(Default)]
struct Timings {
    ms: Vec<f64>,
    dropped_frames: usize,
    longest_gap_ms: f64,
    frames_drawn: Option<usize>,
}

impl Timings {
    /// Adds the run from `started` to `ended`, after waiting for the frame
    /// that follows it.
    async fn add(&mut self, meter: &FrameMeter, started: f64, ended: f64, refresh_ms: f64) {
        TimeoutFuture::new(100).await;
        let around = frames::around(&meter.frames(), started, ended);
        self.ms.push(ended - started);
        self.dropped_frames = self
            .dropped_frames
            .max(frames::dropped(&around, refresh_ms));
        self.longest_gap_ms = self.longest_gap_ms.max(frames::longest_gap(&around));
        let drawn = frames::drawn(&around, started, ended);
        self.frames_drawn = Some(self.frames_drawn.map_or(drawn, |fewest| fewest.min(drawn)));
    }

    fn way(&self) -> Way {
        let spread = Spread::of(&self.ms);
        Way {
            ms: spread.as_ref().map_or(0.0, |s| s.ms),
            min_ms: spread.as_ref().map_or(0.0, |s| s.min_ms),
            max_ms: spread.as_ref().map_or(0.0, |s| s.max_ms),
            dropped_frames: self.dropped_frames,
            longest_gap_ms: round_ms(self.longest_gap_ms),
            frames_drawn: self.frames_drawn.unwrap_or(0),
        }
    }
}
