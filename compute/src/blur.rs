//! Image processing (seed §8): a box blur of an RGBA image the book generates.
//! Three passes of a separable box filter approximate a Gaussian. Each pass
//! writes whole rows, so rows are the unit of work, and integer sums make the
//! parallel result exactly the sequential one.

use rayon::prelude::*;

use super::control::{Cancelled, Control};
use super::xorshift::XorShift;

/// Blur radius in pixels, and box passes per direction.
const RADIUS: usize = 6;
const PASSES: usize = 3;

/// A square RGBA image and the blur to apply to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Blur {
    pub side: usize,
    pub input: Vec<u8>,
}

impl Blur {
    /// A test card: rings, stripes and noise, so blurring is visible.
    pub fn new(side: usize) -> Self {
        let mut rng = XorShift::new(0xB1u64);
        let mut input = Vec::with_capacity(side * side * 4);
        let c = side as f32 / 2.0;
        for y in 0..side {
            for x in 0..side {
                let (dx, dy) = (x as f32 - c, y as f32 - c);
                let ring = ((dx * dx + dy * dy).sqrt() / (side as f32 / 24.0)) as u32 % 2;
                let stripe = (x / (side / 16).max(1)) as u32 % 2;
                let noise = (rng.next_u32() % 64) as u8;
                input.extend_from_slice(&[
                    (ring * 190) as u8 + noise,
                    (stripe * 150) as u8 + noise / 2,
                    120 + noise,
                    255,
                ]);
            }
        }
        Self { side, input }
    }

    /// Rows of every pass: the units of work.
    pub fn units(&self) -> usize {
        self.side * 2 * PASSES
    }

    /// The blurred image on the calling thread.
    pub fn sequential(&self, control: &Control) -> Result<Vec<u8>, Cancelled> {
        self.run(|dst, row_fn| {
            for (y, row) in dst.chunks_mut(self.side * 4).enumerate() {
                control.check()?;
                row_fn(y, row);
                control.record(1);
            }
            Ok(())
        })
    }

    /// The same image, rows spread over the current rayon pool.
    pub fn parallel(&self, control: &Control) -> Result<Vec<u8>, Cancelled> {
        self.run(|dst, row_fn| {
            dst.par_chunks_mut(self.side * 4)
                .enumerate()
                .try_for_each(|(y, row)| {
                    control.check()?;
                    row_fn(y, row);
                    control.record(1);
                    Ok(())
                })
        })
    }

    /// The passes, each handed to `for_rows`, which runs one row function over
    /// every row of the destination, sequentially or in parallel.
    fn run<F>(&self, for_rows: F) -> Result<Vec<u8>, Cancelled>
    where
        F: Fn(&mut [u8], &(dyn Fn(usize, &mut [u8]) + Sync)) -> Result<(), Cancelled>,
    {
        let side = self.side;
        let mut src = self.input.clone();
        let mut dst = vec![0u8; src.len()];
        for _ in 0..PASSES {
            let from = &src;
            for_rows(&mut dst, &|y, row| horizontal(from, side, y, row))?;
            std::mem::swap(&mut src, &mut dst);
            let from = &src;
            for_rows(&mut dst, &|y, row| vertical(from, side, y, row))?;
            std::mem::swap(&mut src, &mut dst);
        }
        Ok(src)
    }
}

/// Row `y` of a horizontal box pass over `src`.
fn horizontal(src: &[u8], side: usize, y: usize, out: &mut [u8]) {
    let row = &src[y * side * 4..(y + 1) * side * 4];
    for x in 0..side {
        let lo = x.saturating_sub(RADIUS);
        let hi = (x + RADIUS).min(side - 1);
        for ch in 0..4 {
            let sum: u32 = (lo..=hi).map(|i| row[i * 4 + ch] as u32).sum();
            out[x * 4 + ch] = (sum / (hi - lo + 1) as u32) as u8;
        }
    }
}

/// Row `y` of a vertical box pass over `src`.
fn vertical(src: &[u8], side: usize, y: usize, out: &mut [u8]) {
    let lo = y.saturating_sub(RADIUS);
    let hi = (y + RADIUS).min(side - 1);
    let count = (hi - lo + 1) as u32;
    for (i, value) in out.iter_mut().enumerate() {
        let sum: u32 = (lo..=hi).map(|r| src[r * side * 4 + i] as u32).sum();
        *value = (sum / count) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_equals_sequential() {
        for side in [1, 9, 64] {
            let blur = Blur::new(side);
            let expected = blur.sequential(&Control::new()).expect("not cancelled");
            for threads in [1, 2, 3] {
                let pool = crate::test_pool(threads);
                let got = pool
                    .install(|| blur.parallel(&Control::new()))
                    .expect("not cancelled");
                assert_eq!(got, expected, "side {side}, {threads} threads");
            }
        }
    }

    #[test]
    fn blurring_smooths_the_image() {
        let blur = Blur::new(64);
        let out = blur.sequential(&Control::new()).expect("not cancelled");
        let roughness = |img: &[u8]| -> u64 {
            img.chunks(4)
                .zip(img.chunks(4).skip(1))
                .map(|(a, b)| a[0].abs_diff(b[0]) as u64)
                .sum()
        };
        assert!(
            roughness(&out) * 4 < roughness(&blur.input),
            "the blur removes detail"
        );
        assert!(out.chunks(4).all(|px| px[3] == 255), "alpha stays opaque");
    }

    #[test]
    fn a_flat_image_stays_flat() {
        let blur = Blur {
            side: 10,
            input: [10u8, 20, 30, 255].repeat(100),
        };
        let out = blur.sequential(&Control::new()).expect("not cancelled");
        assert_eq!(out, blur.input);
    }

    #[test]
    fn cancellation_stops_the_blur() {
        let control = Control::new();
        control.cancel();
        assert_eq!(Blur::new(32).parallel(&control), Err(Cancelled));
    }
}
