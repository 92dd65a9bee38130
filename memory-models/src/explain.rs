//! Why the Rust model allows an execution, in sentences a reader can check
//! against the picture.
//!
//! Three kinds of sentence, in this order: for each read of another
//! thread's write, whether the two synchronise and why (or why not); for
//! each read that sees an older value than another thread's write, why it
//! may; and, when no interleaving could give the outcome at all, the cycle
//! that proves it and what would have ruled that cycle out.

use std::collections::VecDeque;

use super::check::op_ordering;
use super::graph::Graph;
use super::relation::Relation;
use super::rust::{fits, outcome_of, Event, Program, Relations};
use super::{Op, Ordering, Test};

/// Sentences explaining a Rust-model witness of `test`: which reads
/// synchronise with the writes they read and which do not, which reads see
/// an older value, and the cycle that makes an outcome impossible under
/// sequential consistency. Empty if the graph is not an execution of
/// `test`.
pub fn explain(test: &Test, graph: &Graph) -> Vec<String> {
    let Some(program) = Program::new(test) else {
        return Vec::new();
    };
    if !fits(&program, &graph.execution) {
        return Vec::new();
    }
    let relations = Relations::new(&program, &graph.execution);
    let words = Words {
        test,
        program: &program,
        relations: &relations,
    };
    let mut sentences = Vec::new();
    let mut reads: Vec<(usize, usize)> = relations.rf.inverse().pairs().collect();
    reads.sort_unstable();
    for (r, w) in reads {
        if words.thread(w).is_some() && words.thread(w) != words.thread(r) {
            sentences.extend(words.reads_from(w, r));
        }
    }
    for (r, w) in relations
        .rf
        .inverse()
        .then(&relations.mo.immediate())
        .pairs()
    {
        if r != w && words.thread(w) != words.thread(r) {
            sentences.push(words.older_value(r, w));
        }
    }
    if let Some(cycle) = shortest_cycle(&words.order_graph()) {
        // The cycle proves this execution is no interleaving; the outcome
        // is none only if no other execution with it is one either.
        let outcome = outcome_of(test, &program, &graph.execution);
        let interleaving_gives_it = super::sc::outcomes(test)
            .map_or(true, |allowed| allowed.iter().any(|a| a.outcome == outcome));
        sentences.extend(words.cycle(&cycle, interleaving_gives_it));
    }
    sentences
}

/// What the sentences are made from.
struct Words<'a> {
    test: &'a Test,
    program: &'a Program,
    relations: &'a Relations,
}

