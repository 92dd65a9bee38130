//! Be the scheduler: tiny thread programs the reader interleaves by hand, and a
//! small model checker that tries every interleaving.
//!
//! A race is a property of *some* schedules, not of the code alone, so the
//! book lets the reader play the scheduler: pick which thread takes the next
//! step and watch an update get lost, an invariant break or two threads wait
//! for each other forever. "Explore all" then enumerates every schedule, which
//! shows how rare (or common) each outcome is, and why testing by running the
//! program a few times proves little.
//!
//! Programs are written in a few statements of Rust-like pseudo code. Every
//! statement is one indivisible step, except the source-level `x = x + 1`:
//! read as written it is one step (the way a naive programmer imagines it);
//! *expanded* it becomes the load and the store a machine really does.
//!
//! Everything here is deterministic and host-tested; the widget only draws it.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// The longest schedule a permalink replays, and the deepest one `explore`
/// follows: every level finishes far sooner, so this only guards the page.
pub const MAX_STEPS: usize = 256;

/// `explore` stops after this many complete interleavings, so that a larger
/// program can never freeze the page; the levels stay far below it.
pub const MAX_INTERLEAVINGS: usize = 1_000_000;

/// What a store writes: a constant, or the thread's register plus a constant
/// (the second half of an expanded increment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Const(i64),
    RegisterPlus(i64),
}

/// One indivisible step of a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `let r = x;` copies a shared variable into the thread's register.
    Load { var: usize },
    /// `x = 1;` or `x = r + 1;`.
    Store { var: usize, value: Value },
    /// `x = x + 1;` as written: one step unless the program is expanded.
    Increment { var: usize, by: i64 },
    /// `x.fetch_add(1);`: a read-modify-write the hardware makes indivisible.
    FetchAdd { var: usize, by: i64 },
    /// `let g = m.lock();` waits until the lock is free, then takes it.
    Lock(usize),
    /// `drop(g);` releases the lock.
    Unlock(usize),
    /// `g = cv.wait(g);` releases the lock and sleeps until notified; once
    /// woken, the thread must take the lock again before it goes on.
    Wait { cv: usize, lock: usize },
    /// `cv.notify_one();` wakes the longest waiter; with none, it is lost.
    Notify(usize),
    /// `if x == c {` or `while x == c {`: when the test fails, go to `otherwise`.
    Branch {
        var: usize,
        equals: i64,
        looping: bool,
        otherwise: usize,
    },
    /// The `}` that closes a `while`: back to the loop's test.
    Jump(usize),
}

/// One line of a thread's listing: a step, or a closing `}` that is only shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    indent: usize,
    op: Option<Op>,
    expansion: bool,
}

impl Line {
    fn step(indent: usize, op: Op) -> Line {
        Line {
            indent,
            op: Some(op),
            expansion: false,
        }
    }

    fn close(indent: usize) -> Line {
        Line {
            indent,
            op: None,
            expansion: false,
        }
    }

    /// Whether the line is half of an expanded `x = x + 1`, so the page can
    /// show which lines the single statement became.
    pub fn is_expansion(&self) -> bool {
        self.expansion
    }
}

/// A whole program: shared variables with their initial values, locks,
/// condition variables and one listing per thread. Indices into these lists
/// are what states and choices use; names are only for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    vars: Vec<(&'static str, i64)>,
    locks: Vec<&'static str>,
    cvs: Vec<&'static str>,
    threads: Vec<Vec<Line>>,
}

impl Program {
    /// How many threads run the program (at most 10: a permalink names a
    /// thread with one digit).
    pub fn threads(&self) -> usize {
        self.threads.len()
    }

    /// The lines of one thread, for marking expanded ones; empty for a
    /// thread that does not exist.
    pub fn lines(&self, thread: usize) -> &[Line] {
        self.threads.get(thread).map_or(&[], Vec::as_slice)
    }

    /// One thread's code as the reader sees it, one string per line,
    /// indented with spaces; line `i` is the one a program counter of `i`
    /// points at.
    pub fn listing(&self, thread: usize) -> Vec<String> {
        self.lines(thread)
            .iter()
            .map(|line| format!("{}{}", "    ".repeat(line.indent), self.text(line.op)))
            .collect()
    }

