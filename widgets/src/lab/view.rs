//! The lab's report drawn: the chart, the tables, the pictures and what the
//! figures mean, revealed a step at a time.

use super::*;

/// A finished report appears in steps, each in a task of its own after the
/// browser has drawn the one before: the figures, the chart's axes, each
/// measured curve, then the pictures. The first report on a page runs code
/// the engine has not compiled yet, and drawn in one turn (or three) it can
/// hold a slower engine's main thread past 50 ms: a freeze in a widget whose
/// point is that the page stays responsive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reveal {
    Figures,
    /// The chart with this many of its curves drawn.
    Chart {
        curves: usize,
    },
    Pictures,
}

impl Reveal {
    /// Everything shown: the last step, and the state between reports.
    pub(super) const WHOLE: Reveal = Reveal::Pictures;

    /// The step after this one, for a report with `curves` curves.
    pub(super) fn next(self, curves: usize) -> Self {
        match self {
            Reveal::Figures => Reveal::Chart { curves: 0 },
            Reveal::Chart { curves: drawn } if drawn < curves => {
                Reveal::Chart { curves: drawn + 1 }
            }
            Reveal::Chart { .. } | Reveal::Pictures => Reveal::Pictures,
        }
    }

    /// How many of the chart's curves this step shows.
    pub(super) fn curves(self) -> usize {
        match self {
            Reveal::Figures => 0,
            Reveal::Chart { curves } => curves,
            Reveal::Pictures => usize::MAX,
        }
    }
}

/// What the widget shows below its controls: `percent` done while it runs,
/// and a finished report as far as `reveal` has come.
pub(super) fn view_state(
    kind: WidgetKind,
    state: &Run<(), Rc<Report>>,
    percent: u32,
    reveal: Reveal,
) -> Html {
    match state {
        Run::Idle => html! { <p>{ intro(kind) }</p> },
        Run::Running(()) => html! {
            <p>{ format!("Measuring in the worker pool: {percent}% done. The page stays responsive; Cancel stops within a tenth of a second.") }</p>
        },
        Run::Cancelled => {
            html! { <p>{ "Cancelled. The pool is free again: start another run whenever you like." }</p> }
        }
        Run::Failed(message) => {
            html! { <p class="error" role="alert">{ message.clone() }</p> }
        }
        Run::Done(report) => view_report(kind, report, reveal),
    }
}

fn view_report(kind: WidgetKind, report: &Report, reveal: Reveal) -> Html {
    let pictures = html! {
        <div class="lab-images">
            { report.before.clone().map(|image| html! {
                <figure><ImageView {image} label="The generated image before the blur" /><figcaption>{ "before" }</figcaption></figure>
            }).unwrap_or_default() }
            { report.after.clone().map(|image| html! {
                <figure>
                    <ImageView image={image} label={if kind == WidgetKind::Blur { "The image after the blur" } else { "The Mandelbrot set the pool computed" }} />
                    <figcaption>{ if kind == WidgetKind::Blur { "after" } else { "computed by the pool" } }</figcaption>
                </figure>
            }).unwrap_or_default() }
        </div>
    };
    if let Some(reason) = &report.fallback {
        return html! {
            <div class="fallback">
                <p><strong>{ "Ran on one thread. " }</strong>{ format!("The worker pool is not available: {reason}") }</p>
                <p>{ "To keep the page responsive the kernels ran on the main thread at a small size, three times each:" }</p>
                <ul>
                    { for report.sweeps.iter().map(|s| html! {
                        <li>{ format!("{} ({}): median {}, {}–{}", s.request.kernel.label(), s.request.kernel.describe(s.request.size), duration(s.sequential.median_ms), duration(s.sequential.min_ms), duration(s.sequential.max_ms)) }</li>
                    }) }
                </ul>
            </div>
        };
    }
    let series: Vec<Series> = report
        .sweeps
        .iter()
        .map(|s| Series {
            label: series_label(kind, s),
            points: s.points.iter().map(|p| (p.threads, p.speedup)).collect(),
            serial_fraction: s.serial_fraction,
        })
        .collect();
    let max_threads = most_threads(report);
    html! {
        <>
            if reveal >= Reveal::Pictures { { pictures } }
            if reveal >= (Reveal::Chart { curves: 0 }) {
                if kind == WidgetKind::PoolWorkers {
                    { for report.sweeps.iter().take(reveal.curves()).filter_map(|s| s.points.last()).map(|p| html! {
                        <WorkChart work={p.work_per_thread.clone()} unit="rows" />
                    }) }
                } else if max_threads > 1 {
                    <SpeedupChart {series} max_threads={max_threads} drawn={reveal.curves()} />
                }
            }
            { for report.sweeps.iter().map(|s| results_table(kind, s)) }
            <p class="explanation">{ explanation(kind, report, &report.environment) }</p>
        </>
    }
}

