//! Four `f32` lanes in one 128-bit register, and the few operations the SIMD
//! kernels need: the same small API over WebAssembly `simd128`, x86-64 SSE2
//! (the native reference) and, elsewhere, a plain array (the scalar twin).
//!
//! In WebAssembly the methods carry `#[target_feature(enable = "simd128")]`
//! instead of the whole module being built with `+simd128`: the compiler would
//! otherwise auto-vectorise the *scalar* kernels too, and the comparison the
//! book shows (scalar against SIMD) would be false. Callers are the kernels'
//! SIMD functions, which enable the feature themselves, so everything inlines.

/// Four `f32` values, one per lane.
#[derive(Clone, Copy)]
pub(crate) struct F32x4(imp::F);

/// Per lane, all ones (true) or all zeros (false): a comparison's result.
#[derive(Clone, Copy)]
pub(crate) struct Mask4(imp::Mask);

/// Four `u32` counters, one per lane.
#[derive(Clone, Copy)]
pub(crate) struct Counts4(imp::Counts);

/// The instructions [`F32x4`] is made of in this build, for reports.
pub const INSTRUCTIONS: &str = imp::INSTRUCTIONS;

/// Whether [`F32x4`] really is one register (false on the scalar twin).
pub const HARDWARE: bool = imp::HARDWARE;

#[cfg(target_arch = "wasm32")]
mod imp {
    pub use core::arch::wasm32::v128 as F;
    pub use core::arch::wasm32::v128 as Mask;
    pub use core::arch::wasm32::v128 as Counts;
    pub const INSTRUCTIONS: &str = "WebAssembly simd128";
    pub const HARDWARE: bool = true;
}

#[cfg(target_arch = "x86_64")]
mod imp {
    pub use core::arch::x86_64::__m128 as F;
    pub use core::arch::x86_64::__m128 as Mask;
    pub use core::arch::x86_64::__m128i as Counts;
    pub const INSTRUCTIONS: &str = "x86-64 SSE2";
    pub const HARDWARE: bool = true;
}

#[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
mod imp {
    pub type F = [f32; 4];
    pub type Mask = [bool; 4];
    pub type Counts = [u32; 4];
    pub const INSTRUCTIONS: &str = "none (four scalar lanes)";
    pub const HARDWARE: bool = false;
}

#[cfg(target_arch = "wasm32")]
mod ops {
    use super::{Counts4, F32x4, Mask4};
    use core::arch::wasm32::*;

