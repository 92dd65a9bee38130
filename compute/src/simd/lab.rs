//! The SIMD lab: each kernel measured four ways (scalar and SIMD, on one
//! thread and on the whole pool), every way checked equal to the scalar
//! result before it is timed. Runs inside the pool, like [`crate::lab`].

use serde::{Deserialize, Serialize};

use super::mandelbrot::MandelbrotF32;
use super::Lanes;
use crate::active_threads::with_active_threads;
use crate::control::{Cancelled, Control};
use crate::kernel::{Image, Output, SizeRange};
use crate::lab::LabError;
use crate::mandelbrot;
use crate::matmul::MatMul;
use crate::measure::{measure_run, MeasureError, Measurement, Plan};
use crate::stats::{hundredths, Summary};

/// The kernels that have a four-lane twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SimdKernel {
    /// The Mandelbrot set in `f32`: four pixels per instruction.
    Mandelbrot,
    /// The blocked `f32` matrix multiply: four columns per instruction.
    Matmul,
}

impl SimdKernel {
    pub const ALL: [SimdKernel; 2] = [SimdKernel::Mandelbrot, SimdKernel::Matmul];

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            SimdKernel::Mandelbrot => "Mandelbrot set (f32)",
            SimdKernel::Matmul => "Matrix multiply (f32)",
        }
    }

    /// Accepted sizes; the defaults keep a whole run of both near ten seconds
    /// on two cores.
    pub const fn sizes(self) -> SizeRange {
        match self {
            SimdKernel::Mandelbrot => SizeRange {
                min: 16,
                max: 3200,
                default: 640,
                unit: "pixels wide",
            },
            SimdKernel::Matmul => SizeRange {
                min: 8,
                max: 1536,
                default: 512,
                unit: "rows and columns",
            },
        }
    }

    /// Refuses a size outside the kernel's range, saying what is accepted.
    pub fn check(self, size: usize) -> Result<usize, String> {
        self.sizes().check(self.label(), size)
    }
}

/// What a widget asks the pool to measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimdRequest {
    /// Each kernel with its size (checked with [`SimdKernel::check`]).
    pub kernels: Vec<(SimdKernel, usize)>,
    pub plan: Plan,
}

/// One way of running a kernel: how many lanes, on how many threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Way {
    pub lanes: Lanes,
    pub threads: usize,
}

/// The four ways on a pool of `threads`: scalar, SIMD, scalar x threads, SIMD x threads.
pub fn ways(threads: usize) -> [Way; 4] {
    let all = threads.max(1);
    [
        Way {
            lanes: Lanes::Scalar,
            threads: 1,
        },
        Way {
            lanes: Lanes::Simd,
            threads: 1,
        },
        Way {
            lanes: Lanes::Scalar,
            threads: all,
        },
        Way {
            lanes: Lanes::Simd,
            threads: all,
        },
    ]
}

/// A way's timings, and its speedup over scalar on one thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WayResult {
    pub lanes: Lanes,
    pub threads: usize,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    /// Distinct threads that did work (rayon falls back to one silently).
    pub threads_seen: usize,
    pub speedup: f64,
}

/// One kernel's four ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KernelResult {
    pub kernel: SimdKernel,
    pub size: usize,
    pub ways: Vec<WayResult>,
    /// The kernel's picture, if it makes one (drawn, not serialised).
    #[serde(skip)]
    pub image: Option<Image>,
    /// The Mandelbrot's escape counts, to compare another device's with.
    #[serde(skip)]
    pub counts: Option<Vec<u32>>,
}

impl KernelResult {
    /// The way's speedup over scalar on one thread, if it was measured.
    pub fn speedup(&self, lanes: Lanes, threads: usize) -> Option<f64> {
        self.ways
            .iter()
            .find(|w| w.lanes == lanes && w.threads == threads)
            .map(|w| w.speedup)
    }
}

/// A kernel's input, built outside any timing.
pub enum SimdInput {
    Mandelbrot(MandelbrotF32),
    Matmul(MatMul),
}

impl SimdInput {
    pub fn new(kernel: SimdKernel, size: usize) -> Self {
        match kernel {
            SimdKernel::Mandelbrot => SimdInput::Mandelbrot(MandelbrotF32::new(size)),
            SimdKernel::Matmul => SimdInput::Matmul(MatMul::new(size)),
        }
    }

    /// Units of work one run records, for progress.
    pub fn units(&self) -> usize {
        match self {
            SimdInput::Mandelbrot(k) => k.units(),
            SimdInput::Matmul(k) => k.units(),
        }
    }

    /// One run, on the calling thread (one thread) or the current pool.
    pub fn run(&self, way: Way, control: &Control) -> Result<Output, Cancelled> {
        let parallel = way.threads > 1;
        Ok(match self {
            SimdInput::Mandelbrot(k) if parallel => Output::Counts(k.parallel(way.lanes, control)?),
            SimdInput::Mandelbrot(k) => Output::Counts(k.sequential(way.lanes, control)?),
            SimdInput::Matmul(k) if parallel => {
                Output::Floats(k.parallel_with(way.lanes, control)?)
            }
            SimdInput::Matmul(k) => Output::Floats(k.sequential_with(way.lanes, control)?),
        })
    }

    fn image(&self, output: &Output) -> Option<Image> {
        match (self, output) {
            (SimdInput::Mandelbrot(k), Output::Counts(counts)) => Some(Image {
                width: k.width,
                height: k.height,
                rgba: mandelbrot::to_rgba(counts),
            }),
            _ => None,
        }
    }
}