fn results_table(kind: WidgetKind, sweep: &Sweep) -> Html {
    html! {
        <table class="results">
            <caption>{ format!("{} — {}: sequential median {} ({}–{})", series_label(kind, sweep), sweep.request.kernel.describe(sweep.request.size), duration(sweep.sequential.median_ms), duration(sweep.sequential.min_ms), duration(sweep.sequential.max_ms)) }</caption>
            <thead><tr>
                <th scope="col">{ "threads" }</th><th scope="col">{ "median" }</th><th scope="col">{ "min–max" }</th>
                <th scope="col">{ "speedup" }</th><th scope="col">{ "efficiency" }</th><th scope="col">{ "threads seen" }</th>
            </tr></thead>
            <tbody>
                { for sweep.points.iter().map(|p| html! {
                    <tr>
                        <td>{ p.threads }</td><td>{ duration(p.median_ms) }</td>
                        <td>{ format!("{}–{}", duration(p.min_ms), duration(p.max_ms)) }</td>
                        <td>{ format!("{:.2}x", p.speedup) }</td><td>{ format!("{:.0}%", p.efficiency * 100.0) }</td>
                        <td>{ p.threads_seen }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn series_label(kind: WidgetKind, sweep: &Sweep) -> String {
    let base = if kind == WidgetKind::SpeedupSweep {
        sweep.request.kernel.id()
    } else {
        sweep.request.kernel.label()
    };
    match sweep.strategy {
        Strategy::StaticChunks { .. } => format!("{base}, static chunks"),
        _ if sweep.request.kernel == KernelKind::Primes => format!("{base}, work stealing"),
        _ => base.to_owned(),
    }
}

/// What the reader just measured, and why it is not exactly N.
/// The most threads any point of the report ran on: the chart's width and
/// what the explanation says was measured.
fn most_threads(report: &Report) -> usize {
    report
        .sweeps
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.threads))
        .max()
        .unwrap_or(1)
}

fn explanation(kind: WidgetKind, report: &Report, environment: &Environment) -> String {
    let best = report.sweeps.first().and_then(|s| {
        s.points
            .iter()
            .max_by(|a, b| a.speedup.total_cmp(&b.speedup))
    });
    let headline = best.map_or(String::new(), |p| {
        format!(
            "Best: {:.2}x on {} threads ({:.0}% efficiency). ",
            p.speedup,
            p.threads,
            p.efficiency * 100.0
        )
    });
    let why = match kind {
        WidgetKind::Mandelbrot | WidgetKind::PoolWorkers => "Rows through the set cost far more than rows outside it; work stealing evens that out. What is left is the cost of starting and joining the job, a lower clock when every core is busy (a shared power budget), and, on machines with SMT, hardware threads that share one core.",
        WidgetKind::Matmul => "The multiply works on blocks that fit in the cache. Where the curve bends, suspect SMT, a lower all-core clock, other work, or, far beyond the cache, memory bandwidth (a larger size tells).",
        WidgetKind::Blur => "Each of the six passes ends in a barrier where every thread waits for the slowest; beyond that, suspect SMT, a lower all-core clock, other work, or memory bandwidth for images beyond the cache.",
        WidgetKind::Sort => "The leaves sort in parallel, but each merge is done by one thread and the last merge touches every element: that sequential part is the serial fraction Amdahl's law fits.",
        WidgetKind::Primes => "Equal static chunks take very different times (the last holds the largest numbers), so threads sit idle waiting for the slowest; work stealing hands out small grains and keeps every thread busy to the end.",
        _ => "Each curve bends for its own reason: the sections on each kernel explain it.",
    };
    let measured = most_threads(report);
    let reported = environment.hardware_concurrency;
    let plateau = report
        .sweeps
        .first()
        .and_then(|s| s.plateau_threads)
        .filter(|&k| k < measured);
    // A browser may report more processors than it runs at once (WebKit
    // reports 4 on 2 cores); the curve says what the reader really has.
    let cores = match plateau.and_then(|k| read_plateau(k, reported).map(|r| (k, r))) {
        Some((k, PlateauReading::HalfTheLogicalProcessors)) => format!(
            " The curve stops rising at {k} threads, half the {reported} logical processors reported: the mark of SMT (two hardware threads sharing each core), or of a browser reporting more than there are."
        ),
        Some((k, PlateauReading::BelowTheReportedCount)) => match kind {
            WidgetKind::Mandelbrot | WidgetKind::PoolWorkers => format!(
                " The curve stops rising at {k} threads although the browser reports {reported}: this kernel only computes, so the threads beyond {k} share cores. This machine runs about {k} at a time, whatever navigator.hardwareConcurrency says."
            ),
            _ => format!(
                " The curve stops rising at {k} threads (the browser reports {reported}): the threads beyond {k} share cores, or something all of them share (the clock, caches, memory) sets the pace. The Mandelbrot widget, which only computes, tells the two apart."
            ),
        },
        None => String::new(),
    };
    format!(
        "{headline}{why}{cores} Measured on {measured} threads of {reported} reported by this browser (navigator.hardwareConcurrency; browsers may clamp it, so where the curve stops rising is where your real cores end)."
    )
}

/// A time for the reader: milliseconds to a tenth, or microseconds below a
/// tenth of a millisecond, where a kernel at its smallest size runs.
fn duration(ms: f64) -> String {
    if ms > 0.0 && ms < 0.1 {
        format!("{:.0} µs", ms * 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}
