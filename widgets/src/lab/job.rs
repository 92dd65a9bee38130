//! The parallelism lab as one job inside the worker pool: the page awaits it,
//! reads its progress from shared memory and can cancel it.

use book_compute::control::Control;
use book_compute::lab::{self, LabError, LabRequest, LabResult};
use book_compute::simd::lab::{self as simd_lab, KernelResult, SimdRequest};
use book_pool::job::{run_in_pool, JobError};
use book_runtime::clock::now_ms;

/// Why a lab run has no figures: the job failed, or the lab said why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    Job(JobError),
    Lab(LabError),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Job(error) => error.fmt(f),
            RunError::Lab(error) => error.fmt(f),
        }
    }
}

/// Runs `request` inside the pool; the caller keeps a clone of `control`.
pub async fn run(request: LabRequest, control: Control) -> Result<LabResult, RunError> {
    run_in_pool(move || lab::run(&request, &control, &now_ms))
        .await
        .map_err(RunError::Job)?
        .map_err(RunError::Lab)
}

/// Runs the SIMD lab's `request` inside the pool: each kernel scalar and
/// SIMD, on one thread and on every thread of the pool.
pub async fn run_simd(
    request: SimdRequest,
    control: Control,
) -> Result<Vec<KernelResult>, RunError> {
    run_in_pool(move || simd_lab::run(&request, &control, &now_ms))
        .await
        .map_err(RunError::Job)?
        .map_err(RunError::Lab)
}
