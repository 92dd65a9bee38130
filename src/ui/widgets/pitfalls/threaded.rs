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

use super::pool_job::use_pool_job;
use crate::compute::control::{Cancelled, Control};
use crate::content::directive::WidgetKind;
use crate::runtime::environment::Environment;
use crate::ui::widgets::kit::fields::{buttons, initial_texts, parse_fields, Field, FieldSet};
use crate::ui::widgets::kit::frame::WidgetFrame;

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
            && self.children == other.children
    }
}

/// A threaded pitfall widget.
#[function_component(Threaded)]
pub fn threaded(props: &ThreadedProps) -> Html {
    let job = use_pool_job::<Finished>();
    let texts = use_state(|| initial_texts(&props.fields));
    let refused = use_state(|| None::<String>);
    let start = {
        let (job, texts, refused, fields, run) = (
            job.clone(),
            texts.clone(),
            refused.clone(),
            props.fields.clone(),
            Arc::clone(&props.pitfall.job),
        );
        Callback::from(move |_| match parse_fields(&fields, &texts) {
            Err(message) => refused.set(Some(message)),
            Ok((values, notes)) => {
                refused.set((!notes.is_empty()).then(|| notes.join(" ")));
                let machine = Environment::detect();
                let run = Arc::clone(&run);
                job.start(move |control, clock| run(&values, machine, control, clock));
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
        .and_then(|finished| finished.json.clone().map(AttrValue::from));
    html! {
        <WidgetFrame kind={props.kind} {result} busy={job.running()}>
            <div class="lab-controls">
                { buttons(props.start, job.running(), start, cancel) }
                <FieldSet fields={props.fields.clone()} texts={texts.clone()} />
            </div>
            { props.children.clone() }
            if let Some(message) = &*refused {
                <p class="note" role="alert">{ message.clone() }</p>
            }
            <div class="widget-output" role="status" aria-live="polite">
                { job.status(props.running) }
                if let Some(report) = done {
                    { (props.pitfall.view)(&*report.report) }
                }
            </div>
        </WidgetFrame>
    }
}
