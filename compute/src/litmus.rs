//! Litmus tests run for real: two threads racing on shared atomics, many
//! thousand times, each outcome counted.
//!
//! The model checker (the `book-memory-models` crate) says what a memory
//! model *allows*; this says what a machine *does*. Natively on x86, store buffering with `Relaxed` shows
//! `r0 = r1 = 0` (the stores wait in the store buffers while the loads run),
//! while message passing never shows the flag without its data (x86 is TSO).
//! In WebAssembly every atomic access is sequentially consistent, whatever
//! `Ordering` the Rust source names, so in the browser no test shows an
//! outcome that sequential consistency forbids (unless the compiler reorders
//! a `Relaxed` access first).
//!
//! Each iteration uses two fresh locations, so nothing is reset between
//! iterations (sixteen iterations' locations share a cache line: padding
//! each to its own line would take 128 MB at the most iterations), and
//! starts with a rendezvous: each side says it has arrived
//! and spins until the other has too, which lines the two threads up within
//! a cache-line transfer of each other. A side that waits longer than
//! [`RENDEZVOUS_SPINS`] for the other gives up: on a pool whose other
//! threads are busy the run ends with [`RunError::NotTogether`] instead of
//! spinning forever.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::control::Control;

/// How many times a side polls for the other before giving up on it.
pub const RENDEZVOUS_SPINS: u32 = 50_000_000;

/// The most iterations one run may ask for: its two arrays of locations and
/// two of results stay under 20 MB.
pub const MAX_ITERATIONS: usize = 1_000_000;

/// Iterations between two looks at the cancel flag and the progress count.
const BATCH: usize = 1024;

/// The tests that run for real: each is two threads, two locations, and
/// outcomes of two registers that are each 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Shape {
    /// T0: `x = 1; r0 = y` | T1: `y = 1; r1 = x`. Surprise: `r0 = r1 = 0`.
    StoreBuffering,
    /// T0: `data = 1; flag = 1` | T1: `r0 = flag; r1 = data`. Surprise:
    /// `r0 = 1, r1 = 0`.
    MessagePassing,
    /// T0: `r0 = x; y = 1` | T1: `r1 = y; x = 1`. Surprise: `r0 = r1 = 1`.
    LoadBuffering,
}

impl Shape {
    /// Every shape, in the order the bench prints them.
    pub const ALL: [Shape; 3] = [
        Shape::StoreBuffering,
        Shape::MessagePassing,
        Shape::LoadBuffering,
    ];

    /// The slug the model checker's classic test of the same shape has.
    pub fn slug(self) -> &'static str {
        match self {
            Shape::StoreBuffering => "sb",
            Shape::MessagePassing => "mp",
            Shape::LoadBuffering => "lb",
        }
    }

    /// The shape whose [`slug`](Self::slug) is `slug`.
    pub fn from_slug(slug: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.slug() == slug)
    }

    /// The outcome the test is named for, as `(r0, r1)`.
    pub fn surprise(self) -> (u32, u32) {
        match self {
            Shape::StoreBuffering => (0, 0),
            Shape::MessagePassing => (1, 0),
            Shape::LoadBuffering => (1, 1),
        }
    }
}

/// One real run: a shape, the orderings of its stores and of its loads, and
/// how many times to run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub shape: Shape,
    /// `Relaxed`, `Release` or `SeqCst`.
    pub store: Ordering,
    /// `Relaxed`, `Acquire` or `SeqCst`.
    pub load: Ordering,
    pub iterations: usize,
}

/// The name Rust gives `ordering`. Written out: the browser build compiles
/// `Debug` formatting to nothing (`-Z fmt-debug=none`).
pub fn ordering_name(ordering: Ordering) -> &'static str {
    match ordering {
        Ordering::Relaxed => "Relaxed",
        Ordering::Release => "Release",
        Ordering::Acquire => "Acquire",
        Ordering::AcqRel => "AcqRel",
        Ordering::SeqCst => "SeqCst",
        _ => "?",
    }
}

/// How often each `(r0, r1)` appeared: `counts[r0 * 2 + r1]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub counts: [u64; 4],
}

impl Counts {
    /// How often `(r0, r1)` appeared.
    pub fn of(&self, r0: u32, r1: u32) -> u64 {
        self.counts[(r0 * 2 + r1) as usize & 3]
    }

