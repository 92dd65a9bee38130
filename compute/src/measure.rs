//! The one measuring harness every kernel goes through: check the result
//! first, then warm up, then time several repetitions and keep the spread.
//!
//! The clock is passed in (`Instant` natively, `performance.now()` in a worker),
//! so the same code measures natively, in the browser, and in tests.

use serde::{Deserialize, Serialize};

use super::control::{Cancelled, Control};
use super::kernel::{Input, KernelRequest, Output, Strategy};
use super::stats::{self, hundredths, to_the_microsecond, Summary};

/// How many untimed and timed runs make one measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub warmup: usize,
    pub repetitions: usize,
}

impl Default for Plan {
    /// One warm-up (JIT tiers, caches, page faults), five timed repetitions.
    fn default() -> Self {
        Self {
            warmup: 1,
            repetitions: 5,
        }
    }
}

impl Plan {
    /// Runs one measurement makes, for progress.
    pub fn runs(&self) -> usize {
        1 + self.warmup + self.repetitions
    }
}

/// Timings of one strategy at one thread count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub threads: usize,
    pub summary: Summary,
    /// Most distinct threads that did work in any timed repetition.
    pub threads_seen: usize,
    /// Units of work per thread in a run of the last repetition (by pool
    /// thread index; averaged over its runs where a sample holds several).
    pub work_per_thread: Vec<usize>,
}

/// Why a measurement produced no figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeasureError {
    Cancelled,
    /// The result differed from the sequential reference: nothing is timed.
    Wrong {
        expected: u64,
        got: u64,
    },
}

impl From<Cancelled> for MeasureError {
    fn from(_: Cancelled) -> Self {
        MeasureError::Cancelled
    }
}

impl std::fmt::Display for MeasureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MeasureError::Cancelled => f.write_str("cancelled"),
            MeasureError::Wrong { expected, got } => write!(
                f,
                "the parallel result differs from the sequential one (digest {got:016x}, expected {expected:016x})"
            ),
        }
    }
}

/// Measures `strategy` on `input` with whatever pool the caller runs in.
/// `reference` is the sequential output's digest: the first run must match it.
pub fn measure(
    input: &Input,
    strategy: Strategy,
    threads: usize,
    reference: u64,
    plan: Plan,
    control: &Control,
    now_ms: &dyn Fn() -> f64,
) -> Result<Measurement, MeasureError> {
    let run = || input.run(strategy, control);
    measure_run(&run, threads, reference, plan, control, now_ms)
}

/// The shortest a timed sample may be. A run shorter than this is repeated
/// within each sample, and the sample divided by its runs: a kernel at its
/// smallest size takes microseconds, below what a browser's clock resolves
/// (5 to 100 µs when isolated, up to 1 ms without), where every sample would
/// read 0 ms and a speedup would be a ratio of rounding errors.
pub const MIN_SAMPLE_MS: f64 = 5.0;

/// Most runs in one sample, so that a run the clock never sees still ends.
pub const MAX_RUNS_PER_SAMPLE: usize = 1 << 14;

/// Measures any run: its output's digest is checked against `reference`
/// first, then it is warmed up, then timed `plan.repetitions` times (the
/// timed runs are not digested: hashing is not the kernel's work). A run
/// shorter than [`MIN_SAMPLE_MS`] is timed in batches; the figures are per run.
pub fn measure_run(
    run: &dyn Fn() -> Result<Output, Cancelled>,
    threads: usize,
    reference: u64,
    plan: Plan,
    control: &Control,
    now_ms: &dyn Fn() -> f64,
) -> Result<Measurement, MeasureError> {
    let start = now_ms();
    let output = run()?;
    let first_ms = now_ms() - start;
    let got = output.digest();
    if got != reference {
        return Err(MeasureError::Wrong {
            expected: reference,
            got,
        });
    }
    for _ in 0..plan.warmup {
        run()?;
    }
    let runs = if first_ms >= MIN_SAMPLE_MS {
        1
    } else {
        runs_per_sample(run, now_ms)?
    };
    let mut samples = Vec::with_capacity(plan.repetitions);
    let mut threads_seen = 0;
    let mut work_per_thread = Vec::new();
    for _ in 0..plan.repetitions {
        control.reset_tally();
        let start = now_ms();
        for _ in 0..runs {
            run()?;
        }
        samples.push((now_ms() - start) / runs as f64);
        threads_seen = threads_seen.max(control.threads_seen());
        work_per_thread = control
            .work_per_thread()
            .into_iter()
            .map(|units| (units + runs / 2) / runs)
            .collect();
    }
    let summary = Summary::of(&samples).ok_or(MeasureError::Cancelled)?;
    Ok(Measurement {
        threads,
        summary,
        threads_seen,
        work_per_thread,
    })
}

