//! Dining philosophers on real threads: naive, ordered forks, an arbitrator.

use serde::Serialize;
use yew::prelude::*;

use crate::content::directive::WidgetKind;

use super::{buttons, parse_clamped, round_ms, use_pool_job, Machine, NumberField};
use crate::compute::control::{Cancelled, Control};
use crate::compute::pitfalls::philosophers::{dine, Dining, Dinner, DURATION_MS, SEATS};
use crate::runtime::environment::Environment;
use crate::ui::widgets::frame::WidgetFrame;

/// A finished run, written to `data-result`.
#[derive(Serialize)]
pub struct DinnerReport {
    widget: &'static str,
    seats: usize,
    pool_threads: usize,
    duration_ms: u32,
    dinners: Vec<Dinner>,
    machine: Machine,
}

fn run(
    seats: usize,
    duration_ms: u32,
    machine: Machine,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<DinnerReport, Cancelled> {
    let dinners = Dining::ALL
        .into_iter()
        .map(|strategy| dine(strategy, seats, duration_ms, control, clock))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DinnerReport {
        widget: "philosophers",
        seats: dinners.first().map_or(0, |d| d.seats),
        pool_threads: rayon::current_num_threads(),
        duration_ms,
        dinners,
        machine,
    })
}

/// The widget: seats and the length of each dinner, then the three strategies.
#[function_component(PhilosophersWidget)]
pub fn philosophers_widget() -> Html {
    let job = use_pool_job::<DinnerReport>();
    let cores = Environment::detect().hardware_concurrency;
    let most = cores.clamp(*SEATS.start(), *SEATS.end());
    let seats = use_state(|| most.min(5).to_string());
    let duration = use_state(|| "1000".to_string());
    let refused = use_state(|| None::<String>);
    let start = {
        let (job, seats, duration, refused) = (
            job.clone(),
            seats.clone(),
            duration.clone(),
            refused.clone(),
        );
        Callback::from(move |_| {
            let parsed = parse_clamped(&seats, "Seats", *SEATS.start() as u64, most as u64)
                .and_then(|s| {
                    parse_clamped(
                        &duration,
                        "Milliseconds per dinner",
                        u64::from(*DURATION_MS.start()),
                        u64::from(*DURATION_MS.end()),
                    )
                    .map(|d| (s, d))
                });
            match parsed {
                Err(message) => refused.set(Some(message)),
                Ok(((s, s_note), (d, d_note))) => {
                    let note = [s_note, d_note]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    refused.set((!note.is_empty()).then_some(note));
                    let machine = Machine::detect();
                    let d = u32::try_from(d).unwrap_or(*DURATION_MS.end());
                    job.start(move |control, clock| run(s as usize, d, machine, control, clock));
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
        <WidgetFrame kind={WidgetKind::Philosophers} {result} busy={job.running()}>
            <div class="lab-controls">
                { buttons("Serve dinner", job.running(), start, cancel) }
                <NumberField id="philosophers-seats" label="Seats" value={(*seats).clone()} min={*SEATS.start() as u64} max={most as u64}
                             oninput={let s = seats.clone(); Callback::from(move |v| s.set(v))} />
                <NumberField id="philosophers-ms" label="Milliseconds per dinner" value={(*duration).clone()}
                             min={u64::from(*DURATION_MS.start())} max={u64::from(*DURATION_MS.end())}
                             oninput={let s = duration.clone(); Callback::from(move |v| s.set(v))} />
            </div>
            <p class="note">{ format!("Each philosopher is a real thread of the worker pool, so there are at most as many seats as this browser reports cores ({cores}).") }</p>
            if let Some(message) = &*refused {
                <p class="note" role="alert">{ message.clone() }</p>
            }
            <div class="widget-output" role="status" aria-live="polite">
                { job.status("The philosophers are eating:") }
                if let Some(report) = done {
                    { view_report(&report) }
                }
            </div>
        </WidgetFrame>
    }
}

fn view_report(report: &DinnerReport) -> Html {
    html! {
        <>
            <table class="results">
                <caption>{ format!("{} philosophers, {} forks, up to {} ms each dinner", report.seats, report.seats, report.duration_ms) }</caption>
                <thead><tr><th>{ "strategy" }</th><th>{ "meals per second" }</th><th>{ "meals per seat" }</th><th>{ "deadlock" }</th></tr></thead>
                <tbody>
                    { for report.dinners.iter().map(|d| html! {
                        <tr>
                            <td>{ d.strategy.label() }</td>
                            <td>{ format!("{:.0}", d.meals_per_second) }</td>
                            <td>{ d.meals.iter().map(u64::to_string).collect::<Vec<_>>().join(" · ") }</td>
                            <td>{ match &d.deadlock {
                                Some(deadlock) => html! {
                                    <>
                                        <strong>{ "deadlocked" }</strong>
                                        <ul>{ for d.waits.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                                        { format!("(the watchdog found it after a {} ms wait)", round_ms(deadlock.detected_after_ms)) }
                                    </>
                                },
                                None => html! { { "none" } },
                            } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="explanation">{ "Naive philosophers each pick up the left fork and wait for the right one: when all hold a left fork at once, the wait goes round the table and never ends. \
                Taking the lower-numbered fork first breaks the cycle (the last philosopher reaches the other way). Asking a waiter first prevents it too: \
                only one philosopher picks up at a time, which can cost meals at a big table and save them at a small one, where neighbours stop fighting over a fork. \
                A naive dinner that happened to end without a deadlock was lucky, not correct." }</p>
        </>
    }
}
