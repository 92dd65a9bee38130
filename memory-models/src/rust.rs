//! The Rust model: RC11's axioms (Lahav, Vafeiadis, Kang, Hur and Dreyer,
//! "Repairing sequential consistency in C/C++11", PLDI 2017), checked on
//! every candidate execution of a test.
//!
//! A candidate execution fixes, for every read, the write it reads from
//! (`rf`), and for every location the order of its writes (`mo`, the
//! initial write first). The axioms then keep the candidates a Rust
//! program may produce: coherence, atomic swaps, and acyclic partial SC
//! order. RC11's fourth axiom, no-thin-air (`sb ∪ rf` acyclic), is left out
//! as the module doc says, so load buffering stays allowed as in C++20.
//!
//! A swap is one event that both reads and writes (RC11 splits it in two,
//! joined by `rmw`); the axioms are adapted as usual: `fr` drops the swap's
//! edge to itself, `(rf ; rmw)*` becomes `rf` into swaps, and atomicity says
//! a swap reads from the write just before it in `mo`, which also rules out
//! the one cycle the split form catches through the swap's internal `sb`.
//! Release sequences are C++20's, not RC11's C++11 ones (see
//! `Relations::new`).

use std::collections::BTreeMap;

use super::check::{project, Allowed, TooBig, Witness, MAX_EXECUTIONS};
use super::graph::Graph;
use super::relation::{Relation, MAX_EVENTS};
use super::{Loc, Op, Ordering, Outcome, Reg, Test, Value};

/// One event: an initial write (no thread) or one op of one thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    /// The thread, or `None` for an initial write.
    pub thread: Option<usize>,
    /// The op's index in its thread, `None` for an initial write.
    pub op: Option<usize>,
    /// The location accessed; a fence has none.
    pub loc: Option<Loc>,
    /// The register a load or swap reads into.
    pub reg: Option<Reg>,
    /// The value a store, swap or initial write writes.
    pub writes: Option<Value>,
    pub ord: Ordering,
}

impl Event {
    /// An initial write, before everything and in no thread.
    pub fn is_init(&self) -> bool {
        self.thread.is_none()
    }
    /// A load or a swap: it takes its value from some write.
    pub fn is_read(&self) -> bool {
        self.reg.is_some()
    }
    /// An initial write, a store or a swap: it has a place in `mo`.
    pub fn is_write(&self) -> bool {
        self.writes.is_some()
    }
    /// A swap: read and write in one indivisible event.
    pub fn is_rmw(&self) -> bool {
        self.is_read() && self.is_write()
    }
    /// A fence: the one event with no location.
    pub fn is_fence(&self) -> bool {
        self.loc.is_none()
    }
    /// Release, AcqRel or SeqCst, on a write or fence: a load's
    /// ordering has no release half (and `validate` refuses one anyway).
    pub fn is_release(&self) -> bool {
        (self.is_write() || self.is_fence())
            && !self.is_init()
            && matches!(
                self.ord,
                Ordering::Release | Ordering::AcqRel | Ordering::SeqCst
            )
    }
    /// Acquire, AcqRel or SeqCst, on a read or fence.
    pub fn is_acquire(&self) -> bool {
        (self.is_read() || self.is_fence())
            && matches!(
                self.ord,
                Ordering::Acquire | Ordering::AcqRel | Ordering::SeqCst
            )
    }
    /// A SeqCst access or fence (initial writes are not).
    pub fn is_sc(&self) -> bool {
        !self.is_init() && self.ord == Ordering::SeqCst
    }
}

/// A test's events and the relations that do not depend on the candidate:
/// program order, and which events share a location.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    pub events: Vec<Event>,
    /// `sb`, program order, with every initial write before every op.
    pub sb: Relation,
}

/// A test's events: `0..locations` are the initial writes, then each
/// thread's ops in order.
fn events(test: &Test) -> Vec<Event> {
    let mut events: Vec<Event> = (0..test.locations.len())
        .map(|loc| Event {
            thread: None,
            op: None,
            loc: Some(loc),
            reg: None,
            writes: Some(0),
            ord: Ordering::Relaxed,
        })
        .collect();
    for (t, ops) in test.threads.iter().enumerate() {
        for (i, op) in ops.iter().enumerate() {
            let (loc, reg, writes, ord) = match *op {
                Op::Store { loc, value, ord } => (Some(loc), None, Some(value), ord),
                Op::Load { loc, reg, ord } => (Some(loc), Some(reg), None, ord),
                Op::Swap {
                    loc,
                    reg,
                    value,
                    ord,
                } => (Some(loc), Some(reg), Some(value), ord),
                Op::Fence { ord } => (None, None, None, ord),
            };
            events.push(Event {
                thread: Some(t),
                op: Some(i),
                loc,
                reg,
                writes,
                ord,
            });
        }
    }
    events
}