impl Words<'_> {
    fn event(&self, e: usize) -> &Event {
        &self.program.events[e]
    }

    fn thread(&self, e: usize) -> Option<usize> {
        self.event(e).thread
    }

    fn op(&self, e: usize) -> Option<&Op> {
        let event = self.event(e);
        self.test.threads.get(event.thread?)?.get(event.op?)
    }

    fn loc_name(&self, e: usize) -> &str {
        self.event(e)
            .loc
            .and_then(|loc| self.test.locations.get(loc))
            .map_or("?", String::as_str)
    }

    /// "store", "load", "swap" or "fence".
    fn noun(&self, e: usize) -> &'static str {
        match self.op(e) {
            Some(Op::Store { .. }) | None => "store",
            Some(Op::Load { .. }) => "load",
            Some(Op::Swap { .. }) => "swap",
            Some(Op::Fence { .. }) => "fence",
        }
    }

    /// "T0's store of 1 to data", "T1's load of flag", "T1's swap of lock",
    /// or "the initial value 0 of data".
    fn name(&self, e: usize) -> String {
        let loc = self.loc_name(e);
        match (self.thread(e), self.op(e)) {
            (Some(t), Some(Op::Store { value, .. })) => format!("T{t}'s store of {value} to {loc}"),
            (Some(t), Some(Op::Load { .. })) => format!("T{t}'s load of {loc}"),
            (Some(t), Some(Op::Swap { value, .. })) => format!("T{t}'s swap of {value} into {loc}"),
            (Some(t), _) => format!("T{t}'s fence"),
            (None, _) => format!("the initial value 0 of {loc}"),
        }
    }

    /// "stores 1 to x", "loads y", "swaps 1 into lock": what a thread does.
    fn verb(&self, e: usize) -> String {
        let loc = self.loc_name(e);
        match self.op(e) {
            Some(Op::Store { value, .. }) => format!("stores {value} to {loc}"),
            Some(Op::Load { .. }) => format!("loads {loc}"),
            Some(Op::Swap { value, .. }) => format!("swaps {value} into {loc}"),
            _ => "runs its fence".to_owned(),
        }
    }

    fn ordering(&self, e: usize) -> String {
        self.op(e)
            .map_or_else(String::new, |op| op_ordering(op).name().to_owned())
    }

    fn has_fences(&self) -> bool {
        self.test
            .threads
            .iter()
            .flatten()
            .any(|op| matches!(op, Op::Fence { .. }))
    }

    /// Why the read `r` is (or is not) an acquire: its own ordering, or an
    /// acquire fence after it.
    fn acquire_side(&self, r: usize) -> Result<String, String> {
        let thread = self.thread(r).map_or(0, |t| t);
        if self.event(r).is_acquire() {
            return Ok(format!(
                "T{thread}'s {} is {}",
                self.noun(r),
                self.ordering(r)
            ));
        }
        let fence = (0..self.program.events.len()).find(|&f| {
            self.program.sb.has(r, f) && self.event(f).is_fence() && self.event(f).is_acquire()
        });
        match fence {
            Some(f) => Ok(format!(
                "T{thread}'s {} is followed by an {} fence",
                self.noun(r),
                self.ordering(f)
            )),
            None if self.has_fences() => Err(format!(
                "T{thread}'s {} is {} with no Acquire fence after it",
                self.noun(r),
                self.ordering(r)
            )),
            None => Err(format!(
                "T{thread}'s {} is {}",
                self.noun(r),
                self.ordering(r)
            )),
        }
    }

    /// Why the write `w` is (or is not) a release: its own ordering, a
    /// release fence before it, or a release sequence it continues.
    fn release_side(&self, w: usize) -> Result<String, String> {
        let thread = self.thread(w).map_or(0, |t| t);
        let head = (0..self.program.events.len()).find(|&e| self.relations.releases.has(e, w));
        match head {
            Some(e) if e == w => Ok(format!(
                "T{thread}'s {} is {}",
                self.noun(w),
                self.ordering(w)
            )),
            Some(e) if self.event(e).is_fence() && self.thread(e) == Some(thread) => Ok(format!(
                "T{thread}'s {} follows a {} fence",
                self.noun(w),
                self.ordering(e)
            )),
            Some(e) => Ok(format!(
                "{} carries on the release sequence of {}, which is {}",
                self.name(w),
                self.name(e),
                self.ordering(e)
            )),
            None if self.has_fences() => Err(format!(
                "T{thread}'s {} is {} with no Release fence before it",
                self.noun(w),
                self.ordering(w)
            )),
            None => Err(format!(
                "T{thread}'s {} is {}",
                self.noun(w),
                self.ordering(w)
            )),
        }
    }

    /// The read `r` reads the write `w` of another thread: do they
    /// synchronise? Said when they do, and when they do not but the writer
    /// did something before the write that the reader could then miss.
    fn reads_from(&self, w: usize, r: usize) -> Option<String> {
        let (writer, reader) = (
            self.thread(w).map_or(0, |t| t),
            self.thread(r).map_or(0, |t| t),
        );
        let head = format!("{} reads the value {} wrote", self.name(r), self.name(w));
        match (self.release_side(w), self.acquire_side(r)) {
            (Ok(release), Ok(acquire)) => {
                // The edge starts where the release is: the write itself, a
                // Release fence before it, or the head of the release
                // sequence the write carries on, perhaps in another thread.
                let start = (0..self.program.events.len())
                    .find(|&e| self.relations.releases.has(e, w))
                    .unwrap_or(w);
                let from = self.thread(start).map_or(writer, |t| t);
                let before = if self.event(start).is_fence() {
                    format!("its {} fence", self.ordering(start))
                } else {
                    format!("its {}", self.noun(start))
                };
                let after = if self.event(r).is_acquire() {
                    format!("its {}", self.noun(r))
                } else {
                    (0..self.program.events.len())
                        .find(|&f| {
                            self.program.sb.has(r, f)
                                && self.event(f).is_fence()
                                && self.event(f).is_acquire()
                        })
                        .map_or_else(
                            || format!("its {}", self.noun(r)),
                            |f| format!("its {} fence", self.ordering(f)),
                        )
                };
                Some(format!(
                    "{head}; {release} and {acquire}, so T{reader} synchronises with T{from} \
                     there: everything T{from} did before {before} happens-before everything \
                     T{reader} does after {after}."
                ))
            }
            (release, acquire) => {
                let before = self.earlier_accesses(w);
                if before.is_empty() {
                    return None;
                }
                let both_relaxed = release.is_err()
                    && acquire.is_err()
                    && self.event(w).ord == Ordering::Relaxed
                    && self.event(r).ord == Ordering::Relaxed;
                let reasons = if both_relaxed && !self.has_fences() {
                    "both are Relaxed".to_owned()
                } else {
                    let reasons: Vec<String> = [release.err(), acquire.err()]
                        .into_iter()
                        .flatten()
                        .collect();
                    reasons.join(" and ")
                };
                Some(format!(
                    "{head}, but {reasons}, so the two do not synchronise (there is no \
                     synchronises-with edge): what T{writer} did before the {} ({before}) does \
                     not happen-before what T{reader} does after the {}.",
                    self.noun(w),
                    self.noun(r)
                ))
            }
        }
    }

    /// "its store of 1 to data and its load of y": the accesses before `e`
    /// in its thread.
    fn earlier_accesses(&self, e: usize) -> String {
        let before: Vec<String> = (0..self.program.events.len())
            .filter(|&a| {
                self.program.sb.has(a, e) && !self.event(a).is_init() && !self.event(a).is_fence()
            })
            .map(|a| {
                let name = self.name(a);
                let own = name
                    .split_once("'s ")
                    .map_or(name.as_str(), |(_, rest)| rest);
                format!("its {own}")
            })
            .collect();
        before.join(" and ")
    }

    /// The read `r` sees an older value than the write `w`, next in `mo`
    /// after the one it read.
    fn older_value(&self, r: usize, w: usize) -> String {
        let source = self.program.events.len();
        let read = self
            .relations
            .rf
            .pairs()
            .find(|&(_, to)| to == r)
            .map_or(source, |(from, _)| from);
        let what = if read < source {
            self.name(read)
        } else {
            "a value".into()
        };
        format!(
            "{} reads {what}, not {}, which comes later in {}'s modification order: that {} \
             does not happen-before the {}, so the {} may still see the older value.",
            self.name(r),
            self.name(w),
            self.loc_name(w),
            self.noun(w),
            self.noun(r),
            self.noun(r)
        )
    }

    /// Program order between accesses, reads-from, modification order and
    /// from-read: the orders an interleaving would have to respect.
    fn order_graph(&self) -> Relation {
        let access = |e: usize| !self.event(e).is_init() && !self.event(e).is_fence();
        let po = self.program.sb.filter(|a, b| access(a) && access(b));
        po.union(&self.relations.rf)
            .union(&self.relations.mo)
            .union(&self.relations.fr)
            .filter(|a, b| access(a) && access(b))
    }

    /// The cycle in words, and why Rust does not rule it out.
    fn cycle(&self, cycle: &[usize], interleaving_gives_it: bool) -> Vec<String> {
        let steps: Vec<String> = cycle
            .iter()
            .zip(cycle.iter().cycle().skip(1))
            .map(|(&a, &b)| self.order_step(a, b))
            .collect();
        let what = if interleaving_gives_it {
            "this execution"
        } else {
            "this outcome"
        };
        let mut sentences = vec![format!(
            "No interleaving of the threads gives {what}, because it needs a cycle: {}.",
            join_and(&steps, "; ", "; and ")
        )];
        // A read that fails to synchronise with a write the cycle reaches
        // through program order: synchronising would have cut the cycle.
        let len = cycle.len();
        let unsynchronised = (0..len).any(|i| {
            let (before, a, b) = (cycle[(i + len - 1) % len], cycle[i], cycle[(i + 1) % len]);
            self.relations.rf.has(a, b)
                && self.thread(a) != self.thread(b)
                && !self.relations.sw.has(a, b)
                && self.thread(before) == self.thread(a)
        });
        let weak: Vec<String> = cycle
            .iter()
            .filter(|&&e| !self.event(e).is_sc())
            .map(|&e| self.name(e))
            .collect();
        if unsynchronised {
            sentences.push(
                "Rust allows the cycle: a read that does not synchronise with the write it reads \
                 orders none of the other locations' accesses around it."
                    .into(),
            );
        } else if !weak.is_empty() {
            let all = weak.len() == cycle.len();
            sentences.push(format!(
                "Only SeqCst accesses, or SeqCst fences between them, rule out a cycle like this; \
                 here {}.",
                if all {
                    "none of these accesses is SeqCst".to_owned()
                } else {
                    format!(
                        "{} {} not SeqCst",
                        join_and(&weak, ", ", " and "),
                        if weak.len() == 1 { "is" } else { "are" }
                    )
                }
            ));
        }
        sentences
    }

    /// One edge of the cycle as a clause.
    fn order_step(&self, a: usize, b: usize) -> String {
        let relations = self.relations;
        if self.thread(a) == self.thread(b) && self.program.sb.has(a, b) {
            let thread = self.thread(a).map_or(0, |t| t);
            format!("T{thread} {} before it {}", self.verb(a), self.verb(b))
        } else if relations.rf.has(a, b) {
            format!("{} reads the value {} wrote", self.name(b), self.name(a))
        } else if relations.mo.has(a, b) {
            format!("{} overwrites {}", self.name(b), self.name(a))
        } else {
            format!("{} reads a value older than {}", self.name(a), self.name(b))
        }
    }
}

