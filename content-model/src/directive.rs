//! Widget directives: a fenced block whose info string is `widget <id> [key=value ...]`
//! mounts a live widget at that place in the text.
//!
//! ````markdown
//! ```widget threads-check
//! ```
//! ````

use std::fmt;

/// Every widget the book knows. The UI matches on this exhaustively, so an id
/// listed here always has a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WidgetKind {
    /// What the reader's browser offers the parallel widgets.
    Environment,
    /// Starts the worker pool and proves that more than one thread did work.
    ThreadsCheck,
    /// Mandelbrot on a number of threads the reader picks, drawn as an image.
    Mandelbrot,
    /// Blocked matrix multiply, speedup over 1..N threads.
    Matmul,
    /// Image blur, before and after, speedup over 1..N threads.
    Blur,
    /// Merge sort with `join`, speedup over 1..N threads.
    Sort,
    /// Uneven prime count: work stealing against static chunks.
    Primes,
    /// Which pool worker did how much of a job.
    PoolWorkers,
    /// Every kernel over 1..N threads, on one chart.
    SpeedupSweep,
    /// Workers incrementing one counter: load-then-store, `fetch_add`, mutex.
    Race,
    /// Two async tasks on the main thread losing updates across an `await`.
    RaceOneThread,
    /// Two workers, two locks in opposite order, a watchdog, the fix.
    Deadlock,
    /// Two async tasks each awaiting the other's message.
    DeadlockOneThread,
    /// Dining philosophers: naive, ordered forks, an arbitrator.
    Philosophers,
    /// One counter on many threads, from one mutex to padded per-thread slots.
    Contention,
    /// What one more Web Worker costs against one more async task.
    MemoryOverhead,
    /// The reader picks the interleaving; a model checker tries them all.
    BeTheScheduler,
    /// §4's two diagrams measured: tasks interleaved on the main thread,
    /// simultaneous on the pool.
    InterleavingTimeline,
    /// A CPU-bound batch in one go, in slices and on the pool, with a frame meter.
    OneWorkloadThreeWays,
    /// Up to 10,000 simulated clients served by async handlers on the event loop.
    OneThreadServer,
    /// A producer, a consumer and a bounded buffer under four policies.
    Backpressure,
    /// Short async programs on a model of the event loop, step by step.
    EventLoopStepper,
    /// A chat room of actors: mailboxes, a slow actor, a supervised failure.
    ActorsChatRoom,
    /// The three kinds of hardware parallelism on one kernel: cores, SIMD
    /// lanes and the GPU.
    SimdGpu,
    /// Litmus tests with per-access orderings, every outcome under three
    /// memory models, a witness for each, and programs to make correct.
    MemoryModel,
    /// The litmus tests on two real workers, counted, beside native counts.
    LitmusRun,
}

impl WidgetKind {
    /// All kinds, for documentation and tests.
    pub const ALL: [WidgetKind; 26] = [
        WidgetKind::Environment,
        WidgetKind::ThreadsCheck,
        WidgetKind::Mandelbrot,
        WidgetKind::Matmul,
        WidgetKind::Blur,
        WidgetKind::Sort,
        WidgetKind::Primes,
        WidgetKind::PoolWorkers,
        WidgetKind::SpeedupSweep,
        WidgetKind::Race,
        WidgetKind::RaceOneThread,
        WidgetKind::Deadlock,
        WidgetKind::DeadlockOneThread,
        WidgetKind::Philosophers,
        WidgetKind::Contention,
        WidgetKind::MemoryOverhead,
        WidgetKind::BeTheScheduler,
        WidgetKind::InterleavingTimeline,
        WidgetKind::OneWorkloadThreeWays,
        WidgetKind::OneThreadServer,
        WidgetKind::Backpressure,
        WidgetKind::EventLoopStepper,
        WidgetKind::ActorsChatRoom,
        WidgetKind::SimdGpu,
        WidgetKind::MemoryModel,
        WidgetKind::LitmusRun,
    ];