impl Program {
    /// The test's events and program order; `None` past [`MAX_EVENTS`]
    /// events, which the shape bounds keep every checked test below.
    pub fn new(test: &Test) -> Option<Program> {
        let events = events(test);
        if events.len() > MAX_EVENTS {
            return None;
        }
        let sb = Relation::from_fn(events.len(), |a, b| {
            let (a, b) = (&events[a], &events[b]);
            match (a.thread, b.thread) {
                (None, Some(_)) => true,
                (Some(ta), Some(tb)) => ta == tb && a.op < b.op,
                _ => false,
            }
        });
        Some(Program { events, sb })
    }

    /// Whether events `a` and `b` access the same location.
    pub fn same_loc(&self, a: usize, b: usize) -> bool {
        self.events[a].loc.is_some() && self.events[a].loc == self.events[b].loc
    }

    /// The identity on the events `keep` accepts.
    fn only(&self, keep: impl Fn(&Event) -> bool) -> Relation {
        Relation::identity_on(self.events.len(), |a| keep(&self.events[a]))
    }
}

/// One candidate's choices: what each read reads from and each location's
/// write order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Execution {
    /// For each event that reads, the write it reads from.
    pub rf: Vec<Option<usize>>,
    /// For each location, its writes in modification order, initial first.
    pub mo: Vec<Vec<usize>>,
}

/// The relations of one candidate execution the axioms and the pictures use.
#[derive(Debug, Clone)]
pub(crate) struct Relations {
    pub rf: Relation,
    pub mo: Relation,
    pub fr: Relation,
    pub sw: Relation,
    pub hb: Relation,
    pub eco: Relation,
    /// `[E⊒rel] ; ([F] ; sb)? ; rs`: from each release event (or release
    /// fence) to the writes whose readers may synchronise with it.
    pub releases: Relation,
}

impl Relations {
    /// Derives everything from the candidate's `rf` and `mo`.
    pub fn new(program: &Program, execution: &Execution) -> Relations {
        let n = program.events.len();
        let mut rf = Relation::empty(n);
        for (r, w) in execution.rf.iter().enumerate() {
            if let Some(w) = *w {
                rf.add(w, r);
            }
        }
        let mut mo = Relation::empty(n);
        for order in &execution.mo {
            for (i, &a) in order.iter().enumerate() {
                for &b in &order[i + 1..] {
                    mo.add(a, b);
                }
            }
        }
        let identity = Relation::identity_on(n, |_| true);
        let fr = rf.inverse().then(&mo).minus(&identity);
        let writes = program.only(Event::is_write);
        let sb = &program.sb;

        // rs = [W] ; (rf ; [RMW])*: C++20's release sequence (P0982R1), the
        // write and the unbroken run of read-modify-writes after it. RC11
        // states C++11's, which also runs through the same thread's later
        // stores to the location.
        let rs = writes.then(&rf.then(&program.only(Event::is_rmw)).closure().reflexive());
        // sw = [E⊒rel] ; ([F] ; sb)? ; rs ; rf ; [R] ; (sb ; [F])? ; [E⊒acq]
        let release = program.only(Event::is_release);
        let fence = program.only(Event::is_fence);
        let before = release.union(&release.then(&fence).then(sb));
        let to_release_sequence = before.then(&rs);
        let acquire = program.only(Event::is_acquire);
        let after = acquire.union(&sb.then(&fence).then(&acquire));
        let sw = to_release_sequence.then(&rf).then(&after);
        let hb = sb.union(&sw).closure();
        let eco = rf.union(&mo).union(&fr).closure();
        Relations {
            rf,
            mo,
            fr,
            sw,
            hb,
            eco,
            releases: to_release_sequence,
        }
    }

    /// COHERENCE: `hb ; eco?` irreflexive (with `eco` itself irreflexive,
    /// which the split form of a swap gets from its internal `sb`).
    fn coherent(&self) -> bool {
        self.hb.is_irreflexive()
            && self.eco.is_irreflexive()
            && self.hb.then(&self.eco).is_irreflexive()
    }

