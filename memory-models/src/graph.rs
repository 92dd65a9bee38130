//! A Rust-model witness as a picture: the execution's events, labelled as
//! the literature writes them, and its edges, so the widget can draw the
//! happens-before graph as SVG without knowing the axioms.

use serde::Serialize;

use super::rust::{Event, Execution, Program, Relations};
use super::{Ordering, Test};

/// One consistent execution of a test: what the widget draws.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Graph {
    /// The initial writes (one per location, in location order), then each
    /// thread's ops in program order.
    pub events: Vec<GraphEvent>,
    /// The edges worth drawing, grouped by kind.
    pub edges: Vec<Edge>,
    /// The candidate's choices, kept so `explain` and the tests can
    /// derive everything again.
    #[serde(skip)]
    pub(crate) execution: Execution,
}

/// One event of a drawn execution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphEvent {
    /// The thread, or `None` for an initial write (drawn above the threads).
    pub thread: Option<usize>,
    /// The op's index in its thread; `None` for an initial write.
    pub op: Option<usize>,
    /// `W x=1 rel`, `R y=0 acq`, `F sc`, `RMW lock 1→0 acq`, or `W x=0` for
    /// an initial write: kind, location, value(s), ordering.
    pub label: String,
}

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// Program order, between consecutive ops of a thread.
    Sb,
    /// Reads-from: the write a read takes its value from.
    Rf,
    /// Modification order: the next write to the same location.
    Mo,
    /// From-read: a read to the write just after the one it read, in `mo`.
    Fr,
    /// Synchronises-with: a release write (or fence) to an acquire read (or
    /// fence) that reads from it.
    Sw,
    /// Happens-before between threads that is not itself a `sw` edge.
    Hb,
}

/// One drawn edge between two events (indices into [`Graph::events`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
}

/// An ordering as the RC11 literature abbreviates it.
pub fn short_ordering(ord: Ordering) -> &'static str {
    match ord {
        Ordering::Relaxed => "rlx",
        Ordering::Release => "rel",
        Ordering::Acquire => "acq",
        Ordering::AcqRel => "acq_rel",
        Ordering::SeqCst => "sc",
    }
}

/// The label of event `e` in the execution.
fn label(test: &Test, program: &Program, execution: &Execution, e: usize) -> String {
    let event: &Event = &program.events[e];
    let loc = event
        .loc
        .and_then(|loc| test.locations.get(loc))
        .map_or("?", String::as_str);
    let read = execution
        .rf
        .get(e)
        .copied()
        .flatten()
        .and_then(|w| program.events[w].writes)
        .unwrap_or(0);
    let ord = short_ordering(event.ord);
    match (event.is_read(), event.writes) {
        _ if event.is_init() => format!("W {loc}={}", event.writes.unwrap_or(0)),
        (true, Some(written)) => format!("RMW {loc} {read}→{written} {ord}"),
        (true, None) => format!("R {loc}={read} {ord}"),
        (false, Some(written)) => format!("W {loc}={written} {ord}"),
        (false, None) => format!("F {ord}"),
    }
}

impl Graph {
    /// The picture of a consistent execution of `test`.
    pub(crate) fn new(test: &Test, program: &Program, execution: Execution) -> Graph {
        let relations = Relations::new(program, &execution);
        let events = (0..program.events.len())
            .map(|e| GraphEvent {
                thread: program.events[e].thread,
                op: program.events[e].op,
                label: label(test, program, &execution, e),
            })
            .collect();
        let mut edges = Vec::new();
        let mut add = |relation: &super::relation::Relation, kind: EdgeKind| {
            edges.extend(relation.pairs().map(|(from, to)| Edge { from, to, kind }));
        };
        let po = program
            .sb
            .filter(|a, _| !program.events[a].is_init())
            .immediate();
        add(&po, EdgeKind::Sb);
        add(&relations.rf, EdgeKind::Rf);
        let mo_next = relations.mo.immediate();
        add(&mo_next, EdgeKind::Mo);
        // A read's from-read edge to the next write after the one it read
        // (the later ones follow by mo); a swap's own is its mo edge.
        let fr_next = relations.rf.inverse().then(&mo_next).filter(|a, b| a != b);
        add(&fr_next, EdgeKind::Fr);
        add(&relations.sw, EdgeKind::Sw);
        let thread_of = |e: usize| program.events[e].thread;
        let hb_across = relations.hb.filter(|a, b| {
            thread_of(a).is_some() && thread_of(b).is_some() && thread_of(a) != thread_of(b)
        });
        add(&hb_across.minus(&relations.sw), EdgeKind::Hb);
        Graph {
            events,
            edges,
            execution,
        }
    }
}
