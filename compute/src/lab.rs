//! The parallelism lab: kernels measured sequentially and on 1..N threads of
//! the current pool, each thread count run with the rest of the pool parked.
//!
//! The request and the result are plain serde types, so what a widget asks for
//! and what it shows (and copies as JSON) are one protocol. The browser runs
//! [`run`] as one job inside its worker pool; the native bench runs it too.

use serde::{Deserialize, Serialize};

use super::active_threads::with_active_threads;
use super::control::Control;
use super::kernel::{Image, Input, KernelKind, KernelRequest, Strategy};
use super::measure::{measure, MeasureError, Plan, Sweep};

/// How the parallel runs split their work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Split {
    WorkStealing,
    /// One chunk per active thread (the prime count only).
    StaticChunks,
}

/// What a widget asks the pool to measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabRequest {
    pub kernels: Vec<KernelRequest>,
    pub splits: Vec<Split>,
    /// Thread counts to measure; each runs with the rest of the pool parked.
    pub thread_counts: Vec<usize>,
    pub plan: Plan,
}

/// What comes back: a sweep per kernel and split, and the picture if any.
#[derive(Debug, Clone, PartialEq)]
pub struct LabResult {
    pub pool_threads: usize,
    pub sweeps: Vec<Sweep>,
    pub before: Option<Image>,
    pub after: Option<Image>,
}

/// Why the lab has no figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabError {
    Cancelled,
    /// A parallel result differed from the sequential one.
    Wrong(String),
}

impl std::fmt::Display for LabError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LabError::Cancelled => f.write_str("cancelled"),
            LabError::Wrong(message) => f.write_str(message),
        }
    }
}

/// Measures everything `request` asks for. Call it on a thread of the pool to
/// measure; `control` reports progress and cancels; `now_ms` is the clock.
pub fn run(
    request: &LabRequest,
    control: &Control,
    now_ms: &dyn Fn() -> f64,
) -> Result<LabResult, LabError> {
    let pool_threads = rayon::current_num_threads();
    let inputs: Vec<Input> = request.kernels.iter().map(|&k| Input::prepare(k)).collect();
    for (input, kernel) in inputs.iter().zip(&request.kernels) {
        let splits = splits_for(kernel.kernel, &request.splits);
        let runs = request.plan.runs() * (1 + splits.len() * request.thread_counts.len());
        control.expect_work(input.units() * runs);
    }
    let mut result = LabResult {
        pool_threads,
        sweeps: Vec::new(),
        before: None,
        after: None,
    };
    for (input, &kernel) in inputs.iter().zip(&request.kernels) {
        // The sequential run is the reference: its digest checks every parallel run.
        let reference = input
            .run(Strategy::Sequential, control)
            .map_err(|_| LabError::Cancelled)?;
        result.before = input.input_image().or(result.before);
        result.after = input.image(&reference).or(result.after);
        let reference = reference.digest();
        let sequential = with_active_threads(1, || {
            measure(
                input,
                Strategy::Sequential,
                1,
                reference,
                request.plan,
                control,
                now_ms,
            )
        })
        .map_err(measure_error)?;
        for split in splits_for(kernel.kernel, &request.splits) {
            let mut points = Vec::new();
            for &threads in &request.thread_counts {
                let strategy = match split {
                    Split::WorkStealing => Strategy::Parallel,
                    Split::StaticChunks => Strategy::StaticChunks { chunks: threads },
                };
                let point = with_active_threads(threads, || {
                    measure(
                        input,
                        strategy,
                        threads,
                        reference,
                        request.plan,
                        control,
                        now_ms,
                    )
                })
                .map_err(measure_error)?;
                points.push(point);
            }
            let strategy = match split {
                Split::WorkStealing => Strategy::Parallel,
                Split::StaticChunks => Strategy::StaticChunks { chunks: 0 },
            };
            result
                .sweeps
                .push(Sweep::new(kernel, strategy, sequential.summary, points));
        }
    }
    Ok(result)
}

/// Static chunking is only offered where it teaches something: the uneven prime count.
fn splits_for(kernel: KernelKind, asked: &[Split]) -> Vec<Split> {
    asked
        .iter()
        .copied()
        .filter(|&s| s == Split::WorkStealing || kernel == KernelKind::Primes)
        .collect()
}

fn measure_error(error: MeasureError) -> LabError {
    match error {
        MeasureError::Cancelled => LabError::Cancelled,
        wrong @ MeasureError::Wrong { .. } => LabError::Wrong(wrong.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> impl Fn() -> f64 + Sync {
        let start = std::time::Instant::now();
        move || start.elapsed().as_secs_f64() * 1000.0
    }

    fn request(kernel: KernelKind, size: usize, thread_counts: Vec<usize>) -> LabRequest {
        LabRequest {
            kernels: vec![KernelRequest::new(kernel, size).expect("valid")],
            splits: vec![Split::WorkStealing, Split::StaticChunks],
            thread_counts,
            plan: Plan {
                warmup: 0,
                repetitions: 2,
            },
        }
    }

    #[test]
    fn a_sweep_measures_every_thread_count_on_that_many_threads() {
        let pool = crate::test_pool(3);
        let control = Control::new();
        let clock = clock();
        let result = pool
            .install(|| {
                run(
                    &request(KernelKind::Primes, 200_000, vec![1, 2, 3]),
                    &control,
                    &clock,
                )
            })
            .expect("measured");
        assert_eq!(result.pool_threads, 3);
        assert_eq!(result.sweeps.len(), 2, "the prime count offers both splits");
        for sweep in &result.sweeps {
            let counts: Vec<usize> = sweep.points.iter().map(|p| p.threads).collect();
            assert_eq!(counts, [1, 2, 3]);
            for point in &sweep.points {
                assert!(point.threads_seen <= point.threads, "{point:?}");
                assert!(point.median_ms > 0.0);
            }
        }
        assert_eq!(control.progress(), 1.0, "progress reaches the end exactly");
    }

    #[test]
    fn images_come_back_for_the_image_kernels() {
        let pool = crate::test_pool(2);
        let clock = clock();
        let result = pool
            .install(|| {
                run(
                    &request(KernelKind::Blur, 32, vec![2]),
                    &Control::new(),
                    &clock,
                )
            })
            .expect("measured");
        assert_eq!(result.sweeps.len(), 1, "no static split for the blur");
        assert!(result.before.is_some() && result.after.is_some());
    }

    #[test]
    fn a_cancelled_lab_stops_and_leaves_the_pool_usable() {
        let pool = crate::test_pool(2);
        let control = Control::new();
        control.cancel();
        let clock = clock();
        let outcome = pool.install(|| {
            run(
                &request(KernelKind::Mandelbrot, 64, vec![1, 2]),
                &control,
                &clock,
            )
        });
        assert_eq!(outcome.err(), Some(LabError::Cancelled));
        let again = pool.install(|| {
            run(
                &request(KernelKind::Mandelbrot, 64, vec![2]),
                &Control::new(),
                &clock,
            )
        });
        assert!(again.is_ok());
    }
}
