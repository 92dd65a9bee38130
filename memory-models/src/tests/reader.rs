//! Host tests of what the reader sees: the drawn graphs, the explanations,
//! permalinks and the puzzles' grades.

use super::super::classic::{fence, load, store, swap, test};
use super::*;

use Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};

/// The Rust-model witness of `outcome` (register values).
fn rust_graph(test: &Test, registers: &[Value]) -> Graph {
    outcomes(test, Model::Rust)
        .expect("checked")
        .into_iter()
        .find(|a| a.outcome.registers == registers)
        .and_then(|a| match a.witness {
            Witness::Rust(graph) => Some(graph),
            _ => None,
        })
        .expect("an allowed outcome")
}

fn edges(graph: &Graph, kind: EdgeKind) -> Vec<(String, String)> {
    graph
        .edges
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| {
            (
                graph.events[e.from].label.clone(),
                graph.events[e.to].label.clone(),
            )
        })
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

#[test]
fn the_graph_labels_events_and_draws_synchronisation() {
    let mp = with(&find("mp"), &[(0, 1, Release), (1, 0, Acquire)]);
    let graph = rust_graph(&mp, &[1, 1]);
    let labels: Vec<&str> = graph.events.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "W data=0",
            "W flag=0",
            "W data=1 rlx",
            "W flag=1 rel",
            "R flag=1 acq",
            "R data=1 rlx"
        ]
    );
    assert_eq!(graph.events[0].thread, None);
    assert_eq!(
        (graph.events[4].thread, graph.events[4].op),
        (Some(1), Some(0))
    );
    assert_eq!(
        edges(&graph, EdgeKind::Sw),
        [pair("W flag=1 rel", "R flag=1 acq")]
    );
    assert_eq!(
        edges(&graph, EdgeKind::Sb),
        [
            pair("W data=1 rlx", "W flag=1 rel"),
            pair("R flag=1 acq", "R data=1 rlx")
        ]
    );
    assert_eq!(
        edges(&graph, EdgeKind::Rf),
        [
            pair("W data=1 rlx", "R data=1 rlx"),
            pair("W flag=1 rel", "R flag=1 acq")
        ]
    );
    assert_eq!(
        edges(&graph, EdgeKind::Mo),
        [
            pair("W data=0", "W data=1 rlx"),
            pair("W flag=0", "W flag=1 rel")
        ]
    );
    assert_eq!(edges(&graph, EdgeKind::Fr), []);
    assert_eq!(
        edges(&graph, EdgeKind::Hb),
        [
            pair("W data=1 rlx", "R flag=1 acq"),
            pair("W data=1 rlx", "R data=1 rlx"),
            pair("W flag=1 rel", "R data=1 rlx")
        ]
    );
    // Relaxed, the stale read of data shows as a from-read edge.
    let graph = rust_graph(&find("mp"), &[1, 0]);
    assert_eq!(edges(&graph, EdgeKind::Sw), []);
    assert_eq!(
        edges(&graph, EdgeKind::Fr),
        [pair("R data=0 rlx", "W data=1 rlx")]
    );
    // A swap is one event that reads and writes.
    let lock = puzzle("spinlock").expect("a puzzle").answer;
    let graph = rust_graph(&lock, &[1, 1]);
    assert!(graph
        .events
        .iter()
        .any(|e| e.label == "RMW unlocked 1→0 acq"));
    assert_eq!(
        edges(&graph, EdgeKind::Sw),
        [pair("W unlocked=1 rel", "RMW unlocked 1→0 acq")]
    );
    let fences = rust_graph(&mp_fences(), &[1, 1]);
    assert_eq!(edges(&fences, EdgeKind::Sw), [pair("F rel", "F acq")]);
}

fn explained(test: &Test, registers: &[Value]) -> Vec<String> {
    explain(test, &rust_graph(test, registers))
}

