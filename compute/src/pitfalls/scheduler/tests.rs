//! Host tests of the whole module: the interpreter, every level's
//! outcomes, the reader's play and permalinks.

use std::collections::BTreeMap;

use super::levels::program;
use super::program::Op;
use super::*;

fn find(id: &str) -> Level {
    level(id).expect("a level of the book")
}

/// (final x, verdict kind, count) for a level with one variable `x`.
fn by_x(exploration: &Exploration) -> Vec<(i64, &'static str, usize)> {
    exploration
        .outcomes
        .iter()
        .map(|o| (o.values["x"], o.verdict.kind(), o.count))
        .collect()
}

fn kinds(exploration: &Exploration) -> Vec<&'static str> {
    exploration
        .outcomes
        .iter()
        .map(|o| o.verdict.kind())
        .collect()
}

#[test]
fn expanded_counter_loses_an_update_in_four_of_six_schedules() {
    let e = explore(&find("counter"), true);
    assert_eq!(e.interleavings, 6);
    assert!(!e.capped);
    assert_eq!(by_x(&e), vec![(1, "lost-update", 4), (2, "correct", 2)]);
    assert_eq!(
        e.outcomes[0].verdict,
        Verdict::LostUpdate {
            variable: "x".into(),
            expected: 2,
            actual: 1
        }
    );
}

#[test]
fn counter_as_written_always_counts_to_two() {
    let e = explore(&find("counter"), false);
    assert_eq!(e.interleavings, 2);
    assert_eq!(by_x(&e), vec![(2, "correct", 2)]);
}

#[test]
fn a_lock_makes_the_counter_correct() {
    for expanded in [false, true] {
        let e = explore(&find("counter-locked"), expanded);
        assert_eq!(kinds(&e), vec!["correct"], "expanded: {expanded}");
    }
}

#[test]
fn three_threads_can_lose_two_updates_and_fetch_add_none() {
    let e = explore(&find("counter-three"), true);
    assert_eq!(e.interleavings, 90);
    let xs: Vec<i64> = e.outcomes.iter().map(|o| o.values["x"]).collect();
    assert_eq!(xs, vec![1, 2, 3]);
    let e = explore(&find("counter-atomic"), true);
    assert_eq!(by_x(&e), vec![(3, "correct", 6)]);
}

#[test]
fn opposite_lock_orders_can_deadlock_and_one_order_cannot() {
    for expanded in [false, true] {
        let e = explore(&find("two-locks"), expanded);
        let deadlock = e
            .outcomes
            .iter()
            .find(|o| o.deadlock)
            .expect("a deadlocking schedule");
        assert_eq!(
            deadlock.verdict,
            Verdict::Deadlock {
                waiting: vec![
                    "thread 1 waits for lock b held by thread 2".into(),
                    "thread 2 waits for lock a held by thread 1".into(),
                ]
            }
        );
        let e = explore(&find("two-locks-ordered"), expanded);
        assert_eq!(kinds(&e), vec!["correct"]);
    }
}

#[test]
fn the_wakeup_is_lost_only_when_checked_outside_the_lock() {
    let e = explore(&find("missed-wakeup"), false);
    let deadlock = e
        .outcomes
        .iter()
        .find(|o| o.deadlock)
        .expect("a lost wake-up");
    assert_eq!(
        deadlock.verdict,
        Verdict::Deadlock {
            waiting: vec![
                "thread 1 sleeps on condition variable cv, and no thread is left to notify it"
                    .into()
            ]
        }
    );
    assert!(kinds(&e).contains(&"correct"));
    let e = explore(&find("missed-wakeup-fixed"), false);
    assert!(!e.capped);
    assert_eq!(kinds(&e), vec!["correct"]);
}

#[test]
fn check_then_act_lets_both_threads_act_unless_locked() {
    let e = explore(&find("check-then-act"), false);
    let broken = e
        .outcomes
        .iter()
        .find(|o| o.verdict.kind() == "broken-invariant")
        .expect("both threads act");
    assert_eq!(broken.values["entered"], 2);
    assert!(kinds(&e).contains(&"correct"));
    let e = explore(&find("check-then-act-locked"), true);
    assert_eq!(kinds(&e), vec!["correct"]);
}