    impl F32x4 {
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn splat(x: f32) -> Self {
            Self(f32x4_splat(x))
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn new(a: f32, b: f32, c: f32, d: f32) -> Self {
            Self(f32x4(a, b, c, d))
        }
        /// The first four values of `from`.
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn load(from: &[f32]) -> Self {
            assert!(from.len() >= 4);
            // SAFETY: four f32 are in bounds (checked above); wasm loads need no alignment.
            Self(unsafe { v128_load(from.as_ptr().cast()) })
        }
        /// Writes the lanes to the first four places of `to`.
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn store(self, to: &mut [f32]) {
            assert!(to.len() >= 4);
            // SAFETY: four f32 are in bounds (checked above); wasm stores need no alignment.
            unsafe { v128_store(to.as_mut_ptr().cast(), self.0) }
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn add(self, other: Self) -> Self {
            Self(f32x4_add(self.0, other.0))
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn sub(self, other: Self) -> Self {
            Self(f32x4_sub(self.0, other.0))
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn mul(self, other: Self) -> Self {
            Self(f32x4_mul(self.0, other.0))
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn le(self, other: Self) -> Mask4 {
            Mask4(f32x4_le(self.0, other.0))
        }
    }

    impl Mask4 {
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn all() -> Self {
            Self(i32x4_splat(-1))
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn and(self, other: Self) -> Self {
            Self(v128_and(self.0, other.0))
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn any(self) -> bool {
            v128_any_true(self.0)
        }
    }

    impl Counts4 {
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn zero() -> Self {
            Self(i32x4_splat(0))
        }
        /// Adds one in the lanes where `mask` is true (a true lane is -1).
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn add_where(self, mask: Mask4) -> Self {
            Self(i32x4_sub(self.0, mask.0))
        }
        #[inline]
        #[target_feature(enable = "simd128")]
        pub fn store(self, to: &mut [u32]) {
            assert!(to.len() >= 4);
            // SAFETY: four u32 are in bounds (checked above); wasm stores need no alignment.
            unsafe { v128_store(to.as_mut_ptr().cast(), self.0) }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod ops {
    use super::{Counts4, F32x4, Mask4};
    use core::arch::x86_64::*;

    // SSE2 is part of every x86-64 CPU; the attribute lets the kernels,
    // which carry it too, call these safely and inline them.
    impl F32x4 {
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn splat(x: f32) -> Self {
            Self(_mm_set1_ps(x))
        }
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn new(a: f32, b: f32, c: f32, d: f32) -> Self {
            Self(_mm_setr_ps(a, b, c, d))
        }
        /// The first four values of `from`.
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn load(from: &[f32]) -> Self {
            assert!(from.len() >= 4);
            // SAFETY: four f32 are in bounds (checked above); `loadu` needs no alignment.
            Self(unsafe { _mm_loadu_ps(from.as_ptr()) })
        }
        /// Writes the lanes to the first four places of `to`.
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn store(self, to: &mut [f32]) {
            assert!(to.len() >= 4);
            // SAFETY: four f32 are in bounds (checked above); `storeu` needs no alignment.
            unsafe { _mm_storeu_ps(to.as_mut_ptr(), self.0) }
        }
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn add(self, other: Self) -> Self {
            Self(_mm_add_ps(self.0, other.0))
        }
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn sub(self, other: Self) -> Self {
            Self(_mm_sub_ps(self.0, other.0))
        }
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn mul(self, other: Self) -> Self {
            Self(_mm_mul_ps(self.0, other.0))
        }
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn le(self, other: Self) -> Mask4 {
            Mask4(_mm_cmple_ps(self.0, other.0))
        }
    }

    impl Mask4 {
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn all() -> Self {
            Self(_mm_castsi128_ps(_mm_set1_epi32(-1)))
        }
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn and(self, other: Self) -> Self {
            Self(_mm_and_ps(self.0, other.0))
        }
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn any(self) -> bool {
            _mm_movemask_ps(self.0) != 0
        }
    }

    impl Counts4 {
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn zero() -> Self {
            Self(_mm_setzero_si128())
        }
        /// Adds one in the lanes where `mask` is true (a true lane is -1).
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn add_where(self, mask: Mask4) -> Self {
            Self(_mm_sub_epi32(self.0, _mm_castps_si128(mask.0)))
        }
        #[inline]
        #[target_feature(enable = "sse2")]
        pub fn store(self, to: &mut [u32]) {
            assert!(to.len() >= 4);
            // SAFETY: four u32 are in bounds (checked above); `storeu` needs no alignment.
            unsafe { _mm_storeu_si128(to.as_mut_ptr().cast(), self.0) }
        }
    }
}

#[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
mod ops {
    use super::{Counts4, F32x4, Mask4};

    use std::array::from_fn as lanes;

    impl F32x4 {
        pub fn splat(x: f32) -> Self {
            Self([x; 4])
        }
        pub fn new(a: f32, b: f32, c: f32, d: f32) -> Self {
            Self([a, b, c, d])
        }
        pub fn load(from: &[f32]) -> Self {
            Self([from[0], from[1], from[2], from[3]])
        }
        pub fn store(self, to: &mut [f32]) {
            to[..4].copy_from_slice(&self.0);
        }
        pub fn add(self, other: Self) -> Self {
            Self(lanes(|i| self.0[i] + other.0[i]))
        }
        pub fn sub(self, other: Self) -> Self {
            Self(lanes(|i| self.0[i] - other.0[i]))
        }
        pub fn mul(self, other: Self) -> Self {
            Self(lanes(|i| self.0[i] * other.0[i]))
        }
        pub fn le(self, other: Self) -> Mask4 {
            Mask4(lanes(|i| self.0[i] <= other.0[i]))
        }
    }

    impl Mask4 {
        pub fn all() -> Self {
            Self([true; 4])
        }
        pub fn and(self, other: Self) -> Self {
            Self(lanes(|i| self.0[i] && other.0[i]))
        }
        pub fn any(self) -> bool {
            self.0.contains(&true)
        }
    }

    impl Counts4 {
        pub fn zero() -> Self {
            Self([0; 4])
        }
        pub fn add_where(self, mask: Mask4) -> Self {
            Self(lanes(|i| self.0[i] + mask.0[i] as u32))
        }
        pub fn store(self, to: &mut [u32]) {
            to[..4].copy_from_slice(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_add_multiply_and_compare_one_by_one() {
        // SAFETY: x86-64 always has SSE2; elsewhere a plain call.
        #[allow(unused_unsafe)]
        let (out, loaded, counts, any, none) = unsafe { exercise() };
        assert_eq!(out, [1.0, 4.0, 7.0, 10.0]);
        assert_eq!(loaded, [9.0, 8.0, 7.0, 6.0]);
        assert_eq!(counts, [2, 2, 1, 1]);
        assert!(any && !none);
    }

    #[cfg_attr(target_arch = "x86_64", target_feature(enable = "sse2"))]
    fn exercise() -> ([f32; 4], [f32; 4], [u32; 4], bool, bool) {
        let a = F32x4::new(1.0, 2.0, 3.0, 4.0);
        let b = F32x4::splat(2.0);
        let mut out = [0.0; 4];
        a.mul(b).add(a).sub(b).store(&mut out);
        let mut loaded = [0.0; 4];
        F32x4::load(&[9.0, 8.0, 7.0, 6.0, 5.0]).store(&mut loaded);
        let small = a.le(F32x4::splat(2.5));
        let none = small.and(a.le(F32x4::splat(0.5))).any();
        let mut counts = [0u32; 4];
        Counts4::zero()
            .add_where(small)
            .add_where(Mask4::all())
            .store(&mut counts);
        (out, loaded, counts, small.any(), none)
    }
}
