//! The instruction set: the steps a thread can take, the lines of its
//! listing, and a whole program with the text the reader sees for each line.
//! Nothing here runs; the interpreter in `state` gives the steps their meaning.

/// What a store writes: a constant, or the thread's register plus a constant
/// (the second half of an expanded increment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Value {
    Const(i64),
    RegisterPlus(i64),
}

/// One indivisible step of a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
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
    /// `fence(SeqCst);`: an x86 `mfence`, which first writes the thread's
    /// store buffer to memory; nothing where stores reach memory at once.
    Fence,
}

/// One line of a thread's listing: a step, or a closing `}` that is only shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    indent: usize,
    pub(super) op: Option<Op>,
    expansion: bool,
}

impl Line {
    pub(super) fn step(indent: usize, op: Op) -> Line {
        Line {
            indent,
            op: Some(op),
            expansion: false,
        }
    }

    pub(super) fn close(indent: usize) -> Line {
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
    pub(super) vars: Vec<(&'static str, i64)>,
    pub(super) locks: Vec<&'static str>,
    pub(super) cvs: Vec<&'static str>,
    pub(super) threads: Vec<Vec<Line>>,
    /// Whether each thread's plain stores wait in a store buffer, as on x86
    /// (`state` gives them their meaning); otherwise every store reaches
    /// memory at once, and every thread sees it.
    pub(super) store_buffers: bool,
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

    /// Whether plain stores wait in per-thread store buffers (x86-TSO) until
    /// the scheduler, or a fence or lock, writes them to memory.
    pub fn has_store_buffers(&self) -> bool {
        self.store_buffers
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
    pub(super) fn expanded(&self) -> Program {
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
    pub(super) fn skip_to_step(&self, thread: usize, from: usize) -> usize {
        let lines = self.lines(thread);
        (from..lines.len())
            .find(|&i| lines[i].op.is_some())
            .unwrap_or(lines.len())
    }

    pub(super) fn var(&self, var: usize) -> &'static str {
        self.vars.get(var).map_or("?", |&(name, _)| name)
    }

    pub(super) fn lock(&self, lock: usize) -> &'static str {
        self.locks.get(lock).copied().unwrap_or("?")
    }

    pub(super) fn cv(&self, cv: usize) -> &'static str {
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
            Op::Fence => "fence(SeqCst);".to_owned(),
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
