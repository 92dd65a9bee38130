//! The actor model (§10): a chat room of user actors on this page's event
//! loop ([`engine`]). Each actor has a mailbox and shares no memory;
//! the live chart shows the mailboxes' depths, a slow user's mailbox grows,
//! and a faulty user fails now and then and its supervisor restarts it.

use serde::Serialize;
use yew::prelude::*;

use crate::kit::depth_chart;
use crate::kit::fields::{buttons, use_form, Field};
use crate::kit::frame::{result_json, WidgetFrame};
use crate::kit::run::{use_run, Run};
use crate::round_ms;
use book_content::directive::WidgetKind;

pub mod engine;

use engine::{run, ChatOutcome, ChatRoom};

/// The figures a run writes to `data-result`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Report {
    users: usize,
    messages: u64,
    interval_ms: u32,
    slow_ms: u32,
    crash_every: u64,
    deliveries_expected: u64,
    handled: u64,
    lost: u64,
    failures: u64,
    restarts: u64,
    room_peak_depth: usize,
    typical_peak_depth: usize,
    slow_peak_depth: usize,
    /// How often the actor handling a message changed: they take turns.
    switches: u64,
    elapsed_ms: f64,
}

type Sample = (f64, usize, usize, usize);
type Samples = Vec<Sample>;

/// The numbers the reader sets.
const FIELDS: [Field; 5] = [
    Field {
        id: "actors-users",
        label: "Users",
        min: 2,
        max: 5_000,
        initial: 1000,
    },
    Field {
        id: "actors-messages",
        label: "Chat messages",
        min: 1,
        max: 500,
        initial: 100,
    },
    Field {
        id: "actors-interval",
        label: "One message every, ms",
        min: 1,
        max: 1_000,
        initial: 10,
    },
    Field {
        id: "actors-slow",
        label: "The slow user's time per message, ms",
        min: 0,
        max: 100,
        initial: 20,
    },
    Field {
        id: "actors-crash",
        label: "The faulty user fails every n messages (0: never)",
        min: 0,
        max: 500,
        initial: 25,
    },
];

#[function_component(ActorsChatRoom)]
pub fn actors_chat_room() -> Html {
    // While it runs: the mailboxes' depths as they are sampled.
    let run_state = use_run::<Samples, (Box<Report>, Samples)>();
    let form = use_form(&FIELDS);
    let running = run_state.is_running();
    let start = {
        let (run_state, form) = (run_state.clone(), form.clone());
        Callback::from(move |_| {
            let Some(values) = run_state.read_to_start(&form) else {
                return;
            };
            let room = ChatRoom {
                users: values[0] as usize,
                messages: values[1],
                interval_ms: values[2] as u32,
                slow_ms: values[3] as u32,
                crash_every: values[4],
            };
            run_state.start(Vec::new(), move |control, live| async move {
                let outcome = run(room, control, move |samples: &[Sample]| {
                    live.show(samples.to_vec())
                })
                .await;
                let samples = outcome.samples.clone();
                Ok((Box::new(report(room, &outcome)), samples))
            });
        })
    };
    let result = run_state.done().and_then(|(report, _)| result_json(report));
    html! {
        <WidgetFrame kind={WidgetKind::ActorsChatRoom} {result} busy={running}>
            { buttons("Open the chat room", running, start, run_state.cancel()) }
            <div class="lab-controls">{ form.inputs() }</div>
            { form.notes() }
            <div class="widget-output" role="status" aria-live="polite">
                { match run_state.state() {
                    Run::Idle => html! { <p>{ "A room actor forwards every chat message to each user actor's mailbox; each actor handles its mail one message at a time, on this page's one thread." }</p> },
                    Run::Running(samples) => chart(samples),
                    Run::Done((report, samples)) => html! { <>{ chart(samples) }{ explain(report) }</> },
                    Run::Cancelled => html! { <p>{ "Stopped." }</p> },
                    Run::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                } }
            </div>
        </WidgetFrame>
    }
}

fn report(room: ChatRoom, outcome: &ChatOutcome) -> Report {
    Report {
        users: room.users,
        messages: room.messages,
        interval_ms: room.interval_ms,
        slow_ms: room.slow_ms,
        crash_every: room.crash_every,
        deliveries_expected: outcome.expected,
        handled: outcome.handled,
        lost: outcome.lost,
        failures: outcome.failures,
        restarts: outcome.restarts,
        room_peak_depth: outcome.room_peak,
        typical_peak_depth: outcome.typical_peak,
        slow_peak_depth: outcome.slow_peak,
        switches: outcome.switches,
        elapsed_ms: round_ms(outcome.elapsed_ms),
    }
}

fn chart(samples: &Samples) -> Html {
    let end = samples.last().map_or(1.0, |s| s.0);
    let series = [
        (
            "the room's mailbox",
            samples.iter().map(|s| (s.0, s.1)).collect(),
        ),
        (
            "the deepest other mailbox",
            samples.iter().map(|s| (s.0, s.2)).collect(),
        ),
        (
            "the slow user's mailbox",
            samples.iter().map(|s| (s.0, s.3)).collect(),
        ),
    ];
    depth_chart::depth_chart(&series, end, "mailbox")
}

fn explain(report: &Report) -> Html {
    html! {
        <p>
            { format!(
                "{} chat messages to {} users: {} deliveries, {} handled and {} lost. Every mailbox but one stayed shallow (at most {} waiting): \
                 the actors took turns on one thread, switching {} times, and each handled its mail as it came. ",
                report.messages, report.users, report.deliveries_expected, report.handled, report.lost,
                report.typical_peak_depth, report.switches
            ) }
            { if report.slow_ms > 0 {
                format!("The slow user needed {} ms a message, longer than the {} ms between messages, so its mailbox grew to {}: an actor that cannot keep up needs backpressure or more instances. ",
                    report.slow_ms, report.interval_ms, report.slow_peak_depth)
            } else {
                String::new()
            } }
            { if report.failures > 0 {
                format!("The faulty user failed {} times; each time its supervisor started it again with an empty mailbox ({} restarts), so the room never noticed, and the messages in the failed mailbox were the only loss. Nothing else was shared, so nothing else was corrupted.",
                    report.failures, report.restarts)
            } else {
                String::new()
            } }
        </p>
    }
}
