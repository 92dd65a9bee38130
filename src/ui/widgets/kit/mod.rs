//! The widget kit: what every widget builds on, so that each widget file holds
//! only its own experiment.
//!
//! - [`frame`] keeps the widget contract (`data-widget`, the first button
//!   starts it, `data-result`) and announces a finished run to the book.
//! - [`fields`]: the start and Cancel buttons, number fields and their parsing.
//! - [`run`]: where a run stands (idle, running, done, cancelled, failed),
//!   the one state machine every widget's view matches on.
//! - [`stop`]: Cancel for a run on the page's event loop.
//! - [`chart`], [`gantt`], [`depth_chart`] and [`image_view`] draw results:
//!   speedup curves and bars, spans on lanes, queue depths, a kernel's image.

pub mod chart;
pub mod depth_chart;
pub mod fields;
pub mod frame;
pub mod gantt;
pub mod image_view;
pub mod run;
pub mod stop;
