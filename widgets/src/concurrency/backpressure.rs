//! Reactive streams with backpressure (§10): a producer and a consumer as
//! two async tasks on the event loop, a bounded buffer between them, and the
//! four policies run side by side on the same rates, with a live chart of
//! each buffer's depth. Every item is accounted for: consumed, dropped by
//! the policy, still waiting, or held by a blocked producer.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use serde::Serialize;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::kit::depth_chart;
use crate::kit::fields::{buttons, use_form, Field};
use crate::kit::frame::{result_json, WidgetFrame};
use crate::kit::run::{use_run, Run};
use crate::round_ms;
use book_compute::concurrency::backpressure::{Buffer, Offer, Policy, MAX_CAPACITY};
use book_compute::control::Control;
use book_content::directive::WidgetKind;
use book_runtime::clock::now_ms;

/// Each item carries a payload, so a deep buffer really holds memory.
const ITEM_BYTES: usize = 1_024;
/// How often the tasks wake to catch up with their rates, and the chart samples.
const TICK_MS: u32 = 10;
const SAMPLE_MS: f64 = 100.0;

/// One policy's run: what the buffer between producer and consumer did.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Outcome {
    policy: Policy,
    produced: u64,
    consumed: u64,
    dropped: u64,
    waiting_at_end: usize,
    held_by_producer: usize,
    /// Items produced and neither consumed, dropped, waiting nor held: 0.
    lost: u64,
    peak_depth: usize,
    peak_memory_bytes: usize,
    producer_blocked_ms: f64,
}

/// The figures a run writes to `data-result`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Report {
    producer_per_s: u64,
    consumer_per_s: u64,
    capacity: u64,
    seconds: u64,
    item_bytes: usize,
    policies: Vec<Outcome>,
}

/// One policy's live state, shared by its producer, consumer and sampler.
struct Lane {
    policy: Policy,
    buffer: Buffer<Box<[u8]>>,
    produced: u64,
    consumed: u64,
    holding: Option<Box<[u8]>>,
    blocked_since: Option<f64>,
    blocked_ms: f64,
    depths: Vec<(f64, usize)>,
}

type Lanes = Rc<Vec<RefCell<Lane>>>;

/// What the running view draws: the lanes as they fill, the run's length,
/// and how many samples were taken.
type Live = (Lanes, f64, u32);

/// The numbers the reader sets.
const FIELDS: [Field; 4] = [
    Field {
        id: "backpressure-producer",
        label: "Producer, items per second",
        min: 1,
        max: 5_000,
        initial: 300,
    },
    Field {
        id: "backpressure-consumer",
        label: "Consumer, items per second",
        min: 1,
        max: 5_000,
        initial: 200,
    },
    Field {
        id: "backpressure-capacity",
        label: "Buffer capacity, items",
        min: 1,
        max: MAX_CAPACITY,
        initial: 100,
    },
    Field {
        id: "backpressure-seconds",
        label: "Seconds",
        min: 1,
        max: 20,
        initial: 4,
    },
];

