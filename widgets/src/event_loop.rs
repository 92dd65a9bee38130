//! The event loop as the concurrency widgets use it: many tasks, one thread.
//!
//! A task gives the thread back by awaiting ([`yield_turn`]); the browser then
//! runs other tasks, timers and frames. [`FrameMeter`] records the frames the
//! browser draws, which is how a page that holds its thread is seen to freeze.

use std::cell::RefCell;
use std::future::{ready, Future};
use std::rc::Rc;

use futures::channel::oneshot;
use futures::stream::{FuturesUnordered, StreamExt};
use gloo::render::{request_animation_frame, AnimationFrame};
use gloo::timers::future::TimeoutFuture;

use book_runtime::clock::now_ms;

/// Gives the thread back to the event loop until a timer brings this task
/// back: frames, input and other tasks run in between.
pub async fn yield_turn() {
    TimeoutFuture::new(0).await;
}

/// Gives the thread back until the browser has drawn a frame (or 100 ms
/// have passed, as in a hidden tab, which draws none), then for one more
/// turn. Work that changes the page in steps awaits this between them, so
/// each step's style, layout and paint run apart instead of piling up into
/// one long task.
pub async fn after_next_frame() {
    let (drawn, frame) = oneshot::channel();
    let _request = request_animation_frame(move |_| {
        let _ = drawn.send(());
    });
    futures::future::select(frame, TimeoutFuture::new(100)).await;
    yield_turn().await;
}

/// Runs many futures to their end, all polled by the one task that awaits
/// this. (Tokio spawns a task per connection and Node.js runs a callback per
/// event; one polling task is this book's choice, for this reason:) In this threaded build a task spawned with `spawn_local` makes a
/// JavaScript promise (`Atomics.waitAsync`) and a closure every time it
/// waits; ten thousand waiting futures spawned a task each made tens of
/// thousands a second, and their garbage collection stalled the loop. Here
/// a wake-up only queues the future for the next poll. The futures are all
/// made at the call.
pub fn poll_together<F: Future<Output = ()>>(
    futures: impl IntoIterator<Item = F>,
) -> impl Future<Output = ()> {
    futures
        .into_iter()
        .collect::<FuturesUnordered<F>>()
        .for_each(|()| ready(()))
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
