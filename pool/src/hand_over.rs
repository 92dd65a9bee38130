//! Handing work from the main thread to the pool without taking a lock.
//!
//! `rayon::spawn` on the main thread wakes a sleeping worker through
//! rayon's sleep mutex, which the workers take too: the main thread would
//! wait on the pool, and a contended lock there waits with
//! `memory.atomic.wait32`, which browsers forbid on the main thread. So the
//! main thread only pushes the work onto a lock-free stack and notifies a
//! counter; a dispatcher, started inside the pool as its first thread
//! starts, waits on that counter, runs each whole job itself (a pool thread,
//! so the job's parallel iterators use the whole pool) and spawns each small
//! piece into the pool from there, where taking rayon's locks is allowed.
//!
//! The stack is hand-written rather than `crossbeam_deque::Injector` for the
//! widgets module's size budget: one compare-and-swap to push, one swap to
//! take everything.

use std::ptr;
use std::sync::atomic::{AtomicI32, AtomicPtr, Ordering};

/// What the main thread hands over.
pub enum Task {
    /// A whole job: run on the dispatcher's own pool thread, one at a time
    /// (`job` queues them).
    Job(Box<dyn FnOnce() + Send>),
    /// A small piece of a stream (a server's request): spawned into the
    /// pool, so that many run at once.
    Piece(Box<dyn FnOnce() + Send>),
}

struct Node {
    task: Task,
    next: *mut Node,
}

/// The tasks handed over and not yet taken, newest first.
static PENDING: AtomicPtr<Node> = AtomicPtr::new(ptr::null_mut());

/// Bumped after every push: the dispatcher waits for it to change.
static HANDED: AtomicI32 = AtomicI32::new(0);

/// Hands `task` to the dispatcher. Lock-free: a compare-and-swap, an
/// increment and a notify, none of which waits.
pub fn hand_over(task: Task) {
    let node = Box::into_raw(Box::new(Node {
        task,
        next: ptr::null_mut(),
    }));
    let mut head = PENDING.load(Ordering::Relaxed);
    loop {
        // SAFETY: `node` is ours until the exchange below publishes it.
        unsafe { (*node).next = head };
        match PENDING.compare_exchange_weak(head, node, Ordering::Release, Ordering::Relaxed) {
            Ok(_) => break,
            Err(current) => head = current,
        }
    }
    HANDED.fetch_add(1, Ordering::Release);
    // SAFETY: the address is a live atomic; notifying never blocks.
    unsafe {
        core::arch::wasm32::memory_atomic_notify(HANDED.as_ptr(), 1);
    }
}

/// Starts the dispatcher on the pool's first thread, as it starts: from
/// inside the pool, so the main thread never spawns into it. Given to
/// `wasm_bindgen_rayon::on_thread_start` before the pool is built.
pub fn start_dispatcher(thread: usize) {
    if thread == 0 {
        rayon::spawn(dispatch);
    }
}

/// Takes and runs handed-over tasks, oldest first, for the page's life.
fn dispatch() {
    loop {
        let seen = HANDED.load(Ordering::Acquire);
        let mut taken = PENDING.swap(ptr::null_mut(), Ordering::Acquire);
        if taken.is_null() {
            // Sleeps until a push bumps the counter; returns at once if one
            // already has since `seen` was read, so no hand-over is missed.
            // SAFETY: a live atomic; waiting is allowed on a worker.
            unsafe {
                core::arch::wasm32::memory_atomic_wait32(HANDED.as_ptr(), seen, -1);
            }
            continue;
        }
        // The stack is newest first: reverse it to run in the order handed over.
        let mut oldest_first = ptr::null_mut::<Node>();
        while !taken.is_null() {
            // SAFETY: every node came from `Box::into_raw` in `hand_over`
            // and, swapped out of the stack, is now only ours.
            let next = unsafe { (*taken).next };
            unsafe { (*taken).next = oldest_first };
            oldest_first = taken;
            taken = next;
        }
        while !oldest_first.is_null() {
            // SAFETY: as above; each node is freed exactly once, here.
            let node = unsafe { Box::from_raw(oldest_first) };
            oldest_first = node.next;
            match node.task {
                Task::Job(job) => job(),
                Task::Piece(piece) => rayon::spawn(piece),
            }
        }
    }
}