#[function_component(Backpressure)]
pub fn backpressure() -> Html {
    let run_state = use_run::<Live, (Box<Report>, Lanes)>();
    let form = use_form(&FIELDS);
    let running = run_state.is_running();
    let start = {
        let (run_state, form) = (run_state.clone(), form.clone());
        Callback::from(move |_| {
            let Some(values) = run_state.read_to_start(&form) else {
                return;
            };
            let [producer, consumer, capacity, seconds] =
                [values[0], values[1], values[2], values[3]];
            let lanes: Lanes = Rc::new(
                Policy::ALL
                    .iter()
                    .map(|&policy| {
                        RefCell::new(Lane {
                            policy,
                            buffer: Buffer::new(capacity as usize, policy),
                            produced: 0,
                            consumed: 0,
                            holding: None,
                            blocked_since: None,
                            blocked_ms: 0.0,
                            depths: Vec::new(),
                        })
                    })
                    .collect(),
            );
            let duration_ms = seconds as f64 * 1000.0;
            let first = (Rc::clone(&lanes), duration_ms, 0);
            run_state.start(first, move |control, live| async move {
                let started = now_ms();
                for index in 0..lanes.len() {
                    let pace = Pace {
                        started,
                        duration_ms,
                        stop: control.clone(),
                    };
                    spawn_local(produce(
                        Rc::clone(&lanes),
                        index,
                        producer as f64,
                        pace.clone(),
                    ));
                    spawn_local(consume(Rc::clone(&lanes), index, consumer as f64, pace));
                }
                // The sampler: every buffer's depth, for the live chart.
                let mut redraws = 0;
                while now_ms() - started < duration_ms && !control.is_cancelled() {
                    let at = now_ms() - started;
                    for lane in lanes.iter() {
                        let mut lane = lane.borrow_mut();
                        let depth = lane.buffer.len();
                        lane.depths.push((at, depth));
                    }
                    redraws += 1;
                    live.show((Rc::clone(&lanes), duration_ms, redraws));
                    TimeoutFuture::new(SAMPLE_MS as u32).await;
                }
                // Let both tasks see the end before counting.
                TimeoutFuture::new(2 * TICK_MS).await;
                let report = Report {
                    producer_per_s: producer,
                    consumer_per_s: consumer,
                    capacity,
                    seconds,
                    item_bytes: ITEM_BYTES,
                    policies: lanes.iter().map(|lane| outcome(&lane.borrow())).collect(),
                };
                Ok((Box::new(report), lanes))
            });
        })
    };
    let result = run_state.done().and_then(|(report, _)| result_json(report));
    html! {
        <WidgetFrame kind={WidgetKind::Backpressure} {result} busy={running}>
            { buttons("Run the four policies", running, start, run_state.cancel()) }
            <div class="lab-controls">{ form.inputs() }</div>
            { form.notes() }
            <div class="widget-output" role="status" aria-live="polite">
                { match run_state.state() {
                    Run::Idle => html! { <p>{ "A producer and a consumer, two async tasks on this page's thread, for each of the four policies at once." }</p> },
                    Run::Running((lanes, duration_ms, samples)) => html! {
                        <>
                            <p>{ format!("Running… ({samples} samples)") }</p>
                            { buffer_chart(lanes, *duration_ms) }
                        </>
                    },
                    Run::Done((report, lanes)) => html! {
                        <>
                            { buffer_chart(lanes, report.seconds as f64 * 1000.0) }
                            { explain(report) }
                        </>
                    },
                    Run::Cancelled => html! { <p>{ "Stopped." }</p> },
                    Run::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                } }
            </div>
        </WidgetFrame>
    }
}

/// When a lane's two tasks started, how long they run, and their Cancel.
#[derive(Clone)]
struct Pace {
    started: f64,
    duration_ms: f64,
    stop: Control,
}

impl Pace {
    /// Whether the tasks should go on: time left, and not cancelled.
    fn going(&self) -> bool {
        now_ms() - self.started < self.duration_ms && !self.stop.is_cancelled()
    }
}

/// How many items a task running at `per_s` owes by now.
fn due(per_s: f64, started: f64) -> u64 {
    ((now_ms() - started) / 1000.0 * per_s) as u64
}

/// The producer: offers items at its rate; blocked, it holds its item and
/// waits for room, so it falls behind its rate.
async fn produce(lanes: Lanes, index: usize, per_s: f64, pace: Pace) {
    let started = pace.started;
    while pace.going() {
        {
            let mut lane = lanes[index].borrow_mut();
            let lane = &mut *lane;
            loop {
                let item = match lane.holding.take() {
                    Some(item) => item,
                    None if lane.produced < due(per_s, started) => {
                        lane.produced += 1;
                        vec![0_u8; ITEM_BYTES].into_boxed_slice()
                    }
                    None => break,
                };
                if let (Offer::Full, Some(back)) = lane.buffer.offer(item) {
                    lane.holding = Some(back);
                    lane.blocked_since.get_or_insert(now_ms());
                    break;
                }
                if let Some(since) = lane.blocked_since.take() {
                    lane.blocked_ms += now_ms() - since;
                }
            }
        }
        TimeoutFuture::new(TICK_MS).await;
    }
    let mut lane = lanes[index].borrow_mut();
    if let Some(since) = lane.blocked_since.take() {
        lane.blocked_ms += now_ms() - since;
    }
}

