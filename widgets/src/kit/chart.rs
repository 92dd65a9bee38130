//! Charts as plain SVG components: speedup against threads, and bars (work per
//! thread, operations per second). Colours come from CSS classes, so both themes read well.

use yew::prelude::*;

use book_compute::stats::amdahl_speedup;

/// One measured curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    /// (threads, speedup) pairs, in thread order.
    pub points: Vec<(usize, f64)>,
    /// Amdahl's fitted serial fraction, drawn as a dotted curve.
    pub serial_fraction: Option<f64>,
}

#[derive(Properties, PartialEq)]
pub struct SpeedupChartProps {
    pub series: Vec<Series>,
    /// The x axis runs from 1 to this many threads.
    pub max_threads: usize,
    /// How many of the series are drawn so far: a report draws its curves
    /// one task at a time. The axes fit every series from the start, so a
    /// curve added changes nothing already drawn.
    #[prop_or(usize::MAX)]
    pub drawn: usize,
}

/// Every chart's width in CSS pixels (its svg's `width` and `viewBox`): drawn
/// at this size, its labels are the page's small text (see `www/book.css`).
pub const CHART_WIDTH: f64 = 640.0;

const W: f64 = CHART_WIDTH;
const H: f64 = 370.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 17.0;
const TOP: f64 = 17.0;
const BOTTOM: f64 = 50.0;

/// Speedup against threads, with the ideal line (speedup = threads) and each
/// series' Amdahl fit.
#[function_component(SpeedupChart)]
pub fn speedup_chart(props: &SpeedupChartProps) -> Html {
    let max_x = props.max_threads.max(2) as f64;
    let top_speedup = props
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(max_x, f64::max);
    let max_y = (top_speedup * 1.08).ceil();
    let x = |threads: f64| LEFT + (threads - 1.0) / (max_x - 1.0) * (W - LEFT - RIGHT);
    let y = |speedup: f64| H - BOTTOM - speedup / max_y * (H - TOP - BOTTOM);
    let path = |points: &[(f64, f64)]| -> String {
        points
            .iter()
            .enumerate()
            .map(|(i, (px, py))| {
                format!(
                    "{}{:.1},{:.1}",
                    if i == 0 { "M" } else { "L" },
                    x(*px),
                    y(*py)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let x_ticks: Vec<usize> = ticks(props.max_threads.max(2));
    let y_ticks: Vec<usize> = ticks(max_y as usize);
    let ideal = path(&[(1.0, 1.0), (max_x, max_x)]);
    let description = props
        .series
        .iter()
        .map(|s| {
            let last = s
                .points
                .last()
                .map_or(String::new(), |(n, sp)| format!("{sp:.2}x on {n} threads"));
            format!("{}: {last}", s.label)
        })
        .collect::<Vec<_>>()
        .join("; ");

    html! {
        <figure class="chart">
            <svg width={W.to_string()} viewBox={format!("0 0 {W} {H}")} role="img" aria-label={format!("Speedup against threads. {description}")}>
                { for y_ticks.iter().map(|&t| html! {
                    <g class="grid">
                        <line x1={LEFT.to_string()} x2={(W - RIGHT).to_string()} y1={y(t as f64).to_string()} y2={y(t as f64).to_string()} />
                        <text x={(LEFT - 10.0).to_string()} y={(y(t as f64) + 5.0).to_string()} text-anchor="end">{ t }</text>
                    </g>
                }) }
                { for x_ticks.iter().map(|&t| html! {
                    <text class="tick" x={x(t as f64).to_string()} y={(H - BOTTOM + 22.0).to_string()} text-anchor="middle">{ t }</text>
                }) }
                <text class="axis-label" x={((LEFT + W - RIGHT) / 2.0).to_string()} y={(H - 7.0).to_string()} text-anchor="middle">{ "threads" }</text>
                <text class="axis-label" transform={format!("translate(15 {}) rotate(-90)", (TOP + H - BOTTOM) / 2.0)} text-anchor="middle">{ "speedup" }</text>
                <path class="ideal" d={ideal} />
                { for props.series.iter().take(props.drawn).enumerate().map(|(i, s)| {
                    let measured: Vec<(f64, f64)> = s.points.iter().map(|&(n, sp)| (n as f64, sp)).collect();
                    let fit = s.serial_fraction.map(|f| {
                        let curve: Vec<(f64, f64)> = (1..=props.max_threads.max(2))
                            .map(|n| (n as f64, amdahl_speedup(f, n)))
                            .collect();
                        html! { <path class={format!("fit series-{i}")} d={path(&curve)} /> }
                    });
                    html! {
                        <g class={format!("series series-{i}")}>
                            { fit.unwrap_or_default() }
                            <path class="measured" d={path(&measured)} />
                            { for measured.iter().map(|&(px, py)| html! {
                                <circle cx={x(px).to_string()} cy={y(py).to_string()} r="4" />
                            }) }
                        </g>
                    }
                }) }
            </svg>
            <figcaption class="legend">
                <span class="key ideal">{ "ideal (speedup = threads)" }</span>
                { for props.series.iter().enumerate().map(|(i, s)| html! {
                    <span class={format!("key series-{i}")}>
                        { s.label.clone() }
                        { s.serial_fraction.map(|f| format!(" — Amdahl fit: {:.1}% serial", f * 100.0)).unwrap_or_default() }
                    </span>
                }) }
            </figcaption>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
pub struct WorkChartProps {
    /// Units of work done by each pool thread.
    pub work: Vec<usize>,
    pub unit: AttrValue,
}

/// One bar per pool thread: how much of the job each one did.
#[function_component(WorkChart)]
pub fn work_chart(props: &WorkChartProps) -> Html {
    let bars: Vec<Bar> = props
        .work
        .iter()
        .enumerate()
        .map(|(i, &units)| Bar {
            label: format!("worker {i}"),
            value: units as f64,
            text: format!("{units} {}", props.unit),
        })
        .collect();
    html! { <BarChart {bars} label="Work done by each worker thread" /> }
}

/// One labelled bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as the reader reads it, shown beside the bar.
    pub text: String,
}

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub bars: Vec<Bar>,
    /// What the chart shows, for assistive technology.
    pub label: AttrValue,
}

/// Horizontal bars scaled to the largest value.
#[function_component(BarChart)]
pub fn bar_chart(props: &BarChartProps) -> Html {
    let most = props.bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let most = if most > 0.0 { most } else { 1.0 };
    html! {
        <div class="work-chart" role="list" aria-label={props.label.clone()}>
            { for props.bars.iter().map(|bar| html! {
                <div class="work-row" role="listitem">
                    <span class="work-label">{ bar.label.clone() }</span>
                    // An SVG bar rather than a styled span: the CSP forbids inline styles.
                    <svg class="work-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                        <rect width={format!("{:.1}", (bar.value / most * 100.0).max(0.5))} height="10" />
                    </svg>
                    <span class="work-value">{ bar.text.clone() }</span>
                </div>
            }) }
        </div>
    }
}

/// About five round tick values from 0 (or 1) to `max`.
fn ticks(max: usize) -> Vec<usize> {
    let step = match max {
        0..=8 => 1,
        9..=16 => 2,
        17..=40 => 5,
        _ => 10,
    };
    (0..=max).filter(|t| t % step == 0 && *t > 0).collect()
}
