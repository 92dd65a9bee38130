//! What a finished run of the three ways means, in words and a table.

use super::*;

/// The frames (b) missed, where it missed any: no slice holds the main
/// thread long, so the page's count is not what held them.
fn sliced_missed(report: &Report) -> String {
    let missed = report.sliced.dropped_frames;
    if missed == 0 {
        return String::new();
    }
    format!(
        "It still missed {missed} frame{} in its worst run, against {} for (a): no slice held the thread longer than {SLICE_MS} ms, \
         so something else held the frame: the machine's other work, or the browser's own. ",
        plural(missed),
        report.one_go.dropped_frames,
    )
}

/// The frames (c) missed, where it missed any: the main thread only waited,
/// so the page's drawing waited for a core the workers held.
fn pool_missed(report: &Report) -> String {
    let Some(missed) = report
        .pool
        .as_ref()
        .map(|pool| pool.dropped_frames)
        .filter(|&missed| missed > 0)
    else {
        return String::new();
    };
    format!(
        " (c) missed {missed} frame{} in its worst run although the main thread only waited: with {} workers busy \
         and {} cores reported, the page's own drawing most likely waited for a core. Fewer workers than cores would leave it one.",
        plural(missed),
        report.pool_threads,
        report.hardware_concurrency,
    )
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// What the run with the dot stopped says about the frames' cost.
fn quiet_sentence(report: &Report) -> String {
    let (Some(pool), Some(quiet), Some(speedup)) =
        (&report.pool, &report.pool_quiet, report.pool_quiet_speedup)
    else {
        return String::new();
    };
    let share = (pool.ms - quiet.ms) / pool.ms * 100.0;
    let cost = if pool.ms > 0.0 && share >= 1.0 {
        format!("so drawing the page took about {share:.0} % of the pool's time on this machine")
    } else {
        "so drawing the page cost the pool nothing measurable here".to_owned()
    };
    format!(
        " With the dot stopped, so that the page asks for no frame, the pool took {:.0} ms, {speedup:.2}× (a): {cost}.",
        quiet.ms
    )
}

/// A way's cell in the table: the median, then the range.
fn times_cell(ms: f64, min_ms: f64, max_ms: f64) -> String {
    format!("{ms:.1} ({min_ms:.0} to {max_ms:.0})")
}

pub(super) fn explain(report: &Report) -> Html {
    let row = |name: &str, way: &Way| {
        html! {
            <tr>
                <th scope="row">{ name.to_owned() }</th>
                <td>{ times_cell(way.ms, way.min_ms, way.max_ms) }</td>
                <td>{ way.dropped_frames }</td>
                <td>{ format!("{:.0}", way.longest_gap_ms) }</td>
            </tr>
        }
    };
    html! {
        <>
            <table class="results">
                <thead><tr><th scope="col">{ "way" }</th><th scope="col">{ format!("ms, median of {REPETITIONS} (range)") }</th><th scope="col">{ "frames dropped" }</th><th scope="col">{ "longest freeze (ms)" }</th></tr></thead>
                <tbody>
                    { row("(a) in one go, main thread", &report.one_go) }
                    { row(&format!("(b) in {} slices, main thread", report.slices), &report.sliced) }
                    if let Some(pool) = &report.pool { { row(&format!("(c) on the pool, {} threads", report.pool_threads), pool) } }
                    if let Some(quiet) = &report.pool_quiet {
                        <tr>
                            <th scope="row">{ "(c) again, the dot stopped" }</th>
                            <td>{ times_cell(quiet.ms, quiet.min_ms, quiet.max_ms) }</td>
                            <td colspan="2">{ "no frames asked for" }</td>
                        </tr>
                    }
                </tbody>
            </table>
            <p>
                { format!(
                    "{} primes below {}, the same count all three ways. (a) held the main thread for {:.0} ms: no frame, no click, no scroll meanwhile. \
                     (b) did the same work in slices of at most {SLICE_MS} ms and stayed responsive, but was no faster: concurrency shares one thread. ",
                    report.primes, report.numbers, report.one_go.ms,
                ) }
                { sliced_missed(report) }
                { match (report.pool_speedup, &report.pool_fallback) {
                    (Some(speedup), _) => format!(
                        "(c) ran on {} worker threads while the main thread only waited: responsive and {speedup:.2}× faster than (a). \
                         That is parallelism, and it needs the cores ({} reported here; a display at {:.0} Hz). \
                         The page went on drawing meanwhile, at least {} frames a run, and each frame takes the main thread and the browser's \
                         compositor a moment of a core: with as many workers as cores, the workers share those cores with the drawing, \
                         one reason (c) falls short of {}× (a) where (a), frozen, drew nothing.",
                        report.pool_threads,
                        report.hardware_concurrency,
                        1000.0 / report.refresh_ms.max(1.0),
                        report.pool.as_ref().map_or(0, |pool| pool.frames_drawn),
                        report.pool_threads,
                    ) + &pool_missed(report) + &quiet_sentence(report),
                    (None, Some(reason)) => format!("(c) could not run: the worker pool could not start: {reason}"),
                    (None, None) => String::new(),
                } }
            </p>
        </>
    }
}
