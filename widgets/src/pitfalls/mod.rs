//! The pitfalls lab (seed §11): races, deadlocks, contention and memory, caused
//! for real and then fixed.
//!
//! The threaded widgets ([`race`], [`deadlock`], [`philosophers`],
//! [`contention`]) run one whole job inside the worker pool through
//! [`threaded::Threaded`]; the page reads progress and raises Cancel through
//! shared atomics. The one-thread widgets ([`race_one_thread`],
//! [`deadlock_one_thread`]) are futures on this page's event loop and need no
//! worker at all. [`memory`] weighs a Web Worker against an async task,
//! [`scheduler`] hands the reader the scheduler's choices, [`memory_model`]
//! lists what each memory model lets a litmus test see, and [`litmus_run`]
//! runs the litmus tests on two real workers.

pub mod contention;
pub mod deadlock;
pub mod deadlock_one_thread;
pub mod litmus_run;
pub mod memory;
pub mod memory_model;
pub mod philosophers;
pub mod race;
pub mod race_one_thread;
pub mod scheduler;
pub mod threaded;
