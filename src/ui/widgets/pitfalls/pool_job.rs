//! A threaded pitfall's run: one whole job inside the worker pool, started
//! and cancelled from the widget, its progress read from shared memory.

use crate::compute::control::{Cancelled, Control};
use crate::runtime::clock::now_ms;
use crate::runtime::job::{run_in_pool, JobError};
use gloo::timers::callback::Interval;
use std::cell::RefCell;
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

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