    /// Whether this is one of the parallelism lab's kernel widgets, which
    /// share one component and one shape of report.
    pub fn is_parallelism_lab(self) -> bool {
        matches!(
            self,
            WidgetKind::Mandelbrot
                | WidgetKind::Matmul
                | WidgetKind::Blur
                | WidgetKind::Sort
                | WidgetKind::Primes
                | WidgetKind::PoolWorkers
                | WidgetKind::SpeedupSweep
        )
    }

    /// The id written in markdown and in the root's `data-widget` attribute.
    pub fn id(self) -> &'static str {
        match self {
            WidgetKind::Environment => "environment",
            WidgetKind::ThreadsCheck => "threads-check",
            WidgetKind::Mandelbrot => "mandelbrot",
            WidgetKind::Matmul => "matmul",
            WidgetKind::Blur => "blur",
            WidgetKind::Sort => "sort",
            WidgetKind::Primes => "primes",
            WidgetKind::PoolWorkers => "pool-workers",
            WidgetKind::SpeedupSweep => "speedup-sweep",
            WidgetKind::Race => "race",
            WidgetKind::RaceOneThread => "race-one-thread",
            WidgetKind::Deadlock => "deadlock",
            WidgetKind::DeadlockOneThread => "deadlock-one-thread",
            WidgetKind::Philosophers => "philosophers",
            WidgetKind::Contention => "contention",
            WidgetKind::MemoryOverhead => "memory-overhead",
            WidgetKind::BeTheScheduler => "be-the-scheduler",
            WidgetKind::InterleavingTimeline => "interleaving-timeline",
            WidgetKind::OneWorkloadThreeWays => "one-workload-three-ways",
            WidgetKind::OneThreadServer => "one-thread-server",
            WidgetKind::Backpressure => "backpressure",
            WidgetKind::EventLoopStepper => "event-loop-stepper",
            WidgetKind::ActorsChatRoom => "actors",
            WidgetKind::SimdGpu => "simd-gpu",
            WidgetKind::MemoryModel => "memory-model",
            WidgetKind::LitmusRun => "litmus-run",
        }
    }

    /// The title shown above the widget, and listed by search.
    pub fn title(self) -> &'static str {
        match self {
            WidgetKind::Environment => "Your browser",
            WidgetKind::ThreadsCheck => "Threads check",
            WidgetKind::Mandelbrot => "Many chefs: the Mandelbrot set on your cores",
            WidgetKind::Matmul => "CPU-bound: blocked matrix multiply",
            WidgetKind::Blur => "Image processing: a blur, row by row",
            WidgetKind::Sort => "Divide and conquer: merge sort with join",
            WidgetKind::Primes => "Uneven work: work stealing against static chunks",
            WidgetKind::PoolWorkers => "The pool's workers: who did what",
            WidgetKind::SpeedupSweep => "Scaling per CPU: every kernel, 1 to N threads",
            WidgetKind::Race => "Race condition: one counter, many workers",
            WidgetKind::RaceOneThread => "Race condition on one thread: two async tasks",
            WidgetKind::Deadlock => "Deadlock: two workers, two locks",
            WidgetKind::DeadlockOneThread => {
                "Deadlock on one thread: two tasks awaiting each other"
            }
            WidgetKind::Philosophers => "Dining philosophers",
            WidgetKind::Contention => "Contention: five ways to count on many threads",
            WidgetKind::MemoryOverhead => "Memory overhead: a thread against a task",
            WidgetKind::BeTheScheduler => "Be the scheduler",
            WidgetKind::InterleavingTimeline => {
                "Interleaved or simultaneous: the same tasks on one thread and on the pool"
            }
            WidgetKind::OneWorkloadThreeWays => {
                "One workload, three ways: in one go, in slices, on the pool"
            }
            WidgetKind::OneThreadServer => {
                "One thread, many clients: an async server on the event loop"
            }
            WidgetKind::Backpressure => {
                "Backpressure: a fast producer, a slow consumer, four policies"
            }
            WidgetKind::EventLoopStepper => {
                "The event loop, step by step: stack, microtasks, tasks"
            }
            WidgetKind::ActorsChatRoom => {
                "Actors: a chat room of mailboxes, one slow user, one that fails"
            }
            WidgetKind::SimdGpu => {
                "Cores, SIMD lanes and the GPU: one kernel, every kind of parallelism"
            }
            WidgetKind::MemoryModel => "Happens-before: what each memory model lets a thread see",
            WidgetKind::LitmusRun => "Litmus tests on real threads: the browser and the CPU",
        }
    }

    /// What the widget measures or shows, in a sentence: said where it cannot
    /// run (a page without JavaScript or WebAssembly, `content::static_page`).
    pub fn summary(self) -> &'static str {
        match self {
            WidgetKind::Environment => "It reports what this browser offers the book: cross-origin isolation, SharedArrayBuffer, its reported count of logical processors, WebAssembly SIMD and WebGPU, and whether parallel widgets get a worker pool.",
            WidgetKind::ThreadsCheck => "It starts the worker pool, runs one CPU-bound job on it and counts how many threads did part of the work, checking the result against a one-thread run.",
            WidgetKind::Mandelbrot => "It draws the Mandelbrot set, timing it on one thread and then on as many threads as you pick, and gives the speedup.",
            WidgetKind::Matmul => "It times a cache-blocked matrix multiply on 1 to N threads and plots the speedup against the ideal line, with an Amdahl fit of the shortfall.",
            WidgetKind::Blur => "It blurs an image row by row on one thread and on the pool and measures the speedup.",
            WidgetKind::Sort => "It times a merge sort that runs its halves with rayon's join on 1 to N threads, and shows the merges, each on one thread, levelling off the speedup.",
            WidgetKind::Primes => "It counts primes, whose cost grows along the range, with static chunks and with work stealing, and compares the times.",
            WidgetKind::PoolWorkers => "It runs one Mandelbrot job on every worker of the pool and charts how many rows each worker computed: uneven counts, as work stealing keeps every worker busy.",
            WidgetKind::SpeedupSweep => "It runs every kernel at 1 to N threads and draws the speedup curves against the ideal.",
            WidgetKind::Race => "It has several workers add one to a shared counter by a separate load and store, by fetch_add and under a mutex, counting the lost updates and timing each.",
            WidgetKind::RaceOneThread => "It shows two async tasks on one thread losing updates to a shared value across an await.",
            WidgetKind::Deadlock => "It has two workers take two locks in opposite orders, lets a watchdog find the deadlock's cycle and stop them, then runs them in one order, which always finishes.",
            WidgetKind::DeadlockOneThread => "It shows two async tasks on the main thread each awaiting the other's message, stuck without using the CPU, then cancels them and lets one send first.",
            WidgetKind::Philosophers => "It serves the dining philosophers on the pool's threads naively, with ordered forks and with a waiter, and reports each way's deadlocks and meals per second.",
            WidgetKind::Contention => "It counts on many threads five ways, from one mutex to per-thread counters packed in one cache line or padded apart, and measures increments per second, exposing false sharing.",
            WidgetKind::MemoryOverhead => "It weighs waiting async tasks by the Rust heap they hold and times the start of Web Workers, weighing each worker's JavaScript heap where the browser can measure it.",
            WidgetKind::BeTheScheduler => "A game: you pick which thread of a tiny program takes each step, to cause lost updates, broken invariants or deadlocks, and a model checker tries every interleaving.",
            WidgetKind::InterleavingTimeline => "It runs the same tasks interleaved on one thread and simultaneously on the pool and draws both timelines.",
            WidgetKind::OneWorkloadThreeWays => "It counts primes in one go on the main thread, in slices that yield to the event loop, and on the pool, timing each and counting the frames the page drops.",
            WidgetKind::OneThreadServer => "It serves up to 10,000 simulated clients from async handlers on the event loop, measuring throughput, latency and loop lag with CPU work on the loop or on the pool.",
            WidgetKind::Backpressure => "It feeds a slow consumer from a fast producer under four policies and shows the queue, the drops and the waits.",
            WidgetKind::EventLoopStepper => "It steps short async programs through a model of the browser's event loop, showing the call stack, the microtask queue, the task queue and the console.",
            WidgetKind::ActorsChatRoom => "It runs a chat room of actors with mailboxes, one slow member and one that fails and is restarted.",
            WidgetKind::MemoryModel => "It lists every outcome of a small multi-threaded program under sequential consistency, x86's store buffers and the Rust memory model, for the atomic orderings you pick, with a step-by-step witness for each allowed outcome.",
            WidgetKind::LitmusRun => "It runs store buffering, message passing and load buffering many thousand times on two workers sharing memory and counts each outcome, beside the counts the same tests gave natively on an x86 CPU.",
            WidgetKind::SimdGpu => "It times a Mandelbrot set and a matrix multiply, scalar and in SIMD lanes, on one thread and on the pool, plus the Mandelbrot on the GPU, as speedups over scalar.",
        }
    }

    /// The kind a markdown id names, if any.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.id() == id)
    }
}

