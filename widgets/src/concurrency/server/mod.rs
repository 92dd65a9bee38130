//! §3's web server on one thread: up to 10,000 simulated clients whose
//! requests wait on simulated I/O (timers), served by async handlers on this
//! page's event loop. A timer that should fire every 10 ms measures the
//! event-loop lag meanwhile. CPU work per request can run on the event loop,
//! where it holds up every other request (head-of-line blocking), or on the
//! worker pool, where the loop only awaits it: concurrency and parallelism
//! together, as in the seed's multiplayer-game row.

use std::cell::RefCell;
use std::pin::pin;
use std::rc::Rc;

use futures::future::select;
use gloo::timers::future::TimeoutFuture;
use serde::Serialize;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::event_loop::poll_together;
use crate::kit::fields::{buttons, use_form, Field};
use crate::kit::frame::{result_json, WidgetFrame};
use crate::kit::run::{use_run, Run};
use crate::round_ms;
use book_compute::concurrency::server::{
    self, lags, Handler, Latency, Tail, MAX_CLIENTS, MAX_CPU_MS, MAX_SECONDS, MAX_WAIT_MS,
};
use book_compute::concurrency::timeline::work_for;
use book_compute::control::Control;
use book_compute::xorshift::XorShift;
use book_content::directive::WidgetKind;
use book_pool::job::{run_piece_in_pool, JobError};
use book_runtime::clock::now_ms;
use book_runtime::environment::Environment;

mod explain;
pub mod timer_queue;

use explain::{explain, live, rounded};
use timer_queue::sleep;

/// The lag probe's period.
const PROBE_MS: f64 = 10.0;

/// The run as the reader set it, within the limits; in a [`Report`], with
/// the handler the CPU work really ran on.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Setup {
    clients: u64,
    seconds: u64,
    io: Latency,
    think_ms: u64,
    cpu_ms: u64,
    handler: Handler,
}

/// The figures a run writes to `data-result`: its setup's fields, then
/// what it measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Report {
    #[serde(flatten)]
    setup: Setup,
    requests: usize,
    throughput_per_s: f64,
    /// The mean, for Little's law (the tail's percentiles do not give it).
    mean_latency_ms: f64,
    latency: Option<Tail>,
    /// Requests sent and not yet answered: the mean of the lag probe's
    /// samples (every 10 ms) and the most at any moment. Little's law ties it
    /// to the others: in flight = throughput × latency.
    in_flight: InFlight,
    event_loop_lag: Option<Tail>,
    pool_threads: usize,
    /// Why the CPU work ran on the event loop though the pool was asked for.
    fallback: Option<String>,
    hardware_concurrency: usize,
}

/// How many requests were in flight over a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
struct InFlight {
    mean: f64,
    peak: usize,
}

/// What the running server has done so far, shown live.
#[derive(Default)]
struct Live {
    started: f64,
    completed: usize,
    latencies: Vec<f64>,
    probe: Vec<f64>,
    /// Requests sent and not yet answered, now and at most.
    in_flight: usize,
    in_flight_peak: usize,
    /// `in_flight` at each probe.
    in_flight_samples: Vec<usize>,
}

impl Live {
    fn in_flight(&self) -> InFlight {
        let samples = &self.in_flight_samples;
        InFlight {
            mean: (samples.iter().sum::<usize>() as f64 / samples.len().max(1) as f64).round(),
            peak: self.in_flight_peak,
        }
    }
}

/// The live figures while the server runs.
#[derive(Default)]
struct Progress {
    elapsed_s: f64,
    /// The run's length.
    of_s: f64,
    completed: usize,
    in_flight: usize,
    /// Over the most recent requests.
    latency: Option<Tail>,
    lag: Option<Tail>,
}

/// How many of the latest requests the live latency covers.
const RECENT: usize = 2_000;