    /// The shared variables' names, in the order the values are reported.
    pub fn var_names(&self) -> Vec<&'static str> {
        self.vars.iter().map(|&(name, _)| name).collect()
    }

    /// The locks' names, in index order.
    pub fn lock_names(&self) -> &[&'static str] {
        &self.locks
    }

    /// The condition variables' names, in index order.
    pub fn condvar_names(&self) -> &[&'static str] {
        &self.cvs
    }

    /// Whether expanding changes anything: the page disables its checkbox
    /// for programs without a non-atomic statement.
    pub fn has_non_atomic(&self) -> bool {
        self.threads
            .iter()
            .flatten()
            .any(|line| matches!(line.op, Some(Op::Increment { .. })))
    }

    /// The same program with every `x = x + 1` split into its load and its
    /// store, and jump targets moved to match.
    fn expanded(&self) -> Program {
        let threads = self
            .threads
            .iter()
            .map(|lines| {
                // Where each old line starts in the new listing (plus the end).
                let mut starts = Vec::with_capacity(lines.len() + 1);
                let mut next = 0;
                for line in lines {
                    starts.push(next);
                    next += if matches!(line.op, Some(Op::Increment { .. })) {
                        2
                    } else {
                        1
                    };
                }
                starts.push(next);
                let moved = |target: usize| starts.get(target).copied().unwrap_or(next);
                let mut out = Vec::with_capacity(next);
                for line in lines {
                    match line.op {
                        Some(Op::Increment { var, by }) => {
                            let half = |op| Line {
                                indent: line.indent,
                                op: Some(op),
                                expansion: true,
                            };
                            out.push(half(Op::Load { var }));
                            out.push(half(Op::Store {
                                var,
                                value: Value::RegisterPlus(by),
                            }));
                        }
                        Some(Op::Branch {
                            var,
                            equals,
                            looping,
                            otherwise,
                        }) => out.push(Line {
                            op: Some(Op::Branch {
                                var,
                                equals,
                                looping,
                                otherwise: moved(otherwise),
                            }),
                            ..line.clone()
                        }),
                        Some(Op::Jump(target)) => out.push(Line {
                            op: Some(Op::Jump(moved(target))),
                            ..line.clone()
                        }),
                        _ => out.push(line.clone()),
                    }
                }
                out
            })
            .collect();
        Program {
            threads,
            ..self.clone()
        }
    }

    /// The first line at or after `from` that is a step; the listing's
    /// length when there is none (the thread has finished).
    fn skip_to_step(&self, thread: usize, from: usize) -> usize {
        let lines = self.lines(thread);
        (from..lines.len())
            .find(|&i| lines[i].op.is_some())
            .unwrap_or(lines.len())
    }

    fn var(&self, var: usize) -> &'static str {
        self.vars.get(var).map_or("?", |&(name, _)| name)
    }

    fn lock(&self, lock: usize) -> &'static str {
        self.locks.get(lock).copied().unwrap_or("?")
    }

    fn cv(&self, cv: usize) -> &'static str {
        self.cvs.get(cv).copied().unwrap_or("?")
    }

    /// The guard variable of a lock: `g` when there is one lock, `ga` for
    /// lock `a` when there are several.
    fn guard(&self, lock: usize) -> String {
        if self.locks.len() == 1 {
            "g".to_owned()
        } else {
            format!("g{}", self.lock(lock))
        }
    }

    fn text(&self, op: Option<Op>) -> String {
        let Some(op) = op else {
            return "}".to_owned();
        };
        match op {
            Op::Load { var } => format!("let r = {};", self.var(var)),
            Op::Store {
                var,
                value: Value::Const(c),
            } => format!("{} = {c};", self.var(var)),
            Op::Store {
                var,
                value: Value::RegisterPlus(c),
            } => format!("{} = r {};", self.var(var), signed(c)),
            Op::Increment { var, by } => {
                format!("{0} = {0} {1};", self.var(var), signed(by))
            }
            Op::FetchAdd { var, by } => format!("{}.fetch_add({by});", self.var(var)),
            Op::Lock(lock) => format!("let {} = {}.lock();", self.guard(lock), self.lock(lock)),
            Op::Unlock(lock) => format!("drop({});", self.guard(lock)),
            Op::Wait { cv, lock } => {
                format!("{0} = {1}.wait({0});", self.guard(lock), self.cv(cv))
            }
            Op::Notify(cv) => format!("{}.notify_one();", self.cv(cv)),
            Op::Branch {
                var,
                equals,
                looping,
                ..
            } => format!(
                "{} {} == {equals} {{",
                if looping { "while" } else { "if" },
                self.var(var)
            ),
            Op::Jump(_) => "}".to_owned(),
        }
    }
}

/// `+ 1` or `- 1`, for listings.
fn signed(c: i64) -> String {
    if c < 0 {
        format!("- {}", c.unsigned_abs())
    } else {
        format!("+ {c}")
    }
}

/// Where a thread is besides its program counter: running its code, asleep
/// on a condition variable, or woken and about to take its lock back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    Waiting { cv: usize, lock: usize },
    Woken { lock: usize },
}

/// One thread's private part of a state.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ThreadState {
    pc: usize,
    register: i64,
    phase: Phase,
}

/// Whether a thread can take a step now, and if not, what it waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadStatus {
    /// It can take its next step.
    Runnable,
    /// Its next step takes `lock` (or takes it back after a wait), which
    /// `owner` holds; the owner may be the thread itself.
    BlockedOnLock { lock: usize, owner: usize },
    /// It sleeps on condition variable `cv` until another thread notifies it.
    Waiting { cv: usize },
    /// It ran to the end of its code.
    Finished,
}

