//! Host tests of the checker against the published results of the classic
//! tests, and of the properties every answer must have: the models nest,
//! every witness reproduces its outcome, and the bounds refuse in time.

use std::collections::BTreeSet;

use super::classic::{fence, load, store, swap, test};
use super::*;

use Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};

mod reader;

fn find(slug: &str) -> Test {
    classic_test(slug).expect("a classic test")
}

/// The test with several ops' orderings changed: `(thread, op, ordering)`.
fn with(test: &Test, changes: &[(usize, usize, Ordering)]) -> Test {
    changes.iter().fold(test.clone(), |test, &(t, i, ord)| {
        test.with_ordering(t, i, ord)
            .expect("an ordering the op accepts")
    })
}

/// The test with every op given the strongest ordering it accepts.
fn all_seq_cst(test: &Test) -> Test {
    let mut changes = Vec::new();
    for (t, ops) in test.threads.iter().enumerate() {
        for i in 0..ops.len() {
            changes.push((t, i, SeqCst));
        }
    }
    with(test, &changes)
}

fn allowed(test: &Test, model: Model) -> bool {
    allows_asked(test, model).expect("a test the checker accepts")
}

fn outcome_set(test: &Test, model: Model) -> BTreeSet<Outcome> {
    outcomes(test, model)
        .expect("a test the checker accepts")
        .into_iter()
        .map(|a| a.outcome)
        .collect()
}

fn regs(values: &[&[Value]]) -> BTreeSet<Outcome> {
    values
        .iter()
        .map(|r| Outcome {
            registers: r.to_vec(),
            memory: Vec::new(),
        })
        .collect()
}

fn mem(values: &[&[Value]]) -> BTreeSet<Outcome> {
    values
        .iter()
        .map(|m| Outcome {
            registers: Vec::new(),
            memory: m.to_vec(),
        })
        .collect()
}

/// MP with Relaxed accesses and a Release fence before the flag's store,
/// an Acquire fence after its load.
fn mp_fences() -> Test {
    test(
        "mp+fences",
        "Message passing with fences",
        &["data", "flag"],
        vec![
            vec![store(0, 1), fence(Release), store(1, 1)],
            vec![load(1, 0), fence(Acquire), load(0, 1)],
        ],
        &[1, 0],
    )
}

#[test]
fn classic_tests_are_valid_and_named_as_the_permalinks_expect() {
    let slugs: Vec<String> = classic().into_iter().map(|t| t.slug).collect();
    assert_eq!(slugs, ["mp", "sb", "lb", "iriw", "2+2w", "sb+fences"]);
    for test in classic() {
        assert_eq!(validate(&test), Ok(()), "{}", test.slug);
    }
    assert_eq!(validate(&mp_fences()), Ok(()));
}

#[test]
fn sc_forbids_every_asked_outcome_whatever_the_orderings() {
    for test in classic() {
        assert!(!allowed(&test, Model::Sc), "{}", test.slug);
        assert!(!allowed(&all_seq_cst(&test), Model::Sc), "{}", test.slug);
    }
    assert!(!allowed(&mp_fences(), Model::Sc));
}

#[test]
fn sc_outcome_sets_are_the_interleavings() {
    assert_eq!(
        outcome_set(&find("mp"), Model::Sc),
        regs(&[&[0, 0], &[0, 1], &[1, 1]])
    );
    assert_eq!(
        outcome_set(&find("sb"), Model::Sc),
        regs(&[&[0, 1], &[1, 0], &[1, 1]])
    );
    assert_eq!(
        outcome_set(&find("lb"), Model::Sc),
        regs(&[&[0, 0], &[0, 1], &[1, 0]])
    );
    assert_eq!(
        outcome_set(&find("2+2w"), Model::Sc),
        mem(&[&[1, 2], &[2, 1], &[2, 2]])
    );
    assert_eq!(outcome_set(&find("iriw"), Model::Sc).len(), 15);
}

