//! Mandelbrot set: every pixel is independent, the textbook embarrassingly
//! parallel kernel. Rows are the unit of work, cancellation and progress.

use rayon::prelude::*;

use super::control::{Cancelled, Control};

/// Iterations before a point counts as inside the set.
pub const MAX_ITERATIONS: u32 = 1000;

/// An image of the whole set, `width` x `width * 3 / 4` pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mandelbrot {
    pub width: usize,
    pub height: usize,
}

impl Mandelbrot {
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

    fn row(&self, y: usize, out: &mut [u32]) {
        let scale = 3.2 / self.width as f64;
        let ci = (y as f64 - self.height as f64 / 2.0) * scale;
        for (x, pixel) in out.iter_mut().enumerate() {
            let cr = (x as f64 - self.width as f64 * 0.65) * scale;
            let (mut zr, mut zi) = (0.0f64, 0.0f64);
            let mut n = 0;
            while n < MAX_ITERATIONS && zr * zr + zi * zi <= 4.0 {
                let t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                n += 1;
            }
            *pixel = n;
        }
    }

    /// Escape counts, row by row, on the calling thread.
    pub fn sequential(&self, control: &Control) -> Result<Vec<u32>, Cancelled> {
        let mut out = vec![0u32; self.width * self.height];
        for (y, row) in out.chunks_mut(self.width).enumerate() {
            control.check()?;
            self.row(y, row);
            control.record(1);
        }
        Ok(out)
    }

    /// The same counts, rows spread over the current rayon pool.
    pub fn parallel(&self, control: &Control) -> Result<Vec<u32>, Cancelled> {
        let mut out = vec![0u32; self.width * self.height];
        out.par_chunks_mut(self.width)
            .enumerate()
            .try_for_each(|(y, row)| {
                control.check()?;
                self.row(y, row);
                control.record(1);
                Ok(())
            })?;
        Ok(out)
    }
}

/// Escape counts to RGBA pixels: inside the set black, outside a blue-to-gold ramp.
pub fn to_rgba(counts: &[u32]) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(counts.len() * 4);
    for &n in counts {
        if n >= MAX_ITERATIONS {
            rgba.extend_from_slice(&[0, 0, 0, 255]);
        } else {
            let t = (n as f64 / 60.0).min(1.0);
            let r = (255.0 * t.powf(0.6)) as u8;
            let g = (200.0 * t) as u8;
            let b = (120.0 + 135.0 * (1.0 - t)) as u8;
            rgba.extend_from_slice(&[r, g, b, 255]);
        }
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_equals_sequential_on_several_sizes_and_pools() {
        for width in [8, 33, 120] {
            let image = Mandelbrot::new(width);
            let expected = image.sequential(&Control::new()).expect("not cancelled");
            for threads in [1, 2, 3] {
                let pool = crate::test_pool(threads);
                let got = pool
                    .install(|| image.parallel(&Control::new()))
                    .expect("not cancelled");
                assert_eq!(got, expected, "width {width}, {threads} threads");
            }
        }
    }

    #[test]
    fn the_set_is_inside_and_far_points_escape() {
        let image = Mandelbrot::new(40);
        let counts = image.sequential(&Control::new()).expect("not cancelled");
        let centre =
            counts[(image.height / 2) * image.width + (image.width as f64 * 0.55) as usize];
        assert_eq!(
            centre, MAX_ITERATIONS,
            "a point near the origin is in the set"
        );
        assert!(counts[0] < 5, "the corner escapes at once");
    }

    #[test]
    fn cancellation_stops_before_the_work_is_done() {
        let image = Mandelbrot::new(200);
        let control = Control::new();
        control.cancel();
        assert_eq!(image.sequential(&control), Err(Cancelled));
        assert_eq!(image.parallel(&control), Err(Cancelled));
        assert_eq!(control.progress(), 0.0);
    }

    #[test]
    fn colours_have_four_channels_per_pixel() {
        assert_eq!(to_rgba(&[0, MAX_ITERATIONS]).len(), 8);
        assert_eq!(&to_rgba(&[MAX_ITERATIONS])[..], &[0, 0, 0, 255]);
    }
}
