//! The concurrency lab (§3, §4, §5, §8, §10): many tasks on the main
//! thread's real event loop, measured, and where it helps, the same work on
//! the worker pool beside it.

pub mod actors;
pub mod backpressure;
pub mod server;
pub mod stepper;
pub mod three_ways;
pub mod timeline;