/// Why a step was refused. The page turns it into the reason a button is
/// disabled, and a permalink into the reason it cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// The program has no such thread.
    NoSuchThread { thread: usize, threads: usize },
    /// The thread exists but cannot take a step now; `why` says what it waits for.
    NotEnabled { thread: usize, why: String },
    /// The thread released or waited with a lock it does not hold (only a
    /// malformed program does this; the tests prove every level well formed).
    NotLockOwner { thread: usize, lock: String },
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::NoSuchThread { thread, threads } => write!(
                f,
                "there is no thread {}: the program has {threads}",
                thread + 1
            ),
            StepError::NotEnabled { thread, why } => {
                write!(f, "thread {} cannot take a step: {why}", thread + 1)
            }
            StepError::NotLockOwner { thread, lock } => write!(
                f,
                "thread {} released lock {lock} without holding it",
                thread + 1
            ),
        }
    }
}

impl std::error::Error for StepError {}

/// A moment of a run: shared values, every thread's program counter,
/// register and phase, who owns each lock and who sleeps on each condition
/// variable. Cloning is cheap (the program is shared), so the page keeps one
/// per step for undo and the model checker one per branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    program: Arc<Program>,
    values: Vec<i64>,
    threads: Vec<ThreadState>,
    owners: Vec<Option<usize>>,
    /// Sleepers on each condition variable, longest-waiting first.
    waiters: Vec<Vec<usize>>,
}

impl State {
    /// The start of a run: initial values, every thread at its first step.
    pub fn new(program: Arc<Program>) -> State {
        let threads = (0..program.threads())
            .map(|t| ThreadState {
                pc: program.skip_to_step(t, 0),
                register: 0,
                phase: Phase::Running,
            })
            .collect();
        State {
            values: program.vars.iter().map(|&(_, v)| v).collect(),
            threads,
            owners: vec![None; program.locks.len()],
            waiters: vec![Vec::new(); program.cvs.len()],
            program,
        }
    }

    /// The program this state runs.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The shared variables by name, in the program's order.
    pub fn values(&self) -> Vec<(&'static str, i64)> {
        self.program
            .vars
            .iter()
            .zip(&self.values)
            .map(|(&(name, _), &value)| (name, value))
            .collect()
    }

    /// The line a thread will run next (the listing's length once it has
    /// finished); a thread asleep in `wait` stays on its `wait` line.
    pub fn pc(&self, thread: usize) -> Option<usize> {
        self.threads.get(thread).map(|t| t.pc)
    }

    /// The thread's register `r`, which an expanded increment loads into.
    pub fn register(&self, thread: usize) -> Option<i64> {
        self.threads.get(thread).map(|t| t.register)
    }

    /// The thread holding each lock, in the program's lock order.
    pub fn lock_owners(&self) -> &[Option<usize>] {
        &self.owners
    }

    /// The threads asleep on each condition variable, longest-waiting first.
    pub fn waiters(&self) -> &[Vec<usize>] {
        &self.waiters
    }

    /// Whether the thread can step now, and what holds it up if not; `None`
    /// for a thread that does not exist.
    pub fn status(&self, thread: usize) -> Option<ThreadStatus> {
        let state = self.threads.get(thread)?;
        let blocked_on = |lock: usize| match self.owners.get(lock).copied().flatten() {
            Some(owner) => ThreadStatus::BlockedOnLock { lock, owner },
            None => ThreadStatus::Runnable,
        };
        Some(match state.phase {
            Phase::Waiting { cv, .. } => ThreadStatus::Waiting { cv },
            Phase::Woken { lock } => blocked_on(lock),
            Phase::Running => match self.program.lines(thread).get(state.pc) {
                None => ThreadStatus::Finished,
                Some(line) => match line.op {
                    Some(Op::Lock(lock)) => blocked_on(lock),
                    _ => ThreadStatus::Runnable,
                },
            },
        })
    }

    /// The status in words ("waits for lock b held by thread 2"), for
    /// buttons' titles and deadlock reports.
    pub fn describe(&self, thread: usize) -> String {
        let woken = matches!(
            self.threads.get(thread).map(|t| t.phase),
            Some(Phase::Woken { .. })
        );
        match self.status(thread) {
            None => format!("there is no thread {}", thread + 1),
            Some(ThreadStatus::Runnable) if woken => {
                "was notified and can take its lock back".to_owned()
            }
            Some(ThreadStatus::Runnable) => "can run".to_owned(),
            Some(ThreadStatus::Finished) => "has finished".to_owned(),
            Some(ThreadStatus::BlockedOnLock { lock, owner }) if owner == thread => format!(
                "waits for lock {}, which it holds itself",
                self.program.lock(lock)
            ),
            Some(ThreadStatus::BlockedOnLock { lock, owner }) => format!(
                "{}waits for lock {} held by thread {}",
                if woken { "was notified but " } else { "" },
                self.program.lock(lock),
                owner + 1
            ),
            Some(ThreadStatus::Waiting { cv }) => format!(
                "sleeps on condition variable {} until another thread notifies it",
                self.program.cv(cv)
            ),
        }
    }

