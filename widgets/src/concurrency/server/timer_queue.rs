//! Many waits, one browser timer: a min-heap of deadlines, as libuv (under
//! Node.js) keeps its timers (Tokio keeps a timer wheel, to the same end: one
//! structure for every wait, one wake-up for the earliest). The one-thread server's simulated I/O
//! waits here: ten thousand clients make tens of thousands of waits a
//! second, and a browser `setTimeout` for each would allocate a JavaScript
//! closure for each, whose garbage collection then stalls the event loop.
//! The queue arms one `setTimeout` for its earliest deadline and wakes every
//! wait that is due when it fires.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo::timers::callback::Timeout;

use book_runtime::clock::now_ms;

/// One registered wait: when it is due, and how to wake its task.
struct Entry {
    due_ms: u64,
    order: u64,
    state: Rc<WaitState>,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.due_ms, self.order) == (other.due_ms, other.order)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.due_ms, self.order).cmp(&(other.due_ms, other.order))
    }
}

#[derive(Default)]
struct WaitState {
    fired: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

#[derive(Default)]
struct Queue {
    heap: BinaryHeap<Reverse<Entry>>,
    next_order: u64,
    /// The deadline the armed browser timer fires for, and the timer.
    armed: Option<(u64, Timeout)>,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
}

/// Waits `ms` milliseconds (whole ones, as a browser timer would).
pub fn sleep(ms: u32) -> Sleep {
    Sleep {
        due_ms: now_ms().ceil() as u64 + u64::from(ms),
        state: None,
    }
}

/// A wait on the queue; see [`sleep`].
pub struct Sleep {
    due_ms: u64,
    state: Option<Rc<WaitState>>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if let Some(state) = &self.state {
            if state.fired.get() {
                return Poll::Ready(());
            }
            *state.waker.borrow_mut() = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let state = Rc::new(WaitState::default());
        *state.waker.borrow_mut() = Some(cx.waker().clone());
        let due_ms = self.due_ms;
        QUEUE.with(|queue| {
            let mut queue = queue.borrow_mut();
            let order = queue.next_order;
            queue.next_order += 1;
            queue.heap.push(Reverse(Entry {
                due_ms,
                order,
                state: Rc::clone(&state),
            }));
        });
        self.state = Some(state);
        arm();
        Poll::Pending
    }
}

/// Makes sure one browser timer is set for the earliest deadline.
fn arm() {
    QUEUE.with(|queue| {
        let mut queue = queue.borrow_mut();
        let Some(earliest) = queue.heap.peek().map(|Reverse(entry)| entry.due_ms) else {
            queue.armed = None;
            return;
        };
        if queue.armed.as_ref().is_some_and(|(at, _)| *at <= earliest) {
            return;
        }
        let delay = earliest.saturating_sub(now_ms() as u64) as u32;
        // Replacing an armed timer drops it, which cancels it.
        queue.armed = Some((earliest, Timeout::new(delay, fire)));
    });
}

/// The timer fired: wake every wait that is due, then arm for the next.
fn fire() {
    let now = now_ms();
    let due: Vec<Rc<WaitState>> = QUEUE.with(|queue| {
        let mut queue = queue.borrow_mut();
        queue.armed = None;
        let mut due = Vec::new();
        while queue
            .heap
            .peek()
            .is_some_and(|Reverse(entry)| entry.due_ms as f64 <= now + 0.5)
        {
            if let Some(Reverse(entry)) = queue.heap.pop() {
                due.push(entry.state);
            }
        }
        due
    });
    for state in due {
        state.fired.set(true);
        if let Some(waker) = state.waker.borrow_mut().take() {
            waker.wake();
        }
    }
    arm();
}