#[test]
fn x86_tso_allows_store_buffering_and_nothing_else() {
    let sb = find("sb");
    assert_eq!(
        outcome_set(&sb, Model::X86Tso),
        regs(&[&[0, 0], &[0, 1], &[1, 0], &[1, 1]])
    );
    let rel_acq = with(
        &sb,
        &[
            (0, 0, Release),
            (0, 1, Acquire),
            (1, 0, Release),
            (1, 1, Acquire),
        ],
    );
    assert!(allowed(&rel_acq, Model::X86Tso));
    // A SeqCst store is an xchg, which drains the buffer.
    assert!(!allowed(
        &with(&sb, &[(0, 0, SeqCst), (1, 0, SeqCst)]),
        Model::X86Tso
    ));
    // One xchg is not enough: the other thread's store still waits.
    assert!(allowed(&with(&sb, &[(0, 0, SeqCst)]), Model::X86Tso));
    // SeqCst loads are plain movs.
    assert!(allowed(
        &with(&sb, &[(0, 1, SeqCst), (1, 1, SeqCst)]),
        Model::X86Tso
    ));
    let fences = find("sb+fences");
    assert!(!allowed(&fences, Model::X86Tso));
    // Every other fence compiles to nothing.
    assert!(allowed(
        &with(&fences, &[(0, 1, AcqRel), (1, 1, AcqRel)]),
        Model::X86Tso
    ));
    for slug in ["mp", "lb", "iriw", "2+2w"] {
        assert!(!allowed(&find(slug), Model::X86Tso), "{slug}");
        assert_eq!(
            outcome_set(&find(slug), Model::X86Tso),
            outcome_set(&find(slug), Model::Sc),
            "{slug}"
        );
    }
}

#[test]
fn rust_message_passing_needs_release_and_acquire_on_the_flag() {
    let mp = find("mp");
    assert_eq!(
        outcome_set(&mp, Model::Rust),
        regs(&[&[0, 0], &[0, 1], &[1, 0], &[1, 1]])
    );
    let rel_acq = with(&mp, &[(0, 1, Release), (1, 0, Acquire)]);
    assert!(!allowed(&rel_acq, Model::Rust));
    assert!(allowed(&with(&mp, &[(0, 1, Release)]), Model::Rust));
    assert!(allowed(&with(&mp, &[(1, 0, Acquire)]), Model::Rust));
    // Ordering the data instead of the flag does not help.
    assert!(allowed(
        &with(&mp, &[(0, 0, Release), (1, 1, Acquire)]),
        Model::Rust
    ));
    assert!(!allowed(&mp_fences(), Model::Rust));
    let one_fence = with(&mp_fences(), &[(1, 1, Release)]);
    assert!(allowed(&one_fence, Model::Rust));
}

#[test]
fn rust_store_buffering_needs_seq_cst() {
    let sb = find("sb");
    assert!(allowed(&sb, Model::Rust));
    let rel_acq = with(
        &sb,
        &[
            (0, 0, Release),
            (0, 1, Acquire),
            (1, 0, Release),
            (1, 1, Acquire),
        ],
    );
    assert!(allowed(&rel_acq, Model::Rust));
    assert!(!allowed(&all_seq_cst(&sb), Model::Rust));
    // Three SeqCst accesses out of four are not enough.
    assert!(allowed(
        &with(&sb, &[(0, 0, SeqCst), (0, 1, SeqCst), (1, 0, SeqCst)]),
        Model::Rust
    ));
    let fences = find("sb+fences");
    assert!(!allowed(&fences, Model::Rust));
    assert!(allowed(
        &with(&fences, &[(0, 1, AcqRel), (1, 1, AcqRel)]),
        Model::Rust
    ));
    assert!(allowed(&with(&fences, &[(0, 1, AcqRel)]), Model::Rust));
}

