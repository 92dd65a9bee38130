//! The Mandelbrot set in `f32`, one pixel at a time or four at a time: the
//! same view and iteration limit as [`crate::mandelbrot`], in single precision
//! so that one 128-bit register holds four pixels.
//!
//! The four lanes do exactly the scalar operations, in the same order and
//! without fused multiply-adds, so the counts are *equal* to the scalar ones,
//! not merely close. A lane that escapes stops counting while its neighbours go
//! on: the group of four costs as much as its slowest pixel, which is why the
//! speedup is below 4 near the set's edge.

use rayon::prelude::*;

use super::lanes::{Counts4, F32x4, Mask4};
use super::Lanes;
use crate::control::{Cancelled, Control};
use crate::mandelbrot::MAX_ITERATIONS;

/// An image of the whole set, `width` x `width * 3 / 4` pixels, in `f32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MandelbrotF32 {
    pub width: usize,
    pub height: usize,
}

impl MandelbrotF32 {
    pub fn new(width: usize) -> Self {
        Self {
            width,
            height: width * 3 / 4,
        }
    }

    /// Rows: the units of work.
    pub fn units(&self) -> usize {
        self.height
    }

    fn scale(&self) -> f32 {
        3.2 / self.width as f32
    }

    fn imaginary(&self, y: usize) -> f32 {
        (y as f32 - self.height as f32 / 2.0) * self.scale()
    }

    fn real(&self, x: usize) -> f32 {
        (x as f32 - self.width as f32 * 0.65) * self.scale()
    }

    fn pixel(cr: f32, ci: f32) -> u32 {
        let (mut zr, mut zi) = (0.0f32, 0.0f32);
        let mut n = 0;
        while n < MAX_ITERATIONS {
            let (zr2, zi2) = (zr * zr, zi * zi);
            if zr2 + zi2 > 4.0 {
                break;
            }
            zi = 2.0 * zr * zi + ci;
            zr = zr2 - zi2 + cr;
            n += 1;
        }
        n
    }

    fn row_scalar(&self, y: usize, out: &mut [u32]) {
        let ci = self.imaginary(y);
        for (x, count) in out.iter_mut().enumerate() {
            *count = Self::pixel(self.real(x), ci);
        }
    }

    /// Four pixels per step; the last `width % 4` pixels one at a time.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[cfg_attr(target_arch = "x86_64", target_feature(enable = "sse2"))]
    fn row_simd(&self, y: usize, out: &mut [u32]) {
        let ci = F32x4::splat(self.imaginary(y));
        let (two, four) = (F32x4::splat(2.0), F32x4::splat(4.0));
        let done = out.len() / 4 * 4;
        for (group, counts) in out.chunks_exact_mut(4).enumerate() {
            let x = group * 4;
            let cr = F32x4::new(
                self.real(x),
                self.real(x + 1),
                self.real(x + 2),
                self.real(x + 3),
            );
            let (mut zr, mut zi) = (F32x4::splat(0.0), F32x4::splat(0.0));
            let mut active = Mask4::all();
            let mut n = Counts4::zero();
            for _ in 0..MAX_ITERATIONS {
                let (zr2, zi2) = (zr.mul(zr), zi.mul(zi));
                active = active.and(zr2.add(zi2).le(four));
                if !active.any() {
                    break;
                }
                n = n.add_where(active);
                zi = two.mul(zr).mul(zi).add(ci);
                zr = zr2.sub(zi2).add(cr);
            }
            n.store(counts);
        }
        let ci = self.imaginary(y);
        for (x, count) in out.iter_mut().enumerate().skip(done) {
            *count = Self::pixel(self.real(x), ci);
        }
    }

    fn row(&self, lanes: Lanes, y: usize, out: &mut [u32]) {
        match lanes {
            Lanes::Scalar => self.row_scalar(y, out),
            // SAFETY: x86-64 always has SSE2; a WebAssembly module that uses
            // simd128 would not have loaded without it; elsewhere a plain call.
            #[allow(unused_unsafe)]
            Lanes::Simd => unsafe { self.row_simd(y, out) },
        }
    }

    /// Escape counts, row by row, on the calling thread.
    pub fn sequential(&self, lanes: Lanes, control: &Control) -> Result<Vec<u32>, Cancelled> {
        let mut out = vec![0u32; self.width * self.height];
        for (y, row) in out.chunks_mut(self.width).enumerate() {
            control.check()?;
            self.row(lanes, y, row);
            control.record(1);
        }
        Ok(out)
    }

    /// The same counts, rows spread over the current rayon pool.
    pub fn parallel(&self, lanes: Lanes, control: &Control) -> Result<Vec<u32>, Cancelled> {
        let mut out = vec![0u32; self.width * self.height];
        out.par_chunks_mut(self.width)
            .enumerate()
            .try_for_each(|(y, row)| {
                control.check()?;
                self.row(lanes, y, row);
                control.record(1);
                Ok(())
            })?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_lanes_count_exactly_what_one_lane_counts() {
        for width in [16, 37, 203] {
            let image = MandelbrotF32::new(width);
            let scalar = image
                .sequential(Lanes::Scalar, &Control::new())
                .expect("not cancelled");
            let simd = image
                .sequential(Lanes::Simd, &Control::new())
                .expect("not cancelled");
            assert_eq!(simd, scalar, "width {width}");
            let pool = crate::test_pool(3);
            for lanes in [Lanes::Scalar, Lanes::Simd] {
                let parallel = pool
                    .install(|| image.parallel(lanes, &Control::new()))
                    .expect("not cancelled");
                assert_eq!(parallel, scalar, "width {width}, {lanes:?} on 3 threads");
            }
        }
    }

    #[test]
    fn single_precision_draws_the_same_set_as_double() {
        let width = 160;
        let single = MandelbrotF32::new(width)
            .sequential(Lanes::Simd, &Control::new())
            .expect("not cancelled");
        let double = crate::mandelbrot::Mandelbrot::new(width)
            .sequential(&Control::new())
            .expect("not cancelled");
        let inside = |counts: &[u32]| {
            counts
                .iter()
                .map(|&n| n == MAX_ITERATIONS)
                .collect::<Vec<_>>()
        };
        let differ = inside(&single)
            .iter()
            .zip(inside(&double))
            .filter(|(a, b)| **a != *b)
            .count();
        assert!(
            differ * 100 < single.len(),
            "{differ} of {} pixels change sides",
            single.len()
        );
    }

    #[test]
    fn cancellation_stops_both_kinds_of_rows() {
        let control = Control::new();
        control.cancel();
        let image = MandelbrotF32::new(64);
        for lanes in [Lanes::Scalar, Lanes::Simd] {
            assert_eq!(image.sequential(lanes, &control), Err(Cancelled));
            assert_eq!(image.parallel(lanes, &control), Err(Cancelled));
        }
    }
}
