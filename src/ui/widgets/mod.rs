//! The live widgets a page mounts with a `widget <id>` block.
//!
//! Every widget keeps one contract, which the tests and the reader's "copy"
//! rely on: its root carries `data-widget="<id>"`, its first `<button>` starts
//! it, and a finished run writes its figures as JSON to the root's `data-result`.
//! [`frame::WidgetFrame`] implements the contract once for all of them.

mod environment;
mod frame;
mod lab;
mod pitfalls;
mod threads_check;

use yew::prelude::*;

use crate::content::directive::{WidgetDirective, WidgetKind};

/// Milliseconds rounded to a tenth, for tables and JSON: finer is noise.
pub fn round_ms(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

/// The component for a directive. The match is exhaustive: a new
/// [`WidgetKind`] does not compile until it has a component.
pub fn mount(directive: &WidgetDirective) -> Html {
    match directive.kind {
        WidgetKind::Environment => html! { <environment::EnvironmentWidget /> },
        WidgetKind::ThreadsCheck => html! { <threads_check::ThreadsCheck /> },
        WidgetKind::Mandelbrot
        | WidgetKind::Matmul
        | WidgetKind::Blur
        | WidgetKind::Sort
        | WidgetKind::Primes
        | WidgetKind::PoolWorkers
        | WidgetKind::SpeedupSweep => html! { <lab::LabWidget kind={directive.kind} /> },
        WidgetKind::Race => html! { <pitfalls::race::RaceWidget /> },
        WidgetKind::RaceOneThread => html! { <pitfalls::race_one_thread::RaceOneThread /> },
        WidgetKind::Deadlock => html! { <pitfalls::deadlock::DeadlockWidget /> },
        WidgetKind::DeadlockOneThread => {
            html! { <pitfalls::deadlock_one_thread::DeadlockOneThread /> }
        }
        WidgetKind::Philosophers => html! { <pitfalls::philosophers::PhilosophersWidget /> },
        WidgetKind::Contention => html! { <pitfalls::contention::ContentionWidget /> },
        WidgetKind::MemoryOverhead => html! { <pitfalls::memory::MemoryWidget /> },
        WidgetKind::BeTheScheduler => html! { <pitfalls::scheduler::BeTheScheduler /> },
    }
}
