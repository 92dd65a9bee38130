//! The pitfalls lab (seed §11): races, deadlocks, contention and memory, caused
//! for real and then fixed.
//!
//! The threaded widgets ([`race`], [`deadlock`], [`philosophers`],
//! [`contention`]) run one whole job inside the worker pool through
//! [`use_pool_job`]; the page reads progress and raises Cancel through shared
//! atomics. The one-thread widgets ([`race_one_thread`],
//! [`deadlock_one_thread`]) are futures on this page's event loop and need no
//! worker at all. [`memory`] weighs a Web Worker against an async task, and
//! [`scheduler`] hands the reader the scheduler's choices.

pub mod contention;
pub mod deadlock;
pub mod deadlock_one_thread;
pub mod memory;
pub mod philosophers;
pub mod race;
pub mod race_one_thread;
pub mod scheduler;
pub mod threaded;

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::compute::control::{Cancelled, Control};
use crate::runtime::clock::now_ms;
use crate::runtime::job::{run_in_pool, JobError};

/// Where a pool job stands.
pub enum Run<T> {
    /// Not started yet.
    Idle,
    /// In the pool (or queued behind another widget's job).
    Running,
    /// Finished, with its figures.
    Done(Rc<T>),
    /// Stopped by the reader.
    Cancelled,
    /// No pool on this page: the reason, said to the reader.
    NoPool(String),
    /// The job failed: what to tell the reader.
    Failed(String),
}

/// The one run in flight: its cancel flag and the progress ticker.
struct Flight {
    control: Control,
    _ticker: Interval,
}

/// A job inside the worker pool, started and cancelled from a widget.
pub struct PoolJob<T> {
    /// Where the job stands, for the view.
    pub state: UseStateHandle<Rc<Run<T>>>,
    /// Whole percent done, read from shared memory four times a second.
    pub percent: UseStateHandle<u32>,
    /// The run in flight. Checked and set synchronously, so a second click
    /// before the next render cannot start a second run.
    flight: Rc<RefCell<Option<Flight>>>,
}

impl<T> Clone for PoolJob<T> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
            percent: self.percent.clone(),
            flight: Rc::clone(&self.flight),
        }
    }
}

/// The state of one widget's pool job, kept across renders. Leaving the page
/// cancels a run, so it does not hold the pool's threads for nobody.
#[hook]
pub fn use_pool_job<T: 'static>() -> PoolJob<T> {
    let flight: Rc<RefCell<Option<Flight>>> = use_mut_ref(|| None);
    {
        let flight = Rc::clone(&flight);
        use_effect_with((), move |()| {
            move || {
                if let Some(flight) = &*flight.borrow() {
                    flight.control.cancel();
                }
            }
        });
    }
    PoolJob {
        state: use_state(|| Rc::new(Run::Idle)),
        percent: use_state_eq(|| 0),
        flight,
    }
}

impl<T: Send + 'static> PoolJob<T> {
    /// Whether a run is in flight (the start button is disabled meanwhile).
    pub fn running(&self) -> bool {
        self.flight.borrow().is_some()
    }

    /// Spawns `job` into the pool (the main thread only awaits it), with a
    /// fresh [`Control`] and the workers' clock.
    pub fn start<F>(&self, job: F)
    where
        F: FnOnce(&Control, &(dyn Fn() -> f64 + Sync)) -> Result<T, Cancelled> + Send + 'static,
    {
        if self.running() {
            return;
        }
        let control = Control::new();
        self.state.set(Rc::new(Run::Running));
        self.percent.set(0);
        let percent = self.percent.clone();
        let watched = control.clone();
        *self.flight.borrow_mut() = Some(Flight {
            control: control.clone(),
            _ticker: Interval::new(250, move || {
                percent.set((watched.progress() * 100.0).floor() as u32);
            }),
        });
        let this = self.clone();
        spawn_local(async move {
            let outcome = run_in_pool(move || job(&control, &now_ms)).await;
            this.flight.borrow_mut().take();
            this.state.set(Rc::new(match outcome {
                Ok(Ok(done)) => Run::Done(Rc::new(done)),
                Ok(Err(Cancelled)) => Run::Cancelled,
                Err(JobError::NoPool(unavailable)) => Run::NoPool(unavailable.reason),
                Err(error) => Run::Failed(error.to_string()),
            }));
        });
    }

    /// Raises the cancel flag; the job's threads see it within milliseconds.
    pub fn cancel(&self) {
        if let Some(flight) = &*self.flight.borrow() {
            flight.control.cancel();
        }
    }

    /// The figures, once a run finished.
    pub fn done(&self) -> Option<Rc<T>> {
        match &**self.state {
            Run::Done(done) => Some(Rc::clone(done)),
            _ => None,
        }
    }

    /// What the widget says while it runs or when it could not run.
    pub fn status(&self, running_text: &str) -> Html {
        match &**self.state {
            Run::Idle | Run::Done(_) => Html::default(),
            Run::Running => html! {
                <>
                    <progress max="100" value={self.percent.to_string()} aria-label="Progress" />
                    <p>{ format!("{running_text} {}% done; Cancel stops it.", *self.percent) }</p>
                </>
            },
            Run::Cancelled => {
                html! { <p>{ "Cancelled. Every worker let go of its locks and returned; run it again whenever you like." }</p> }
            }
            Run::NoPool(reason) => no_pool(reason),
            Run::Failed(message) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        }
    }
}

