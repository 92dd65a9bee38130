//! Contention: the same count on `T` threads, from one shared lock to no
//! sharing, and the cache line in between.

use serde::Serialize;
use yew::prelude::*;

use crate::content::directive::WidgetKind;

use super::{buttons, parse_clamped, use_pool_job, Machine, NumberField};
use crate::compute::control::{Cancelled, Control};
use crate::compute::pitfalls::contention::{
    measure, ContentionPoint, Counting, PADDING, PER_THREAD,
};
use crate::runtime::environment::Environment;
use crate::ui::chart::{Bar, BarChart};
use crate::ui::widgets::frame::WidgetFrame;

/// A finished run, written to `data-result`.
#[derive(Serialize)]
pub struct ContentionReport {
    widget: &'static str,
    threads: usize,
    pool_threads: usize,
    points: Vec<ContentionPoint>,
    machine: Machine,
}

fn run(
    threads: usize,
    per_thread: u64,
    machine: Machine,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<ContentionReport, Cancelled> {
    let points = measure(threads, per_thread, control, clock)?;
    Ok(ContentionReport {
        widget: "contention",
        threads: points.first().map_or(1, |p| p.threads),
        pool_threads: rayon::current_num_threads(),
        points,
        machine,
    })
}

/// The widget: threads and increments per thread, then operations per second
/// for each way of counting.
#[function_component(ContentionWidget)]
pub fn contention_widget() -> Html {
    let job = use_pool_job::<ContentionReport>();
    let cores = Environment::detect().hardware_concurrency;
    let threads = use_state(|| cores.to_string());
    let per_thread = use_state(|| "1000000".to_string());
    let refused = use_state(|| None::<String>);
    let start = {
        let (job, threads, per_thread, refused) = (
            job.clone(),
            threads.clone(),
            per_thread.clone(),
            refused.clone(),
        );
        Callback::from(move |_| {
            let parsed = parse_clamped(&threads, "Threads", 1, cores as u64).and_then(|t| {
                parse_clamped(
                    &per_thread,
                    "Increments per thread",
                    *PER_THREAD.start(),
                    *PER_THREAD.end(),
                )
                .map(|k| (t, k))
            });
            match parsed {
                Err(message) => refused.set(Some(message)),
                Ok(((t, t_note), (k, k_note))) => {
                    let note = [t_note, k_note]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    refused.set((!note.is_empty()).then_some(note));
                    let machine = Machine::detect();
                    job.start(move |control, clock| run(t as usize, k, machine, control, clock));
                }
            }
        })
    };
    let cancel = {
        let job = job.clone();
        Callback::from(move |_| job.cancel())
    };
    let done = job.done();
    let result = done
        .as_ref()
        .and_then(|r| serde_json::to_string(&**r).ok())
        .map(AttrValue::from);
    html! {
        <WidgetFrame kind={WidgetKind::Contention} {result} busy={job.running()}>
            <div class="lab-controls">
                { buttons("Measure contention", job.running(), start, cancel) }
                <NumberField id="contention-threads" label="Threads" value={(*threads).clone()} min={1} max={cores as u64}
                             oninput={let s = threads.clone(); Callback::from(move |v| s.set(v))} />
                <NumberField id="contention-k" label="Increments per thread" value={(*per_thread).clone()}
                             min={*PER_THREAD.start()} max={*PER_THREAD.end()}
                             oninput={let s = per_thread.clone(); Callback::from(move |v| s.set(v))} />
            </div>
            if let Some(message) = &*refused {
                <p class="note" role="alert">{ message.clone() }</p>
            }
            <div class="widget-output" role="status" aria-live="polite">
                { job.status("Counting in the worker pool (one warm-up and three timed runs of each):") }
                if let Some(report) = done {
                    { view_report(&report) }
                }
            </div>
        </WidgetFrame>
    }
}

fn view_report(report: &ContentionReport) -> Html {
    let bars: Vec<Bar> = report
        .points
        .iter()
        .map(|p| Bar {
            label: p.counting.short().to_owned(),
            value: p.ops_per_second,
            text: format!("{:.0} M/s", p.ops_per_second / 1e6),
        })
        .collect();
    let all_exact = report.points.iter().all(|p| p.exact);
    html! {
        <>
            <BarChart {bars} label={format!("Increments per second on {} threads, by way of counting", report.threads)} />
            <table class="results">
                <caption>{ format!("{} threads; median of 3 runs, min to max", report.threads) }</caption>
                <thead><tr><th>{ "counting" }</th><th>{ "increments per second" }</th><th>{ "time (median)" }</th><th>{ "min – max" }</th></tr></thead>
                <tbody>
                    { for report.points.iter().map(|p| html! {
                        <tr>
                            <td>{ p.counting.label() }</td>
                            <td>{ format!("{:.1} million", p.ops_per_second / 1e6) }</td>
                            <td>{ format!("{:.1} ms", p.time.median_ms) }</td>
                            <td>{ format!("{:.1} – {:.1} ms", p.time.min_ms, p.time.max_ms) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="explanation">
                { if all_exact { "Every way counted exactly. " } else { "A count came out WRONG: please report this. " } }
                { "The more the threads share, the more they wait: a mutex makes them take turns, an atomic makes the cores hand one cache line back and forth. " }
                { false_sharing(report) }
                if report.threads < 2 { { " With one thread nothing is contended: try more." } }
            </p>
        </>
    }
}

/// What the packed and padded rows say about false sharing, from this run's figures.
fn false_sharing(report: &ContentionReport) -> String {
    let speed = |counting: Counting| {
        report
            .points
            .iter()
            .find(|p| p.counting == counting)
            .map_or(0.0, |p| p.ops_per_second)
    };
    let (packed, padded) = (speed(Counting::Packed), speed(Counting::Padded));
    if report.threads < 2 || packed <= 0.0 {
        return String::new();
    }
    let ratio = padded / packed;
    if ratio >= 1.5 {
        format!(
            "Per-thread counters share no value, yet packed side by side they ran {ratio:.1} times slower than padded ones: \
             they share a cache line, which the cores pass back and forth (false sharing). Padding each to its own {PADDING} bytes, \
             or keeping it in a local variable, lets every core count at full speed."
        )
    } else {
        format!(
            "Here packed and padded per-thread counters ran at about the same speed ({ratio:.1}x): on this machine and run, \
             false sharing did not show. It usually does with more threads; try the largest count."
        )
    }
}