    /// How many iterations were counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Why a real run gave no counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// More iterations than [`MAX_ITERATIONS`], or none.
    Iterations(usize),
    /// An ordering Rust refuses for that access (a `Release` load, say).
    Ordering,
    /// The two sides never ran at the same time: the pool had no second
    /// thread free.
    NotTogether,
    /// The reader cancelled the run.
    Cancelled,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Iterations(n) => write!(
                f,
                "{n} iterations: a run takes 1 to {MAX_ITERATIONS} iterations"
            ),
            RunError::Ordering => f.write_str(
                "a store takes Relaxed, Release or SeqCst and a load Relaxed, Acquire or SeqCst",
            ),
            RunError::NotTogether => f.write_str(
                "the two threads never ran at the same time: no second thread of the pool was free",
            ),
            RunError::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// A counter alone on a 128-byte line (two 64-byte lines, which some
/// Intel cores fetch in pairs).
#[derive(Debug, Default)]
#[repr(align(128))]
struct Padded(AtomicUsize);

/// The memory the two sides share: fresh locations for every iteration and
/// the rendezvous counters.
#[derive(Debug)]
pub struct Arena {
    plan: Plan,
    x: Vec<AtomicU32>,
    y: Vec<AtomicU32>,
    /// How many iterations each side has started, each on its own cache
    /// line so that one side's arrival does not evict the other's counter.
    arrived: [Padded; 2],
    /// Raised by a side that gave up waiting, so that the other stops too.
    abandoned: AtomicBool,
}

impl Arena {
    /// The memory for `plan`, or why it cannot run.
    pub fn new(plan: Plan) -> Result<Self, RunError> {
        if plan.iterations == 0 || plan.iterations > MAX_ITERATIONS {
            return Err(RunError::Iterations(plan.iterations));
        }
        let store_ok = matches!(
            plan.store,
            Ordering::Relaxed | Ordering::Release | Ordering::SeqCst
        );
        let load_ok = matches!(
            plan.load,
            Ordering::Relaxed | Ordering::Acquire | Ordering::SeqCst
        );
        if !store_ok || !load_ok {
            return Err(RunError::Ordering);
        }
        let fresh = || (0..plan.iterations).map(|_| AtomicU32::new(0)).collect();
        Ok(Arena {
            plan,
            x: fresh(),
            y: fresh(),
            arrived: [Padded::default(), Padded::default()],
            abandoned: AtomicBool::new(false),
        })
    }

    /// The plan this arena runs.
    pub fn plan(&self) -> Plan {
        self.plan
    }

    /// Runs side `side` (0 or 1) of every iteration, on the calling thread;
    /// the other side must run at the same time on another thread. Returns
    /// this side's registers per iteration, as bits of the outcome code
    /// `r0 * 2 + r1`. Progress is recorded on `control` in iterations.
    pub fn side(&self, side: usize, control: &Control) -> Result<Vec<u8>, RunError> {
        let side = side & 1;
        let mut bits = Vec::with_capacity(self.plan.iterations);
        for start in (0..self.plan.iterations).step_by(BATCH) {
            if control.is_cancelled() {
                self.abandoned.store(true, Ordering::Relaxed);
                return Err(RunError::Cancelled);
            }
            let end = (start + BATCH).min(self.plan.iterations);
            for i in start..end {
                self.meet(side, i)?;
                bits.push(self.body(side, i));
            }
            if side == 0 {
                control.record(end - start);
            }
        }
        Ok(bits)
    }

    /// The rendezvous before iteration `i`.
    fn meet(&self, side: usize, i: usize) -> Result<(), RunError> {
        self.arrived[side].0.store(i + 1, Ordering::SeqCst);
        let mut spins = 0u32;
        while self.arrived[1 - side].0.load(Ordering::SeqCst) < i + 1 {
            spins += 1;
            if spins >= RENDEZVOUS_SPINS || self.abandoned.load(Ordering::Relaxed) {
                self.abandoned.store(true, Ordering::Relaxed);
                return Err(RunError::NotTogether);
            }
            std::hint::spin_loop();
        }
        Ok(())
    }

