//! The litmus tests run for real: two pool workers race on a
//! `SharedArrayBuffer` many thousand times, and every outcome is counted,
//! beside what the same tests did natively on the bench machine's CPU.

use serde::Serialize;
use yew::prelude::*;

use super::threaded::{Pitfall, Threaded};
use crate::kit::fields::Field;
use book_compute::control::{Cancelled, Control};
use book_compute::litmus::{self as run, Plan, RunError, Shape, MAX_ITERATIONS};
use book_content::directive::WidgetKind;
use book_runtime::environment::Environment;

/// The orderings each shape runs with, weakest first: (store, load).
const ORDERINGS: [(std::sync::atomic::Ordering, std::sync::atomic::Ordering); 3] = {
    use std::sync::atomic::Ordering::{Acquire, Relaxed, Release, SeqCst};
    [(Relaxed, Relaxed), (Release, Acquire), (SeqCst, SeqCst)]
};

/// What the same tests did natively: one run of `cargo xtask bench --write`,
/// dated, never typed in (`build.rs` makes these constants of its file).
struct NativeRuns {
    date: &'static str,
    cpu: &'static str,
    arch: &'static str,
    rows: &'static [NativeRow],
}

/// One native test at one pair of orderings.
struct NativeRow {
    test: &'static str,
    store: &'static str,
    load: &'static str,
    iterations: usize,
    counts: [u64; 4],
}

const NATIVE: NativeRuns = include!(concat!(env!("OUT_DIR"), "/litmus_native.rs"));

/// One test at one pair of orderings, and how often each `(r0, r1)` came.
#[derive(Serialize, Clone, PartialEq)]
pub struct Row {
    test: String,
    store: String,
    load: String,
    iterations: usize,
    /// `counts[r0 * 2 + r1]`; empty where the run could not happen.
    counts: Vec<u64>,
}

impl Row {
    /// How often the test's surprising outcome came.
    fn surprises(&self) -> Option<u64> {
        let shape = Shape::from_slug(&self.test)?;
        let (r0, r1) = shape.surprise();
        self.counts.get((r0 * 2 + r1) as usize).copied()
    }
}

/// A finished run, written to `data-result`.
#[derive(Serialize)]
pub struct LitmusReport {
    widget: &'static str,
    pool_threads: usize,
    rows: Vec<Row>,
    /// Why the runs stopped early, if they did (no second thread free).
    problem: Option<String>,
    machine: Environment,
}

/// The job: every shape at every pair of orderings, `values[0]` iterations each.
fn measure(
    values: &[u64],
    machine: Environment,
    control: &Control,
    _clock: &(dyn Fn() -> f64 + Sync),
) -> Result<LitmusReport, Cancelled> {
    let iterations = usize::try_from(values[0]).unwrap_or(MAX_ITERATIONS);
    control.expect_work(iterations * Shape::ALL.len() * ORDERINGS.len());
    let mut rows = Vec::new();
    let mut problem = None;
    'runs: for shape in Shape::ALL {
        for (store, load) in ORDERINGS {
            let plan = Plan {
                shape,
                store,
                load,
                iterations,
            };
            match run::run_on_pool(plan, control) {
                Ok(counts) => rows.push(Row {
                    test: shape.slug().to_owned(),
                    store: run::ordering_name(store).to_owned(),
                    load: run::ordering_name(load).to_owned(),
                    iterations,
                    counts: counts.counts.to_vec(),
                }),
                Err(RunError::Cancelled) => return Err(Cancelled),
                Err(error) => {
                    problem = Some(error.to_string());
                    break 'runs;
                }
            }
        }
    }
    Ok(LitmusReport {
        widget: "litmus-run",
        pool_threads: rayon::current_num_threads(),
        rows,
        problem,
        machine,
    })
}

