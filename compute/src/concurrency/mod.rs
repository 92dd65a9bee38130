//! The concurrency lab's pure half: what the event-loop widgets measure,
//! modelled and analysed without a browser, so the host tests can prove it.
//!
//! - [`timeline`]: tasks made of timed steps, the spans they leave on one
//!   lane (the event loop) or several (the pool), and what the spans show:
//!   interleaving on one lane, simultaneity across lanes.
//! - [`frames`]: dropped frames, from the times the browser drew them.
//! - [`server`]: the one-thread server's clients, latencies and statistics.
//! - [`backpressure`]: a bounded buffer between a producer and a consumer, and
//!   its policies.
//! - [`stepper`]: a small model of the event loop, traced step by step.

pub mod backpressure;
pub mod frames;
pub mod server;
pub mod stepper;
pub mod timeline;