    /// Side `side`'s two accesses of iteration `i`, as outcome bits.
    #[inline(always)]
    fn body(&self, side: usize, i: usize) -> u8 {
        let (x, y) = (&self.x[i], &self.y[i]);
        let (store, load) = (self.plan.store, self.plan.load);
        match (self.plan.shape, side) {
            (Shape::StoreBuffering, 0) => {
                x.store(1, store);
                (y.load(load) as u8) << 1
            }
            (Shape::StoreBuffering, _) => {
                y.store(1, store);
                x.load(load) as u8
            }
            // x is the data, y the flag.
            (Shape::MessagePassing, 0) => {
                x.store(1, store);
                y.store(1, store);
                0
            }
            (Shape::MessagePassing, _) => {
                let flag = y.load(load) as u8;
                let data = x.load(load) as u8;
                flag << 1 | data
            }
            (Shape::LoadBuffering, 0) => {
                let r0 = x.load(load) as u8;
                y.store(1, store);
                r0 << 1
            }
            (Shape::LoadBuffering, _) => {
                let r1 = y.load(load) as u8;
                x.store(1, store);
                r1
            }
        }
    }
}

/// Adds up the two sides' outcome bits, iteration by iteration.
pub fn count(side0: &[u8], side1: &[u8]) -> Counts {
    let mut counts = Counts::default();
    for (a, b) in side0.iter().zip(side1) {
        counts.counts[usize::from((a | b) & 3)] += 1;
    }
    counts
}

/// Runs `plan` on two threads of the current rayon pool (`broadcast` gives
/// every pool thread the job, and the first two take a side), and counts.
/// Progress is recorded in iterations; the caller expects the work, so that
/// several runs can share one progress bar.
pub fn run_on_pool(plan: Plan, control: &Control) -> Result<Counts, RunError> {
    let arena = Arena::new(plan)?;
    if rayon::current_num_threads() < 2 {
        return Err(RunError::NotTogether);
    }
    let mut sides = rayon::broadcast(|context| match context.index() {
        side @ (0 | 1) => Some(arena.side(side, control)),
        _ => None,
    })
    .into_iter()
    .flatten();
    let (Some(side0), Some(side1)) = (sides.next(), sides.next()) else {
        return Err(RunError::NotTogether);
    };
    Ok(count(&side0?, &side1?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(shape: Shape, store: Ordering, load: Ordering) -> Plan {
        Plan {
            shape,
            store,
            load,
            iterations: 20_000,
        }
    }

    #[test]
    fn every_iteration_is_counted_once_with_an_outcome_the_shape_can_have() {
        let pool = crate::test_pool(2);
        for shape in Shape::ALL {
            let counts = pool
                .install(|| {
                    run_on_pool(
                        plan(shape, Ordering::SeqCst, Ordering::SeqCst),
                        &Control::new(),
                    )
                })
                .expect("two threads run together");
            assert_eq!(counts.total(), 20_000, "{shape:?}: {counts:?}");
            // Sequentially consistent accesses never show the surprise.
            let (r0, r1) = shape.surprise();
            assert_eq!(counts.of(r0, r1), 0, "{shape:?}: {counts:?}");
        }
    }

    #[test]
    fn seq_cst_store_buffering_never_shows_both_zero_and_progress_is_counted() {
        let pool = crate::test_pool(3);
        let control = Control::new();
        control.expect_work(20_000);
        let counts = pool
            .install(|| {
                run_on_pool(
                    plan(Shape::StoreBuffering, Ordering::SeqCst, Ordering::SeqCst),
                    &control,
                )
            })
            .expect("a run");
        assert_eq!(counts.of(0, 0), 0, "{counts:?}");
        assert_eq!(control.progress(), 1.0);
    }

    #[test]
    fn one_thread_alone_is_refused_rather_than_spinning_forever() {
        let pool = crate::test_pool(1);
        let result = pool.install(|| {
            run_on_pool(
                plan(Shape::StoreBuffering, Ordering::Relaxed, Ordering::Relaxed),
                &Control::new(),
            )
        });
        assert_eq!(result, Err(RunError::NotTogether));
    }

    #[test]
    fn a_side_whose_partner_never_comes_gives_up() {
        let arena = Arena::new(Plan {
            iterations: 10,
            ..plan(Shape::StoreBuffering, Ordering::Relaxed, Ordering::Relaxed)
        })
        .expect("a valid plan");
        assert_eq!(arena.side(0, &Control::new()), Err(RunError::NotTogether));
    }

    #[test]
    fn a_cancelled_run_says_so() {
        let pool = crate::test_pool(2);
        let control = Control::new();
        control.cancel();
        let result = pool.install(|| {
            run_on_pool(
                plan(Shape::MessagePassing, Ordering::Relaxed, Ordering::Relaxed),
                &control,
            )
        });
        assert_eq!(result, Err(RunError::Cancelled));
    }

    #[test]
    fn nonsense_plans_are_refused_with_a_reason() {
        let refused = |plan: Plan| Arena::new(plan).err();
        let base = plan(Shape::StoreBuffering, Ordering::Relaxed, Ordering::Relaxed);
        assert_eq!(
            refused(Plan {
                iterations: 0,
                ..base
            }),
            Some(RunError::Iterations(0))
        );
        assert_eq!(
            refused(Plan {
                iterations: MAX_ITERATIONS + 1,
                ..base
            }),
            Some(RunError::Iterations(MAX_ITERATIONS + 1))
        );
        assert_eq!(
            refused(Plan {
                load: Ordering::Release,
                ..base
            }),
            Some(RunError::Ordering)
        );
        assert_eq!(
            refused(Plan {
                store: Ordering::Acquire,
                ..base
            }),
            Some(RunError::Ordering)
        );
    }

    #[test]
    fn the_sides_bits_add_up_to_the_outcome_code() {
        let counts = count(&[0, 2, 2, 0], &[0, 1, 0, 1]);
        assert_eq!(counts.counts, [1, 1, 1, 1]);
    }
}
