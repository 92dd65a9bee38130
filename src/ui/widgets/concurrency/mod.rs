//! The concurrency lab (§3, §4, §5, §8, §10): many tasks on the main
//! thread's real event loop, measured, and where it helps, the same work on
//! the worker pool beside it.

pub mod actors;
pub mod backpressure;
pub mod gantt;
pub mod server;
pub mod stepper;
pub mod three_ways;
pub mod timeline;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::ui::widgets::chart::CHART_WIDTH;

/// The Cancel flag of a widget's run on the event loop. Each run takes a
/// fresh flag from [`Stop::arm`] and checks it between its steps; the Cancel
/// button raises the flag of the latest run.
#[derive(Clone)]
pub struct Stop(Rc<RefCell<Rc<Cell<bool>>>>);

impl Stop {
    /// A fresh flag for a run that is starting.
    pub fn arm(&self) -> Rc<Cell<bool>> {
        let flag = Rc::new(Cell::new(false));
        *self.0.borrow_mut() = Rc::clone(&flag);
        flag
    }

    /// The Cancel button's callback: stops the latest run.
    pub fn cancel(&self) -> Callback<MouseEvent> {
        let current = Rc::clone(&self.0);
        Callback::from(move |_| current.borrow().set(true))
    }
}

/// A widget's [`Stop`], kept across renders. A widget that goes away (the
/// reader left the page) stops its run: it would go on loading the main
/// thread, and holding the pool, for a page no longer shown.
#[hook]
pub fn use_stop() -> Stop {
    let stop = Stop(use_mut_ref(|| Rc::new(Cell::new(false))));
    {
        let current = Rc::clone(&stop.0);
        use_effect_with((), move |()| move || current.borrow().set(true));
    }
    stop
}

/// Queue depths over time, one line per series: the backpressure buffers,
/// the actors' mailboxes. `what` names the queue for screen readers.
pub fn depth_chart(
    series: &[(&'static str, Vec<(f64, usize)>)],
    duration_ms: f64,
    what: &str,
) -> Html {
    const W: f64 = CHART_WIDTH;
    const H: f64 = 246.0;
    const LEFT: f64 = 56.0;
    const BOTTOM: f64 = 30.0;
    let deepest = series
        .iter()
        .flat_map(|(_, points)| points.iter().map(|&(_, depth)| depth))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let x = |ms: f64| LEFT + ms / duration_ms.max(1.0) * (W - LEFT - 12.0);
    let y = |depth: f64| H - BOTTOM - depth / deepest * (H - BOTTOM - 12.0);
    html! {
        <figure class="chart">
            <svg width={W.to_string()} viewBox={format!("0 0 {W} {H}")} role="img"
                 aria-label={format!("The depth of each {what} over time, up to {deepest:.0} items.")}>
                <text x="5" y="20">{ format!("{deepest:.0}") }</text>
                <text x="4" y={format!("{:.0}", H - BOTTOM)}>{ "0" }</text>
                { for series.iter().enumerate().map(|(index, (_, points))| {
                    let points: Vec<String> = points.iter()
                        .map(|&(at, depth)| format!("{:.1},{:.1}", x(at), y(depth as f64)))
                        .collect();
                    html! {
                        <g class={format!("series series-{index}")}>
                            <polyline class="measured" points={points.join(" ")} />
                        </g>
                    }
                }) }
            </svg>
            <figcaption class="legend">
                { for series.iter().enumerate().map(|(index, (label, _))| html! {
                    <span class={format!("series series-{index}")}>{ *label }</span>
                }) }
            </figcaption>
        </figure>
    }
}