#[test]
fn every_level_is_well_formed_and_finite() {
    let ids: Vec<&str> = levels().iter().map(Level::id).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "level ids are unique");
    assert_eq!(Level::default().id(), "counter");
    for level in levels() {
        assert!(level.program(false).threads() <= 10);
        for expanded in [false, true] {
            // Every enabled step of every reachable state succeeds.
            let mut stack = vec![level.start(expanded)];
            while let Some(state) = stack.pop() {
                for choice in state.choices() {
                    let mut next = state.clone();
                    assert_eq!(next.step(choice), Ok(()), "{}", level.id());
                    stack.push(next);
                }
            }
            let e = explore(&level, expanded);
            assert!(!e.capped, "{}", level.id());
            assert_eq!(
                e.outcomes.iter().map(|o| o.count).sum::<usize>(),
                e.interleavings
            );
        }
    }
}

#[test]
fn each_bug_has_a_wrong_outcome_and_each_fix_none() {
    for (i, level) in levels().iter().enumerate() {
        let e = explore(level, true);
        let all_correct = e.outcomes.iter().all(|o| o.verdict.is_correct());
        assert_eq!(all_correct, i % 2 == 1, "{}", level.id());
    }
}

#[test]
fn every_example_replays_to_its_outcome() {
    for level in levels() {
        for expanded in [false, true] {
            for outcome in explore(&level, expanded).outcomes {
                let replay = Replay {
                    level: level.id().to_owned(),
                    expanded,
                    choices: outcome.example.clone(),
                };
                let play = Replay::parse(&replay.to_permalink())
                    .and_then(|r| r.play())
                    .expect("the example replays");
                assert!(play.state().is_terminal());
                assert_eq!(play.verdict(), Some(outcome.verdict.clone()));
                let values: BTreeMap<String, i64> = play
                    .state()
                    .values()
                    .into_iter()
                    .map(|(n, v)| (n.to_owned(), v))
                    .collect();
                assert_eq!(values, outcome.values);
            }
        }
    }
}

#[test]
fn a_disabled_thread_cannot_step() {
    let mut state = find("two-locks").start(false);
    state.step(0).expect("thread 1 takes a");
    state.step(1).expect("thread 2 takes b");
    assert_eq!(state.enabled_threads(), Vec::<usize>::new());
    assert!(state.is_deadlocked());
    let error = state.step(0).expect_err("a is blocked on b");
    assert_eq!(
        error.to_string(),
        "thread 1 cannot take a step: waits for lock b held by thread 2"
    );
    assert!(matches!(
        state.step(5),
        Err(StepError::NoSuchThread {
            thread: 5,
            threads: 2
        })
    ));
    let mut state = find("counter").start(false);
    state.step(0).expect("one increment");
    assert!(matches!(
        state.step(0),
        Err(StepError::NotEnabled { thread: 0, .. })
    ));
}

#[test]
fn releasing_a_lock_not_held_is_an_error() {
    let bad = program(&[], &["m"], &[], vec![vec![Line::step(0, Op::Unlock(0))]]);
    let mut state = State::new(bad);
    assert_eq!(
        state.step(0),
        Err(StepError::NotLockOwner {
            thread: 0,
            lock: "m".into()
        })
    );
}

#[test]
fn undo_and_reset_restore_earlier_states() {
    let mut play = Play::new(find("counter"), true);
    let start = play.state().clone();
    play.step(0).expect("load");
    let after_load = play.state().clone();
    assert_eq!(after_load.register(0), Some(0));
    play.step(1).expect("load");
    assert!(play.undo());
    assert_eq!(play.state(), &after_load);
    assert_eq!(play.choices(), &[0]);
    play.reset();
    assert_eq!(play.state(), &start);
    assert!(!play.undo());
    assert!(play.step(7).is_err());
    assert!(play.choices().is_empty());
}

