//! Where a widget's run stands, and the one hook that starts, watches and
//! cancels it, so that no widget writes that state machine again.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::platform::spawn_local;
use yew::prelude::*;

use book_compute::control::Control;

use super::fields::Form;
use crate::event_loop::yield_turn;

/// A run's state. `P` is what the view shows while it runs (a phase, live
/// figures), `R` what a finished run shows and copies.
pub enum Run<P, R> {
    /// Not started yet.
    Idle,
    /// Under way.
    Running(P),
    /// Finished, with its figures.
    Done(R),
    /// Stopped by the reader before it finished.
    Cancelled,
    /// Could not run, or failed: what to tell the reader.
    Failed(String),
}

/// The run in flight: its [`Control`] and the ticker that reads its progress.
struct Flight {
    control: Control,
    _ticker: Interval,
}

/// One widget's run, kept across renders by [`use_run`].
///
/// A run gets a fresh [`Control`]: the Cancel button raises it, and so does
/// the widget going away (a run left going would load the main thread, or
/// hold the pool, for a page no longer shown). A job in the pool reports its
/// progress through the same `Control`; the handle reads it four times a
/// second.
pub struct RunHandle<P: 'static, R: 'static> {
    state: UseStateHandle<Run<P, R>>,
    percent: UseStateHandle<u32>,
    /// Checked and set synchronously, so a second click before the next
    /// render cannot start a second run.
    flight: Rc<RefCell<Option<Flight>>>,
}

impl<P, R> Clone for RunHandle<P, R> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
            percent: self.percent.clone(),
            flight: Rc::clone(&self.flight),
        }
    }
}

/// A widget's [`RunHandle`]. `P` is the running view's figures, `R` a
/// finished run's.
#[hook]
pub fn use_run<P: 'static, R: 'static>() -> RunHandle<P, R> {
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
    RunHandle {
        state: use_state(|| Run::Idle),
        percent: use_state_eq(|| 0),
        flight,
    }
}

impl<P: 'static, R: 'static> RunHandle<P, R> {
    /// Where the run stands, for the view.
    pub fn state(&self) -> &Run<P, R> {
        &self.state
    }

    /// Whether a run is under way: the start button waits meanwhile.
    pub fn is_running(&self) -> bool {
        self.flight.borrow().is_some()
    }

    /// Whole percent done, as the run's [`Control`] last reported.
    pub fn percent(&self) -> u32 {
        *self.percent
    }

    /// The figures of the finished run, if the last run finished.
    pub fn done(&self) -> Option<&R> {
        match &*self.state {
            Run::Done(done) => Some(done),
            _ => None,
        }
    }

    /// Says why a run cannot start (the reader's input, say), unless one is
    /// under way.
    pub fn refuse(&self, why: String) {
        if !self.is_running() {
            self.state.set(Run::Failed(why));
        }
    }

    /// The reader's numbers in `form` for a run about to start: `None` while
    /// a run is under way, or when the numbers are refused, which the
    /// widget then shows in words. Widgets that read a `use_form` begin so.
    pub fn read_to_start(&self, form: &Form) -> Option<Vec<u64>> {
        if self.is_running() {
            return None;
        }
        form.read().map_err(|why| self.refuse(why)).ok()
    }

    /// Starts `run` unless one is under way, showing `first` until the run
    /// reports. `run` gets the run's [`Control`] and a [`Live`] to show its
    /// progress; it ends with its figures or what went wrong. A run whose
    /// `Control` was cancelled ends as [`Run::Cancelled`], whatever it returns.
    pub fn start<F, Fut>(&self, first: P, run: F)
    where
        F: FnOnce(Control, Live<P, R>) -> Fut,
        Fut: Future<Output = Result<R, String>> + 'static,
    {
        if self.is_running() {
            return;
        }
        let control = take_off(&self.flight, &self.percent);
        self.state.set(Run::Running(first));
        let future = run(control.clone(), Live(self.clone()));
        let this = self.clone();
        spawn_task(Box::pin(async move {
            let outcome = future.await;
            let ended = match outcome {
                _ if control.is_cancelled() => Run::Cancelled,
                Ok(done) => Run::Done(done),
                Err(why) => Run::Failed(why),
            };
            // The run's last step (its figures, dropping what it held) took
            // this turn; the finished view is drawn in the next, so the two
            // never add up to one long task.
            yield_turn().await;
            this.flight.borrow_mut().take();
            this.state.set(ended);
        }));
    }

    /// The Cancel button's callback: cancels the run under way.
    pub fn cancel(&self) -> Callback<MouseEvent> {
        let flight = Rc::clone(&self.flight);
        Callback::from(move |_| {
            if let Some(flight) = &*flight.borrow() {
                flight.control.cancel();
            }
        })
    }
}

/// A run's fresh [`Control`], kept in `flight` with the ticker that copies
/// its progress into `percent`. Apart from the generic handle, so that the
/// widgets module holds this code once, not once per widget (its size budget).
fn take_off(flight: &RefCell<Option<Flight>>, percent: &UseStateHandle<u32>) -> Control {
    let control = Control::new();
    let watched = control.clone();
    let shown = percent.clone();
    *flight.borrow_mut() = Some(Flight {
        control: control.clone(),
        _ticker: Interval::new(250, move || {
            shown.set((watched.progress() * 100.0).floor() as u32);
        }),
    });
    percent.set(0);
    control
}

/// Spawns a run's task. One type of future for every widget: the executor's
/// task code is compiled once, not once per widget (the size budget again).
fn spawn_task(task: Pin<Box<dyn Future<Output = ()>>>) {
    spawn_local(task);
}

/// What a run holds to show its progress: it redraws the running view.
pub struct Live<P: 'static, R: 'static>(RunHandle<P, R>);

impl<P: 'static, R: 'static> Clone for Live<P, R> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<P: 'static, R: 'static> Live<P, R> {
    /// Shows `progress` while the run is under way; after it ended, nothing.
    pub fn show(&self, progress: P) {
        if self.0.is_running() {
            self.0.state.set(Run::Running(progress));
        }
    }
}