/// The numbers the reader sets.
const FIELDS: [Field; 6] = [
    Field {
        id: "server-clients",
        label: "Clients",
        min: 1,
        max: MAX_CLIENTS,
        initial: 1000,
    },
    Field {
        id: "server-io",
        label: "I/O wait per request, mean ms",
        min: 1,
        max: MAX_WAIT_MS,
        initial: 50,
    },
    Field {
        id: "server-spread",
        label: "I/O wait spread, % of the mean",
        min: 0,
        max: 100,
        initial: 50,
    },
    Field {
        id: "server-think",
        label: "Think time between requests, max ms",
        min: 0,
        max: MAX_WAIT_MS,
        initial: 1000,
    },
    Field {
        id: "server-cpu",
        label: "CPU work per request, ms",
        min: 0,
        max: MAX_CPU_MS,
        initial: 0,
    },
    Field {
        id: "server-seconds",
        label: "Seconds",
        min: 1,
        max: MAX_SECONDS,
        initial: 3,
    },
];

#[function_component(OneThreadServer)]
pub fn one_thread_server() -> Html {
    // While it serves: the live figures.
    let run_state = use_run::<Progress, Box<Report>>();
    let form = use_form(&FIELDS);
    let on_pool = use_state(|| false);
    let running = run_state.is_running();
    let start = {
        let (run_state, form, on_pool) = (run_state.clone(), form.clone(), on_pool.clone());
        Callback::from(move |_| {
            let Some(values) = run_state.read_to_start(&form) else {
                return;
            };
            let setup = Setup {
                clients: values[0],
                io: Latency {
                    mean_ms: values[1] as f64,
                    spread: values[2] as f64 / 100.0,
                },
                think_ms: values[3],
                cpu_ms: values[4],
                seconds: values[5],
                handler: if *on_pool {
                    Handler::Pool
                } else {
                    Handler::Blocking
                },
            };
            let first = Progress {
                of_s: setup.seconds as f64,
                ..Progress::default()
            };
            run_state.start(first, move |control, live| async move {
                serve(setup, control, move |progress| live.show(progress))
                    .await
                    .map(Box::new)
            });
        })
    };
    let toggle = {
        let on_pool = on_pool.clone();
        Callback::from(move |_| on_pool.set(!*on_pool))
    };
    let result = run_state.done().and_then(result_json);
    html! {
        <WidgetFrame kind={WidgetKind::OneThreadServer} {result} busy={running}>
            { buttons("Start the server", running, start, run_state.cancel()) }
            <div class="lab-controls">{ form.inputs() }</div>
            <div class="lab-controls">
                <label class="check">
                    <input type="checkbox" checked={*on_pool} onchange={toggle} />
                    { " Send the CPU work to the worker pool (otherwise the handler does it on the event loop)" }
                </label>
            </div>
            { form.notes() }
            <div class="widget-output" role="status" aria-live="polite">
                { match run_state.state() {
                    Run::Idle => html! { <p>{ "Each client sends a request, the handler awaits its I/O (a timer) and does its CPU work, and the client thinks before the next one. Everything but the pool option runs on this page's one thread." }</p> },
                    Run::Running(progress) => live(progress),
                    Run::Done(report) => explain(report),
                    Run::Cancelled => html! { <p>{ "Stopped." }</p> },
                    Run::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                } }
            </div>
        </WidgetFrame>
    }
}