#[test]
fn rust_load_buffering_is_allowed_without_synchronisation() {
    let lb = find("lb");
    assert_eq!(
        outcome_set(&lb, Model::Rust),
        regs(&[&[0, 0], &[0, 1], &[1, 0], &[1, 1]])
    );
    let rel_acq = with(
        &lb,
        &[
            (0, 0, Acquire),
            (0, 1, Release),
            (1, 0, Acquire),
            (1, 1, Release),
        ],
    );
    assert!(!allowed(&rel_acq, Model::Rust));
    assert!(allowed(
        &with(&lb, &[(0, 0, Acquire), (0, 1, Release)]),
        Model::Rust
    ));
}

#[test]
fn rust_iriw_needs_seq_cst_everywhere() {
    let iriw = find("iriw");
    assert!(allowed(&iriw, Model::Rust));
    assert_eq!(outcome_set(&iriw, Model::Rust).len(), 16);
    let rel_acq = with(
        &iriw,
        &[
            (0, 0, Release),
            (1, 0, Release),
            (2, 0, Acquire),
            (2, 1, Acquire),
            (3, 0, Acquire),
            (3, 1, Acquire),
        ],
    );
    assert!(allowed(&rel_acq, Model::Rust));
    assert!(!allowed(&all_seq_cst(&iriw), Model::Rust));
}

#[test]
fn rust_two_plus_two_writes_needs_seq_cst_stores() {
    let w = find("2+2w");
    assert_eq!(
        outcome_set(&w, Model::Rust),
        mem(&[&[1, 1], &[1, 2], &[2, 1], &[2, 2]])
    );
    let release = with(
        &w,
        &[
            (0, 0, Release),
            (0, 1, Release),
            (1, 0, Release),
            (1, 1, Release),
        ],
    );
    assert!(allowed(&release, Model::Rust));
    assert!(!allowed(&all_seq_cst(&w), Model::Rust));
}

#[test]
fn a_swap_reads_the_latest_write() {
    // Two swaps of the same location never both read 0.
    let swaps = test(
        "swaps",
        "Two swaps",
        &["x"],
        vec![vec![swap(0, 0, 1)], vec![swap(0, 1, 2)]],
        &[0, 0],
    );
    let expected = regs(&[&[0, 1], &[2, 0]]);
    for model in [Model::Sc, Model::X86Tso, Model::Rust] {
        assert_eq!(outcome_set(&swaps, model), expected, "{model:?}");
    }
}

/// Every way to give the test's ops orderings Rust accepts.
fn every_ordering(test: &Test) -> Vec<Test> {
    let mut all = vec![test.clone()];
    for (t, ops) in test.threads.iter().enumerate() {
        for (i, op) in ops.iter().enumerate() {
            all = all
                .iter()
                .flat_map(|test| {
                    orderings_for(op)
                        .iter()
                        .map(move |&ord| with(test, &[(t, i, ord)]))
                })
                .collect();
        }
    }
    all
}

