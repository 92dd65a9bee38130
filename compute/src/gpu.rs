//! The GPU's side of the Mandelbrot (seed §5 and §9: "GPU: parallel threads"):
//! the compute shader's WGSL source, one GPU thread per pixel, and how closely
//! its counts agree with the CPU's.
//!
//! The shader uses the `f32` kernel's view, with the constants the CPU
//! computes written in as exact bit patterns, so both sides start from the
//! same numbers. A GPU compiler may still fuse a multiply and an add (WGSL
//! allows it), and near the set's edge one rounding step changes a point's
//! count; so the two images are compared pixel by pixel, not required equal.

use crate::mandelbrot::MAX_ITERATIONS;
use crate::simd::mandelbrot::MandelbrotF32;

/// Threads per workgroup along x and y (64 in all, a size every GPU runs well).
pub const WORKGROUP: u32 = 8;

/// The share of pixels that must have equal counts for the images to match.
pub const AGREEMENT_NEEDED: f64 = 0.99;

/// The WGSL compute shader for `image`: writes each pixel's escape count to
/// the storage buffer at binding 0, row by row.
pub fn mandelbrot_wgsl(image: MandelbrotF32) -> String {
    let scale = 3.2f32 / image.width as f32;
    let x_offset = image.width as f32 * 0.65;
    let y_offset = image.height as f32 / 2.0;
    format!(
        "@group(0) @binding(0) var<storage, read_write> counts: array<u32>;

@compute @workgroup_size({WORKGROUP}, {WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {{
    if (id.x >= {width}u || id.y >= {height}u) {{ return; }}
    let scale = bitcast<f32>({scale:#010x}u);
    let cr = (f32(id.x) - bitcast<f32>({x_offset:#010x}u)) * scale;
    let ci = (f32(id.y) - bitcast<f32>({y_offset:#010x}u)) * scale;
    var zr = 0.0;
    var zi = 0.0;
    var n = 0u;
    loop {{
        if (n >= {MAX_ITERATIONS}u) {{ break; }}
        let zr2 = zr * zr;
        let zi2 = zi * zi;
        if (zr2 + zi2 > 4.0) {{ break; }}
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        n = n + 1u;
    }}
    counts[id.y * {width}u + id.x] = n;
}}
",
        width = image.width,
        height = image.height,
        scale = scale.to_bits(),
        x_offset = x_offset.to_bits(),
        y_offset = y_offset.to_bits(),
    )
}

/// Workgroups to dispatch along x and y to cover every pixel.
pub fn workgroups(image: MandelbrotF32) -> (u32, u32) {
    (
        (image.width as u32).div_ceil(WORKGROUP),
        (image.height as u32).div_ceil(WORKGROUP),
    )
}

/// The share of positions where `a` and `b` hold the same count (0 when the
/// lengths differ: then they are not the same image at all).
pub fn agreement(a: &[u32], b: &[u32]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shader_carries_the_cpu_constants_bit_for_bit() {
        let image = MandelbrotF32::new(640);
        let wgsl = mandelbrot_wgsl(image);
        let scale = (3.2f32 / 640.0).to_bits();
        assert!(
            wgsl.contains(&format!("bitcast<f32>({scale:#010x}u)")),
            "{wgsl}"
        );
        assert!(wgsl.contains("id.x >= 640u || id.y >= 480u"));
        assert!(wgsl.contains(&format!("n >= {MAX_ITERATIONS}u")));
        assert!(wgsl.contains("counts[id.y * 640u + id.x] = n;"));
    }

    #[test]
    fn workgroups_cover_every_pixel() {
        assert_eq!(workgroups(MandelbrotF32::new(640)), (80, 60));
        assert_eq!(workgroups(MandelbrotF32::new(17)), (3, 2));
    }

    #[test]
    fn agreement_counts_equal_pixels() {
        assert_eq!(agreement(&[1, 2, 3, 4], &[1, 2, 3, 4]), 1.0);
        assert_eq!(agreement(&[1, 2, 3, 4], &[1, 0, 3, 4]), 0.75);
        assert_eq!(agreement(&[1, 2], &[1, 2, 3]), 0.0);
        assert_eq!(agreement(&[], &[]), 0.0);
    }
}