/// The widget: how many iterations, then every test's counts here and natively.
#[function_component(LitmusRunWidget)]
pub fn litmus_run_widget() -> Html {
    let fields = vec![Field {
        id: "litmus-iterations",
        label: "Iterations of each test",
        min: 1_000,
        max: MAX_ITERATIONS as u64,
        initial: 100_000,
    }];
    html! {
        <Threaded kind={WidgetKind::LitmusRun} start="Run the litmus tests" running="Two workers racing:"
                  {fields} pitfall={Pitfall::new(measure, view_report)}
                  why_threads="A litmus test asks what two threads see of each other's writes: one thread alone has nobody to disagree with. The native figures below need no browser at all.">
            { native_table() }
        </Threaded>
    }
}

/// The shape's name as the text uses it.
fn test_name(slug: &str) -> &'static str {
    match slug {
        "sb" => "store buffering",
        "mp" => "message passing",
        "lb" => "load buffering",
        _ => "?",
    }
}

/// The surprising outcome of `slug`, as the table heads it.
fn surprise_label(slug: &str) -> String {
    Shape::from_slug(slug).map_or_else(String::new, |s| {
        let (r0, r1) = s.surprise();
        format!("r0 = {r0}, r1 = {r1}")
    })
}

/// Rows as a table: one line per test and orderings, the surprise's count
/// in bold where it came.
fn table(caption: String, rows: &[Row]) -> Html {
    html! {
        <table class="results">
            <caption>{ caption }</caption>
            <thead><tr><th>{ "test" }</th><th>{ "orderings (store / load)" }</th><th>{ "surprise" }</th><th>{ "times seen" }</th><th>{ "iterations" }</th></tr></thead>
            <tbody>
                { for rows.iter().map(|row| html! {
                    <tr>
                        <td>{ test_name(&row.test) }</td>
                        <td><code>{ format!("{} / {}", row.store, row.load) }</code></td>
                        <td>{ surprise_label(&row.test) }</td>
                        <td>{ match row.surprises() {
                            Some(0) => html! { { "0" } },
                            Some(n) => html! { <strong>{ n }</strong> },
                            None => html! { { "–" } },
                        } }</td>
                        <td>{ row.iterations }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// What the same tests did natively, from the committed bench file.
fn native_table() -> Html {
    let rows: Vec<Row> = NATIVE
        .rows
        .iter()
        .map(|row| Row {
            test: row.test.to_owned(),
            store: row.store.to_owned(),
            load: row.load.to_owned(),
            iterations: row.iterations,
            counts: row.counts.to_vec(),
        })
        .collect();
    table(
        format!(
            "Natively on the bench machine ({}, {}), two threads pinned where the OS allows, measured {}",
            NATIVE.cpu, NATIVE.arch, NATIVE.date
        ),
        &rows,
    )
}

fn view_report(report: &LitmusReport) -> Html {
    let complete =
        report.problem.is_none() && report.rows.len() == Shape::ALL.len() * ORDERINGS.len();
    let surprises: u64 = report.rows.iter().filter_map(Row::surprises).sum();
    html! {
        <>
            { table(format!("In this browser, two workers of a pool of {}", report.pool_threads), &report.rows) }
            if let Some(problem) = &report.problem {
                <p class="error" role="alert">{ format!("The runs stopped early: {problem}.") }</p>
            }
            <p class="explanation">{
                if !complete {
                    "Not every test ran, so there is nothing to compare yet; run it again."
                } else if surprises == 0 {
                    "Not one surprise, whatever ordering the Rust source names: WebAssembly has only sequentially consistent atomics, \
                     so the compiler emits the same instructions for Relaxed, Release and Acquire as for SeqCst. \
                     Natively (the table above), store buffering with Relaxed or Release/Acquire shows r0 = r1 = 0: \
                     each store waits in its core's store buffer while the load runs. Message passing did not fail there: \
                     x86 keeps stores in order and loads in order (TSO), though with Relaxed the compiler could still reorder them; \
                     on an Arm phone natively it can fail."
                } else {
                    "A surprise appeared in this browser: the engine or the compiler reordered accesses that WebAssembly's \
                     sequentially consistent atomics keep in order. Please report it with your browser's name and version."
                }
            }</p>
        </>
    }
}
