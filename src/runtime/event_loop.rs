//! The event loop as the concurrency widgets use it: many tasks, one thread.
//!
//! A task gives the thread back by awaiting ([`yield_turn`]); the browser then
//! runs other tasks, timers and frames. [`FrameMeter`] records the frames the
//! browser draws, which is how a page that holds its thread is seen to freeze.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::join_all;
use gloo::render::{request_animation_frame, AnimationFrame};
use gloo::timers::future::TimeoutFuture;

use super::clock::{now_ms, shared_ms};
use crate::compute::concurrency::timeline::{work_for, Span, TaskSpec};

/// Gives the thread back to the event loop until a timer brings this task
/// back: frames, input and other tasks run in between.
pub async fn yield_turn() {
    TimeoutFuture::new(0).await;
}

/// A task's share of one turn of the event loop, for a task that does many
/// small steps in a row (a message sent to a thousand mailboxes, a thousand
/// tasks spawned): it calls [`TurnBudget::spend`] after each step, which
/// yields once the turn has run for the budget, so no count of steps makes
/// a long task, however slow the browser is at each one.
pub struct TurnBudget {
    ms: f64,
    started: f64,
}

impl TurnBudget {
    /// A budget of `ms` a turn, the first turn starting now.
    pub fn new(ms: f64) -> Self {
        Self {
            ms,
            started: now_ms(),
        }
    }

    /// Yields the thread if this turn has used its budget.
    pub async fn spend(&mut self) {
        if now_ms() - self.started >= self.ms {
            yield_turn().await;
            self.started = now_ms();
        }
    }
}

/// Runs `tasks` as futures on this thread, all at once: each awaits a turn,
/// then does a step of work, so the steps take turns, one step to a turn of
/// the event loop (no turn holds the thread for more than one step). The
/// spans are on lane 0.
pub async fn run_interleaved(tasks: &[TaskSpec]) -> Vec<Span> {
    let spans = Rc::new(RefCell::new(Vec::new()));
    join_all(tasks.iter().enumerate().map(|(index, task)| {
        let spans = Rc::clone(&spans);
        async move {
            for _ in 0..task.steps {
                yield_turn().await;
                let span = work_for(index, task.step_ms, &shared_ms, 0);
                spans.borrow_mut().push(span);
            }
        }
    }))
    .await;
    spans.take()
}

/// Records when the browser draws each frame (its `requestAnimationFrame`
/// time), and calls `on_frame` with it, until dropped.
pub struct FrameMeter {
    frames: Rc<RefCell<Vec<f64>>>,
    _next: Rc<RefCell<Option<AnimationFrame>>>,
}

impl FrameMeter {
    /// Starts recording; `on_frame` can move an animation by the time.
    pub fn start(on_frame: impl Fn(f64) + 'static) -> Self {
        let frames = Rc::new(RefCell::new(Vec::new()));
        let next = Rc::new(RefCell::new(None));
        schedule(Rc::clone(&frames), Rc::clone(&next), Rc::new(on_frame));
        Self {
            frames,
            _next: next,
        }
    }

    /// The frame times so far (ms on the page's clock).
    pub fn frames(&self) -> Vec<f64> {
        self.frames.borrow().clone()
    }
}

impl Drop for FrameMeter {
    fn drop(&mut self) {
        // Dropping the pending frame request cancels it, which ends the loop.
        self._next.borrow_mut().take();
    }
}

fn schedule(
    frames: Rc<RefCell<Vec<f64>>>,
    next: Rc<RefCell<Option<AnimationFrame>>>,
    on_frame: Rc<dyn Fn(f64)>,
) {
    let again = Rc::clone(&next);
    let request = request_animation_frame(move |time| {
        frames.borrow_mut().push(time);
        on_frame(time);
        schedule(frames, again, on_frame);
    });
    *next.borrow_mut() = Some(request);
}
