//! The race on real threads: `T` workers, one counter, three ways to add one.

use serde::Serialize;
use yew::prelude::*;

use crate::content::directive::WidgetKind;

use super::{buttons, parse_clamped, round_ms, use_pool_job, Machine, NumberField};
use crate::compute::control::{Cancelled, Control};
use crate::compute::pitfalls::race::{self, Increment, RaceOutcome, PER_THREAD};
use crate::runtime::environment::Environment;
use crate::ui::widgets::frame::WidgetFrame;

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
    machine: Machine,
}

fn measure(
    threads: usize,
    per_thread: u64,
    machine: Machine,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<RaceReport, Cancelled> {
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
    let job = use_pool_job::<RaceReport>();
    let cores = Environment::detect().hardware_concurrency;
    let threads = use_state(|| cores.clamp(1, 4).to_string());
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
                    job.start(move |control, clock| {
                        measure(t as usize, k, machine, control, clock)
                    });
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
        <WidgetFrame kind={WidgetKind::Race} {result} busy={job.running()}>
            <div class="lab-controls">
                { buttons("Run the race", job.running(), start, cancel) }
                <NumberField id="race-threads" label="Threads" value={(*threads).clone()} min={1} max={cores as u64}
                             oninput={let s = threads.clone(); Callback::from(move |v| s.set(v))} />
                <NumberField id="race-k" label="Increments per thread" value={(*per_thread).clone()}
                             min={*PER_THREAD.start()} max={*PER_THREAD.end()}
                             oninput={let s = per_thread.clone(); Callback::from(move |v| s.set(v))} />
            </div>
            if let Some(message) = &*refused {
                <p class="note" role="alert">{ message.clone() }</p>
            }
            <div class="widget-output" role="status" aria-live="polite">
                { job.status("Racing in the worker pool:") }
                if let Some(report) = done {
                    { view_report(&report) }
                }
            </div>
        </WidgetFrame>
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