#[test]
fn a_woken_waiter_must_retake_its_lock() {
    // Waiter: check, lock, wait; notifier: lock, ready = 1, notify.
    let mut play = Play::new(find("missed-wakeup"), false);
    for thread in [0, 0, 0, 1, 1, 1] {
        play.step(thread).expect("a legal step");
    }
    let state = play.state();
    assert_eq!(state.waiters()[0], Vec::<usize>::new());
    assert_eq!(
        state.status(0),
        Some(ThreadStatus::BlockedOnLock { lock: 0, owner: 1 })
    );
    assert_eq!(
        state.describe(0),
        "was notified but waits for lock m held by thread 2"
    );
    play.step(1).expect("notifier unlocks");
    play.step(0).expect("waiter retakes m");
    assert_eq!(play.state().lock_owners(), &[Some(0)]);
    play.step(0).expect("waiter unlocks");
    assert_eq!(play.verdict(), Some(Verdict::Correct));
}

#[test]
fn expanding_splits_increments_and_moves_jumps() {
    let level = find("counter-locked");
    assert_eq!(
        level.program(false).listing(0),
        vec!["let g = m.lock();", "x = x + 1;", "drop(g);"]
    );
    let expanded = level.program(true);
    assert_eq!(
        expanded.listing(0),
        vec!["let g = m.lock();", "let r = x;", "x = r + 1;", "drop(g);"]
    );
    assert!(expanded.lines(0)[1].is_expansion());
    assert_eq!(
        find("missed-wakeup-fixed").program(true).listing(0),
        vec![
            "let g = m.lock();",
            "while ready == 0 {",
            "    g = cv.wait(g);",
            "}",
            "drop(g);"
        ]
    );
    assert_eq!(
        find("two-locks").program(false).listing(1)[0],
        "let gb = b.lock();"
    );
    assert!(!find("check-then-act").program(false).has_non_atomic());
    assert_eq!(
        find("check-then-act-locked").program(true).listing(1),
        vec![
            "let g = m.lock();",
            "if x == 0 {",
            "    x = 1;",
            "    entered.fetch_add(1);",
            "}",
            "drop(g);"
        ]
    );
}

#[test]
fn permalinks_round_trip() {
    let replay = Replay {
        level: "counter".into(),
        expanded: true,
        choices: vec![0, 1, 1, 0],
    };
    assert_eq!(replay.to_permalink(), "counter.e.0110");
    assert_eq!(Replay::parse("counter.e.0110"), Ok(replay));
    let empty = Replay {
        level: "missed-wakeup-fixed".into(),
        expanded: false,
        choices: vec![],
    };
    assert_eq!(empty.to_permalink(), "missed-wakeup-fixed.s");
    assert_eq!(Replay::parse("missed-wakeup-fixed.s"), Ok(empty.clone()));
    assert_eq!(Replay::parse("missed-wakeup-fixed.s."), Ok(empty));
    let play = Replay::parse("counter.e.0110")
        .and_then(|r| r.play())
        .expect("replays");
    assert_eq!(play.replay().to_permalink(), "counter.e.0110");
    assert_eq!(play.verdict().map(|v| v.kind()), Some("lost-update"));
}

#[test]
fn bad_permalinks_are_refused_with_a_reason() {
    for link in [
        "",
        "counter",
        "counter.x.01",
        "counter.e.0z",
        "counter.e.01.2",
        ".e.0",
    ] {
        let error = Replay::parse(link).expect_err(link);
        assert!(matches!(error, PermalinkError::BadFormat(_)), "{link}");
        assert!(error.to_string().contains("counter.e.0110"));
    }
    let error = Replay::parse("no-such-level.e.0").expect_err("unknown");
    assert_eq!(error, PermalinkError::UnknownLevel("no-such-level".into()));
    assert!(error.to_string().contains("counter-locked"));
    let long = format!("counter.e.{}", "0".repeat(MAX_STEPS + 1));
    assert_eq!(
        Replay::parse(&long),
        Err(PermalinkError::TooLong {
            steps: MAX_STEPS + 1
        })
    );
    let error = Replay::parse("counter.s.00").expect_err("thread 1 already finished");
    assert_eq!(
        error.to_string(),
        "step 2 of the schedule cannot be taken: thread 1 cannot take a step: has finished"
    );
    let error = Replay::parse("counter.e.0a").expect_err("no store buffers here");
    assert_eq!(
        error.to_string(),
        "step 2 of the schedule cannot be taken: thread 1 cannot take a step: has no store in its store buffer"
    );
    let error = Replay::parse("counter.e.2").expect_err("no third thread");
    assert!(matches!(
        error,
        PermalinkError::InvalidChoice {
            step: 1,
            error: StepError::NoSuchThread { .. }
        }
    ));
    let quoted = Replay::parse(&"x".repeat(1000)).expect_err("long garbage");
    assert!(quoted.to_string().chars().count() < 300);
}

