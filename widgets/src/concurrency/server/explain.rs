//! The server's figures in words: the live line while it runs, and what a finished run means.

use super::*;

/// The live line: what a server's dashboard shows.
pub(super) fn live(progress: &Progress) -> Html {
    let per_second = progress.completed as f64 / progress.elapsed_s.max(0.1);
    let latency = progress.latency.map_or(String::new(), |l| {
        format!(
            "; latency p50 {:.0} ms, p99 {:.0} ms (latest {RECENT})",
            l.p50_ms, l.p99_ms
        )
    });
    let lag = progress.lag.map_or(String::new(), |l| {
        format!("; event-loop lag p99 {:.1} ms", l.p99_ms)
    });
    html! {
        <>
            <progress max={progress.of_s.to_string()} value={progress.elapsed_s.to_string()} aria-label="Time served so far" />
            <p>{ format!(
                "Serving… {:.1} s: {} requests answered ({per_second:.0} a second), {} in flight{latency}{lag}.",
                progress.elapsed_s, progress.completed, progress.in_flight
            ) }</p>
        </>
    }
}

/// What this run's clients asked of the one thread, in CPU seconds a second.
fn cpu_asked_per_second(setup: &Setup) -> f64 {
    server::cpu_asked_per_second(
        setup.clients,
        setup.think_ms,
        setup.io.mean_ms,
        setup.cpu_ms,
    )
}

pub(super) fn rounded(tail: Tail) -> Tail {
    Tail {
        p50_ms: round_ms(tail.p50_ms),
        p99_ms: round_ms(tail.p99_ms),
        max_ms: round_ms(tail.max_ms),
        samples: tail.samples,
    }
}

pub(super) fn explain(report: &Report) -> Html {
    let setup = &report.setup;
    let lag = report.event_loop_lag.map_or(f64::NAN, |lag| lag.p99_ms);
    let (p50, p99) = report
        .latency
        .map_or((f64::NAN, f64::NAN), |l| (l.p50_ms, l.p99_ms));
    html! {
        <>
            <table class="results">
                <tbody>
                    <tr><th scope="row">{ "clients" }</th><td>{ setup.clients }</td></tr>
                    <tr><th scope="row">{ "requests answered" }</th><td>{ format!("{} ({:.0} per second)", report.requests, report.throughput_per_s) }</td></tr>
                    <tr><th scope="row">{ "latency p50 / p99" }</th><td>{ format!("{p50:.1} ms / {p99:.1} ms") }</td></tr>
                    <tr><th scope="row">{ "requests in flight, mean / peak" }</th><td>{ format!("{:.0} / {}", report.in_flight.mean, report.in_flight.peak) }</td></tr>
                    <tr><th scope="row">{ "event-loop lag p99" }</th><td>{ format!("{lag:.1} ms") }</td></tr>
                </tbody>
            </table>
            <p>
                { format!(
                    "{} clients were served by one thread: each request spent about {:.0} ms waiting on its I/O, and while it waited the thread served the others: {:.0} requests in flight on average (Little's law: {:.0} a second × {:.1} ms). ",
                    setup.clients, setup.io.mean_ms, report.in_flight.mean, report.throughput_per_s, report.mean_latency_ms
                ) }
                { match (setup.cpu_ms, setup.handler) {
                    (0, _) => format!("With no CPU work the loop stays free: a 10 ms timer came at most {lag:.1} ms late at the 99th percentile. This is concurrency: many things in progress, one thing running."),
                    (cpu, Handler::Blocking) => {
                        let asked = cpu_asked_per_second(setup);
                        format!(
                            "Each request also held the thread for {cpu} ms of CPU work, so every other request, timer and frame ready meanwhile waited behind it: the lag's 99th percentile is {lag:.1} ms and the latency's {p99:.1} ms. {}",
                            if asked > 1.0 {
                                format!("The clients asked for {asked:.1} s of CPU a second, more than the thread's 1 s: overloaded, the queue, the latency and the lag grow as long as the run lasts.")
                            } else {
                                format!("The clients asked for {asked:.2} s of CPU a second, within the thread's 1 s: head-of-line blocking, each request delaying those behind it by up to {cpu} ms.")
                            }
                        )
                    }
                    (cpu, Handler::Pool) => format!(
                        "Each request's {cpu} ms of CPU work ran on the worker pool ({} threads) while the loop only awaited it: the lag stays at {lag:.1} ms. \
                         Concurrency for the waiting, parallelism for the computing: the seed's multiplayer-game row. The pieces share the pool with any other widget running.{}",
                        report.pool_threads,
                        if p50 > 2.0 * setup.io.mean_ms {
                            " Here the clients asked for more CPU time per second than the pool's threads have, so requests queued for a thread and the latency grew, while the loop itself stayed free."
                        } else {
                            ""
                        }
                    ),
                } }
            </p>
            if let Some(reason) = &report.fallback {
                <p class="fallback">
                    <strong>{ "The CPU work ran on the event loop. " }</strong>
                    { format!("The worker pool could not start: {reason}") }
                </p>
            }
        </>
    }
}