/// Why a threaded pitfall cannot run here, and how the reader can fix it.
pub fn no_pool(reason: &str) -> Html {
    html! {
        <div class="fallback">
            <p>
                <strong>{ "This one needs real threads. " }</strong>
                { format!("The worker pool could not start: {reason} ") }
                { "One thread cannot race or deadlock with itself at the instruction level, so there is nothing honest to show on the main thread. \
                   The one-thread versions further down this page need no worker: they run here as they are." }
            </p>
        </div>
    }
}

/// The start and Cancel buttons, in that order: the first button starts the widget.
pub fn buttons(
    label: &str,
    running: bool,
    start: Callback<MouseEvent>,
    cancel: Callback<MouseEvent>,
) -> Html {
    html! {
        <>
            <button type="button" onclick={start} disabled={running}>
                { if running { "Running…" } else { label } }
            </button>
            <button type="button" class="secondary" onclick={cancel} disabled={!running}>{ "Cancel" }</button>
        </>
    }
}

/// A number input's label, range and text.
#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    /// Unique on the page: ties the label to the input.
    pub id: AttrValue,
    /// What the number is; the range is added to it.
    pub label: AttrValue,
    /// The text in the box, as the reader typed it.
    pub value: AttrValue,
    /// The smallest value accepted.
    pub min: u64,
    /// The largest value accepted.
    pub max: u64,
    /// Gets the new text on every keystroke.
    pub oninput: Callback<String>,
}

/// A labelled number input that reports its raw text; [`parse_clamped`] judges it on start.
#[function_component(NumberField)]
pub fn number_field(props: &NumberFieldProps) -> Html {
    let oninput = props.oninput.reform(|event: InputEvent| {
        event
            .target_dyn_into::<web_sys::HtmlInputElement>()
            .map(|input| input.value())
            .unwrap_or_default()
    });
    // One span: the label wraps to a new line with its input, not apart from it.
    html! {
        <span class="field">
            <label for={props.id.clone()}>{ format!("{} ({} to {})", props.label, props.min, props.max) }</label>
            <input id={props.id.clone()} type="number" min={props.min.to_string()} max={props.max.to_string()}
                   value={props.value.clone()} {oninput} />
        </span>
    }
}

/// The reader's number, clamped into `min..=max`, and a note when it was
/// changed; text that is not a whole number is refused with a reason.
pub fn parse_clamped(
    text: &str,
    what: &str,
    min: u64,
    max: u64,
) -> Result<(u64, Option<String>), String> {
    let value: u64 = text.trim().parse().map_err(|_| {
        if text.trim().is_empty() {
            // Also what a number field reports for text it cannot read ("1e",
            // "-"): the browser hides that text and gives an empty value.
            format!("{what}: type a whole number from {min} to {max}.")
        } else {
            format!(
                "{what}: “{}” is not a whole number from {min} to {max}.",
                text.trim()
            )
        }
    })?;
    let clamped = value.clamp(min, max);
    let note = (clamped != value).then(|| {
        format!("{what} {value} is out of range; used {clamped} (allowed: {min} to {max}).")
    });
    Ok((clamped, note))
}

/// A number the reader sets before a run, with its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Unique on the page: ties the label to the input.
    pub id: &'static str,
    pub label: &'static str,
    pub min: u64,
    pub max: u64,
    pub initial: u64,
}

/// The texts of `fields` as first shown: their initial values.
pub fn initial_texts(fields: &[Field]) -> Vec<String> {
    fields
        .iter()
        .map(|field| field.initial.to_string())
        .collect()
}

/// The reader's numbers for `fields`, each clamped into its range, with a
/// note for each one changed; the first text that is not a number refuses
/// them all, with the reason.
pub fn parse_fields(fields: &[Field], texts: &[String]) -> Result<(Vec<u64>, Vec<String>), String> {
    let mut values = Vec::new();
    let mut notes = Vec::new();
    for (field, text) in fields.iter().zip(texts) {
        let (value, note) = parse_clamped(text, field.label, field.min, field.max)?;
        values.push(value);
        notes.extend(note);
    }
    Ok((values, notes))
}

/// The notes [`parse_fields`] returned (a number clamped into its range),
/// one paragraph each.
pub fn field_notes(notes: &[String]) -> Html {
    html! { { for notes.iter().map(|note| html! { <p class="note">{ note.clone() }</p> }) } }
}

#[derive(Properties, PartialEq)]
pub struct FieldSetProps {
    pub fields: Vec<Field>,
    /// What the reader has typed, one text per field.
    pub texts: UseStateHandle<Vec<String>>,
}

/// The number inputs of `fields`, keeping what the reader types in `texts`.
#[function_component(FieldSet)]
pub fn field_set(props: &FieldSetProps) -> Html {
    html! {
        { for props.fields.iter().enumerate().map(|(index, field)| {
            let texts = props.texts.clone();
            let oninput = Callback::from(move |value: String| {
                let mut next = (*texts).clone();
                if let Some(slot) = next.get_mut(index) {
                    *slot = value;
                }
                texts.set(next);
            });
            let value = props.texts.get(index).cloned().unwrap_or_default();
            html! {
                <NumberField id={field.id} label={field.label} {value}
                             min={field.min} max={field.max} {oninput} />
            }
        }) }
    }
}