    /// The threads that can take a step now: the choices a scheduler has.
    pub fn enabled_threads(&self) -> Vec<usize> {
        (0..self.threads.len())
            .filter(|&t| self.status(t) == Some(ThreadStatus::Runnable))
            .collect()
    }

    /// No thread can step: the run is over, finished or deadlocked.
    pub fn is_terminal(&self) -> bool {
        self.enabled_threads().is_empty()
    }

    /// Over, with some thread unfinished: each one waits for something only
    /// another waiting thread could give it.
    pub fn is_deadlocked(&self) -> bool {
        self.is_terminal()
            && (0..self.threads.len()).any(|t| self.status(t) != Some(ThreadStatus::Finished))
    }

    /// Who waits for what in a stuck state, one sentence per unfinished thread.
    pub fn stuck_threads(&self) -> Vec<String> {
        (0..self.threads.len())
            .filter(|&t| self.status(t) != Some(ThreadStatus::Finished))
            .map(|t| {
                let why = match self.status(t) {
                    Some(ThreadStatus::Waiting { cv }) => format!(
                        "sleeps on condition variable {}, and no thread is left to notify it",
                        self.program.cv(cv)
                    ),
                    _ => self.describe(t),
                };
                format!("thread {} {why}", t + 1)
            })
            .collect()
    }

    /// Lets `thread` take one step, or says why it cannot.
    pub fn step(&mut self, thread: usize) -> Result<(), StepError> {
        let threads = self.threads.len();
        match self.status(thread) {
            None => return Err(StepError::NoSuchThread { thread, threads }),
            Some(ThreadStatus::Runnable) => {}
            Some(_) => {
                return Err(StepError::NotEnabled {
                    thread,
                    why: self.describe(thread),
                })
            }
        }
        let program = Arc::clone(&self.program);
        let pc = self.threads[thread].pc;
        let next = program.skip_to_step(thread, pc + 1);
        if let Phase::Woken { lock } = self.threads[thread].phase {
            self.owners[lock] = Some(thread);
            self.threads[thread].phase = Phase::Running;
            self.threads[thread].pc = next;
            return Ok(());
        }
        let Some(op) = program.lines(thread).get(pc).and_then(|line| line.op) else {
            // `status` said runnable, so the thread is on a step; a thread
            // past its end reads as finished.
            return Err(StepError::NotEnabled {
                thread,
                why: "has finished".to_owned(),
            });
        };
        let not_owner = |lock: usize| StepError::NotLockOwner {
            thread,
            lock: program.lock(lock).to_owned(),
        };
        let mut pc_after = next;
        match op {
            Op::Load { var } => self.threads[thread].register = self.values[var],
            Op::Store { var, value } => {
                self.values[var] = match value {
                    Value::Const(c) => c,
                    Value::RegisterPlus(c) => self.threads[thread].register.wrapping_add(c),
                }
            }
            Op::Increment { var, by } | Op::FetchAdd { var, by } => {
                self.values[var] = self.values[var].wrapping_add(by)
            }
            Op::Lock(lock) => self.owners[lock] = Some(thread),
            Op::Unlock(lock) => {
                if self.owners[lock] != Some(thread) {
                    return Err(not_owner(lock));
                }
                self.owners[lock] = None;
            }
            Op::Wait { cv, lock } => {
                if self.owners[lock] != Some(thread) {
                    return Err(not_owner(lock));
                }
                self.owners[lock] = None;
                self.threads[thread].phase = Phase::Waiting { cv, lock };
                self.waiters[cv].push(thread);
                pc_after = pc;
            }
            Op::Notify(cv) => {
                if !self.waiters[cv].is_empty() {
                    let woken = self.waiters[cv].remove(0);
                    if let Phase::Waiting { lock, .. } = self.threads[woken].phase {
                        self.threads[woken].phase = Phase::Woken { lock };
                    }
                }
            }
            Op::Branch {
                var,
                equals,
                otherwise,
                ..
            } => {
                if self.values[var] != equals {
                    pc_after = program.skip_to_step(thread, otherwise);
                }
            }
            Op::Jump(target) => pc_after = program.skip_to_step(thread, target),
        }
        self.threads[thread].pc = pc_after;
        Ok(())
    }
}

/// How a finished run turned out. Deadlock is judged first; then the level's
/// own rule on the final values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Verdict {
    /// Every thread finished and the result is the one the program meant.
    Correct,
    /// A counter ended below the number of increments: a thread wrote over
    /// another's update.
    LostUpdate {
        variable: String,
        expected: i64,
        actual: i64,
    },
    /// Every thread finished, but a rule the program relies on does not hold.
    BrokenInvariant(String),
    /// Some thread can never finish; one sentence per stuck thread.
    Deadlock { waiting: Vec<String> },
}

