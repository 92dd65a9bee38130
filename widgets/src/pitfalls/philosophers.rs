//! Dining philosophers on real threads: naive, ordered forks, an arbitrator.

use serde::Serialize;
use yew::prelude::*;

use book_content::directive::WidgetKind;

use super::threaded::{Pitfall, Threaded};
use crate::kit::fields::Field;
use crate::round_ms;
use book_compute::control::{Cancelled, Control};
use book_compute::pitfalls::philosophers::{dine, Dining, Dinner, DURATION_MS, SEATS};
use book_runtime::environment::Environment;

/// A finished run, written to `data-result`.
#[derive(Serialize)]
pub struct DinnerReport {
    widget: &'static str,
    seats: usize,
    pool_threads: usize,
    duration_ms: u32,
    dinners: Vec<Dinner>,
    machine: Environment,
}

/// The job: `[seats, milliseconds per dinner]`.
fn run(
    values: &[u64],
    machine: Environment,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<DinnerReport, Cancelled> {
    let seats = values[0] as usize;
    let duration_ms = u32::try_from(values[1]).unwrap_or(*DURATION_MS.end());
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
    let cores = Environment::detect().hardware_concurrency;
    let fields = vec![
        Field {
            id: "philosophers-seats",
            label: "Seats",
            min: *SEATS.start() as u64,
            max: *SEATS.end() as u64,
            initial: 5,
        },
        Field {
            id: "philosophers-ms",
            label: "Milliseconds per dinner",
            min: u64::from(*DURATION_MS.start()),
            max: u64::from(*DURATION_MS.end()),
            initial: 1_000,
        },
    ];
    html! {
        <Threaded kind={WidgetKind::Philosophers} start="Serve dinner" running="The philosophers are eating:"
                                {fields} pitfall={Pitfall::new(run, view_report)}>
            <p class="note">{ format!("The philosophers eat on the pool's {cores} threads; with more seats than threads, a thread switches between several, as an OS time-slices threads.") }</p>
        </Threaded>
    }
}

fn view_report(report: &DinnerReport) -> Html {
    html! {
        <>
            <table class="results">
                <caption>{ format!("{} philosophers, {} forks, on {} threads, up to {} ms each dinner", report.seats, report.seats, report.dinners.first().map_or(0, |d| d.threads), report.duration_ms) }</caption>
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