#[test]
fn explanations_name_the_missing_synchronisation() {
    let mp = explained(&find("mp"), &[1, 0]);
    assert_eq!(
        mp,
        [
            "T1's load of flag reads the value T0's store of 1 to flag wrote, but both are \
             Relaxed, so the two do not synchronise (there is no synchronises-with edge): what \
             T0 did before the store (its store of 1 to data) does not happen-before what T1 \
             does after the load.",
            "T1's load of data reads the initial value 0 of data, not T0's store of 1 to data, \
             which comes later in data's modification order: that store does not happen-before \
             the load, so the load may still see the older value.",
            "No interleaving of the threads gives this outcome, because it needs a cycle: T0 \
             stores 1 to data before it stores 1 to flag; T1's load of flag reads the value \
             T0's store of 1 to flag wrote; T1 loads flag before it loads data; and T1's load of \
             data reads a value older than T0's store of 1 to data.",
            "Rust allows the cycle: a read that does not synchronise with the write it reads \
             orders none of the other locations' accesses around it.",
        ]
    );
    let half = explained(&with(&find("mp"), &[(0, 1, Release)]), &[1, 0]);
    assert!(
        half[0].contains("but T1's load is Relaxed, so the two do not synchronise"),
        "{half:?}"
    );
    let synchronised = explained(
        &with(&find("mp"), &[(0, 1, Release), (1, 0, Acquire)]),
        &[1, 1],
    );
    assert!(
        synchronised.iter().any(|s| s.contains(
            "T0's store is Release and T1's load is Acquire, so T1 synchronises with T0 there"
        )),
        "{synchronised:?}"
    );
    let fenced = explained(&mp_fences(), &[1, 1]);
    assert!(
        fenced.iter().any(|s| s.contains(
            "T0's store follows a Release fence and T1's load is followed by an Acquire fence"
        )),
        "{fenced:?}"
    );
    let broken_fence = explained(&with(&mp_fences(), &[(1, 1, Release)]), &[1, 0]);
    assert!(
        broken_fence[0].contains("T1's load is Relaxed with no Acquire fence after it"),
        "{broken_fence:?}"
    );
}

#[test]
fn explanations_say_what_seq_cst_would_rule_out() {
    let sb = explained(&find("sb"), &[0, 0]);
    assert_eq!(
        sb.last().map(String::as_str),
        Some(
            "Only SeqCst accesses, or SeqCst fences between them, rule out a cycle like this; \
             here none of these accesses is SeqCst."
        )
    );
    let stores_only = explained(
        &with(&find("sb"), &[(0, 0, SeqCst), (1, 0, SeqCst)]),
        &[0, 0],
    );
    assert!(
        stores_only
            .iter()
            .any(|s| s.ends_with("here T0's load of y and T1's load of x are not SeqCst.")),
        "{stores_only:?}"
    );
    // An outcome some interleaving gives needs no cycle.
    let plain = explained(&find("sb"), &[1, 1]);
    assert!(plain.iter().all(|s| !s.contains("cycle")), "{plain:?}");
    // A graph of another test explains nothing.
    assert!(explain(&find("lb"), &rust_graph(&find("iriw"), &[1, 0, 1, 0])).is_empty());
}

#[test]
fn permalinks_round_trip() {
    let mp = with(&find("mp"), &[(0, 1, Release), (1, 0, Acquire)]);
    assert_eq!(to_permalink(&mp), "mp.rl-ar");
    assert_eq!(parse_permalink("mp.rl-ar"), Ok(mp));
    assert_eq!(to_permalink(&find("sb+fences")), "sb+fences.rsr-rsr");
    assert_eq!(to_permalink(&find("iriw")), "iriw.r-r-rr-rr");
    let mut links = 0;
    let bases = classic()
        .into_iter()
        .chain(puzzles().into_iter().map(|p| p.test));
    for base in bases {
        for test in every_ordering(&base) {
            let link = to_permalink(&test);
            assert_eq!(parse_permalink(&link), Ok(test), "{link}");
            links += 1;
        }
    }
    assert_eq!(links, 81 * 4 + 729 + 81 * 16 + 5 * 3 * 3 * 3 + 81 + 81);
}