#[test]
fn models_nest_under_every_ordering() {
    let mut checked = 0;
    for base in classic() {
        for test in every_ordering(&base) {
            let sc = outcome_set(&test, Model::Sc);
            let tso = outcome_set(&test, Model::X86Tso);
            let rust = outcome_set(&test, Model::Rust);
            assert!(sc.is_subset(&tso), "SC ⊄ TSO: {test:?}");
            assert!(tso.is_subset(&rust), "TSO ⊄ Rust: {test:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 81 * 4 + 729 + 81 * 16);
}

#[test]
fn every_witness_reaches_its_outcome() {
    let mut tests = classic();
    tests.push(mp_fences());
    tests.extend(classic().iter().map(all_seq_cst));
    for test in &tests {
        for model in [Model::Sc, Model::X86Tso, Model::Rust] {
            for allowed in outcomes(test, model).expect("checked") {
                match &allowed.witness {
                    Witness::Sc(steps) => {
                        assert_eq!(model, Model::Sc);
                        assert_eq!(replay_sc(test, steps), Ok(allowed.outcome.clone()));
                    }
                    Witness::X86Tso(steps) => {
                        assert_eq!(model, Model::X86Tso);
                        assert_eq!(replay_tso(test, steps), Ok(allowed.outcome.clone()));
                    }
                    Witness::Rust(graph) => {
                        assert_eq!(model, Model::Rust);
                        assert!(rust_witnesses(test, graph, &allowed.outcome), "{test:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn coherence_holds_in_every_model_even_relaxed() {
    // CoRR: two reads of one location by one thread never see it go back.
    let corr = test(
        "corr",
        "Coherence of two reads",
        &["x"],
        vec![vec![store(0, 1)], vec![load(0, 0), load(0, 1)]],
        &[1, 0],
    );
    // CoWR: a thread reads its own store, or a later one.
    let cowr = test(
        "cowr",
        "Coherence of a write then a read",
        &["x"],
        vec![vec![store(0, 1), load(0, 0)], vec![store(0, 2)]],
        &[0],
    );
    for model in [Model::Sc, Model::X86Tso, Model::Rust] {
        assert_eq!(
            outcome_set(&corr, model),
            regs(&[&[0, 0], &[0, 1], &[1, 1]]),
            "{model:?}"
        );
        assert_eq!(outcome_set(&cowr, model), regs(&[&[1], &[2]]), "{model:?}");
    }
}

/// T0 publishes data with a Release store to flag; T1 overwrites flag with
/// `write` (Relaxed); T2 reads flag's second value with Acquire, then data.
pub(super) fn release_sequence(write: Op) -> Test {
    test(
        "rs",
        "Release sequence",
        &["data", "flag"],
        vec![
            vec![store(0, 1), store(1, 1)],
            vec![write],
            vec![load(1, 0), load(0, 1)],
        ],
        &[2, 0],
    )
    .with_ordering(0, 1, Release)
    .and_then(|t| t.with_ordering(2, 0, Acquire))
    .expect("valid orderings")
}

#[test]
fn a_swap_carries_on_a_release_sequence_and_a_store_does_not() {
    // T1's swap reads T0's store: T2 synchronises with T0 through it.
    let through_swap = Test {
        registers: classic::names(&["r0", "r1", "r2"]),
        asks: Outcome {
            registers: vec![2, 0, 1],
            memory: Vec::new(),
        },
        ..release_sequence(swap(1, 2, 2))
    };
    assert!(!allowed(&through_swap, Model::Rust));
    let mut swap_read_init = through_swap.clone();
    swap_read_init.asks.registers = vec![2, 0, 0];
    assert!(allowed(&swap_read_init, Model::Rust));
    // A plain store by another thread, after T0's in flag's order (flag
    // ends at 2), ends the release sequence (C++11 and C++20 alike): T2 may
    // miss data.
    let mut through_store = release_sequence(store(1, 2));
    through_store.asks.memory = vec![1, 2];
    assert!(allowed(&through_store, Model::Rust));
    assert!(!allowed(&through_store, Model::X86Tso));
    assert!(!allowed(&through_store, Model::Sc));
}

#[test]
fn a_later_store_of_the_releasing_thread_ends_its_release_sequence() {
    // T0: data = 1; flag.store(1, Release); flag.store(2, Relaxed)
    // T1: r0 = flag.load(Acquire); r1 = data.load(Relaxed)
    // Reading 2, T1 synchronises with nothing in C++20 (P0982R1 took the
    // releasing thread's later stores out of release sequences), so it may
    // miss data; under RC11's C++11 sequences it could not.
    let test = Test {
        slug: "rs-same-thread".into(),
        name: "release sequence, same thread".into(),
        locations: vec!["data".into(), "flag".into()],
        registers: vec!["r0".into(), "r1".into()],
        threads: vec![
            vec![
                Op::Store {
                    loc: 0,
                    value: 1,
                    ord: Relaxed,
                },
                Op::Store {
                    loc: 1,
                    value: 1,
                    ord: Release,
                },
                Op::Store {
                    loc: 1,
                    value: 2,
                    ord: Relaxed,
                },
            ],
            vec![
                Op::Load {
                    loc: 1,
                    reg: 0,
                    ord: Acquire,
                },
                Op::Load {
                    loc: 0,
                    reg: 1,
                    ord: Relaxed,
                },
            ],
        ],
        asks: Outcome {
            registers: vec![2, 0],
            memory: Vec::new(),
        },
    };
    assert!(allowed(&test, Model::Rust));
    assert!(!allowed(&test, Model::X86Tso));
    // Reading the Release store itself still synchronises.
    let mut reads_one = test.clone();
    reads_one.asks.registers = vec![1, 0];
    assert!(!allowed(&reads_one, Model::Rust));
}

#[test]
fn rc11_repairs_mixing_seq_cst_fences_and_accesses() {
    // SB with SeqCst accesses on one side and a SeqCst fence on the other:
    // forbidden in RC11 (C11 forbade it too).
    let sb = find("sb+fences");
    let mixed = Test {
        threads: vec![
            vec![sb.threads[0][0], sb.threads[0][2]],
            sb.threads[1].clone(),
        ],
        ..sb.clone()
    };
    let mixed = with(&mixed, &[(0, 0, SeqCst), (0, 1, SeqCst)]);
    assert!(!allowed(&mixed, Model::Rust));
    assert!(allowed(&with(&mixed, &[(1, 1, AcqRel)]), Model::Rust));
    // IRIW with SeqCst fences between the reads, everything else Relaxed:
    // allowed by C11, forbidden by RC11 and C++20.
    let iriw = find("iriw");
    let fenced = Test {
        threads: vec![
            iriw.threads[0].clone(),
            iriw.threads[1].clone(),
            vec![load(0, 0), fence(SeqCst), load(1, 1)],
            vec![load(1, 2), fence(SeqCst), load(0, 3)],
        ],
        ..iriw
    };
    assert!(!allowed(&fenced, Model::Rust));
    assert!(allowed(&with(&fenced, &[(2, 1, AcqRel)]), Model::Rust));
}

#[test]
fn validate_rejects_malformed_tests() {
    let mp = find("mp");
    let mut twice = mp.clone();
    twice.threads[1][1] = load(0, 0);
    let mut bad_loc = mp.clone();
    bad_loc.threads[0][0] = store(2, 1);
    let mut bad_reg = mp.clone();
    bad_reg.threads[1][1] = load(0, 5);
    let mut unwritten = mp.clone();
    unwritten.threads[1].pop();
    let mut acquire_store = mp.clone();
    acquire_store.threads[0][0] = Op::Store {
        loc: 0,
        value: 1,
        ord: Acquire,
    };
    let mut relaxed_fence = mp.clone();
    relaxed_fence.threads[0].push(fence(Relaxed));
    let mut short_asks = mp.clone();
    short_asks.asks.registers.pop();
    let mut bad_memory = mp.clone();
    bad_memory.asks.memory = vec![1];
    let no_threads = Test {
        threads: Vec::new(),
        ..mp.clone()
    };
    let cases = [
        (
            twice,
            "register r0 is written twice: by T1's operation 1 and by T1's operation 2",
        ),
        (
            bad_loc,
            "T0's operation 1 uses location 2, but the test has only 2 locations",
        ),
        (
            bad_reg,
            "T1's operation 2 writes register 5, but the test has only 2 registers",
        ),
        (unwritten, "register r1 is never written"),
        (
            acquire_store,
            "T0's operation 1 is a store with Acquire, which Rust does not accept (it panics); \
             a store takes Relaxed, Release or SeqCst",
        ),
        (
            relaxed_fence,
            "T0's operation 3 is a fence with Relaxed, which Rust does not accept (it panics); \
             a fence takes Release, Acquire, AcqRel or SeqCst",
        ),
        (
            short_asks,
            "the asked outcome gives 1 register values for 2 registers",
        ),
        (
            bad_memory,
            "the asked outcome gives 1 final values for 2 locations",
        ),
        (no_threads, "the test has no threads"),
    ];
    for (test, message) in cases {
        assert_eq!(validate(&test), Err(message.to_owned()));
        for model in [Model::Sc, Model::X86Tso, Model::Rust] {
            assert_eq!(
                outcomes(&test, model),
                Err(CheckError::Invalid(message.to_owned()))
            );
        }
    }
    assert_eq!(
        mp.with_ordering(0, 0, Acquire),
        Err("a store cannot be Acquire; it takes Relaxed, Release or SeqCst".to_owned())
    );
    assert_eq!(
        mp.with_ordering(2, 0, Relaxed),
        Err("the test has no operation 1 in T2".to_owned())
    );
}

/// Four threads of four ops on one location: within the shape bounds, but
/// with about 1.7 × 10¹² candidate executions.
fn crowded() -> Test {
    let writer = |first: u8| (0..4).map(|i| store(0, first + i)).collect::<Vec<_>>();
    let reader = |first: usize| (first..first + 4).map(|r| load(0, r)).collect::<Vec<_>>();
    test(
        "crowded",
        "Crowded",
        &["x"],
        vec![writer(1), writer(5), reader(0), reader(4)],
        &[0; 8],
    )
}

#[test]
fn tests_over_the_bounds_are_refused_before_the_search() {
    let iriw = find("iriw");
    let five_threads = Test {
        threads: [iriw.threads.clone(), vec![vec![store(0, 2)]]].concat(),
        ..iriw.clone()
    };
    let long_thread = with(&find("sb"), &[]).threads[0].repeat(3);
    let long = Test {
        threads: vec![long_thread],
        asks: Outcome {
            registers: vec![0, 0, 0],
            memory: Vec::new(),
        },
        registers: classic::names(&["r0", "r1", "r2"]),
        ..find("sb")
    };
    let four_locations = Test {
        locations: classic::names(&["a", "b", "c", "d"]),
        ..find("mp")
    };
    let started = std::time::Instant::now();
    for model in [Model::Sc, Model::X86Tso, Model::Rust] {
        assert_eq!(
            outcomes(&five_threads, model),
            Err(CheckError::TooBig(TooBig::Threads { threads: 5 }))
        );
        assert_eq!(
            outcomes(&four_locations, model),
            Err(CheckError::TooBig(TooBig::Locations { locations: 4 }))
        );
    }
    // Validity comes first: `long` writes r0 three times.
    assert!(matches!(
        outcomes(&long, Model::Sc),
        Err(CheckError::Invalid(_))
    ));
    let mut long = long;
    for (i, op) in long.threads[0].iter_mut().enumerate() {
        if let Op::Load { reg, .. } = op {
            *reg = i / 2;
        }
    }
    assert_eq!(
        outcomes(&long, Model::Rust),
        Err(CheckError::TooBig(TooBig::Ops { thread: 0, ops: 6 }))
    );
    let crowded = crowded();
    assert_eq!(validate(&crowded), Ok(()));
    assert_eq!(candidate_count(&crowded), 9u64.pow(8) * 40_320);
    let refused = outcomes(&crowded, Model::Rust).expect_err("too many executions");
    assert_eq!(
        refused.to_string(),
        "this test has 1735643790720 candidate executions; the lab checks at most 200000"
    );
    assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
    assert_eq!(
        outcomes(&crowded, Model::X86Tso),
        Err(CheckError::TooBig(TooBig::States))
    );
    assert_eq!(
        TooBig::Ops { thread: 0, ops: 6 }.to_string(),
        "thread T0 has 6 operations; the lab checks at most 4 per thread"
    );
}