/// Measures everything `request` asks for, on the pool it is called in;
/// `control` reports progress and cancels; `now_ms` is the clock.
pub fn run(
    request: &SimdRequest,
    control: &Control,
    now_ms: &dyn Fn() -> f64,
) -> Result<Vec<KernelResult>, LabError> {
    let ways = ways(rayon::current_num_threads());
    let inputs: Vec<SimdInput> = request
        .kernels
        .iter()
        .map(|&(kernel, size)| SimdInput::new(kernel, size))
        .collect();
    let runs = 1 + ways.len() * request.plan.runs();
    control.expect_work(inputs.iter().map(|p| p.units() * runs).sum());
    let mut results = Vec::new();
    for (input, &(kernel, size)) in inputs.iter().zip(&request.kernels) {
        let reference = input
            .run(ways[0], control)
            .map_err(|_| LabError::Cancelled)?;
        let digest = reference.digest();
        let mut measured = Vec::new();
        for way in ways {
            let m = with_active_threads(way.threads, || {
                measure_way(input, way, digest, request.plan, control, now_ms)
            })?;
            measured.push((way, m.summary, m.threads_seen));
        }
        results.push(kernel_result(kernel, size, input, &reference, measured));
    }
    Ok(results)
}

/// Measures one way on whatever threads the caller leaves it, after checking
/// its result against the scalar one's `reference` digest.
pub fn measure_way(
    input: &SimdInput,
    way: Way,
    reference: u64,
    plan: Plan,
    control: &Control,
    now_ms: &dyn Fn() -> f64,
) -> Result<Measurement, LabError> {
    let run = || input.run(way, control);
    measure_run(&run, way.threads, reference, plan, control, now_ms).map_err(|error| match error {
        MeasureError::Cancelled => LabError::Cancelled,
        wrong @ MeasureError::Wrong { .. } => LabError::Wrong(format!(
            "{} lanes on {} threads: {wrong}",
            way.lanes.width(),
            way.threads
        )),
    })
}

/// A kernel's figures: each way's timings and its speedup over the first
/// way (scalar on one thread), with the picture of the scalar `reference`.
pub fn kernel_result(
    kernel: SimdKernel,
    size: usize,
    input: &SimdInput,
    reference: &Output,
    measured: Vec<(Way, Summary, usize)>,
) -> KernelResult {
    let base = measured
        .first()
        .map_or(1.0, |(_, summary, _)| summary.median_ms.max(1e-9));
    let ways = measured
        .into_iter()
        .map(|(way, summary, threads_seen)| {
            let shown = summary.rounded();
            WayResult {
                lanes: way.lanes,
                threads: way.threads,
                median_ms: shown.median_ms,
                min_ms: shown.min_ms,
                max_ms: shown.max_ms,
                threads_seen,
                speedup: hundredths(base / summary.median_ms.max(1e-9)),
            }
        })
        .collect();
    KernelResult {
        kernel,
        size,
        ways,
        image: input.image(reference),
        counts: match reference {
            Output::Counts(counts) => Some(counts.clone()),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> impl Fn() -> f64 + Sync {
        let start = std::time::Instant::now();
        move || start.elapsed().as_secs_f64() * 1000.0
    }

    #[test]
    fn every_kernel_is_measured_four_ways_on_the_threads_asked() {
        let pool = crate::test_pool(2);
        let control = Control::new();
        let request = SimdRequest {
            kernels: vec![(SimdKernel::Mandelbrot, 64), (SimdKernel::Matmul, 40)],
            plan: Plan {
                warmup: 0,
                repetitions: 2,
            },
        };
        let clock = clock();
        let results = pool
            .install(|| run(&request, &control, &clock))
            .expect("measured");
        assert_eq!(results.len(), 2);
        for result in &results {
            let shape: Vec<(Lanes, usize)> =
                result.ways.iter().map(|w| (w.lanes, w.threads)).collect();
            assert_eq!(
                shape,
                [
                    (Lanes::Scalar, 1),
                    (Lanes::Simd, 1),
                    (Lanes::Scalar, 2),
                    (Lanes::Simd, 2)
                ]
            );
            assert_eq!(result.speedup(Lanes::Scalar, 1), Some(1.0));
            for way in &result.ways {
                assert!(way.threads_seen <= way.threads, "{way:?}");
                assert!(way.min_ms <= way.median_ms && way.median_ms <= way.max_ms);
            }
        }
        assert!(results[0].image.is_some() && results[1].image.is_none());
        assert_eq!(control.progress(), 1.0, "progress reaches the end exactly");
    }

    #[test]
    fn sizes_out_of_range_are_refused_with_the_range() {
        let error = SimdKernel::Matmul.check(5000).unwrap_err();
        assert!(error.contains("8 to 1536"), "{error}");
        for kernel in SimdKernel::ALL {
            let range = kernel.sizes();
            assert_eq!(kernel.check(range.default), Ok(range.default));
            assert!(kernel.check(range.min - 1).is_err());
        }
    }

    #[test]
    fn a_cancelled_run_says_so() {
        let control = Control::new();
        control.cancel();
        let request = SimdRequest {
            kernels: vec![(SimdKernel::Matmul, 64)],
            plan: Plan::default(),
        };
        let clock = clock();
        let outcome = crate::test_pool(2).install(|| run(&request, &control, &clock));
        assert_eq!(outcome.err(), Some(LabError::Cancelled));
    }
}