#[test]
fn permalinks_refuse_nonsense_with_a_reason() {
    let cases = [
        (
            "mp",
            "“mp” is not a litmus permalink: one reads like mp.rl-ar (the test, a dot, then one \
             letter per operation, r Relaxed, l Release, a Acquire, q AcqRel, s SeqCst, with a - \
             between threads)",
        ),
        ("mp.", "“mp.” is not a litmus permalink"),
        ("mp.rr-rr.rr", "“mp.rr-rr.rr” is not a litmus permalink"),
        (
            "xyz.rr-rr",
            "there is no test “xyz”; the tests are mp, sb, lb, iriw, 2+2w, sb+fences, spinlock, \
             dekker, lazy-init",
        ),
        (
            "mp.rr",
            "the link gives orderings for 1 threads, but the test has 2",
        ),
        (
            "mp.rrr-rr",
            "the link gives 3 orderings for T0, which has 2 operations",
        ),
        (
            "mp.rx-rr",
            "“x” (T0, operation 2) names no ordering; the letters are r, l, a, q and s",
        ),
        (
            "mp.ra-rr",
            "T0's operation 2 is a store, which cannot be Acquire; it takes Relaxed, Release or \
             SeqCst",
        ),
        (
            "sb+fences.rrr-rsr",
            "T0's operation 2 is a fence, which cannot be Relaxed; it takes Release, Acquire, \
             AcqRel or SeqCst",
        ),
        (
            "mp.rr-lr",
            "T1's operation 1 is a load, which cannot be Release; it takes Relaxed, Acquire or \
             SeqCst",
        ),
    ];
    for (link, message) in cases {
        let error = parse_permalink(link).expect_err(link).to_string();
        assert!(error.starts_with(message), "{link}: {error}");
    }
    let essay = "a".repeat(500);
    let error = parse_permalink(&essay).expect_err("no dot").to_string();
    assert!(
        error.starts_with(&format!("“{}…”", "a".repeat(40))),
        "{error}"
    );
}

fn the_puzzle(slug: &str) -> Puzzle {
    puzzle(slug).expect("a puzzle")
}

#[test]
fn relaxed_puzzles_are_broken_and_the_textbook_answers_are_weakest() {
    for puzzle in puzzles() {
        let slug = puzzle.test.slug.clone();
        assert_eq!(validate(&puzzle.test), Ok(()), "{slug}");
        assert_eq!(
            puzzle.bad,
            std::slice::from_ref(&puzzle.test.asks),
            "{slug}"
        );
        match grade(&puzzle, &puzzle.test).expect("graded") {
            Grade::Broken {
                outcome,
                witness,
                explanation,
            } => {
                assert_eq!(outcome, puzzle.test.asks, "{slug}");
                assert!(rust_witnesses(&puzzle.test, &witness, &outcome), "{slug}");
                assert!(
                    explanation.iter().any(|s| s.contains("cycle")),
                    "{slug}: {explanation:?}"
                );
            }
            other => panic!("{slug}: {other:?}"),
        }
        assert_eq!(grade(&puzzle, &puzzle.answer), Ok(Grade::Weakest), "{slug}");
        // Under SC the bad outcome never happens: the puzzles are about
        // the weaker model.
        assert!(!allowed(&puzzle.test, Model::Sc), "{slug}");
    }
    let explanation = match grade(&the_puzzle("spinlock"), &the_puzzle("spinlock").test) {
        Ok(Grade::Broken { explanation, .. }) => explanation,
        other => panic!("{other:?}"),
    };
    assert!(
        explanation[0].starts_with(
            "T1's swap of 0 into unlocked reads the value T0's store of 1 to unlocked wrote, but \
             both are Relaxed"
        ),
        "{explanation:?}"
    );
}