/// "a, b and c": `separator` between the items, `last_separator` before
/// the last.
fn join_and(items: &[String], separator: &str, last_separator: &str) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{last_separator}{last}", rest.join(separator)),
    }
}

/// The shortest cycle of `relation`, starting from its lowest event, by a
/// breadth-first search from each event in turn.
fn shortest_cycle(relation: &Relation) -> Option<Vec<usize>> {
    let n = relation.len();
    let mut best: Option<Vec<usize>> = None;
    for start in 0..n {
        let mut parent = vec![None; n];
        let mut queue = VecDeque::from([start]);
        let mut closing = None;
        while let Some(a) = queue.pop_front() {
            if relation.has(a, start) {
                closing = Some(a);
                break;
            }
            let next: Vec<usize> = (0..n)
                .filter(|&b| relation.has(a, b) && b != start && parent[b].is_none())
                .collect();
            for b in next {
                parent[b] = Some(a);
                queue.push_back(b);
            }
        }
        let Some(mut last) = closing else { continue };
        let mut cycle = vec![last];
        while let Some(previous) = parent[last] {
            cycle.push(previous);
            last = previous;
        }
        cycle.reverse();
        if best.as_ref().is_none_or(|b| cycle.len() < b.len()) {
            best = Some(cycle);
        }
    }
    best
}
