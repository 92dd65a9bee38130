//! Which Rust each widget's panel shows: the one place to name it.

use concurrency_book::content::directive::WidgetKind;

/// An item of the source: a file relative to the repository's root, and
/// the item's name there (see [`CODE`]).
pub type Item = (&'static str, &'static str);

/// The items each widget runs, most telling first: a file relative to the
/// repository's root, and `name` (a free function, or a struct or enum) or
/// `Type::name` (a method). Every widget has at least one; a test checks
/// that each resolves to exactly one item.
pub const CODE: [(WidgetKind, &[Item]); 26] = [
    // The widget shows what the runtime detects: this is the detection.
    (
        WidgetKind::Environment,
        &[
            ("runtime/src/environment.rs", "Environment::detect"),
            ("runtime/src/environment.rs", "wasm_simd"),
            ("runtime/src/environment.rs", "Environment::obstacle"),
        ],
    ),
    // The probe once on one thread and once on the pool, which tallies the threads that did work; the work; the driver.
    (
        WidgetKind::ThreadsCheck,
        &[
            ("compute/src/threads_probe.rs", "run_sequential"),
            ("compute/src/threads_probe.rs", "run_parallel"),
            ("compute/src/threads_probe.rs", "work"),
            ("widgets/src/threads_check.rs", "check"),
        ],
    ),
    // A row per unit of work: the parallel version swaps chunks_mut for par_chunks_mut; the row loop; the sweep that times them.
    (
        WidgetKind::Mandelbrot,
        &[
            ("compute/src/mandelbrot.rs", "Mandelbrot::sequential"),
            ("compute/src/mandelbrot.rs", "Mandelbrot::parallel"),
            ("compute/src/mandelbrot.rs", "Mandelbrot::row"),
            ("compute/src/lab.rs", "run"),
        ],
    ),
    // Bands of rows, one after another or on the pool; the cache-blocked kernel.
    (
        WidgetKind::Matmul,
        &[
            ("compute/src/matmul.rs", "MatMul::sequential_with"),
            ("compute/src/matmul.rs", "MatMul::parallel_with"),
            ("compute/src/matmul.rs", "MatMul::block_rows"),
        ],
    ),
    // A row loop against par_chunks_mut, handed to the pass driver; one row of a box pass.
    (
        WidgetKind::Blur,
        &[
            ("compute/src/blur.rs", "Blur::sequential"),
            ("compute/src/blur.rs", "Blur::parallel"),
            ("compute/src/blur.rs", "Blur::run"),
            ("compute/src/blur.rs", "horizontal"),
        ],
    ),
    // One merge sort for both versions, a flag choosing rayon::join; the merge is the serial part.
    (
        WidgetKind::Sort,
        &[
            ("compute/src/sort.rs", "merge_sort"),
            ("compute/src/sort.rs", "merge"),
            ("compute/src/sort.rs", "Sort::sorted"),
        ],
    ),
    // The sequential count against work stealing and static chunks, over the same grains and trial division.
    (
        WidgetKind::Primes,
        &[
            ("compute/src/primes.rs", "Primes::sequential"),
            ("compute/src/primes.rs", "Primes::parallel"),
            ("compute/src/primes.rs", "count_range"),
            ("compute/src/primes.rs", "is_prime"),
        ],
    ),
    // The Mandelbrot job on the whole pool; each worker's rows tallied and read back.
    (
        WidgetKind::PoolWorkers,
        &[
            ("compute/src/mandelbrot.rs", "Mandelbrot::parallel"),
            ("compute/src/control.rs", "Control::record"),
            ("compute/src/control.rs", "Control::work_per_thread"),
            ("compute/src/measure.rs", "measure_run"),
        ],
    ),
    // Every kernel on 1 to N threads with the other threads parked, each run checked, then timed.
    (
        WidgetKind::SpeedupSweep,
        &[
            ("compute/src/lab.rs", "run"),
            ("compute/src/active_threads.rs", "with_active_threads"),
            ("compute/src/measure.rs", "measure_run"),
            ("compute/src/kernel.rs", "Input::run"),
        ],
    ),
    // The racy load-then-store and both fixes in one loop; the start that releases the workers at once.
    (
        WidgetKind::Race,
        &[
            ("compute/src/pitfalls/race.rs", "run"),
            ("compute/src/pitfalls/mod.rs", "together"),
            ("widgets/src/pitfalls/race.rs", "measure"),
        ],
    ),
    // The task body, with the await between read and write and the fix; two tasks on the event loop.
    (
        WidgetKind::RaceOneThread,
        &[
            ("compute/src/pitfalls/one_thread.rs", "increment"),
            ("widgets/src/pitfalls/race_one_thread.rs", "two_tasks"),
            ("widgets/src/pitfalls/race_one_thread.rs", "yield_now"),
        ],
    ),
    // Opposite against the same lock order in one worker loop; the watchdog's wait and its cycle search.
    (
        WidgetKind::Deadlock,
        &[
            ("compute/src/pitfalls/deadlock.rs", "two_locks"),
            ("compute/src/pitfalls/locks.rs", "LockTable::try_acquire"),
            ("compute/src/pitfalls/locks.rs", "LockTable::cycle_through"),
        ],
    ),
    // Two tasks each awaiting the other's message; the fix, where A sends first; the watchdog.
    (
        WidgetKind::DeadlockOneThread,
        &[
            ("compute/src/pitfalls/one_thread.rs", "polite_a"),
            ("compute/src/pitfalls/one_thread.rs", "polite_b"),
            ("widgets/src/pitfalls/deadlock_one_thread.rs", "fixed_pair"),
            ("widgets/src/pitfalls/deadlock_one_thread.rs", "polite_pair"),
        ],
    ),
    // A philosopher's turn; the fork order chosen at the table (the ordered fix); the dinner.
    (
        WidgetKind::Philosophers,
        &[
            ("compute/src/pitfalls/philosophers.rs", "Philosopher::turn"),
            ("compute/src/pitfalls/philosophers.rs", "Philosopher::new"),
            ("compute/src/pitfalls/philosophers.rs", "dine"),
        ],
    ),
    // One counting loop, five ways; the two layouts behind false sharing; the timing.
    (
        WidgetKind::Contention,
        &[
            ("compute/src/pitfalls/contention.rs", "count"),
            ("compute/src/pitfalls/contention.rs", "Packed"),
            ("compute/src/pitfalls/contention.rs", "Padded"),
            ("compute/src/pitfalls/contention.rs", "measure"),
        ],
    ),
    // Spawn and weigh waiting tasks, against starting Web Workers.
    (
        WidgetKind::MemoryOverhead,
        &[
            ("widgets/src/pitfalls/memory/mod.rs", "weigh_tasks"),
            ("widgets/src/pitfalls/memory/mod.rs", "weigh_workers"),
            (
                "widgets/src/pitfalls/memory/workers.rs",
                "start_echo_worker",
            ),
            ("widgets/src/heap.rs", "thread_live_bytes"),
        ],
    ),
    // One step of the model; the model checker's search and its entry; a statement split into load and store.
    (
        WidgetKind::BeTheScheduler,
        &[
            ("compute/src/pitfalls/scheduler/state.rs", "State::step"),
            ("compute/src/pitfalls/scheduler/explore.rs", "Search::visit"),
            ("compute/src/pitfalls/scheduler/explore.rs", "explore"),
            (
                "compute/src/pitfalls/scheduler/program.rs",
                "Program::expanded",
            ),
        ],
    ),
    // The same tasks as futures on this thread and as jobs on the pool; one timed step; a turn of one's own.
    (
        WidgetKind::InterleavingTimeline,
        &[
            (
                "widgets/src/concurrency/timeline/interleave.rs",
                "run_interleaved",
            ),
            ("compute/src/concurrency/timeline.rs", "run_on_pool"),
            ("compute/src/concurrency/timeline.rs", "work_for"),
            (
                "widgets/src/concurrency/timeline/interleave.rs",
                "Turns::take",
            ),
        ],
    ),
    // The sliced loop, the count in one go and on the pool, and the run under the frame meter.
    (
        WidgetKind::OneWorkloadThreeWays,
        &[
            ("widgets/src/concurrency/three_ways/mod.rs", "in_slices"),
            ("compute/src/primes.rs", "Primes::sequential"),
            ("compute/src/primes.rs", "Primes::parallel"),
            ("widgets/src/concurrency/three_ways/mod.rs", "run"),
        ],
    ),
    // A client's requests (the task); the server with its lag probe; one task polling every client; the timer queue.
    (
        WidgetKind::OneThreadServer,
        &[
            ("widgets/src/concurrency/server/mod.rs", "run_client"),
            ("widgets/src/concurrency/server/mod.rs", "serve"),
            ("widgets/src/event_loop.rs", "poll_together"),
            ("widgets/src/concurrency/server/timer_queue.rs", "sleep"),
        ],
    ),
    // The producer and consumer tasks, and the buffer's four policies.
    (
        WidgetKind::Backpressure,
        &[
            ("widgets/src/concurrency/backpressure.rs", "produce"),
            ("widgets/src/concurrency/backpressure.rs", "consume"),
            ("compute/src/concurrency/backpressure.rs", "Buffer::offer"),
        ],
    ),
    // One step of the event-loop model (a model, not the browser's loop), the trace, the programs.
    (
        WidgetKind::EventLoopStepper,
        &[
            ("compute/src/concurrency/stepper.rs", "Machine::step"),
            ("compute/src/concurrency/stepper.rs", "trace"),
            ("compute/src/concurrency/stepper.rs", "programs"),
        ],
    ),
    // A user actor's mailbox loop, its supervisor, the room's fan-out, and the run.
    (
        WidgetKind::ActorsChatRoom,
        &[
            ("widgets/src/concurrency/actors/engine.rs", "user_actor"),
            ("widgets/src/concurrency/actors/engine.rs", "supervise"),
            ("widgets/src/concurrency/actors/engine.rs", "room_actor"),
            ("widgets/src/concurrency/actors/engine.rs", "run"),
        ],
    ),
    // One pixel against four lanes a step; rows over the cores; the same kernel as a WebGPU compute shader.
    (
        WidgetKind::SimdGpu,
        &[
            (
                "compute/src/simd/mandelbrot.rs",
                "MandelbrotF32::row_scalar",
            ),
            ("compute/src/simd/mandelbrot.rs", "MandelbrotF32::row_simd"),
            ("compute/src/simd/mandelbrot.rs", "MandelbrotF32::parallel"),
            ("compute/src/gpu.rs", "mandelbrot_wgsl"),
        ],
    ),
    // The Rust model's relations (synchronises-with, happens-before) and its axioms; a thread's step on x86-TSO, its store buffer included; one on SC.
    (
        WidgetKind::MemoryModel,
        &[
            ("memory-models/src/rust.rs", "Relations::new"),
            ("memory-models/src/rust.rs", "Relations::coherent"),
            ("memory-models/src/rust.rs", "Relations::sc_acyclic"),
            ("memory-models/src/tso.rs", "Tso::run"),
        ],
    ),
    // One iteration of each side; the rendezvous before it; the two sides on the pool.
    (
        WidgetKind::LitmusRun,
        &[
            ("compute/src/litmus.rs", "Arena::body"),
            ("compute/src/litmus.rs", "Arena::meet"),
            ("compute/src/litmus.rs", "run_on_pool"),
            ("widgets/src/pitfalls/litmus_run.rs", "measure"),
        ],
    ),
];

/// Kernels whose sequential and parallel versions differ in a few lines:
/// the panel shows what the parallel one changes.
pub const DIFFS: [(WidgetKind, Item, Item); 3] = [
    (
        WidgetKind::Mandelbrot,
        ("compute/src/mandelbrot.rs", "Mandelbrot::sequential"),
        ("compute/src/mandelbrot.rs", "Mandelbrot::parallel"),
    ),
    (
        WidgetKind::Matmul,
        ("compute/src/matmul.rs", "MatMul::sequential_with"),
        ("compute/src/matmul.rs", "MatMul::parallel_with"),
    ),
    (
        WidgetKind::Blur,
        ("compute/src/blur.rs", "Blur::sequential"),
        ("compute/src/blur.rs", "Blur::parallel"),
    ),
];