#[test]
fn seq_cst_everywhere_is_stronger_than_needed() {
    let spinlock = the_puzzle("spinlock");
    assert_eq!(
        grade(&spinlock, &all_seq_cst(&spinlock.test)),
        Ok(Grade::StrongerThanNeeded {
            op: (0, 0),
            could_be: Release
        })
    );
    let lazy = the_puzzle("lazy-init");
    assert_eq!(
        grade(&lazy, &all_seq_cst(&lazy.test)),
        Ok(Grade::StrongerThanNeeded {
            op: (0, 0),
            could_be: Release
        })
    );
    // An AcqRel swap where Acquire is enough.
    let acq_rel = with(&spinlock.answer, &[(1, 0, AcqRel)]);
    assert_eq!(
        grade(&spinlock, &acq_rel),
        Ok(Grade::StrongerThanNeeded {
            op: (1, 0),
            could_be: Acquire
        })
    );
    // Dekker needs all four SeqCst: each one weaker lets both threads in.
    let dekker = the_puzzle("dekker");
    assert_eq!(dekker.answer, all_seq_cst(&dekker.test));
    for (t, i, weaker) in [
        (0, 0, Release),
        (0, 1, Acquire),
        (1, 0, Release),
        (1, 1, Acquire),
    ] {
        let graded = grade(&dekker, &with(&dekker.answer, &[(t, i, weaker)]));
        assert!(
            matches!(graded, Ok(Grade::Broken { .. })),
            "{t} {i}: {graded:?}"
        );
    }
    // A half-repaired lazy init is still broken.
    let half = with(&lazy.test, &[(0, 1, Release)]);
    assert!(matches!(grade(&lazy, &half), Ok(Grade::Broken { .. })));
}

#[test]
fn grading_refuses_another_program() {
    let lazy = the_puzzle("lazy-init");
    let refused = grade(&lazy, &find("mp")).expect_err("not the puzzle's program");
    assert_eq!(
        refused.to_string(),
        "this is not the “Lazy initialisation” puzzle's program: only orderings may change"
    );
}

#[test]
fn one_step_weaker_follows_the_lattice_within_what_rust_accepts() {
    let cases = [
        (store(0, 1), SeqCst, vec![Release]),
        (store(0, 1), Release, vec![Relaxed]),
        (store(0, 1), Relaxed, vec![]),
        (load(0, 0), SeqCst, vec![Acquire]),
        (swap(0, 0, 1), SeqCst, vec![AcqRel]),
        (swap(0, 0, 1), AcqRel, vec![Release, Acquire]),
        (fence(SeqCst), SeqCst, vec![AcqRel]),
        (fence(SeqCst), Acquire, vec![]),
    ];
    for (op, ord, expected) in cases {
        let test = test("one", "One op", &["x"], vec![vec![op]], &[0; 1]);
        let mut test = test;
        if !matches!(op, Op::Load { .. } | Op::Swap { .. }) {
            test.registers.clear();
            test.asks.registers.clear();
        }
        let op = test.with_ordering(0, 0, ord).expect("accepted").threads[0][0];
        assert_eq!(one_step_weaker(&op), expected, "{op:?}");
    }
    assert!(is_weaker(Relaxed, Acquire) && is_weaker(Release, AcqRel));
    assert!(!is_weaker(Release, Acquire) && !is_weaker(SeqCst, SeqCst));
}

#[test]
fn a_synchronising_read_names_where_the_edge_starts_and_ends() {
    // Message passing with a Release fence before the flag's store and an
    // Acquire fence after its load: the edge runs fence to fence.
    let mp = classic_test("mp").expect("mp");
    let fenced = Test {
        threads: vec![
            vec![mp.threads[0][0], fence(Release), mp.threads[0][1]],
            vec![mp.threads[1][0], fence(Acquire), mp.threads[1][1]],
        ],
        ..mp.clone()
    };
    let said = explain(&fenced, &rust_graph(&fenced, &[1, 1])).join(" ");
    assert!(
        said.contains(
            "T1 synchronises with T0 there: everything T0 did before its Release fence \
             happens-before everything T1 does after its Acquire fence."
        ),
        "{said}"
    );

    // Through another thread's swap: the edge starts at T0's Release store,
    // not in the swapping thread.
    let through_swap = Test {
        registers: classic::names(&["r0", "r1", "r2"]),
        asks: Outcome {
            registers: vec![2, 1, 1],
            memory: Vec::new(),
        },
        ..super::release_sequence(swap(1, 2, 2))
    };
    let said = explain(&through_swap, &rust_graph(&through_swap, &[2, 1, 1])).join(" ");
    assert!(said.contains("T2 synchronises with T0 there"), "{said}");
    assert!(!said.contains("synchronises with T1"), "{said}");
}
