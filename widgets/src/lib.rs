//! The live widgets a page mounts with a `widget <id>` block.
//!
//! Every widget keeps one contract, which the tests and the reader's "copy"
//! rely on: its root carries `data-widget="<id>"`, its first `<button>` starts
//! it, and a finished run writes its figures as JSON to the root's `data-result`.
//! [`kit::frame::WidgetFrame`] implements the contract once for all of them.
//!
//! The widgets ship in their own WebAssembly module (`src/bin/widgets.rs`,
//! crate `book-widgets`), with the kernels and the worker pool: the book's
//! pages load it when they first show a widget, and each widget runs there as
//! an [`islands`] app. The crate cannot reach the book's shell: the two talk
//! only through `book_runtime::widgets_module` (mount, unmount, and the
//! finished-run event).
//!
//! Beside the widgets are the browser engines only they use: [`event_loop`]
//! (giving the main thread back, and the frames drawn meanwhile), [`heap`]
//! (the counting allocator) and [`gpu`] (WebGPU).
//!
//! Browser-only: on the host the crate is empty.
#![cfg(target_arch = "wasm32")]

pub mod concurrency;
mod environment;
pub mod event_loop;
pub mod gpu;
pub mod heap;
pub mod islands;
pub mod kit;
pub mod lab;
pub mod pitfalls;
mod simd_gpu;
mod threads_check;

use yew::prelude::*;

/// Counts live heap bytes, so the memory widget can weigh an async task.
#[global_allocator]
static ALLOCATOR: heap::CountingAllocator = heap::CountingAllocator;

use book_content::directive::WidgetKind;

/// Milliseconds rounded to a tenth, for tables and JSON: finer is noise.
pub fn round_ms(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

/// The component for a widget. The match is exhaustive: a new
/// [`WidgetKind`] does not compile until it has a component.
fn view(kind: WidgetKind) -> Html {
    match kind {
        WidgetKind::Environment => html! { <environment::EnvironmentWidget /> },
        WidgetKind::ThreadsCheck => html! { <threads_check::ThreadsCheck /> },
        WidgetKind::Mandelbrot
        | WidgetKind::Matmul
        | WidgetKind::Blur
        | WidgetKind::Sort
        | WidgetKind::Primes
        | WidgetKind::PoolWorkers
        | WidgetKind::SpeedupSweep => html! { <lab::LabWidget {kind} /> },
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
        WidgetKind::InterleavingTimeline => {
            html! { <concurrency::timeline::InterleavingTimeline /> }
        }
        WidgetKind::OneWorkloadThreeWays => {
            html! { <concurrency::three_ways::OneWorkloadThreeWays /> }
        }
        WidgetKind::OneThreadServer => html! { <concurrency::server::OneThreadServer /> },
        WidgetKind::Backpressure => html! { <concurrency::backpressure::Backpressure /> },
        WidgetKind::EventLoopStepper => html! { <concurrency::stepper::EventLoopStepper /> },
        WidgetKind::ActorsChatRoom => html! { <concurrency::actors::ActorsChatRoom /> },
        WidgetKind::SimdGpu => html! { <simd_gpu::SimdGpu /> },
        WidgetKind::MemoryModel => html! { <pitfalls::memory_model::MemoryModelWidget /> },
        WidgetKind::LitmusRun => html! { <pitfalls::litmus_run::LitmusRunWidget /> },
    }
}
