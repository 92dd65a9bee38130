//! A Gantt chart drawn from measured spans: one row per lane (thread), one
//! bar per step, coloured by task. The same component draws the event loop
//! (one lane) and the pool (several), on the same time scale.

use yew::prelude::*;

use super::chart::CHART_WIDTH;
use book_compute::concurrency::timeline::Timeline;

#[derive(Properties, PartialEq)]
pub struct GanttProps {
    pub timeline: Timeline,
    /// Each task's name, by index.
    pub tasks: Vec<String>,
    /// What a lane is ("main thread", "worker").
    pub lane_label: AttrValue,
    /// The time axis runs to this many ms, so two charts compare by eye.
    pub scale_ms: f64,
    /// Read by screen readers in place of the drawing.
    pub summary: AttrValue,
}

const W: f64 = CHART_WIDTH;
const LANE: f64 = 30.0;
const LEFT: f64 = 104.0;
const TOP: f64 = 7.0;
const AXIS: f64 = 30.0;

#[function_component(Gantt)]
pub fn gantt(props: &GanttProps) -> Html {
    let lanes = props.timeline.lanes();
    let height = TOP + lanes.len().max(1) as f64 * LANE + AXIS;
    let scale = props.scale_ms.max(1.0);
    let x = |ms: f64| LEFT + ms / scale * (W - LEFT - 10.0);
    let row = |lane: usize| lanes.iter().position(|&l| l == lane).unwrap_or(0) as f64;
    html! {
        <figure class="chart gantt">
            <svg width={W.to_string()} viewBox={format!("0 0 {W} {height:.0}")} role="img" aria-label={props.summary.clone()}>
                { for lanes.iter().enumerate().map(|(i, lane)| html! {
                    <text x="5" y={format!("{:.1}", TOP + i as f64 * LANE + LANE * 0.62)}>
                        { if lanes.len() == 1 { props.lane_label.to_string() } else { format!("{} {}", props.lane_label, lane + 1) } }
                    </text>
                }) }
                { for props.timeline.spans.iter().map(|span| {
                    let name = props.tasks.get(span.task).cloned().unwrap_or_default();
                    html! {
                        <rect class={format!("task task-{}", span.task % 8)}
                              x={format!("{:.1}", x(span.start_ms))}
                              y={format!("{:.1}", TOP + row(span.lane) * LANE + 3.0)}
                              width={format!("{:.1}", (x(span.end_ms) - x(span.start_ms)).max(1.0))}
                              height={format!("{:.1}", LANE - 6.0)}>
                            <title>{ format!("{name}: {:.1} to {:.1} ms", span.start_ms, span.end_ms) }</title>
                        </rect>
                    }
                }) }
                <line class="axis" x1={LEFT.to_string()} x2={format!("{:.1}", W - 10.0)}
                      y1={format!("{:.1}", height - AXIS)} y2={format!("{:.1}", height - AXIS)} />
                { for (0..=4).map(|i| {
                    let ms = scale * f64::from(i) / 4.0;
                    html! {
                        <text x={format!("{:.1}", x(ms))} y={format!("{:.1}", height - 9.0)}
                              text-anchor={match i { 0 => "start", 4 => "end", _ => "middle" }}>{ format!("{ms:.0} ms") }</text>
                    }
                }) }
            </svg>
            <figcaption class="legend">
                { for props.tasks.iter().enumerate().map(|(i, name)| html! {
                    <span class={format!("key task-{}", i % 8)}>{ name.clone() }</span>
                }) }
            </figcaption>
        </figure>
    }
}