    /// SC: the partial SC order `psc = psc_base ∪ psc_F` is acyclic, where
    /// `scb = sb ∪ sb≠loc ; hb ; sb≠loc ∪ hb|loc ∪ mo ∪ fr`,
    /// `psc_base = ([E_sc] ∪ [F_sc] ; hb?) ; scb ; ([E_sc] ∪ hb? ; [F_sc])`
    /// and `psc_F = [F_sc] ; (hb ∪ hb ; eco ; hb) ; [F_sc]`.
    fn sc_acyclic(&self, program: &Program) -> bool {
        let sc = program.only(Event::is_sc);
        if sc.is_empty() {
            return true;
        }
        let sb = &program.sb;
        let f_sc = program.only(|e| e.is_sc() && e.is_fence());
        let sb_other = sb.filter(|a, b| !program.same_loc(a, b));
        let hb_loc = self.hb.filter(|a, b| program.same_loc(a, b));
        let scb = sb
            .union(&sb_other.then(&self.hb).then(&sb_other))
            .union(&hb_loc)
            .union(&self.mo)
            .union(&self.fr);
        let left = sc.union(&f_sc.then(&self.hb));
        let right = sc.union(&self.hb.then(&f_sc));
        let psc_base = left.then(&scb).then(&right);
        let hb_eco_hb = self.hb.then(&self.eco).then(&self.hb);
        let psc_f = f_sc.then(&self.hb.union(&hb_eco_hb)).then(&f_sc);
        psc_base.union(&psc_f).is_acyclic()
    }

    /// Whether the candidate satisfies every axiom but atomicity, which
    /// [`atomic`] checks first, as it is cheap.
    pub fn consistent(&self, program: &Program) -> bool {
        self.coherent() && self.sc_acyclic(program)
    }
}

/// ATOMICITY: every swap reads from the write just before it in `mo`.
pub(crate) fn atomic(program: &Program, execution: &Execution) -> bool {
    program.events.iter().enumerate().all(|(e, event)| {
        if !event.is_rmw() {
            return true;
        }
        let Some(order) = event.loc.and_then(|loc| execution.mo.get(loc)) else {
            return false;
        };
        let before = order
            .iter()
            .position(|&w| w == e)
            .and_then(|i| i.checked_sub(1))
            .map(|i| order[i]);
        before.is_some() && execution.rf.get(e).copied().flatten() == before
    })
}

/// The outcome of a candidate: each register holds what its read read, and
/// each location the value of its `mo`-last write.
pub(crate) fn outcome_of(test: &Test, program: &Program, execution: &Execution) -> Outcome {
    let written = |w: usize| program.events[w].writes.unwrap_or(0);
    let mut registers = vec![0; test.registers.len()];
    for (event, source) in program.events.iter().zip(&execution.rf) {
        if let (Some(reg), Some(w)) = (event.reg, *source) {
            if let Some(slot) = registers.get_mut(reg) {
                *slot = written(w);
            }
        }
    }
    let memory: Vec<Value> = execution
        .mo
        .iter()
        .map(|order| order.last().map_or(0, |&w| written(w)))
        .collect();
    project(test, registers, &memory)
}

/// How many candidate executions a test has: the product of each read's
/// choice of write and each location's orders of its writes. Saturates.
pub fn candidate_count(test: &Test) -> u64 {
    let (reads, orders) = choices_sizes(&events(test), test.locations.len());
    reads
        .iter()
        .chain(&orders)
        .fold(1u64, |count, &k| count.saturating_mul(k))
}

/// Each read's number of writes to choose from, and each location's number
/// of write orders (`k!` for `k` writes after the initial one).
fn choices_sizes(events: &[Event], locations: usize) -> (Vec<u64>, Vec<u64>) {
    let writes_to = |loc: usize| {
        events
            .iter()
            .filter(|e| e.is_write() && e.loc == Some(loc))
            .count() as u64
    };
    let reads = events
        .iter()
        .filter(|e| e.is_read())
        .map(|e| {
            e.loc
                .map_or(0, writes_to)
                .saturating_sub(u64::from(e.is_write()))
        })
        .collect();
    let orders = (0..locations)
        .map(|loc| (1..writes_to(loc)).fold(1u64, |f, k| f.saturating_mul(k)))
        .collect();
    (reads, orders)
}

/// Every order of `items`, in lexicographic order of positions.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.is_empty() {
        return vec![Vec::new()];
    }
    let mut all = Vec::new();
    for (i, &first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            all.push(tail);
        }
    }
    all
}

