//! The interpreter: a moment of a run and the single step that leads from
//! one moment to the next, with what keeps a thread from stepping.

use std::fmt;
use std::sync::Arc;

use super::program::{Op, Program, Value};
use super::DRAIN;

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
    pub(super) values: Vec<i64>,
    threads: Vec<ThreadState>,
    owners: Vec<Option<usize>>,
    /// Sleepers on each condition variable, longest-waiting first.
    waiters: Vec<Vec<usize>>,
    /// Each thread's store buffer, oldest store first: `(variable, value)`.
    /// Always empty unless the program has store buffers.
    buffers: Vec<Vec<(usize, i64)>>,
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
            buffers: vec![Vec::new(); program.threads()],
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

    /// The threads that can take a step now.
    pub fn enabled_threads(&self) -> Vec<usize> {
        (0..self.threads.len())
            .filter(|&t| self.status(t) == Some(ThreadStatus::Runnable))
            .collect()
    }

    /// Each thread's store buffer, oldest store first, as `(name, value)`;
    /// empty for every thread of a program without store buffers.
    pub fn store_buffer(&self, thread: usize) -> Vec<(&'static str, i64)> {
        self.buffers.get(thread).map_or_else(Vec::new, |buffer| {
            buffer
                .iter()
                .map(|&(var, value)| (self.program.var(var), value))
                .collect()
        })
    }

    /// Every choice the scheduler has now: a thread's next step (its
    /// index), or writing a thread's oldest buffered store to memory
    /// ([`DRAIN`] plus its index).
    pub fn choices(&self) -> Vec<usize> {
        let drains = (0..self.buffers.len())
            .filter(|&t| !self.buffers[t].is_empty())
            .map(|t| DRAIN + t);
        self.enabled_threads().into_iter().chain(drains).collect()
    }

    /// Nothing can happen any more: the run is over, finished or
    /// deadlocked, every store buffer written to memory.
    pub fn is_terminal(&self) -> bool {
        self.choices().is_empty()
    }

    /// The value of `var` as `thread` reads it: its own newest buffered
    /// store to `var` if it has one (x86 forwards it), else memory.
    fn read(&self, thread: usize, var: usize) -> i64 {
        self.buffers[thread]
            .iter()
            .rev()
            .find(|&&(v, _)| v == var)
            .map_or(self.values[var], |&(_, value)| value)
    }

    /// A plain store: into the thread's store buffer where the program
    /// has them, else straight to memory.
    fn write(&mut self, thread: usize, var: usize, value: i64) {
        if self.program.has_store_buffers() {
            self.buffers[thread].push((var, value));
        } else {
            self.values[var] = value;
        }
    }

    /// Writes the thread's whole store buffer to memory, oldest first, as a
    /// locked instruction or an `mfence` does before it goes on.
    fn drain_all(&mut self, thread: usize) {
        for (var, value) in std::mem::take(&mut self.buffers[thread]) {
            self.values[var] = value;
        }
    }

    /// Writes the thread's oldest buffered store to memory: the scheduler's
    /// other kind of choice where there are store buffers.
    fn drain(&mut self, thread: usize) -> Result<(), StepError> {
        let threads = self.threads.len();
        let Some(buffer) = self.buffers.get_mut(thread) else {
            return Err(StepError::NoSuchThread { thread, threads });
        };
        if buffer.is_empty() {
            return Err(StepError::NotEnabled {
                thread,
                why: "has no store in its store buffer".to_owned(),
            });
        }
        let (var, value) = buffer.remove(0);
        self.values[var] = value;
        Ok(())
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

    /// Takes one of the scheduler's [`choices`](Self::choices): thread
    /// `choice`'s next step, or from [`DRAIN`] on, writing thread
    /// `choice - DRAIN`'s oldest buffered store to memory; or says why it
    /// cannot.
    pub fn step(&mut self, choice: usize) -> Result<(), StepError> {
        if let Some(thread) = choice.checked_sub(DRAIN) {
            return self.drain(thread);
        }
        let thread = choice;
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
        // A locked instruction, and every lock and condition variable
        // operation built on one, first empties the thread's store buffer.
        if matches!(
            op,
            Op::FetchAdd { .. }
                | Op::Lock(_)
                | Op::Unlock(_)
                | Op::Wait { .. }
                | Op::Notify(_)
                | Op::Fence
        ) {
            self.drain_all(thread);
        }
        match op {
            Op::Load { var } => self.threads[thread].register = self.read(thread, var),
            Op::Store { var, value } => {
                let value = match value {
                    Value::Const(c) => c,
                    Value::RegisterPlus(c) => self.threads[thread].register.wrapping_add(c),
                };
                self.write(thread, var, value);
            }
            Op::Increment { var, by } => {
                let value = self.read(thread, var).wrapping_add(by);
                self.write(thread, var, value);
            }
            Op::FetchAdd { var, by } => self.values[var] = self.values[var].wrapping_add(by),
            Op::Fence => {}
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
                if self.read(thread, var) != equals {
                    pc_after = program.skip_to_step(thread, otherwise);
                }
            }
            Op::Jump(target) => pc_after = program.skip_to_step(thread, target),
        }
        self.threads[thread].pc = pc_after;
        Ok(())
    }
}
