//! The threads check: start the worker pool, run one parallel job inside it,
//! and count the distinct threads that really did work.

use serde::Serialize;
use yew::prelude::*;

use book_content::directive::WidgetKind;

use super::kit::frame::{result_json, WidgetFrame};
use super::round_ms;
use crate::kit::run::{use_run, Run};
use book_compute::threads_probe::{self, ProbeOutcome, ProbeSize};
use book_pool::job::{run_in_pool, JobError};
use book_runtime::clock::now_ms;
use book_runtime::environment::Environment;

/// The figures a run writes to `data-result`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Report {
    isolated: bool,
    shared_array_buffer: bool,
    hardware_concurrency: usize,
    /// Workers in the pool; 0 when it could not start.
    pool_threads: usize,
    /// Distinct threads that computed at least one item of the parallel run.
    threads_seen: usize,
    items: usize,
    /// The parallel checksum equals the sequential one.
    checksum_matches: bool,
    /// One run each, not a benchmark: the labs warm up and repeat.
    sequential_ms: f64,
    parallel_ms: f64,
    /// Why the job ran on one thread, when it did.
    fallback: Option<String>,
    user_agent: String,
}

/// The widget: one button, one run, a sentence saying what it proves.
#[function_component(ThreadsCheck)]
pub fn threads_check() -> Html {
    let run_state = use_run::<(), Report>();
    let start = {
        let run_state = run_state.clone();
        Callback::from(move |_| {
            run_state.start((), |_, _| check(ProbeSize::standard()));
        })
    };
    let running = run_state.is_running();
    let result = run_state.done().and_then(result_json);
    html! {
        <WidgetFrame kind={WidgetKind::ThreadsCheck} {result} busy={running}>
            <button type="button" onclick={start} disabled={running}>
                { if running { "Running…" } else { "Run the threads check" } }
            </button>
            <div class="widget-output" role="status" aria-live="polite">
                { match run_state.state() {
                    // The check runs to its end: nothing cancels it.
                    Run::Idle | Run::Cancelled => html! { <p>{ "Starts the worker pool and runs one CPU-bound job on it." }</p> },
                    Run::Running(()) => html! { <p>{ "Working in the pool; the page stays responsive." }</p> },
                    Run::Done(report) => explain(report),
                    Run::Failed(message) => html! {
                        <p class="error">{ format!("The check failed: {message}. Reload the page to try again.") }</p>
                    },
                } }
            </div>
        </WidgetFrame>
    }
}

/// Runs the probe sequentially and in parallel inside the pool, or on this
/// thread in small slices when there is no pool.
async fn check(size: ProbeSize) -> Result<Report, String> {
    let environment = Environment::detect();
    let started = now_ms();
    let sequential = run_in_pool(move || threads_probe::run_sequential(size)).await;
    match sequential {
        Ok(sequential) => {
            let sequential_ms = now_ms() - started;
            let started = now_ms();
            let parallel = run_in_pool(move || {
                let outcome = threads_probe::run_parallel(size);
                (outcome, rayon::current_num_threads())
            })
            .await
            .map_err(|e| e.to_string())?;
            let parallel_ms = now_ms() - started;
            let (outcome, pool_threads) = parallel;
            Ok(report(
                &environment,
                pool_threads,
                &outcome,
                &sequential,
                sequential_ms,
                parallel_ms,
                None,
            ))
        }
        Err(JobError::NoPool(unavailable)) => {
            let small = ProbeSize::new(64, 100_000)?;
            let started = now_ms();
            let outcome = sequential_in_slices(small).await;
            let elapsed = now_ms() - started;
            Ok(report(
                &environment,
                0,
                &outcome,
                &outcome,
                elapsed,
                elapsed,
                Some(unavailable.reason),
            ))
        }
        Err(error) => Err(error.to_string()),
    }
}

/// The fallback: the sequential probe, yielding to the event loop between
/// slices so the page never freezes.
async fn sequential_in_slices(size: ProbeSize) -> ProbeOutcome {
    let mut checksum = 0u64;
    let slices = 8;
    let per_slice = size.items() / slices;
    for slice in 0..slices {
        checksum = checksum.wrapping_add(threads_probe::run_range(
            size,
            slice * per_slice..(slice + 1) * per_slice,
        ));
        gloo::timers::future::TimeoutFuture::new(0).await;
    }
    ProbeOutcome {
        checksum,
        threads_seen: 1,
        items: slices * per_slice,
    }
}

fn report(
    environment: &Environment,
    pool_threads: usize,
    parallel: &ProbeOutcome,
    sequential: &ProbeOutcome,
    sequential_ms: f64,
    parallel_ms: f64,
    fallback: Option<String>,
) -> Report {
    Report {
        isolated: environment.isolated,
        shared_array_buffer: environment.shared_array_buffer,
        hardware_concurrency: environment.hardware_concurrency,
        pool_threads,
        threads_seen: parallel.threads_seen,
        items: parallel.items,
        checksum_matches: parallel.checksum == sequential.checksum,
        sequential_ms: round_ms(sequential_ms),
        parallel_ms: round_ms(parallel_ms),
        fallback,
        user_agent: environment.user_agent.clone(),
    }
}

fn explain(report: &Report) -> Html {
    match &report.fallback {
        None => html! {
            <>
                <p>
                    <strong>{ format!("{} of {} pool threads did work.", report.threads_seen, report.pool_threads) }</strong>
                    { format!(
                        " The same {} items took {:.1} ms on one thread and {:.1} ms on the pool \
                         (one run each; the labs warm up and repeat before they claim a speedup). \
                         The parallel result {} the sequential one.",
                        report.items, report.sequential_ms, report.parallel_ms,
                        if report.checksum_matches { "equals" } else { "DIFFERS FROM" },
                    ) }
                </p>
                if report.threads_seen < 2 {
                    <p>{ "Only one thread took part: the pool has one worker, or the others were busy. Run it again." }</p>
                }
            </>
        },
        Some(reason) => html! {
            <p class="fallback">
                <strong>{ "Ran on one thread. " }</strong>
                { format!("The worker pool could not start: {reason} ") }
                { format!("The job ran on the main thread in small slices ({:.1} ms), so the page stayed responsive.", report.parallel_ms) }
            </p>
        },
    }
}