impl Verdict {
    /// A short slug for JSON and CSS: `correct`, `lost-update`,
    /// `broken-invariant` or `deadlock`.
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::LostUpdate { .. } => "lost-update",
            Verdict::BrokenInvariant(_) => "broken-invariant",
            Verdict::Deadlock { .. } => "deadlock",
        }
    }

    /// Whether the outcome is the one the programmer intended.
    pub fn is_correct(&self) -> bool {
        *self == Verdict::Correct
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Correct => f.write_str("Correct: every thread finished with the intended result."),
            Verdict::LostUpdate {
                variable,
                expected,
                actual,
            } => write!(
                f,
                "Lost update: {variable} ends at {actual}, not {expected}; a thread wrote over another thread's update."
            ),
            Verdict::BrokenInvariant(message) => write!(f, "Broken invariant: {message}."),
            Verdict::Deadlock { waiting } => write!(
                f,
                "Deadlock: {}; no thread can ever take another step.",
                waiting.join("; ")
            ),
        }
    }
}

/// A level's rule on the final values of a run that finished.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Check {
    /// A counter must end at `expected`; less means updates were lost.
    Total { var: usize, expected: i64 },
    /// `var` must end at `expected`; `rule` says why, in words.
    Invariant {
        var: usize,
        expected: i64,
        rule: &'static str,
    },
    /// Finishing is all that is asked (the bug to find is a deadlock).
    Finishes,
}

/// One exercise: a program, what the reader should try, and the rule that
/// judges where a schedule ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    id: &'static str,
    title: &'static str,
    goal: &'static str,
    program: Arc<Program>,
    check: Check,
}

impl Level {
    /// The short slug used in permalinks, e.g. `two-locks`.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The level's name in the picker.
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// One sentence telling the reader what to try.
    pub fn goal(&self) -> &'static str {
        self.goal
    }

    /// The program as written, or with its non-atomic statements expanded.
    pub fn program(&self, expanded: bool) -> Arc<Program> {
        if expanded && self.program.has_non_atomic() {
            Arc::new(self.program.expanded())
        } else {
            Arc::clone(&self.program)
        }
    }

    /// The first state of a run.
    pub fn start(&self, expanded: bool) -> State {
        State::new(self.program(expanded))
    }

    /// How a run ended; `None` while some thread can still step.
    pub fn verdict(&self, state: &State) -> Option<Verdict> {
        if !state.is_terminal() {
            return None;
        }
        if state.is_deadlocked() {
            return Some(Verdict::Deadlock {
                waiting: state.stuck_threads(),
            });
        }
        let value = |var: usize| state.values.get(var).copied().unwrap_or_default();
        Some(match self.check {
            Check::Total { var, expected } if value(var) != expected => Verdict::LostUpdate {
                variable: self.program.var(var).to_owned(),
                expected,
                actual: value(var),
            },
            Check::Invariant {
                var,
                expected,
                rule,
            } if value(var) != expected => Verdict::BrokenInvariant(format!(
                "{} == {}, but {rule} ({} == {expected})",
                self.program.var(var),
                value(var),
                self.program.var(var)
            )),
            _ => Verdict::Correct,
        })
    }
}