/// The consumer: takes items at its rate, when there are any.
async fn consume(lanes: Lanes, index: usize, per_s: f64, pace: Pace) {
    let started = pace.started;
    while pace.going() {
        {
            let mut lane = lanes[index].borrow_mut();
            while lane.consumed < due(per_s, started) {
                if lane.buffer.take().is_none() {
                    break;
                }
                lane.consumed += 1;
            }
        }
        TimeoutFuture::new(TICK_MS).await;
    }
}

fn outcome(lane: &Lane) -> Outcome {
    let waiting = lane.buffer.len();
    let held = usize::from(lane.holding.is_some());
    let accounted = lane.consumed + lane.buffer.dropped() + waiting as u64 + held as u64;
    Outcome {
        policy: lane.policy,
        produced: lane.produced,
        consumed: lane.consumed,
        dropped: lane.buffer.dropped(),
        waiting_at_end: waiting,
        held_by_producer: held,
        lost: lane.produced.saturating_sub(accounted),
        peak_depth: lane.buffer.peak(),
        peak_memory_bytes: lane.buffer.peak() * ITEM_BYTES,
        producer_blocked_ms: round_ms(lane.blocked_ms),
    }
}

/// Each buffer's depth over time, one line per policy.
fn buffer_chart(lanes: &Lanes, duration_ms: f64) -> Html {
    let series: Vec<(&'static str, Vec<(f64, usize)>)> = lanes
        .iter()
        .map(|lane| {
            let lane = lane.borrow();
            (lane.policy.label(), lane.depths.clone())
        })
        .collect();
    depth_chart::depth_chart(&series, duration_ms, "buffer")
}

fn explain(report: &Report) -> Html {
    html! {
        <>
            <table class="results">
                <thead><tr>
                    <th scope="col">{ "policy" }</th><th scope="col">{ "produced" }</th><th scope="col">{ "consumed" }</th>
                    <th scope="col">{ "dropped" }</th><th scope="col">{ "peak depth" }</th><th scope="col">{ "peak memory" }</th>
                    <th scope="col">{ "producer blocked" }</th>
                </tr></thead>
                <tbody>
                    { for report.policies.iter().map(|o| html! {
                        <tr>
                            <th scope="row">{ o.policy.label() }</th>
                            <td>{ o.produced }</td><td>{ o.consumed }</td><td>{ o.dropped }</td><td>{ o.peak_depth }</td>
                            <td>{ format!("{:.0} KiB", o.peak_memory_bytes as f64 / 1024.0) }</td>
                            <td>{ format!("{:.0} ms", o.producer_blocked_ms) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p>
                { format!(
                    "The producer offered {} items a second to a consumer that takes {}. ",
                    report.producer_per_s, report.consumer_per_s
                ) }
                { if report.producer_per_s > report.consumer_per_s {
                    "Unbounded, the buffer grew all run long: nothing lost, but memory grows as long as the producer is faster, until it runs out. \
                     The two drop policies kept the buffer at its capacity and paid in items: dropping the newest keeps stale data, dropping the oldest keeps the consumer on recent data. \
                     Blocking lost nothing and held the buffer at capacity by slowing the producer to the consumer's pace: that is backpressure."
                } else {
                    "The consumer keeps up, so every policy behaves the same: backpressure only matters when the producer is faster. Raise the producer's rate above the consumer's."
                } }
                { " Every item is accounted for: consumed, dropped, still waiting, or held by the blocked producer." }
            </p>
        </>
    }
}
