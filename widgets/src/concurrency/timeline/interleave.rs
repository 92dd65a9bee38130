//! The timeline widget's engine: tasks as futures on this thread, each step
//! in a turn of the event loop of its own, so the recorded spans show how
//! the loop interleaves them.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::join_all;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use crate::event_loop::yield_turn;
use book_compute::concurrency::timeline::{work_for, Span, TaskSpec};
use book_runtime::clock::shared_ms;

/// What [`run_interleaved`] recorded.
pub struct Interleaved {
    /// Every step, on lane 0.
    pub spans: Vec<Span>,
    /// Wake-ups that came in a turn another task's step had already taken,
    /// and waited for a later turn: how often this browser ran several
    /// wake-ups in one turn.
    pub wakeups_deferred: usize,
}

/// Runs `tasks` as futures on this thread, all at once: each awaits a turn,
/// then does a step of work, so the steps take turns, one step to a turn of
/// the event loop, in the order the tasks asked for one.
///
/// Waking a task does not by itself give it a turn of its own: with
/// threads, wasm-bindgen's executor wakes tasks through `Atomics.waitAsync`,
/// and Chromium and WebKit settle the wake-ups of several timers in one
/// turn (Firefox does not). Awaited
/// together in one `join_all`, every task whose timer had fired also
/// stepped in the same poll. So a task that wakes in a turn already used,
/// or before the tasks that asked first, waits for the next.
///
/// `on_step` is called with the task's index as each step begins: the
/// widget has nothing to do there; the tests watch the turns from it.
pub async fn run_interleaved(tasks: &[TaskSpec], on_step: impl Fn(usize) + 'static) -> Interleaved {
    let on_step = Rc::new(on_step);
    let spans = Rc::new(RefCell::new(Vec::new()));
    let turns = Rc::new(Turns::default());
    let finished: Vec<_> = tasks
        .iter()
        .enumerate()
        .map(|(index, task)| {
            let (done, finished) = oneshot::channel();
            let (spans, turns, on_step) =
                (Rc::clone(&spans), Rc::clone(&turns), Rc::clone(&on_step));
            let (steps, step_ms) = (task.steps, task.step_ms);
            spawn_local(async move {
                for _ in 0..steps {
                    turns.take(index).await;
                    on_step(index);
                    let span = work_for(index, step_ms, &shared_ms, 0);
                    spans.borrow_mut().push(span);
                }
                // The receiver waits for this; it is only gone if the
                // caller was dropped, and then nobody needs the signal.
                let _ = done.send(());
            });
            finished
        })
        .collect();
    join_all(finished).await;
    Interleaved {
        spans: spans.take(),
        wakeups_deferred: turns.deferred.get(),
    }
}

/// Turn-taking between tasks on this thread: who asked first, and whether
/// a step already ran in the current turn. A turn ends at the microtask
/// checkpoint after it, where a queued microtask clears the mark.
#[derive(Default)]
struct Turns {
    waiting: RefCell<VecDeque<usize>>,
    stepped: Rc<Cell<bool>>,
    deferred: Cell<usize>,
}

impl Turns {
    /// Returns in a turn of the event loop that is `task`'s alone.
    async fn take(&self, task: usize) {
        self.waiting.borrow_mut().push_back(task);
        loop {
            yield_turn().await;
            let first = self.waiting.borrow().front() == Some(&task);
            if first && !self.stepped.get() {
                self.waiting.borrow_mut().pop_front();
                self.mark_turn();
                return;
            }
            self.deferred.set(self.deferred.get() + 1);
        }
    }

    /// Marks this turn as taken until its microtask checkpoint.
    fn mark_turn(&self) {
        self.stepped.set(true);
        let Some(window) = web_sys::window() else {
            // No window, no microtask to clear the mark with: mark nothing.
            self.stepped.set(false);
            return;
        };
        let stepped = Rc::clone(&self.stepped);
        let clear = Closure::once_into_js(move || stepped.set(false));
        window.queue_microtask(clear.unchecked_ref());
    }
}