/// A program from its parts; shorthand for the level definitions below.
fn program(
    vars: &[(&'static str, i64)],
    locks: &[&'static str],
    cvs: &[&'static str],
    threads: Vec<Vec<Line>>,
) -> Arc<Program> {
    Arc::new(Program {
        vars: vars.to_vec(),
        locks: locks.to_vec(),
        cvs: cvs.to_vec(),
        threads,
    })
}

/// The same listing for `n` threads.
fn copies(n: usize, lines: Vec<Line>) -> Vec<Vec<Line>> {
    vec![lines; n]
}

/// Every level, easy to hard; each bug is followed by its fix.
pub fn levels() -> Vec<Level> {
    use Op::*;
    const X: usize = 0;
    let step = Line::step;
    let counter = |threads: usize, op: Op, locked: bool| {
        let lines = if locked {
            vec![step(0, Lock(0)), step(0, op), step(0, Unlock(0))]
        } else {
            vec![step(0, op)]
        };
        program(
            &[("x", 0)],
            if locked { &["m"] } else { &[] },
            &[],
            copies(threads, lines),
        )
    };
    let increment = Increment { var: X, by: 1 };

    // check-then-act: x is the "already done" flag, entered counts the
    // threads that acted (atomically, so only the check/act gap can break it).
    const ENTERED: usize = 1;
    let check_then_act = |locked: bool| {
        // The lock, when there is one, comes first and moves the `}` down.
        let first = usize::from(locked);
        let mut lines = vec![
            step(
                0,
                Branch {
                    var: X,
                    equals: 0,
                    looping: false,
                    otherwise: first + 3,
                },
            ),
            step(
                1,
                Store {
                    var: X,
                    value: Value::Const(1),
                },
            ),
            step(
                1,
                FetchAdd {
                    var: ENTERED,
                    by: 1,
                },
            ),
            Line::close(0),
        ];
        if locked {
            lines.insert(0, step(0, Lock(0)));
            lines.push(step(0, Unlock(0)));
        }
        program(
            &[("x", 0), ("entered", 0)],
            if locked { &["m"] } else { &[] },
            &[],
            copies(2, lines),
        )
    };
    let entered_once = Check::Invariant {
        var: ENTERED,
        expected: 1,
        rule: "only the first thread to see x == 0 may act",
    };

    // Two locks a (0) and b (1) around an increment.
    let two_locks = |second_first: bool| {
        let take = |first: usize, second: usize| {
            vec![
                step(0, Lock(first)),
                step(0, Lock(second)),
                step(0, increment),
                step(0, Unlock(second)),
                step(0, Unlock(first)),
            ]
        };
        let other = if second_first { take(1, 0) } else { take(0, 1) };
        program(&[("x", 0)], &["a", "b"], &[], vec![take(0, 1), other])
    };

    // A waiter and a notifier sharing `ready` (0), lock m and condvar cv.
    const READY: usize = 0;
    let wait = Wait { cv: 0, lock: 0 };
    let notifier = vec![
        step(0, Lock(0)),
        step(
            0,
            Store {
                var: READY,
                value: Value::Const(1),
            },
        ),
        step(0, Notify(0)),
        step(0, Unlock(0)),
    ];
    let careless_waiter = vec![
        step(
            0,
            Branch {
                var: READY,
                equals: 0,
                looping: false,
                otherwise: 4,
            },
        ),
        step(1, Lock(0)),
        step(1, wait),
        step(1, Unlock(0)),
        Line::close(0),
    ];
    let careful_waiter = vec![
        step(0, Lock(0)),
        step(
            0,
            Branch {
                var: READY,
                equals: 0,
                looping: true,
                otherwise: 4,
            },
        ),
        step(1, wait),
        step(0, Jump(1)),
        step(0, Unlock(0)),
    ];
    let wake = |waiter: Vec<Line>| {
        program(
            &[("ready", 0)],
            &["m"],
            &["cv"],
            vec![waiter, notifier.clone()],
        )
    };

    let counts_to = |expected| Check::Total { var: X, expected };
    vec![
        Level {
            id: "counter",
            title: "Unsynchronized counter",
            goal: "Both threads add one to x. Expand the statements and find a schedule that ends with x == 1.",
            program: counter(2, increment, false),
            check: counts_to(2),
        },
        Level {
            id: "counter-locked",
            title: "Counter behind a lock",
            goal: "The same increments, each inside the lock: try to lose an update now, expanded or not.",
            program: counter(2, increment, true),
            check: counts_to(2),
        },
        Level {
            id: "counter-three",
            title: "Three threads, one counter",
            goal: "Three threads add one each: find a schedule where two of the three updates are lost.",
            program: counter(3, increment, false),
            check: counts_to(3),
        },
        Level {
            id: "counter-atomic",
            title: "Atomic counter",
            goal: "fetch_add reads and writes in one indivisible step: try to lose an update without any lock.",
            program: counter(3, FetchAdd { var: X, by: 1 }, false),
            check: counts_to(3),
        },
        Level {
            id: "check-then-act",
            title: "Check-then-act",
            goal: "Only the first thread to see x == 0 should act: make both threads act.",
            program: check_then_act(false),
            check: entered_once.clone(),
        },
        Level {
            id: "check-then-act-locked",
            title: "Check and act under one lock",
            goal: "The check and the act now sit inside one lock: try to make both threads act.",
            program: check_then_act(true),
            check: entered_once,
        },
        Level {
            id: "two-locks",
            title: "Two locks in opposite orders",
            goal: "Thread 1 takes a then b, thread 2 takes b then a: bring both to a halt.",
            program: two_locks(true),
            check: counts_to(2),
        },
        Level {
            id: "two-locks-ordered",
            title: "Two locks in one order",
            goal: "Both threads take a before b: try to make them wait for each other now.",
            program: two_locks(false),
            check: counts_to(2),
        },
        Level {
            id: "missed-wakeup",
            title: "Missed wake-up",
            goal: "The waiter checks ready without the lock, then sleeps: make it sleep forever.",
            program: wake(careless_waiter),
            check: Check::Finishes,
        },
        Level {
            id: "missed-wakeup-fixed",
            title: "Wait in a loop, under the lock",
            goal: "The waiter now checks ready while holding the lock, in a loop: try to lose the wake-up.",
            program: wake(careful_waiter),
            check: Check::Finishes,
        },
    ]
}

impl Default for Level {
    /// The first level, where a reader without a permalink starts.
    fn default() -> Level {
        // `levels()` is a literal list of ten levels, never empty.
        levels().swap_remove(0)
    }
}

/// The level with this id, if there is one.
pub fn level(id: &str) -> Option<Level> {
    levels().into_iter().find(|level| level.id == id)
}

/// One distinct way the program can end, and how many schedules end there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeCount {
    /// The final shared values by name.
    pub values: BTreeMap<String, i64>,
    /// Whether the run ended with some thread stuck.
    pub deadlock: bool,
    /// The level's judgement of this ending.
    pub verdict: Verdict,
    /// How many interleavings end here.
    pub count: usize,
    /// One schedule (thread indices, from 0) that reproduces it, the first in
    /// the search order: the page's "replay" button loads it.
    pub example: Vec<usize>,
}

/// Every ending of a level, found by trying every schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exploration {
    /// Complete schedules explored.
    pub interleavings: usize,
    /// Whether the search stopped at [`MAX_INTERLEAVINGS`] or [`MAX_STEPS`],
    /// so the counts are a lower bound.
    pub capped: bool,
    /// Distinct endings, ordered by final values, then verdict.
    pub outcomes: Vec<OutcomeCount>,
}

/// The book's own model checker: a depth-first search through every choice
/// of thread at every step, down to every terminal state. It counts paths
/// (schedules), not states, because "how many of the possible interleavings
/// lose an update" is the figure the reader should see.
pub fn explore(level: &Level, expanded: bool) -> Exploration {
    let mut search = Search {
        level,
        found: BTreeMap::new(),
        interleavings: 0,
        capped: false,
        path: Vec::new(),
    };
    search.visit(&level.start(expanded));
    let outcomes = search
        .found
        .into_iter()
        .map(|((values, verdict), (count, example))| OutcomeCount {
            // Inserted one by one: collecting into a map would sort, and
            // ship a sort for this type in the book.
            values: values
                .into_iter()
                .fold(BTreeMap::new(), |mut map, (name, value)| {
                    map.insert(name, value);
                    map
                }),
            deadlock: matches!(verdict, Verdict::Deadlock { .. }),
            verdict,
            count,
            example,
        })
        .collect();
    Exploration {
        interleavings: search.interleavings,
        capped: search.capped,
        outcomes,
    }
}

/// Final values in program order with the verdict: what makes two endings
/// the same outcome.
type OutcomeKey = (Vec<(String, i64)>, Verdict);

struct Search<'a> {
    level: &'a Level,
    /// Each ending's count and first example schedule.
    found: BTreeMap<OutcomeKey, (usize, Vec<usize>)>,
    interleavings: usize,
    capped: bool,
    path: Vec<usize>,
}

impl Search<'_> {
    fn visit(&mut self, state: &State) {
        if self.interleavings >= MAX_INTERLEAVINGS {
            self.capped = true;
            return;
        }
        if let Some(verdict) = self.level.verdict(state) {
            self.interleavings += 1;
            let values = state
                .values()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect();
            let entry = self
                .found
                .entry((values, verdict))
                .or_insert_with(|| (0, self.path.clone()));
            entry.0 += 1;
            return;
        }
        if self.path.len() >= MAX_STEPS {
            self.capped = true;
            return;
        }
        for thread in state.enabled_threads() {
            let mut next = state.clone();
            // Only a malformed program refuses an enabled step; the tests
            // prove every level well formed.
            if next.step(thread).is_ok() {
                self.path.push(thread);
                self.visit(&next);
                self.path.pop();
            }
        }
    }
}