/// Runs the clients, the handlers and the lag probe until the time is up.
async fn serve(setup: Setup, stop: Control, progress: impl Fn(Progress)) -> Result<Report, String> {
    let environment = Environment::detect();
    let (handler, pool_threads, fallback) = match setup.handler {
        Handler::Blocking => (Handler::Blocking, 0, None),
        Handler::Pool => match book_pool::ready().await {
            Ok(threads) => (Handler::Pool, threads, None),
            Err(unavailable) => (Handler::Blocking, 0, Some(unavailable.reason)),
        },
    };
    let live = Rc::new(RefCell::new(Live {
        started: now_ms(),
        ..Live::default()
    }));
    let deadline = now_ms() + setup.seconds as f64 * 1000.0;
    let failure = RefCell::new(None::<String>);

    // The lag probe: a 10 ms timer, and when it really fired.
    {
        let (live, stop) = (Rc::clone(&live), stop.clone());
        spawn_local(async move {
            live.borrow_mut().probe.push(now_ms());
            while now_ms() < deadline && !stop.is_cancelled() {
                TimeoutFuture::new(PROBE_MS as u32).await;
                let mut live = live.borrow_mut();
                live.probe.push(now_ms());
                let in_flight = live.in_flight;
                live.in_flight_samples.push(in_flight);
            }
        });
    }
    // The clients: futures polled together by this one task, not a task each.
    let serving = pin!(poll_together((0..setup.clients).map(|client| {
        run_client(client, &setup, handler, deadline, &live, &stop, &failure)
    })));
    let reporting = pin!(async {
        loop {
            TimeoutFuture::new(250).await;
            let live = live.borrow();
            let recent = &live.latencies[live.latencies.len().saturating_sub(RECENT)..];
            progress(Progress {
                elapsed_s: ((now_ms() - live.started) / 1000.0).min(setup.seconds as f64),
                of_s: setup.seconds as f64,
                completed: live.completed,
                in_flight: live.in_flight,
                latency: Tail::of(recent),
                lag: Tail::of(&lags(&live.probe, PROBE_MS)),
            });
        }
    });
    select(serving, reporting).await;
    if let Some(why) = failure.borrow_mut().take() {
        return Err(why);
    }
    if stop.is_cancelled() {
        return Err("Stopped.".to_owned());
    }
    let live = live.borrow();
    Ok(Report {
        requests: live.completed,
        throughput_per_s: (live.completed as f64 / setup.seconds as f64).round(),
        mean_latency_ms: round_ms(
            live.latencies.iter().sum::<f64>() / live.latencies.len().max(1) as f64,
        ),
        latency: Tail::of(&live.latencies).map(rounded),
        in_flight: live.in_flight(),
        event_loop_lag: Tail::of(&lags(&live.probe, PROBE_MS)).map(rounded),
        pool_threads,
        fallback,
        hardware_concurrency: environment.hardware_concurrency,
        setup: Setup { handler, ..setup },
    })
}

/// One client: requests, each awaited, with think time between them, until
/// the time is up. Its waits are its own sequence of random numbers, on the
/// runtime's timer queue (one browser timer for all of them, as a server
/// runtime keeps its timers); the lag probe uses a browser timer of its own.
async fn run_client(
    client: u64,
    setup: &Setup,
    handler: Handler,
    deadline: f64,
    live: &RefCell<Live>,
    stop: &Control,
    failure: &RefCell<Option<String>>,
) {
    let mut rng = XorShift::new(client + 1);
    let think = |rng: &mut XorShift| (rng.next_u64() % (setup.think_ms + 1)) as u32;
    // Clients arrive spread over one think time, not all in the same instant.
    sleep(think(&mut rng)).await;
    while now_ms() < deadline && !stop.is_cancelled() {
        let sent = now_ms();
        {
            let mut live = live.borrow_mut();
            live.in_flight += 1;
            live.in_flight_peak = live.in_flight_peak.max(live.in_flight);
        }
        sleep(setup.io.sample(&mut rng)).await;
        let cpu_ms = setup.cpu_ms as f64;
        if cpu_ms > 0.0 {
            match handler {
                Handler::Blocking => {
                    work_for(0, cpu_ms, &now_ms, 0);
                }
                Handler::Pool => {
                    if let Err(error) =
                        run_piece_in_pool(move || work_for(0, cpu_ms, &now_ms, 0)).await
                    {
                        if !matches!(error, JobError::NoPool(_)) {
                            failure.borrow_mut().get_or_insert(error.to_string());
                        }
                        return;
                    }
                }
            }
        }
        {
            let mut live = live.borrow_mut();
            live.latencies.push(now_ms() - sent);
            live.completed += 1;
            live.in_flight -= 1;
        }
        sleep(think(&mut rng)).await;
    }
}
