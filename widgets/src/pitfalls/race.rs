//! The race on real threads: `T` workers, one counter, three ways to add one.

use serde::Serialize;
use yew::prelude::*;

use book_content::directive::WidgetKind;

use super::threaded::{Pitfall, Threaded};
use crate::kit::fields::Field;
use crate::round_ms;
use book_compute::control::{Cancelled, Control};
use book_compute::pitfalls::race::{self, Increment, RaceOutcome, PER_THREAD};
use book_runtime::environment::Environment;

/// Longer runs tried when the racy one happens to lose nothing (short runs on
/// a busy machine may never overlap).
const RETRIES: u32 = 3;

/// A finished run, written to `data-result`.
#[derive(Serialize)]
pub struct RaceReport {
    widget: &'static str,
    threads: usize,
    pool_threads: usize,
    /// Runs of the racy version before one lost updates (1 if the first did).
    racy_attempts: u32,
    methods: Vec<RaceOutcome>,
    machine: Environment,
}

/// The job: `[threads, increments per thread]`.
fn measure(
    values: &[u64],
    machine: Environment,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<RaceReport, Cancelled> {
    let (threads, per_thread) = (values[0] as usize, values[1]);
    let mut racy = race::run(
        Increment::LoadThenStore,
        threads,
        per_thread,
        control,
        clock,
    )?;
    let mut attempts = 1;
    while racy.lost == 0 && racy.threads > 1 && attempts <= RETRIES {
        let longer = (racy.per_thread * 4).min(*PER_THREAD.end());
        racy = race::run(Increment::LoadThenStore, threads, longer, control, clock)?;
        attempts += 1;
    }
    // The fixes do exactly as much work as the racy run that is shown, so
    // the times compare.
    let mut methods = vec![racy];
    for method in [Increment::FetchAdd, Increment::Mutex] {
        methods.push(race::run(
            method,
            threads,
            methods[0].per_thread,
            control,
            clock,
        )?);
    }
    Ok(RaceReport {
        widget: "race",
        threads: methods.first().map_or(1, |m| m.threads),
        pool_threads: rayon::current_num_threads(),
        racy_attempts: attempts,
        methods,
        machine,
    })
}

/// The widget: threads and increments per thread, then the three ways side by side.
#[function_component(RaceWidget)]
pub fn race_widget() -> Html {
    let cores = Environment::detect().hardware_concurrency as u64;
    let fields = vec![
        Field {
            id: "race-threads",
            label: "Threads",
            min: 1,
            max: cores,
            initial: cores.clamp(1, 4),
        },
        Field {
            id: "race-k",
            label: "Increments per thread",
            min: *PER_THREAD.start(),
            max: *PER_THREAD.end(),
            initial: 1_000_000,
        },
    ];
    html! {
        <Threaded kind={WidgetKind::Race} start="Run the race" running="Racing in the worker pool:"
                              {fields} pitfall={Pitfall::new(measure, view_report)} />
    }
}

fn view_report(report: &RaceReport) -> Html {
    let racy = report
        .methods
        .iter()
        .find(|m| m.method == Increment::LoadThenStore);
    html! {
        <>
            <table class="results">
                <caption>{ format!("{} workers on {} pool threads, each adding 1 to the same counter", report.threads, report.pool_threads) }</caption>
                <thead><tr><th>{ "each iteration" }</th><th>{ "expected" }</th><th>{ "counter" }</th><th>{ "lost updates" }</th><th>{ "time" }</th></tr></thead>
                <tbody>
                    { for report.methods.iter().map(|m| html! {
                        <tr>
                            <td><code>{ m.method.code() }</code></td>
                            <td>{ m.expected }</td>
                            <td>{ m.actual }</td>
                            <td>{ if m.lost > 0 { html! { <strong>{ m.lost }</strong> } } else { html! { { "0" } } } }</td>
                            <td>{ format!("{} ms", round_ms(m.ms)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if report.racy_attempts > 1 {
                <p class="note">{ format!(
                    "The first {} racy run(s) lost nothing (the workers did not overlap), so it ran again with four times the increments; all rows use the last run's size.",
                    report.racy_attempts - 1) }</p>
            }
            <p class="explanation">{ match racy {
                Some(m) if m.lost > 0 => format!(
                    "The load-then-store version lost {} of {} increments ({:.1}%): between one worker's load and its store, the other worker's stores are overwritten. \
                     fetch_add and the mutex make read-modify-write one indivisible step, and count exactly; compare what that costs in time.",
                    m.lost, m.expected, m.lost as f64 / m.expected as f64 * 100.0),
                Some(m) if m.threads < 2 => "With one worker there is nobody to race with: the counter is exact. Give it two threads or more.".to_owned(),
                _ => "This time no update was lost, even on longer runs: the workers rarely overlapped (a busy machine?). Run it again.".to_owned(),
            } }</p>
        </>
    }
}
