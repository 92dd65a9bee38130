//! The same hazards with no second thread: tasks on one event loop.
//!
//! Between two `await`s a task runs alone, so on one thread an `await` is the
//! only place another task can cut in. That is enough for a lost update (read,
//! `await`, write back) and for a deadlock (two tasks each awaiting the
//! other's message). These are plain futures: the browser runs them on its
//! event loop, the tests on a one-thread executor, with the same result.

use std::cell::Cell;
use std::future::Future;

use futures_channel::oneshot;
use serde::Serialize;

/// Where a task lets others run while it holds a value it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AwaitPoint {
    /// `let v = n.get(); yield_now().await; n.set(v + 1);`: the race.
    BetweenReadAndWrite,
    /// `n.set(n.get() + 1); yield_now().await;`: the fix, no await inside the update.
    AfterTheUpdate,
}

/// Increments per task the widget accepts.
pub const PER_TASK: std::ops::RangeInclusive<u32> = 1..=100_000;

/// One task's loop: add one to `counter` `times` times, awaiting `yield_now()`
/// at `point` each time.
pub async fn increment<F, Y>(counter: &Cell<u64>, times: u32, point: AwaitPoint, yield_now: Y)
where
    Y: Fn() -> F,
    F: Future<Output = ()>,
{
    for _ in 0..times {
        match point {
            AwaitPoint::BetweenReadAndWrite => {
                let value = counter.get();
                yield_now().await;
                counter.set(value + 1);
            }
            AwaitPoint::AfterTheUpdate => {
                counter.set(counter.get() + 1);
                yield_now().await;
            }
        }
    }
}

/// Which task a one-thread deadlock left waiting, and for what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stuck {
    pub task: &'static str,
    pub waits_for: &'static str,
}

/// Task A of the one-thread deadlock: waits for B's message before sending its own.
pub async fn polite_a(from_b: oneshot::Receiver<u32>, to_b: oneshot::Sender<u32>) -> u32 {
    let theirs = from_b.await.unwrap_or(0);
    // B may have given up; then there is no one to answer.
    let _ = to_b.send(1);
    theirs
}

/// Task B: the mirror image of A, so each waits for the other forever.
pub async fn polite_b(from_a: oneshot::Receiver<u32>, to_a: oneshot::Sender<u32>) -> u32 {
    let theirs = from_a.await.unwrap_or(0);
    let _ = to_a.send(2);
    theirs
}

/// The two tasks' wait-for cycle, for the reader.
pub fn stuck_pair() -> Vec<Stuck> {
    vec![
        Stuck {
            task: "task A",
            waits_for: "task B's message",
        },
        Stuck {
            task: "task B",
            waits_for: "task A's message",
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use futures::future::{join, select, Either};
    use std::pin::pin;
    use std::task::Poll;

    /// Returns `Pending` once, so the executor polls the other task.
    async fn yield_now() {
        let mut yielded = false;
        std::future::poll_fn(|cx| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await;
    }

    fn two_tasks(point: AwaitPoint, times: u32) -> u64 {
        let counter = Cell::new(0);
        block_on(join(
            increment(&counter, times, point, yield_now),
            increment(&counter, times, point, yield_now),
        ));
        counter.get()
    }

    #[test]
    fn an_await_between_read_and_write_loses_updates_on_one_thread() {
        let total = two_tasks(AwaitPoint::BetweenReadAndWrite, 1_000);
        // Strict alternation: both read the same value every round.
        assert_eq!(total, 1_000);
    }

    #[test]
    fn no_await_inside_the_update_loses_nothing() {
        assert_eq!(two_tasks(AwaitPoint::AfterTheUpdate, 1_000), 2_000);
    }

    #[test]
    fn two_polite_tasks_wait_for_each_other_forever() {
        let (to_a, from_b_for_a) = oneshot::channel();
        let (to_b, from_a_for_b) = oneshot::channel();
        let both = join(polite_a(from_b_for_a, to_b), polite_b(from_a_for_b, to_a));
        let mut both = pin!(both);
        let mut deadline = pin!(async {
            for _ in 0..100 {
                yield_now().await;
            }
        });
        let finished = block_on(async {
            matches!(
                select(both.as_mut(), deadline.as_mut()).await,
                Either::Left(_)
            )
        });
        assert!(!finished, "neither can send before it hears from the other");
    }
}
