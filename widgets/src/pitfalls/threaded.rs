//! The frame of every threaded pitfall: the numbers the reader sets, the start
//! and Cancel buttons, one job inside the pool, and the finished figures.
//!
//! Each threaded widget is then only what differs: its fields, the job, and
//! how its figures read.

use std::any::Any;
use std::rc::Rc;
use std::sync::Arc;

use serde::Serialize;
use yew::prelude::*;

use crate::kit::fields::{buttons, use_form, Field};
use crate::kit::frame::WidgetFrame;
use crate::kit::run::{use_run, Run};
use book_compute::control::{Cancelled, Control};
use book_content::directive::WidgetKind;
use book_pool::job::{run_in_pool, JobError};
use book_runtime::clock::now_ms;
use book_runtime::environment::Environment;

/// A whole run inside the pool: the reader's numbers (in the order of the
/// fields, clamped to their ranges), the machine, the run's control and clock.
pub type Job<T> =
    fn(&[u64], Environment, &Control, &(dyn Fn() -> f64 + Sync)) -> Result<T, Cancelled>;

/// A finished job whose report's type is erased: the report for the view and
/// its JSON for `data-result`, made in the worker.
pub struct Finished {
    report: Box<dyn Any + Send>,
    json: Option<String>,
}

/// The erased job, as it runs in the pool.
type ErasedJob = dyn Fn(&[u64], Environment, &Control, &(dyn Fn() -> f64 + Sync)) -> Result<Finished, Cancelled>
    + Send
    + Sync;

/// The erased view, on the main thread.
type ErasedView = dyn Fn(&dyn Any) -> Html;

/// One threaded pitfall: its job and how its report reads, for any report
/// type. The types are erased here so that one `Threaded` component and one
/// pool job serve every threaded pitfall: generic, each report type compiled
/// the component, its hooks and the pool job again, which the widgets
/// module's size budget cannot afford.
#[derive(Clone)]
pub struct Pitfall {
    job: Arc<ErasedJob>,
    view: Rc<ErasedView>,
}

impl Pitfall {
    /// `job` makes a report; `view` shows it.
    pub fn new<T: Serialize + Send + 'static>(job: Job<T>, view: fn(&T) -> Html) -> Self {
        Self {
            job: Arc::new(move |values, machine, control, clock| {
                let report = job(values, machine, control, clock)?;
                Ok(Finished {
                    json: serde_json::to_string(&report).ok(),
                    report: Box::new(report),
                })
            }),
            view: Rc::new(move |report| {
                report.downcast_ref::<T>().map_or_else(Html::default, view)
            }),
        }
    }
}

#[derive(Properties)]
pub struct ThreadedProps {
    pub kind: WidgetKind,
    /// The start button's label.
    pub start: &'static str,
    /// What the widget says while the job runs, before its progress.
    pub running: &'static str,
    #[prop_or_default]
    pub fields: Vec<Field>,
    pub pitfall: Pitfall,
    /// Why this widget needs real threads, said when the pool cannot start;
    /// by default, that one thread cannot race or deadlock with itself.
    #[prop_or_default]
    pub why_threads: Option<AttrValue>,
    /// Shown between the controls and the output (code, a note).
    #[prop_or_default]
    pub children: Html,
}

// By hand: a widget kind always comes with the same job and view, and
// comparing closures says nothing reliable.
impl PartialEq for ThreadedProps {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.start == other.start
            && self.running == other.running
            && self.fields == other.fields
            && self.why_threads == other.why_threads
            && self.children == other.children
    }
}

/// How a threaded pitfall's run ended, when it was not cancelled or failed.
enum Ended {
    /// The job finished, with its figures.
    Finished(Finished),
    /// No pool on this page: the reason, said to the reader.
    NoPool(String),
}

/// A threaded pitfall widget.
#[function_component(Threaded)]
pub fn threaded(props: &ThreadedProps) -> Html {
    let run_state = use_run::<(), Ended>();
    let form = use_form(&props.fields);
    let running = run_state.is_running();
    let start = {
        let (run_state, form, job) = (
            run_state.clone(),
            form.clone(),
            Arc::clone(&props.pitfall.job),
        );
        Callback::from(move |_| {
            let Some(values) = run_state.read_to_start(&form) else {
                return;
            };
            let machine = Environment::detect();
            let job = Arc::clone(&job);
            run_state.start((), move |control, _| async move {
                match run_in_pool(move || job(&values, machine, &control, &now_ms)).await {
                    Ok(Ok(finished)) => Ok(Ended::Finished(finished)),
                    Ok(Err(Cancelled)) => Err(Cancelled.to_string()),
                    Err(JobError::NoPool(unavailable)) => Ok(Ended::NoPool(unavailable.reason)),
                    Err(error) => Err(error.to_string()),
                }
            });
        })
    };
    let result = match run_state.done() {
        Some(Ended::Finished(finished)) => finished.json.clone().map(AttrValue::from),
        _ => None,
    };
    html! {
        <WidgetFrame kind={props.kind} {result} busy={running}>
            <div class="lab-controls">
                { buttons(props.start, running, start, run_state.cancel()) }
                { form.inputs() }
            </div>
            { props.children.clone() }
            { form.notes() }
            <div class="widget-output" role="status" aria-live="polite">
                { match run_state.state() {
                    Run::Idle => Html::default(),
                    Run::Running(()) => html! {
                        <>
                            <progress max="100" value={run_state.percent().to_string()} aria-label="Progress" />
                            <p>{ format!("{} {}% done; Cancel stops it.", props.running, run_state.percent()) }</p>
                        </>
                    },
                    Run::Done(Ended::Finished(finished)) => (props.pitfall.view)(&*finished.report),
                    Run::Done(Ended::NoPool(reason)) => no_pool(reason, props.why_threads.as_deref()),
                    Run::Cancelled => html! { <p>{ "Cancelled. Every worker let go of its locks and returned; run it again whenever you like." }</p> },
                    Run::Failed(message) => html! { <p class="error" role="alert">{ message.clone() }</p> },
                } }
            </div>
        </WidgetFrame>
    }
}

/// Why a threaded pitfall cannot run here, and how the reader can fix it.
fn no_pool(reason: &str, why_threads: Option<&str>) -> Html {
    html! {
        <div class="fallback">
            <p>
                <strong>{ "This one needs real threads. " }</strong>
                { format!("The worker pool could not start: {reason} ") }
                { why_threads.unwrap_or(
                    "One thread cannot race or deadlock with itself at the instruction level, so there is nothing honest to show on the main thread. \
                     The one-thread versions further down this page need no worker: they run here as they are.") }
            </p>
        </div>
    }
}
