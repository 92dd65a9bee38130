//! Contention: the same count on `T` threads, from one shared lock to no
//! sharing, and the cache line in between.

use serde::Serialize;
use yew::prelude::*;

use book_content::directive::WidgetKind;

use super::threaded::{Pitfall, Threaded};
use crate::kit::chart::{Bar, BarChart};
use crate::kit::fields::Field;
use book_compute::control::{Cancelled, Control};
use book_compute::pitfalls::contention::{measure, ContentionPoint, Counting, PADDING, PER_THREAD};
use book_runtime::environment::Environment;

/// A finished run, written to `data-result`.
#[derive(Serialize)]
pub struct ContentionReport {
    widget: &'static str,
    threads: usize,
    pool_threads: usize,
    points: Vec<ContentionPoint>,
    machine: Environment,
}

/// The job: `[threads, increments per thread]`.
fn run(
    values: &[u64],
    machine: Environment,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<ContentionReport, Cancelled> {
    let points = measure(values[0] as usize, values[1], control, clock)?;
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
    let cores = Environment::detect().hardware_concurrency as u64;
    let fields = vec![
        Field {
            id: "contention-threads",
            label: "Threads",
            min: 1,
            max: cores,
            initial: cores,
        },
        Field {
            id: "contention-k",
            label: "Increments per thread",
            min: *PER_THREAD.start(),
            max: *PER_THREAD.end(),
            initial: 1_000_000,
        },
    ];
    html! {
        <Threaded kind={WidgetKind::Contention} start="Measure contention"
                                    running="Counting in the worker pool (one warm-up and three timed runs of each):"
                                    {fields} pitfall={Pitfall::new(run, view_report)} />
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
