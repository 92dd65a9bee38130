//! Queue depths over time as an SVG line chart: the backpressure buffers and
//! the actors' mailboxes.

use yew::prelude::*;

use super::chart::CHART_WIDTH;

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