/// A widget placed in the text, with the parameters its author gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetDirective {
    pub kind: WidgetKind,
    pub params: Vec<(String, String)>,
}

/// Why a `widget` block could not be mounted; shown to the reader in an error box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectiveError {
    MissingId,
    UnknownId(String),
    BadParameter(String),
}

impl fmt::Display for DirectiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DirectiveError::MissingId => write!(
                f,
                "a `widget` block needs an id, as in `widget threads-check`"
            ),
            DirectiveError::UnknownId(id) => {
                let known: Vec<&str> = WidgetKind::ALL.iter().map(|k| k.id()).collect();
                write!(
                    f,
                    "unknown widget `{id}`; known widgets: {}",
                    known.join(", ")
                )
            }
            DirectiveError::BadParameter(p) => {
                write!(f, "widget parameter `{p}` is not of the form key=value")
            }
        }
    }
}

impl std::error::Error for DirectiveError {}

/// Parses a fenced block's info string. `None` means it is not a widget block at all.
pub fn parse_info(info: &str) -> Option<Result<WidgetDirective, DirectiveError>> {
    let mut words = info.split_whitespace();
    if words.next() != Some("widget") {
        return None;
    }
    let Some(id) = words.next() else {
        return Some(Err(DirectiveError::MissingId));
    };
    let Some(kind) = WidgetKind::from_id(id) else {
        return Some(Err(DirectiveError::UnknownId(id.to_owned())));
    };
    let params = words
        .map(|word| match word.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
            _ => Err(DirectiveError::BadParameter(word.to_owned())),
        })
        .collect::<Result<Vec<_>, _>>();
    Some(params.map(|params| WidgetDirective { kind, params }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_id_and_parameters() {
        let directive = parse_info("widget threads-check items=64").expect("a widget block");
        assert_eq!(
            directive,
            Ok(WidgetDirective {
                kind: WidgetKind::ThreadsCheck,
                params: vec![("items".into(), "64".into())],
            })
        );
    }

    #[test]
    fn other_code_blocks_are_not_widgets() {
        assert_eq!(parse_info("rust"), None);
        assert_eq!(parse_info(""), None);
        assert_eq!(parse_info("widgets x"), None);
    }

    #[test]
    fn bad_blocks_say_why() {
        assert_eq!(parse_info("widget"), Some(Err(DirectiveError::MissingId)));
        assert_eq!(
            parse_info("widget nope"),
            Some(Err(DirectiveError::UnknownId("nope".into())))
        );
        assert_eq!(
            parse_info("widget environment oops"),
            Some(Err(DirectiveError::BadParameter("oops".into())))
        );
        let message = DirectiveError::UnknownId("nope".into()).to_string();
        assert!(message.contains("threads-check"), "{message}");
    }

    #[test]
    fn ids_round_trip() {
        for kind in WidgetKind::ALL {
            assert_eq!(WidgetKind::from_id(kind.id()), Some(kind));
        }
    }
}
