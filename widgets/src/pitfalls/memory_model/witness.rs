//! How an allowed outcome comes about, in each model's own terms: an
//! interleaving under sequential consistency, ops and store-buffer drains
//! under x86-TSO, and the execution graph under the Rust model, drawn as SVG
//! with its edges labelled.

use yew::prelude::*;

use super::program::{code_around, ordering_of};
use book_memory_models::{explain, EdgeKind, Graph, Op, Ordering, Step, Test, TsoStep, Witness};

/// The op as one line of Rust, ordering included, without its `;`.
pub fn op_text(test: &Test, op: &Op) -> String {
    let (before, after) = code_around(test, op);
    format!("{before}{}{}", ordering_of(op), after.trim_end_matches(';'))
}

/// Thread `thread`'s op number `op`, if the test has it.
fn op_at(test: &Test, thread: usize, op: usize) -> Option<&Op> {
    test.threads.get(thread)?.get(op)
}

/// A witness as the reader reads it.
pub fn view(test: &Test, witness: &Witness) -> Html {
    match witness {
        Witness::Sc(steps) => interleaving(test, steps),
        Witness::X86Tso(steps) => store_buffers(test, steps),
        Witness::Rust(graph) => execution(test, graph),
    }
}

/// One interleaving, a step per line.
fn interleaving(test: &Test, steps: &[Step]) -> Html {
    html! {
        <>
            <p>{ "One interleaving that ends this way: every thread's steps in its own order, one at a time, each seeing every earlier write." }</p>
            <ol class="litmus-steps">
                { for steps.iter().map(|step| html! {
                    <li>{ format!("Thread {}: ", step.thread) }
                        <code>{ op_at(test, step.thread, step.op).map(|op| op_text(test, op)).unwrap_or_default() }</code></li>
                }) }
            </ol>
        </>
    }
}

