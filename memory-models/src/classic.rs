//! The classic litmus tests, and the orderings a reader may give each op.
//!
//! Every test starts with its accesses `Relaxed` (fences `SeqCst`, the one
//! kind of fence the test is about), the setting where the models differ
//! most; the reader strengthens them one op at a time.

use super::{Loc, Op, Ordering, Outcome, Reg, Test, Value};

/// `loc.store(value, Relaxed)`.
pub(crate) fn store(loc: Loc, value: Value) -> Op {
    Op::Store {
        loc,
        value,
        ord: Ordering::Relaxed,
    }
}

/// `let reg = loc.load(Relaxed)`.
pub(crate) fn load(loc: Loc, reg: Reg) -> Op {
    Op::Load {
        loc,
        reg,
        ord: Ordering::Relaxed,
    }
}

/// `let reg = loc.swap(value, Relaxed)`.
pub(crate) fn swap(loc: Loc, reg: Reg, value: Value) -> Op {
    Op::Swap {
        loc,
        reg,
        value,
        ord: Ordering::Relaxed,
    }
}

/// `fence(ord)`.
pub(crate) fn fence(ord: Ordering) -> Op {
    Op::Fence { ord }
}

/// Names from string literals.
pub(crate) fn names(names: &[&str]) -> Vec<String> {
    names.iter().map(|&name| name.to_owned()).collect()
}

/// A test that asks about register values only.
pub(crate) fn test(
    slug: &str,
    name: &str,
    locations: &[&str],
    threads: Vec<Vec<Op>>,
    asks: &[Value],
) -> Test {
    Test {
        slug: slug.into(),
        name: name.into(),
        locations: names(locations),
        registers: (0..asks.len()).map(|r| format!("r{r}")).collect(),
        threads,
        asks: Outcome {
            registers: asks.to_vec(),
            memory: Vec::new(),
        },
    }
}

/// The six classic tests: message passing, store buffering, load
/// buffering, IRIW, 2+2W and store buffering with fences.
pub fn classic() -> Vec<Test> {
    let (x, y) = (0, 1);
    let (data, flag) = (0, 1);
    let two_plus_two = Test {
        registers: Vec::new(),
        asks: Outcome {
            registers: Vec::new(),
            memory: vec![1, 1],
        },
        ..test(
            "2+2w",
            "2+2W: two threads writing two locations in opposite orders",
            &["x", "y"],
            vec![
                vec![store(x, 1), store(y, 2)],
                vec![store(y, 1), store(x, 2)],
            ],
            &[],
        )
    };
    vec![
        test(
            "mp",
            "Message passing",
            &["data", "flag"],
            vec![
                vec![store(data, 1), store(flag, 1)],
                vec![load(flag, 0), load(data, 1)],
            ],
            &[1, 0],
        ),
        test(
            "sb",
            "Store buffering",
            &["x", "y"],
            vec![vec![store(x, 1), load(y, 0)], vec![store(y, 1), load(x, 1)]],
            &[0, 0],
        ),
        test(
            "lb",
            "Load buffering",
            &["x", "y"],
            vec![vec![load(x, 0), store(y, 1)], vec![load(y, 1), store(x, 1)]],
            &[1, 1],
        ),
        test(
            "iriw",
            "IRIW: independent reads of independent writes",
            &["x", "y"],
            vec![
                vec![store(x, 1)],
                vec![store(y, 1)],
                vec![load(x, 0), load(y, 1)],
                vec![load(y, 2), load(x, 3)],
            ],
            &[1, 0, 1, 0],
        ),
        two_plus_two,
        test(
            "sb+fences",
            "Store buffering with fences",
            &["x", "y"],
            vec![
                vec![store(x, 1), fence(Ordering::SeqCst), load(y, 0)],
                vec![store(y, 1), fence(Ordering::SeqCst), load(x, 1)],
            ],
            &[0, 0],
        ),
    ]
}

/// The classic test with this slug.
pub fn classic_test(slug: &str) -> Option<Test> {
    classic().into_iter().find(|test| test.slug == slug)
}

/// The orderings Rust accepts for an op of this kind, weakest first; any
/// other panics at run time.
pub fn orderings_for(op: &Op) -> &'static [Ordering] {
    use Ordering::*;
    match op {
        Op::Store { .. } => &[Relaxed, Release, SeqCst],
        Op::Load { .. } => &[Relaxed, Acquire, SeqCst],
        Op::Swap { .. } => &[Relaxed, Release, Acquire, AcqRel, SeqCst],
        Op::Fence { .. } => &[Release, Acquire, AcqRel, SeqCst],
    }
}

/// "a store", "a load", "a swap" or "a fence": for messages.
pub fn op_kind(op: &Op) -> &'static str {
    match op {
        Op::Store { .. } => "a store",
        Op::Load { .. } => "a load",
        Op::Swap { .. } => "a swap",
        Op::Fence { .. } => "a fence",
    }
}

/// "Relaxed, Release or SeqCst": a list of orderings for messages.
pub fn ordering_list(orderings: &[Ordering]) -> String {
    let names: Vec<String> = orderings.iter().map(|ord| format!("{ord}")).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

impl Test {
    /// The test with op `op` of thread `thread` (both from 0) given
    /// ordering `ord`: how the reader's choices reach the checker. Refuses
    /// an op the test lacks and an ordering Rust does not accept for it.
    pub fn with_ordering(&self, thread: usize, op: usize, ord: Ordering) -> Result<Test, String> {
        let mut test = self.clone();
        let Some(slot) = test.threads.get_mut(thread).and_then(|ops| ops.get_mut(op)) else {
            return Err(format!("the test has no operation {} in T{thread}", op + 1));
        };
        if !orderings_for(slot).contains(&ord) {
            return Err(format!(
                "{} cannot be {ord}; it takes {}",
                op_kind(slot),
                ordering_list(orderings_for(slot))
            ));
        }
        match slot {
            Op::Store { ord: old, .. }
            | Op::Load { ord: old, .. }
            | Op::Swap { ord: old, .. }
            | Op::Fence { ord: old } => *old = ord,
        }
        Ok(test)
    }
}
