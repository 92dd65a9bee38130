//! SIMD, the parallelism inside one core (seed §5 and §9): one instruction
//! applied to four `f32` lanes at once. Kernels here have a scalar and a
//! four-lane version that compute *equal* results, and [`lab`] measures them
//! alone and on top of threads, so the two kinds of parallelism can be seen
//! separately and stacked.

pub mod lab;
pub mod lanes;
pub mod mandelbrot;
pub mod matmul;

use serde::{Deserialize, Serialize};

/// One value per instruction, or four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lanes {
    Scalar,
    Simd,
}

impl Lanes {
    /// Values one instruction works on.
    pub fn width(self) -> usize {
        match self {
            Lanes::Scalar => 1,
            Lanes::Simd => 4,
        }
    }

    /// A name for tables.
    pub fn label(self) -> &'static str {
        match self {
            Lanes::Scalar => "scalar",
            Lanes::Simd => "SIMD",
        }
    }
}
