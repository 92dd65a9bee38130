//! The matrix multiply's innermost loop, `c[j] += a * b[j]` along a row, one
//! column at a time or four.
//!
//! Each element of `c` gets the same product added in the same order either
//! way (a multiply, then an add: WebAssembly's `simd128` has no fused
//! multiply-add), so the SIMD product is bitwise equal to the scalar one.
//!
//! Natively, the compiler already vectorises the scalar loop with SSE2, so
//! the native reference shows little difference here; in WebAssembly the book
//! builds without `simd128`, so the scalar loop really is scalar.

use super::lanes::F32x4;
use super::Lanes;

/// `c[j] += a * b[j]` for every `j` (the slices have the same length).
pub fn add_scaled(lanes: Lanes, c: &mut [f32], a: f32, b: &[f32]) {
    match lanes {
        Lanes::Scalar => add_scaled_scalar(c, a, b),
        // SAFETY: x86-64 always has SSE2; a WebAssembly module that uses
        // simd128 would not have loaded without it; elsewhere a plain call.
        #[allow(unused_unsafe)]
        Lanes::Simd => unsafe { add_scaled_simd(c, a, b) },
    }
}

fn add_scaled_scalar(c: &mut [f32], a: f32, b: &[f32]) {
    for (c, &b) in c.iter_mut().zip(b) {
        *c += a * b;
    }
}

#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "sse2"))]
fn add_scaled_simd(c: &mut [f32], a: f32, b: &[f32]) {
    let splat = F32x4::splat(a);
    let mut c4 = c.chunks_exact_mut(4);
    let mut b4 = b.chunks_exact(4);
    for (c, b) in (&mut c4).zip(&mut b4) {
        F32x4::load(c).add(splat.mul(F32x4::load(b))).store(c);
    }
    add_scaled_scalar(c4.into_remainder(), a, b4.remainder());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_lanes_and_the_tail_add_what_one_lane_adds() {
        let b: Vec<f32> = (0..11).map(|i| i as f32 * 0.37 - 1.0).collect();
        let mut scalar: Vec<f32> = (0..11).map(|i| 1.0 / (i as f32 + 1.0)).collect();
        let mut simd = scalar.clone();
        add_scaled(Lanes::Scalar, &mut scalar, 0.3, &b);
        add_scaled(Lanes::Simd, &mut simd, 0.3, &b);
        assert_eq!(simd, scalar);
    }
}