/// Advances a mixed-radix counter; false once it wraps around to all zeros.
fn advance(counter: &mut [usize], radix: &[usize]) -> bool {
    for (digit, &base) in counter.iter_mut().zip(radix) {
        *digit += 1;
        if *digit < base {
            return true;
        }
        *digit = 0;
    }
    false
}

/// Every outcome of `test` under the Rust model, each with the first
/// consistent execution found for it. Counts the candidates first and
/// refuses over [`MAX_EXECUTIONS`]. The test must be valid.
pub(crate) fn outcomes(test: &Test) -> Result<Vec<Allowed>, TooBig> {
    let executions = candidate_count(test);
    if executions > MAX_EXECUTIONS {
        return Err(TooBig::Executions { executions });
    }
    let Some(program) = Program::new(test) else {
        return Err(TooBig::Executions { executions });
    };
    let events = &program.events;
    let reads: Vec<usize> = (0..events.len()).filter(|&e| events[e].is_read()).collect();
    let sources: Vec<Vec<usize>> = reads
        .iter()
        .map(|&r| {
            (0..events.len())
                .filter(|&w| w != r && events[w].is_write() && program.same_loc(w, r))
                .collect()
        })
        .collect();
    let orders: Vec<Vec<Vec<usize>>> = (0..test.locations.len())
        .map(|loc| {
            let later: Vec<usize> = (test.locations.len()..events.len())
                .filter(|&w| events[w].is_write() && events[w].loc == Some(loc))
                .collect();
            permutations(&later)
                .into_iter()
                .map(|order| std::iter::once(loc).chain(order).collect())
                .collect()
        })
        .collect();
    let radix: Vec<usize> = sources
        .iter()
        .map(Vec::len)
        .chain(orders.iter().map(Vec::len))
        .collect();
    if radix.contains(&0) {
        return Ok(Vec::new());
    }
    let mut found: BTreeMap<Outcome, Execution> = BTreeMap::new();
    let mut counter = vec![0; radix.len()];
    loop {
        let mut rf = vec![None; events.len()];
        for (i, &r) in reads.iter().enumerate() {
            rf[r] = Some(sources[i][counter[i]]);
        }
        let mo = orders
            .iter()
            .zip(&counter[reads.len()..])
            .map(|(choices, &k)| choices[k].clone())
            .collect();
        let execution = Execution { rf, mo };
        if atomic(&program, &execution) && Relations::new(&program, &execution).consistent(&program)
        {
            let outcome = outcome_of(test, &program, &execution);
            found.entry(outcome).or_insert(execution);
        }
        if !advance(&mut counter, &radix) {
            break;
        }
    }
    Ok(found
        .into_iter()
        .map(|(outcome, execution)| Allowed {
            outcome,
            witness: Witness::Rust(Graph::new(test, &program, execution)),
        })
        .collect())
}

/// Whether `execution` is a candidate execution of `program` at all: every
/// read reads a write to its location, and each location's order lists its
/// writes once each, the initial one first.
pub(crate) fn fits(program: &Program, execution: &Execution) -> bool {
    let events = &program.events;
    if execution.rf.len() != events.len() {
        return false;
    }
    let reads_right = events
        .iter()
        .enumerate()
        .all(|(r, event)| match execution.rf[r] {
            None => !event.is_read(),
            Some(w) => {
                event.is_read()
                    && w < events.len()
                    && w != r
                    && events[w].is_write()
                    && program.same_loc(w, r)
            }
        });
    let locations = events.iter().filter(|e| e.is_init()).count();
    let orders_right = execution.mo.len() == locations
        && execution.mo.iter().enumerate().all(|(loc, order)| {
            let mut sorted = order.clone();
            sorted.sort_unstable();
            let expected: Vec<usize> = (0..events.len())
                .filter(|&w| events[w].is_write() && events[w].loc == Some(loc))
                .collect();
            order.first() == Some(&loc) && sorted == expected
        });
    reads_right && orders_right
}

/// Whether `graph` is a consistent execution of `test` that ends in
/// `outcome`: lets the tests check every Rust witness on its own.
pub fn witnesses(test: &Test, graph: &Graph, outcome: &Outcome) -> bool {
    let Some(program) = Program::new(test) else {
        return false;
    };
    let execution = &graph.execution;
    fits(&program, execution)
        && atomic(&program, execution)
        && Relations::new(&program, execution).consistent(&program)
        && outcome_of(test, &program, execution) == *outcome
}