/// A run in progress as the reader plays it: the level, whether it is
/// expanded, and every state so far, so undo is a pop and never a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Play {
    level: Level,
    expanded: bool,
    history: Vec<State>,
    choices: Vec<usize>,
}

impl Play {
    /// A fresh run of `level`.
    pub fn new(level: Level, expanded: bool) -> Play {
        let start = level.start(expanded);
        Play {
            level,
            expanded,
            history: vec![start],
            choices: Vec::new(),
        }
    }

    /// The level being played.
    pub fn level(&self) -> &Level {
        &self.level
    }

    /// Whether non-atomic statements are split into load and store.
    pub fn expanded(&self) -> bool {
        self.expanded
    }

    /// The current state.
    pub fn state(&self) -> &State {
        // `history` starts with the initial state and undo never pops it.
        &self.history[self.history.len() - 1]
    }

    /// The threads picked so far, from 0: the permalink's digits.
    pub fn choices(&self) -> &[usize] {
        &self.choices
    }

    /// Lets `thread` take the next step, or says why it cannot.
    pub fn step(&mut self, thread: usize) -> Result<(), StepError> {
        let mut next = self.state().clone();
        next.step(thread)?;
        self.history.push(next);
        self.choices.push(thread);
        Ok(())
    }

    /// Takes back the last step; false when there is none.
    pub fn undo(&mut self) -> bool {
        if self.choices.pop().is_some() {
            self.history.pop();
            true
        } else {
            false
        }
    }

    /// Back to the first state, keeping level and expansion.
    pub fn reset(&mut self) {
        self.history.truncate(1);
        self.choices.clear();
    }

    /// How the run ended, once it has.
    pub fn verdict(&self) -> Option<Verdict> {
        self.level.verdict(self.state())
    }

