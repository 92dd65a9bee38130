//! The two-lock deadlock on real threads, the watchdog that finds it, and the
//! fix by lock ordering.

use serde::Serialize;
use yew::prelude::*;

use book_content::directive::WidgetKind;

use super::threaded::{Pitfall, Threaded};
use crate::round_ms;
use book_compute::control::{Cancelled, Control};
use book_compute::pitfalls::deadlock::{two_locks, LockOrder, TwoLocksOutcome, PATIENCE_MS};
use book_runtime::environment::Environment;

/// Rounds each worker attempts: a deadlock usually comes within the first few
/// hundred; the fixed order finishes them all in well under a second.
const ROUNDS: u32 = 100_000;

/// A finished run, written to `data-result`.
#[derive(Serialize)]
pub struct DeadlockReport {
    widget: &'static str,
    pool_threads: usize,
    patience_ms: f64,
    opposite: TwoLocksOutcome,
    same: TwoLocksOutcome,
    machine: Environment,
}

/// The job: no numbers to set.
fn run(
    _values: &[u64],
    machine: Environment,
    control: &Control,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<DeadlockReport, Cancelled> {
    let opposite = two_locks(LockOrder::Opposite, ROUNDS, control, clock)?;
    let same = two_locks(LockOrder::Same, ROUNDS, control, clock)?;
    Ok(DeadlockReport {
        widget: "deadlock",
        pool_threads: rayon::current_num_threads(),
        patience_ms: PATIENCE_MS,
        opposite,
        same,
        machine,
    })
}

/// The widget: one button runs the opposite orders, then the same order.
#[function_component(DeadlockWidget)]
pub fn deadlock_widget() -> Html {
    html! {
        <Threaded kind={WidgetKind::Deadlock} start="Take the locks" running="Two workers taking locks:"
                                  pitfall={Pitfall::new(run, view_report)}>
            <pre><code>{ "worker 0: loop { let a = A.lock(); let b = B.lock(); … }\nworker 1: loop { let b = B.lock(); let a = A.lock(); … }   // opposite order\nfixed:    both take A, then B" }</code></pre>
        </Threaded>
    }
}

fn view_report(report: &DeadlockReport) -> Html {
    html! {
        <>
            { view_outcome("Opposite orders", &report.opposite) }
            { view_outcome("One order (A, then B)", &report.same) }
            if report.pool_threads < 2 {
                <p class="fallback">{ "The pool has one thread, so the two workers took turns and could not deadlock. On two cores or more they will." }</p>
            }
        </>
    }
}

fn view_outcome(title: &str, outcome: &TwoLocksOutcome) -> Html {
    let total = outcome.workers as u64 * u64::from(outcome.rounds_per_worker);
    let said = match (&outcome.deadlock, outcome.order) {
        (Some(deadlock), _) => html! {
            <>
                <p><strong>{ format!(
                    "Deadlocked after {} of {total} rounds. The watchdog found the cycle when a worker had waited {} ms:",
                    outcome.rounds_done, round_ms(deadlock.detected_after_ms)) }</strong></p>
                <ul>{ for outcome.waits.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                <p>{ "It stopped both workers; each let go of the lock it held and returned, so the pool is free for the next run." }</p>
            </>
        },
        (None, LockOrder::Same) => html! {
            <p>{ format!(
                "All {} of {total} rounds done in {} ms, no deadlock: whoever waits for B already holds A, so nobody holding B can be waiting for it.",
                outcome.rounds_done, round_ms(outcome.ms)) }</p>
        },
        (None, LockOrder::Opposite) => html! {
            <p>{ format!(
                "{} of {total} rounds done and no deadlock this time: the workers never held one lock each at the same moment. It depends on timing; run it again.",
                outcome.rounds_done) }</p>
        },
    };
    html! {
        <div class="outcome">
            <h5>{ title }</h5>
            { said }
        </div>
    }
}
