//! Dense matrix multiply, cache-blocked: compute-bound when the blocks fit in
//! cache, memory-bound when they do not. Blocks of rows of C are the unit of work.
//!
//! Every element of C sums its products in the same order (k ascending) whether
//! one thread or many compute it, so the results are bitwise equal.

use rayon::prelude::*;

use super::control::{Cancelled, Control};
use super::simd::{self, Lanes};
use super::xorshift;

/// Columns and inner-dimension length per block: 64x64 f32 blocks (16 KiB) fit in L1/L2.
const BLOCK: usize = 64;
/// Rows of C per unit of work.
const BAND: usize = 16;

/// Two `n` x `n` matrices of f32, row-major, to multiply.
#[derive(Debug, Clone, PartialEq)]
pub struct MatMul {
    pub n: usize,
    a: Vec<f32>,
    b: Vec<f32>,
}

impl MatMul {
    /// Deterministic matrices with entries in [-1, 1).
    pub fn new(n: usize) -> Self {
        let mut rng = xorshift::XorShift::new(0xA11CE);
        let a = (0..n * n).map(|_| rng.next_f32() * 2.0 - 1.0).collect();
        let b = (0..n * n).map(|_| rng.next_f32() * 2.0 - 1.0).collect();
        Self { n, a, b }
    }

    /// Bands of rows: the units of work.
    pub fn units(&self) -> usize {
        self.n.div_ceil(BAND)
    }

    /// Rows `first_row..` of C (as many as `c_rows` holds), block by block;
    /// the innermost loop (a row of C += a scalar times a row of B) one
    /// column at a time or four.
    fn block_rows(&self, lanes: Lanes, first_row: usize, c_rows: &mut [f32]) {
        let n = self.n;
        let rows = c_rows.len() / n;
        for kb in (0..n).step_by(BLOCK) {
            let k_end = (kb + BLOCK).min(n);
            for jb in (0..n).step_by(BLOCK) {
                let j_end = (jb + BLOCK).min(n);
                for i in 0..rows {
                    let a_row = &self.a[(first_row + i) * n..(first_row + i + 1) * n];
                    let c_row = &mut c_rows[i * n + jb..i * n + j_end];
                    for (k, &a_ik) in a_row.iter().enumerate().take(k_end).skip(kb) {
                        let b_row = &self.b[k * n + jb..k * n + j_end];
                        simd::matmul::add_scaled(lanes, c_row, a_ik, b_row);
                    }
                }
            }
        }
    }

    /// C = A x B on the calling thread.
    pub fn sequential(&self, control: &Control) -> Result<Vec<f32>, Cancelled> {
        self.sequential_with(Lanes::Scalar, control)
    }

    /// C = A x B, bands of rows spread over the current rayon pool.
    pub fn parallel(&self, control: &Control) -> Result<Vec<f32>, Cancelled> {
        self.parallel_with(Lanes::Scalar, control)
    }

    /// C = A x B on the calling thread, with one or four lanes per step.
    pub fn sequential_with(&self, lanes: Lanes, control: &Control) -> Result<Vec<f32>, Cancelled> {
        let mut c = vec![0f32; self.n * self.n];
        for (band, rows) in c.chunks_mut(BAND * self.n.max(1)).enumerate() {
            control.check()?;
            self.block_rows(lanes, band * BAND, rows);
            control.record(1);
        }
        Ok(c)
    }

    /// C = A x B over the current rayon pool, with one or four lanes per step.
    pub fn parallel_with(&self, lanes: Lanes, control: &Control) -> Result<Vec<f32>, Cancelled> {
        let mut c = vec![0f32; self.n * self.n];
        c.par_chunks_mut(BAND * self.n.max(1))
            .enumerate()
            .try_for_each(|(band, rows)| {
                control.check()?;
                self.block_rows(lanes, band * BAND, rows);
                control.record(1);
                Ok(())
            })?;
        Ok(c)
    }

    /// The textbook triple loop, as the reference the blocked versions are checked against.
    pub fn naive(&self) -> Vec<f32> {
        let n = self.n;
        let mut c = vec![0f32; n * n];
        for i in 0..n {
            for k in 0..n {
                for j in 0..n {
                    c[i * n + j] += self.a[i * n + k] * self.b[k * n + j];
                }
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_equals_naive_within_rounding() {
        for n in [1, 7, 64, 100] {
            let m = MatMul::new(n);
            let blocked = m.sequential(&Control::new()).expect("not cancelled");
            for (x, y) in blocked.iter().zip(m.naive()) {
                assert!((x - y).abs() <= 1e-4 * (n as f32), "n = {n}: {x} vs {y}");
            }
        }
    }

    #[test]
    fn parallel_is_bitwise_equal_to_sequential() {
        for n in [5, 65, 130] {
            let m = MatMul::new(n);
            let expected = m.sequential(&Control::new()).expect("not cancelled");
            for threads in [1, 2, 4] {
                let pool = crate::test_pool(threads);
                let got = pool
                    .install(|| m.parallel(&Control::new()))
                    .expect("not cancelled");
                assert_eq!(got, expected, "n = {n}, {threads} threads");
            }
        }
    }

    #[test]
    fn four_lanes_are_bitwise_equal_to_one() {
        for n in [3, 66, 131] {
            let m = MatMul::new(n);
            let scalar = m.sequential(&Control::new()).expect("not cancelled");
            let simd = m
                .sequential_with(Lanes::Simd, &Control::new())
                .expect("not cancelled");
            assert_eq!(simd, scalar, "n = {n}");
            let pool = crate::test_pool(2);
            let both = pool
                .install(|| m.parallel_with(Lanes::Simd, &Control::new()))
                .expect("not cancelled");
            assert_eq!(both, scalar, "n = {n}, SIMD on 2 threads");
        }
    }

    #[test]
    fn cancellation_stops_the_multiply() {
        let control = Control::new();
        control.cancel();
        assert_eq!(MatMul::new(128).parallel(&control), Err(Cancelled));
    }
}
