//! A small, instrumented model of the browser's event loop, for stepping
//! through short async programs (§10 "Event Loop Model"): the call stack,
//! the microtask queue (promise callbacks, resumed `await`s), the task queue
//! (timers) and the console, one operation at a time.
//!
//! The rules are the HTML event loop's, reduced to what the programs use: a
//! task runs to completion; whenever the stack empties, every microtask runs
//! (including those queued meanwhile) before the next task; `await` on a
//! settled value suspends the async function and queues the rest of it as a
//! microtask. [`trace`] records every state, so a reader can step back.

use std::collections::VecDeque;

use serde::Serialize;

/// One operation of a program, on a line of its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub line: usize,
    pub kind: OpKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OpKind {
    /// `console.log(text)`.
    Log(&'static str),
    /// `setTimeout(callback, delay_ms)`: a task, due after the delay.
    SetTimeout {
        delay_ms: u32,
        label: &'static str,
        body: Vec<Op>,
    },
    /// `Promise.resolve().then(callback)` or `queueMicrotask(callback)`.
    Microtask { label: &'static str, body: Vec<Op> },
    /// Calling an `async function`: it runs at once, until its first `await`.
    CallAsync { name: &'static str, body: Vec<Op> },
    /// `await` on a settled value, inside an async function.
    Await,
}

/// A program to step through: its source as shown, and its operations.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub id: &'static str,
    pub title: &'static str,
    pub source: &'static str,
    pub script: Vec<Op>,
}

/// Everything the reader sees after one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// Frames, bottom first.
    pub stack: Vec<String>,
    pub microtasks: Vec<String>,
    /// Timer tasks, in the order they will run.
    pub tasks: Vec<String>,
    pub output: Vec<String>,
    /// The source line of the operation just run, if any.
    pub line: Option<usize>,
    /// What the step did, in words.
    pub note: String,
}

#[derive(Debug, Clone)]
struct Frame {
    name: String,
    ops: VecDeque<Op>,
    is_async: bool,
}

#[derive(Debug, Clone)]
struct Task {
    label: String,
    ops: Vec<Op>,
    is_async: bool,
}

#[derive(Debug, Clone)]
struct Timer {
    due_ms: u32,
    task: Task,
}

/// The model's state between steps.
#[derive(Debug, Clone)]
struct Machine {
    stack: Vec<Frame>,
    microtasks: VecDeque<Task>,
    timers: Vec<Timer>,
    output: Vec<String>,
    now_ms: u32,
}

/// The most steps a trace records: the book's programs need a few dozen.
const MAX_STEPS: usize = 500;

/// Every state of `program`, from before its first step to the end.
pub fn trace(program: &Program) -> Vec<Snapshot> {
    let mut machine = Machine {
        stack: vec![Frame {
            name: "script".to_owned(),
            ops: program.script.iter().cloned().collect(),
            is_async: false,
        }],
        microtasks: VecDeque::new(),
        timers: Vec::new(),
        output: Vec::new(),
        now_ms: 0,
    };
    let mut snapshots = vec![machine.snapshot(
        None,
        "The script is the first task: it starts on the call stack.".to_owned(),
    )];
    while snapshots.len() < MAX_STEPS {
        let Some((line, note)) = machine.step() else {
            break;
        };
        snapshots.push(machine.snapshot(line, note));
    }
    snapshots
}

impl Machine {
    /// One step; `None` when there is nothing left to run.
    fn step(&mut self) -> Option<(Option<usize>, String)> {
        if let Some(frame) = self.stack.last_mut() {
            let Some(op) = frame.ops.pop_front() else {
                let done = self.stack.pop().map(|f| f.name).unwrap_or_default();
                let note = if self.stack.is_empty() {
                    format!("{done} returns; the call stack is empty.")
                } else {
                    format!("{done} returns.")
                };
                return Some((None, note));
            };
            let line = Some(op.line);
            let note = match op.kind {
                OpKind::Log(text) => {
                    self.output.push(text.to_owned());
                    format!("console.log prints “{text}”.")
                }
                OpKind::SetTimeout {
                    delay_ms,
                    label,
                    body,
                } => {
                    let due_ms = self.now_ms + delay_ms;
                    // Timers run by due time, then in the order they were set.
                    let at = self.timers.partition_point(|t| t.due_ms <= due_ms);
                    self.timers.insert(
                        at,
                        Timer {
                            due_ms,
                            task: Task {
                                label: label.to_owned(),
                                ops: body,
                                is_async: false,
                            },
                        },
                    );
                    format!("setTimeout queues “{label}” as a task, due in {delay_ms} ms. Nothing runs it yet.")
                }
                OpKind::Microtask { label, body } => {
                    self.microtasks.push_back(Task {
                        label: label.to_owned(),
                        ops: body,
                        is_async: false,
                    });
                    format!(
                        "“{label}” goes to the microtask queue. It runs once the stack is empty."
                    )
                }
                OpKind::CallAsync { name, body } => {
                    self.stack.push(Frame {
                        name: name.to_owned(),
                        ops: body.into_iter().collect(),
                        is_async: true,
                    });
                    format!("{name}() is called: an async function runs at once, up to its first await.")
                }
                OpKind::Await => {
                    let frame = self.stack.pop()?;
                    let label = format!("resume {}", frame.name);
                    self.microtasks.push_back(Task {
                        label: label.clone(),
                        ops: frame.ops.into_iter().collect(),
                        is_async: frame.is_async,
                    });
                    format!(
                        "{} awaits: it leaves the stack, and the rest of it is queued as the microtask “{label}”.",
                        frame.name
                    )
                }
            };
            return Some((line, note));
        }
        if let Some(task) = self.microtasks.pop_front() {
            let note = format!("The stack is empty, so the event loop runs the next microtask, “{}”, before any task.", task.label);
            self.stack.push(Frame {
                name: task.label,
                ops: task.ops.into(),
                is_async: task.is_async,
            });
            return Some((None, note));
        }
        if !self.timers.is_empty() {
            let timer = self.timers.remove(0);
            self.now_ms = self.now_ms.max(timer.due_ms);
            let note = format!(
                "No microtask is left, so the event loop takes the next task: the timer “{}”.",
                timer.task.label
            );
            self.stack.push(Frame {
                name: timer.task.label,
                ops: timer.task.ops.into(),
                is_async: false,
            });
            return Some((None, note));
        }
        None
    }

    fn snapshot(&self, line: Option<usize>, note: String) -> Snapshot {
        Snapshot {
            stack: self.stack.iter().map(|f| f.name.clone()).collect(),
            microtasks: self.microtasks.iter().map(|t| t.label.clone()).collect(),
            tasks: self.timers.iter().map(|t| t.task.label.clone()).collect(),
            output: self.output.clone(),
            line,
            note,
        }
    }
}

fn op(line: usize, kind: OpKind) -> Op {
    Op { line, kind }
}

fn log(line: usize, text: &'static str) -> Op {
    op(line, OpKind::Log(text))
}

/// The book's programs, simplest first.
pub fn programs() -> Vec<Program> {
    vec![
        Program {
            id: "timers-and-promises",
            title: "A timer and a promise",
            source: "console.log(\"1: script start\");\n\
                     setTimeout(() => console.log(\"4: timeout\"), 0);\n\
                     Promise.resolve().then(() => console.log(\"3: promise\"));\n\
                     console.log(\"2: script end\");",
            script: vec![
                log(1, "1: script start"),
                op(
                    2,
                    OpKind::SetTimeout {
                        delay_ms: 0,
                        label: "timeout callback",
                        body: vec![log(2, "4: timeout")],
                    },
                ),
                op(
                    3,
                    OpKind::Microtask {
                        label: "then callback",
                        body: vec![log(3, "3: promise")],
                    },
                ),
                log(4, "2: script end"),
            ],
        },
        Program {
            id: "async-await",
            title: "async and await",
            source: "async function load() {\n\
                     \x20 console.log(\"2: load starts\");\n\
                     \x20 await null;\n\
                     \x20 console.log(\"4: load resumes\");\n\
                     }\n\
                     console.log(\"1: script start\");\n\
                     setTimeout(() => console.log(\"6: timeout\"), 0);\n\
                     load();\n\
                     Promise.resolve().then(() => console.log(\"5: then\"));\n\
                     console.log(\"3: script end\");",
            script: vec![
                log(6, "1: script start"),
                op(
                    7,
                    OpKind::SetTimeout {
                        delay_ms: 0,
                        label: "timeout callback",
                        body: vec![log(7, "6: timeout")],
                    },
                ),
                op(
                    8,
                    OpKind::CallAsync {
                        name: "load",
                        body: vec![
                            log(2, "2: load starts"),
                            op(3, OpKind::Await),
                            log(4, "4: load resumes"),
                        ],
                    },
                ),
                op(
                    9,
                    OpKind::Microtask {
                        label: "then callback",
                        body: vec![log(9, "5: then")],
                    },
                ),
                log(10, "3: script end"),
            ],
        },
        Program {
            id: "microtasks-first",
            title: "Microtasks that queue microtasks",
            source: "setTimeout(() => console.log(\"4: timeout\"), 0);\n\
                     queueMicrotask(() => {\n\
                     \x20 console.log(\"1: first\");\n\
                     \x20 queueMicrotask(() => {\n\
                     \x20   console.log(\"2: second\");\n\
                     \x20   queueMicrotask(() => console.log(\"3: third\"));\n\
                     \x20 });\n\
                     });",
            script: vec![
                op(
                    1,
                    OpKind::SetTimeout {
                        delay_ms: 0,
                        label: "timeout callback",
                        body: vec![log(1, "4: timeout")],
                    },
                ),
                op(
                    2,
                    OpKind::Microtask {
                        label: "first microtask",
                        body: vec![
                            log(3, "1: first"),
                            op(
                                4,
                                OpKind::Microtask {
                                    label: "second microtask",
                                    body: vec![
                                        log(5, "2: second"),
                                        op(
                                            6,
                                            OpKind::Microtask {
                                                label: "third microtask",
                                                body: vec![log(6, "3: third")],
                                            },
                                        ),
                                    ],
                                },
                            ),
                        ],
                    },
                ),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(id: &str) -> Program {
        programs()
            .into_iter()
            .find(|p| p.id == id)
            .expect("a program")
    }

    fn output(id: &str) -> Vec<String> {
        trace(&program(id))
            .last()
            .map(|s| s.output.clone())
            .unwrap_or_default()
    }

    #[test]
    fn every_program_prints_in_the_order_its_numbers_say() {
        for program in programs() {
            let printed = output(program.id);
            assert!(!printed.is_empty(), "{}", program.id);
            let numbers: Vec<usize> = printed
                .iter()
                .filter_map(|line| line.split(':').next()?.parse().ok())
                .collect();
            let expected: Vec<usize> = (1..=printed.len()).collect();
            assert_eq!(numbers, expected, "{}: {printed:?}", program.id);
        }
    }

    #[test]
    fn a_promise_callback_runs_before_a_zero_delay_timer() {
        assert_eq!(
            output("timers-and-promises"),
            [
                "1: script start",
                "2: script end",
                "3: promise",
                "4: timeout"
            ]
        );
    }

    #[test]
    fn await_queues_the_rest_of_the_function_as_a_microtask() {
        let states = trace(&program("async-await"));
        // Right after `await`: load has left the stack, its rest is queued.
        let suspended = states
            .iter()
            .find(|s| s.note.starts_with("load awaits"))
            .expect("load awaits");
        assert_eq!(suspended.stack, ["script"]);
        assert_eq!(suspended.microtasks, ["resume load"]);
        assert_eq!(suspended.tasks, ["timeout callback"]);
        assert_eq!(suspended.output, ["1: script start", "2: load starts"]);
        // The script ends with two microtasks waiting, in the order queued.
        let ended = states
            .iter()
            .find(|s| s.output.last().is_some_and(|l| l == "3: script end"))
            .expect("the script ends");
        assert_eq!(ended.microtasks, ["resume load", "then callback"]);
        assert_eq!(
            output("async-await"),
            [
                "1: script start",
                "2: load starts",
                "3: script end",
                "4: load resumes",
                "5: then",
                "6: timeout"
            ]
        );
    }

    #[test]
    fn microtasks_queued_by_microtasks_still_run_before_the_timer() {
        let states = trace(&program("microtasks-first"));
        let timer_starts = states
            .iter()
            .position(|s| s.stack == ["timeout callback"])
            .expect("the timer runs");
        assert!(states[..timer_starts]
            .iter()
            .any(|s| s.microtasks == ["third microtask"]));
        assert!(states[timer_starts].microtasks.is_empty());
        assert_eq!(states.last().map(|s| s.stack.is_empty()), Some(true));
        assert!(states.len() < MAX_STEPS);
    }
}