/// How many runs make a sample of at least [`MIN_SAMPLE_MS`]: the count
/// doubles until a batch takes that long (these batches warm up too).
fn runs_per_sample(
    run: &dyn Fn() -> Result<Output, Cancelled>,
    now_ms: &dyn Fn() -> f64,
) -> Result<usize, Cancelled> {
    let mut runs = 1;
    loop {
        let start = now_ms();
        for _ in 0..runs {
            run()?;
        }
        if now_ms() - start >= MIN_SAMPLE_MS || runs >= MAX_RUNS_PER_SAMPLE {
            return Ok(runs);
        }
        runs *= 2;
    }
}

/// A speedup curve: the sequential baseline and one measurement per thread count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    pub request: KernelRequest,
    pub strategy: Strategy,
    pub sequential: Summary,
    pub points: Vec<SweepPoint>,
    /// Amdahl's serial fraction fitted to the points.
    pub serial_fraction: Option<f64>,
    /// The thread count where the curve stops rising, if it does before its
    /// last point ([`stats::plateau`]).
    #[serde(default)]
    pub plateau_threads: Option<usize>,
}

/// One thread count of a sweep, with the figures derived from the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub threads: usize,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub threads_seen: usize,
    /// Sequential median over this median.
    pub speedup: f64,
    /// Speedup per thread: 1 is perfect scaling.
    pub efficiency: f64,
    pub work_per_thread: Vec<usize>,
}

impl Sweep {
    /// Derives speedups, efficiencies and the Amdahl fit from raw measurements.
    pub fn new(
        request: KernelRequest,
        strategy: Strategy,
        sequential: Summary,
        measurements: Vec<Measurement>,
    ) -> Self {
        let points: Vec<SweepPoint> = measurements
            .into_iter()
            .map(|m| {
                let speedup = sequential.median_ms / m.summary.median_ms.max(1e-9);
                SweepPoint {
                    threads: m.threads,
                    median_ms: to_the_microsecond(m.summary.median_ms),
                    min_ms: to_the_microsecond(m.summary.min_ms),
                    max_ms: to_the_microsecond(m.summary.max_ms),
                    threads_seen: m.threads_seen,
                    speedup: hundredths(speedup),
                    efficiency: hundredths(speedup / m.threads.max(1) as f64),
                    work_per_thread: m.work_per_thread,
                }
            })
            .collect();
        let fit: Vec<(usize, f64)> = points.iter().map(|p| (p.threads, p.speedup)).collect();
        Self {
            request,
            strategy,
            sequential: sequential.rounded(),
            points,
            serial_fraction: stats::amdahl_serial_fraction(&fit)
                .map(|s| (s * 1000.0).round() / 1000.0),
            plateau_threads: stats::plateau(&fit),
        }
    }
}

