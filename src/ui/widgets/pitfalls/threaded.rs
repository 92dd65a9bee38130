//! The frame of every threaded pitfall: the numbers the reader sets, the start
//! and Cancel buttons, one job inside the pool, and the finished figures.
//!
//! Each threaded widget is then only what differs: its fields, the job, and
//! how its figures read.

use serde::Serialize;
use yew::prelude::*;

use super::pool_job::use_pool_job;
use crate::compute::control::{Cancelled, Control};
use crate::content::directive::WidgetKind;
use crate::runtime::environment::Environment;
use crate::ui::widgets::kit::fields::{buttons, initial_texts, parse_fields, Field, FieldSet};
use crate::ui::widgets::kit::frame::{result_json, WidgetFrame};

/// A whole run inside the pool: the reader's numbers (in the order of the
/// fields, clamped to their ranges), the machine, the run's control and clock.
pub type Job<T> =
    fn(&[u64], Environment, &Control, &(dyn Fn() -> f64 + Sync)) -> Result<T, Cancelled>;

#[derive(Properties)]
pub struct ThreadedProps<T: 'static> {
    pub kind: WidgetKind,
    /// The start button's label.
    pub start: &'static str,
    /// What the widget says while the job runs, before its progress.
    pub running: &'static str,
    #[prop_or_default]
    pub fields: Vec<Field>,
    pub job: Job<T>,
    /// The finished figures, for the reader.
    pub view: fn(&T) -> Html,
    /// Shown between the controls and the output (code, a note).
    #[prop_or_default]
    pub children: Html,
}

// By hand: a widget kind always comes with the same job and view, and
// comparing function pointers says nothing reliable.
impl<T: 'static> PartialEq for ThreadedProps<T> {
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
pub fn threaded<T>(props: &ThreadedProps<T>) -> Html
where
    T: Serialize + Send + 'static,
{
    let job = use_pool_job::<T>();
    let texts = use_state(|| initial_texts(&props.fields));
    let refused = use_state(|| None::<String>);
    let start = {
        let (job, texts, refused, fields, run) = (
            job.clone(),
            texts.clone(),
            refused.clone(),
            props.fields.clone(),
            props.job,
        );
        Callback::from(move |_| match parse_fields(&fields, &texts) {
            Err(message) => refused.set(Some(message)),
            Ok((values, notes)) => {
                refused.set((!notes.is_empty()).then(|| notes.join(" ")));
                let machine = Environment::detect();
                job.start(move |control, clock| run(&values, machine, control, clock));
            }
        })
    };
    let cancel = {
        let job = job.clone();
        Callback::from(move |_| job.cancel())
    };
    let done = job.done();
    let result = done.as_ref().and_then(|r| result_json(&**r));
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
                    { (props.view)(&report) }
                }
            </div>
        </WidgetFrame>
    }
}