    /// What a permalink to this moment holds.
    pub fn replay(&self) -> Replay {
        Replay {
            level: self.level.id.to_owned(),
            expanded: self.expanded,
            choices: self.choices.clone(),
        }
    }
}

/// A schedule to share: level, expansion and the threads picked, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replay {
    /// The level's id.
    pub level: String,
    /// Whether non-atomic statements are expanded.
    pub expanded: bool,
    /// Thread indices from 0, one per step.
    pub choices: Vec<usize>,
}

/// Why a permalink cannot be replayed; shown to the reader as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermalinkError {
    /// Not `level.e.digits` or `level.s.digits`.
    BadFormat(String),
    /// No level has this id.
    UnknownLevel(String),
    /// More than [`MAX_STEPS`] steps.
    TooLong { steps: usize },
    /// Step `step` (from 1) picks a thread that cannot run there.
    InvalidChoice { step: usize, error: StepError },
}

impl fmt::Display for PermalinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PermalinkError::BadFormat(link) => write!(
                f,
                "“{link}” is not a schedule: a permalink reads like counter.e.0110 \
                 (the level, e for expanded or s for as written, then one digit per step \
                 naming the thread, 0 for thread 1)"
            ),
            PermalinkError::UnknownLevel(id) => write!(
                f,
                "there is no level “{id}”; the levels are {}",
                levels()
                    .iter()
                    .map(Level::id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            PermalinkError::TooLong { steps } => write!(
                f,
                "the schedule has {steps} steps; a permalink replays at most {MAX_STEPS}"
            ),
            PermalinkError::InvalidChoice { step, error } => {
                write!(f, "step {step} of the schedule cannot be taken: {error}")
            }
        }
    }
}

impl std::error::Error for PermalinkError {}

/// The longest piece of a bad link quoted back in an error message.
const QUOTE_LIMIT: usize = 40;

/// A bad link shortened for quoting, so a pasted essay does not fill the page.
fn quote(text: &str) -> String {
    if text.chars().count() > QUOTE_LIMIT {
        format!("{}…", text.chars().take(QUOTE_LIMIT).collect::<String>())
    } else {
        text.to_owned()
    }
}

impl Replay {
    /// `counter.e.0110`: the level's id, `e` (expanded) or `s` (as written),
    /// and one digit per step; URL-safe, so it goes into `?play=` unescaped.
    /// With no steps the last part is left out: `counter.s`.
    pub fn to_permalink(&self) -> String {
        let mode = if self.expanded { "e" } else { "s" };
        let digits: String = self
            .choices
            .iter()
            .map(|&c| char::from_digit(c as u32, 10).unwrap_or('?'))
            .collect();
        if digits.is_empty() {
            format!("{}.{mode}", self.level)
        } else {
            format!("{}.{mode}.{digits}", self.level)
        }
    }

    /// Reads a permalink and checks it by replaying it: a link that parses
    /// always loads.
    pub fn parse(link: &str) -> Result<Replay, PermalinkError> {
        let bad = || PermalinkError::BadFormat(quote(link));
        let mut parts = link.split('.');
        let (Some(id), Some(mode)) = (parts.next(), parts.next()) else {
            return Err(bad());
        };
        let digits = parts.next().unwrap_or("");
        if parts.next().is_some() || id.is_empty() {
            return Err(bad());
        }
        let expanded = match mode {
            "e" => true,
            "s" => false,
            _ => return Err(bad()),
        };
        if level(id).is_none() {
            return Err(PermalinkError::UnknownLevel(quote(id)));
        }
        let steps = digits.chars().count();
        if steps > MAX_STEPS {
            return Err(PermalinkError::TooLong { steps });
        }
        let choices = digits
            .chars()
            .map(|c| c.to_digit(10).map(|d| d as usize))
            .collect::<Option<Vec<usize>>>()
            .ok_or_else(bad)?;
        let replay = Replay {
            level: id.to_owned(),
            expanded,
            choices,
        };
        replay.play()?;
        Ok(replay)
    }

    /// The run this schedule leads to, every step kept for undo.
    pub fn play(&self) -> Result<Play, PermalinkError> {
        let level =
            level(&self.level).ok_or_else(|| PermalinkError::UnknownLevel(quote(&self.level)))?;
        if self.choices.len() > MAX_STEPS {
            return Err(PermalinkError::TooLong {
                steps: self.choices.len(),
            });
        }
        let mut play = Play::new(level, self.expanded);
        for (i, &thread) in self.choices.iter().enumerate() {
            play.step(thread)
                .map_err(|error| PermalinkError::InvalidChoice { step: i + 1, error })?;
        }
        Ok(play)
    }
}

#[cfg(test)]
mod tests {
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
                    for thread in state.enabled_threads() {
                        let mut next = state.clone();
                        assert_eq!(next.step(thread), Ok(()), "{}", level.id());
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
            "counter.e.0a",
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
}
