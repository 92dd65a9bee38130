//! The widget kit: what every widget builds on, so that each widget file holds
//! only its own experiment.
//!
//! - [`frame`] keeps the widget contract (`data-widget`, the first button
//!   starts it, `data-result`) and announces a finished run to the book.
//! - [`fields`]: the start and Cancel buttons, number fields, their parsing,
//!   and [`fields::use_form`], a widget's fields kept and read in one place.
//! - [`run`]: where a run stands (idle, running, done, cancelled, failed),
//!   the one state machine every widget's view matches on, and
//!   [`run::use_run`], the one hook that starts, watches and cancels a run,
//!   on the event loop or in the pool.
//! - [`permalink`]: a widget's state in this page's URL, and a `<select>`'s
//!   value from its event.
//! - [`chart`], [`gantt`], [`depth_chart`] and [`image_view`] draw results:
//!   speedup curves and bars, spans on lanes, queue depths, a kernel's image.

pub mod chart;
pub mod depth_chart;
pub mod fields;
pub mod frame;
pub mod gantt;
pub mod image_view;
pub mod permalink;
pub mod run;