/// The thread counts a sweep measures on a pool of `pool` threads: every count
/// up to 16, then a thinner ladder, so a 64-core machine still finishes quickly.
pub fn sweep_counts(pool: usize) -> Vec<usize> {
    let pool = pool.max(1);
    let mut counts: Vec<usize> = (1..=pool.min(16)).collect();
    let mut next = 24;
    while next < pool {
        counts.push(next);
        next = next * 3 / 2;
    }
    if pool > 16 {
        counts.push(pool);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::KernelKind;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A clock that advances 5 ms each time it is read.
    fn fake_clock() -> impl Fn() -> f64 + Sync {
        let ticks = AtomicU64::new(0);
        move || (ticks.fetch_add(1, Ordering::Relaxed) + 1) as f64 * 5.0
    }

    #[test]
    fn measures_repetitions_after_checking_the_result() {
        let input = Input::prepare(KernelRequest::new(KernelKind::Primes, 5000).expect("valid"));
        let control = Control::new();
        let reference = input
            .run(Strategy::Sequential, &control)
            .expect("runs")
            .digest();
        let plan = Plan {
            warmup: 1,
            repetitions: 5,
        };
        let pool = crate::test_pool(1);
        let clock = fake_clock();
        let m = pool
            .install(|| {
                measure(
                    &input,
                    Strategy::Parallel,
                    1,
                    reference,
                    plan,
                    &control,
                    &clock,
                )
            })
            .expect("measured");
        assert_eq!(m.summary.repetitions, 5);
        assert_eq!(m.summary.median_ms, 5.0);
        assert_eq!(m.threads_seen, 1, "a one-thread pool is seen as one thread");
        assert_eq!(m.work_per_thread, vec![input.units()]);
    }

    /// A run of 10 µs under a clock that only shows whole milliseconds, as
    /// a browser's without isolation: one run a sample reads 0 ms every time.
    #[test]
    fn a_run_shorter_than_the_clock_resolves_is_timed_in_batches() {
        use std::sync::Mutex;
        let elapsed_us = Mutex::new(0u64);
        let clock = || {
            let us = *elapsed_us.lock().expect("the clock");
            (us / 1000) as f64
        };
        let run = || {
            *elapsed_us.lock().expect("the clock") += 10;
            Ok(Output::Count(7))
        };
        let reference = Output::Count(7).digest();
        let plan = Plan {
            warmup: 1,
            repetitions: 5,
        };
        let m = measure_run(&run, 1, reference, plan, &Control::new(), &clock).expect("measured");
        assert!(
            (0.005..=0.02).contains(&m.summary.median_ms),
            "a 10 µs run measures near 0.01 ms, not 0: {:?}",
            m.summary
        );
        assert_eq!(m.summary.repetitions, 5);
    }

    /// A run the clock never sees ends all the same, at the batch limit.
    #[test]
    fn a_run_the_clock_never_sees_still_ends() {
        let runs = std::sync::atomic::AtomicUsize::new(0);
        let run = || {
            runs.fetch_add(1, Ordering::Relaxed);
            Ok(Output::Count(1))
        };
        let m = measure_run(
            &run,
            1,
            Output::Count(1).digest(),
            Plan::default(),
            &Control::new(),
            &|| 0.0,
        )
        .expect("measured");
        assert_eq!(m.summary.median_ms, 0.0);
        // The checked run, the warm-up, batches of 1, 2, 4 … up to the limit,
        // then five samples at the limit.
        assert_eq!(
            runs.load(Ordering::Relaxed),
            2 + (2 * MAX_RUNS_PER_SAMPLE - 1) + 5 * MAX_RUNS_PER_SAMPLE
        );
    }

    #[test]
    fn a_wrong_result_is_never_timed() {
        let input = Input::prepare(KernelRequest::new(KernelKind::Primes, 5000).expect("valid"));
        let error = measure(
            &input,
            Strategy::Parallel,
            1,
            42,
            Plan::default(),
            &Control::new(),
            &fake_clock(),
        );
        assert!(matches!(
            error,
            Err(MeasureError::Wrong { expected: 42, .. })
        ));
    }

    #[test]
    fn a_cancelled_measurement_says_so() {
        let input = Input::prepare(KernelRequest::new(KernelKind::Sort, 5000).expect("valid"));
        let control = Control::new();
        control.cancel();
        let error = measure(
            &input,
            Strategy::Parallel,
            1,
            0,
            Plan::default(),
            &control,
            &fake_clock(),
        );
        assert_eq!(error, Err(MeasureError::Cancelled));
    }

    #[test]
    fn sweeps_cover_every_small_count_and_end_at_the_pool() {
        assert_eq!(sweep_counts(1), [1]);
        assert_eq!(sweep_counts(4), [1, 2, 3, 4]);
        assert_eq!(sweep_counts(16).len(), 16);
        let big = sweep_counts(64);
        assert_eq!(big.last(), Some(&64));
        assert!(
            big.len() < 24 && big.windows(2).all(|w| w[0] < w[1]),
            "{big:?}"
        );
        assert_eq!(sweep_counts(0), [1]);
    }

    #[test]
    fn a_sweep_derives_speedup_efficiency_and_amdahl() {
        let summary = |ms: f64| Summary {
            median_ms: ms,
            min_ms: ms,
            max_ms: ms,
            repetitions: 5,
        };
        let measurement = |threads: usize, ms: f64| Measurement {
            threads,
            summary: summary(ms),
            threads_seen: threads,
            work_per_thread: vec![],
        };
        let request = KernelRequest::standard(KernelKind::Mandelbrot);
        let sweep = Sweep::new(
            request,
            Strategy::Parallel,
            summary(100.0),
            vec![
                measurement(1, 100.0),
                measurement(2, 50.0),
                measurement(4, 25.0),
            ],
        );
        assert_eq!(sweep.points[1].speedup, 2.0);
        assert_eq!(sweep.points[2].efficiency, 1.0);
        assert_eq!(sweep.serial_fraction, Some(0.0));
    }
}