/// Ops and drains, each line with every store buffer's contents after it.
fn store_buffers(test: &Test, steps: &[TsoStep]) -> Html {
    let name = |loc: usize| test.locations.get(loc).map_or("?", String::as_str);
    let mut buffers: Vec<Vec<(usize, u8)>> = vec![Vec::new(); test.threads.len()];
    let lines: Vec<(String, String)> = steps
        .iter()
        .map(|step| {
            let said = match *step {
                TsoStep::Run { thread, op } => {
                    let Some(op) = op_at(test, thread, op) else {
                        return (String::new(), String::new());
                    };
                    match *op {
                        Op::Store { loc, value, ord } if ord != Ordering::SeqCst => {
                            buffers[thread].push((loc, value));
                            format!(
                                "Thread {thread}: {} goes into its store buffer",
                                op_text(test, op)
                            )
                        }
                        Op::Store { .. } => format!(
                            "Thread {thread}: {}, an xchg: it waits for its buffer to empty, then writes memory",
                            op_text(test, op)
                        ),
                        Op::Swap { .. } => format!(
                            "Thread {thread}: {}, a lock xchg: it waits for its buffer to empty, then reads and writes memory in one step",
                            op_text(test, op)
                        ),
                        Op::Fence {
                            ord: Ordering::SeqCst,
                        } => format!(
                            "Thread {thread}: {}, an mfence: it waits for its buffer to empty",
                            op_text(test, op)
                        ),
                        Op::Fence { .. } => format!(
                            "Thread {thread}: {}, which compiles to nothing on x86",
                            op_text(test, op)
                        ),
                        Op::Load { .. } => format!("Thread {thread}: {}", op_text(test, op)),
                    }
                }
                TsoStep::Drain { thread, loc, value } => {
                    if !buffers[thread].is_empty() {
                        buffers[thread].remove(0);
                    }
                    format!(
                        "Thread {thread}'s buffer writes {} = {value} to memory",
                        name(loc)
                    )
                }
            };
            let contents = buffers
                .iter()
                .enumerate()
                .map(|(t, entries)| {
                    let entries: Vec<String> = entries
                        .iter()
                        .map(|(loc, value)| format!("{} = {value}", name(*loc)))
                        .collect();
                    format!("T{t} [{}]", entries.join(", "))
                })
                .collect::<Vec<_>>()
                .join("  ");
            (said, contents)
        })
        .collect();
    html! {
        <>
            <p>{ "One run on x86-TSO: a store waits in its thread's store buffer (first in, first out) until the buffer writes it to memory; a load reads its own thread's newest buffered store, else memory." }</p>
            <table class="results litmus-tso">
                <thead><tr><th>{ "step" }</th><th>{ "store buffers after it" }</th></tr></thead>
                <tbody>
                    { for lines.into_iter().map(|(said, contents)| html! {
                        <tr><td>{ said }</td><td><code>{ contents }</code></td></tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}

/// Where event `e` sits in the drawing: initial writes on a row above the
/// threads, each thread a column.
fn place(graph: &Graph, e: usize) -> (f64, f64) {
    let Some(event) = graph.events.get(e) else {
        return (0.0, 0.0);
    };
    match (event.thread, event.op) {
        (Some(thread), Some(op)) => (
            COLUMN * thread as f64 + COLUMN / 2.0,
            TOP + ROW * (op as f64 + 1.0),
        ),
        _ => (COLUMN * e as f64 + COLUMN / 2.0, TOP),
    }
}

/// Where the line from `from` to the centre of the box at `to` crosses the
/// box's border: half the box is [`HALF_WIDTH`] by [`HALF_HEIGHT`].
fn border(from: (f64, f64), to: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let inside = (dx.abs() / HALF_WIDTH).max(dy.abs() / HALF_HEIGHT);
    if inside <= 1.0 {
        return to;
    }
    (to.0 - dx / inside, to.1 - dy / inside)
}

/// Half an event box's width and height, with a little room for the arrowhead.
const HALF_WIDTH: f64 = 64.0;
const HALF_HEIGHT: f64 = 14.0;

/// The drawing's grid: a column per thread, a row per op.
const COLUMN: f64 = 170.0;
const ROW: f64 = 70.0;
const TOP: f64 = 24.0;

/// The edge's name as the literature writes it.
fn edge_name(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Sb => "sb",
        EdgeKind::Rf => "rf",
        EdgeKind::Mo => "mo",
        EdgeKind::Fr => "fr",
        EdgeKind::Sw => "sw",
        EdgeKind::Hb => "hb",
    }
}

/// The execution as a graph, and what it says in words.
fn execution(test: &Test, graph: &Graph) -> Html {
    let threads = test
        .threads
        .len()
        .max(graph.events.iter().filter(|e| e.thread.is_none()).count());
    let rows = test.threads.iter().map(Vec::len).max().unwrap_or(0);
    let width = COLUMN * threads as f64;
    let height = TOP + ROW * (rows as f64 + 0.6);
    let edges = graph.edges.iter().filter(|edge| edge.from != edge.to).map(|edge| {
        let ((x1, y1), (x2, y2)) = (place(graph, edge.from), place(graph, edge.to));
        // Edges between the same two columns bow apart by kind, so that an
        // rf and an fr between the same events do not cover each other.
        let bow = match edge.kind {
            EdgeKind::Sb => 0.0,
            EdgeKind::Rf => 18.0,
            EdgeKind::Mo => -18.0,
            EdgeKind::Fr => -30.0,
            EdgeKind::Sw => 30.0,
            EdgeKind::Hb => 42.0,
        };
        let (mx, my) = ((x1 + x2) / 2.0 + bow, (y1 + y2) / 2.0 - bow / 2.0);
        // Each end stops at its box's border, where the arrowhead shows.
        let ((x1, y1), (x2, y2)) = (border((mx, my), (x1, y1)), border((mx, my), (x2, y2)));
        let name = edge_name(edge.kind);
        html! {
            <g class={classes!("litmus-edge", format!("litmus-{name}"))}>
                <path d={format!("M{x1:.0},{y1:.0} Q{mx:.0},{my:.0} {x2:.0},{y2:.0}")} marker-end="url(#litmus-arrow)" />
                <text x={format!("{:.0}", (x1 + 2.0 * mx + x2) / 4.0 + 4.0)} y={format!("{:.0}", (y1 + 2.0 * my + y2) / 4.0)}>{ name }</text>
            </g>
        }
    });
    let events = graph.events.iter().enumerate().map(|(e, event)| {
        let (x, y) = place(graph, e);
        html! {
            <g class="litmus-event">
                <rect x={format!("{:.0}", x - 62.0)} y={format!("{:.0}", y - 12.0)} width="124" height="24" rx="4" />
                <text x={format!("{x:.0}")} y={format!("{:.0}", y + 4.0)} text-anchor="middle">{ event.label.clone() }</text>
            </g>
        }
    });
    let description = graph
        .edges
        .iter()
        .filter(|edge| edge.kind != EdgeKind::Sb)
        .filter_map(|edge| {
            let from = graph.events.get(edge.from)?;
            let to = graph.events.get(edge.to)?;
            Some(format!(
                "{} {} {}",
                from.label,
                edge_name(edge.kind),
                to.label
            ))
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        <>
            <p>{ "One execution the Rust model accepts: each box an event (W write, R read, RMW a swap's read and write, F fence, with its ordering: rlx, rel, acq, acq_rel, sc), each arrow a relation between two events." }</p>
            <svg class="litmus-graph" role="img" viewBox={format!("0 -8 {width:.0} {height:.0}")}
                 aria-label={format!("The execution graph: {description}")}>
                <defs>
                    <marker id="litmus-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" />
                    </marker>
                </defs>
                { for edges }
                { for events }
            </svg>
            <p class="note">{ "sb: sequenced before (program order). rf: reads from. mo: modification order (the order of writes to one location). fr: from-read (a read comes before the write that overwrites what it read). sw: synchronises with. hb: happens before." }</p>
            <ul class="litmus-why">
                { for explain(test, graph).into_iter().map(|line| html! { <li>{ line }</li> }) }
            </ul>
        </>
    }
}