#[test]
fn outcomes_serialize_for_the_page() {
    let e = explore(&find("counter"), true);
    let json = serde_json::to_value(&e).expect("serializes");
    assert_eq!(json["interleavings"], 6);
    assert_eq!(json["outcomes"][0]["values"]["x"], 1);
    assert_eq!(json["outcomes"][0]["count"], 4);
}

/// The two-flags program of the x86 levels, without store buffers: every
/// store reaches memory at once, as in the levels before.
fn flags_without_buffers() -> Level {
    let mut level = find("flags-x86");
    level.without_store_buffers();
    level
}

#[test]
fn two_flags_keep_one_thread_out_under_every_interleaving() {
    let e = explore(&flags_without_buffers(), false);
    assert!(!e.capped);
    assert!(e.interleavings > 0);
    assert_eq!(kinds(&e).iter().filter(|k| **k != "correct").count(), 0);
}

#[test]
fn store_buffers_let_both_flagged_threads_in_and_a_fence_keeps_one_out() {
    let broken = explore(&find("flags-x86"), false);
    assert!(kinds(&broken).contains(&"broken-invariant"), "{broken:?}");
    let fenced = explore(&find("flags-x86-fenced"), false);
    assert!(kinds(&fenced).iter().all(|k| *k == "correct"), "{fenced:?}");

    // Both stores wait in their buffers while both loads read 0 from memory.
    let play = Replay::parse("flags-x86.s.010011aabb")
        .and_then(|r| r.play())
        .expect("a schedule that lets both in");
    assert_eq!(play.verdict().map(|v| v.kind()), Some("broken-invariant"));
    assert_eq!(play.replay().to_permalink(), "flags-x86.s.010011aabb");
}

#[test]
fn a_thread_reads_its_own_buffered_store_and_the_others_see_it_when_flushed() {
    let mut state = find("flags-x86").start(false);
    state.step(0).expect("thread 1 raises flag1");
    assert_eq!(state.store_buffer(0), vec![("flag1", 1)]);
    assert_eq!(state.values()[0], ("flag1", 0), "not yet in memory");
    assert_eq!(state.choices(), vec![0, 1, DRAIN]);
    assert_eq!(
        state.step(DRAIN + 1),
        Err(StepError::NotEnabled {
            thread: 1,
            why: "has no store in its store buffer".into()
        })
    );
    state.step(DRAIN).expect("flush thread 1's store");
    assert_eq!(state.values()[0], ("flag1", 1));
    assert!(state.store_buffer(0).is_empty());
    // A run is over only once every buffer is empty.
    let mut run = find("flags-x86").start(false);
    for choice in [0, 0, 0] {
        run.step(choice).expect("thread 1 runs to its end");
    }
    assert!(!run.is_terminal(), "{:?}", run.store_buffer(0));
}

#[test]
fn a_fence_flushes_the_buffer_before_the_load() {
    let mut state = find("flags-x86-fenced").start(false);
    state.step(0).expect("store");
    assert_eq!(state.store_buffer(0).len(), 1);
    state.step(0).expect("fence");
    assert!(state.store_buffer(0).is_empty());
    assert_eq!(state.values()[0], ("flag1", 1));
}
