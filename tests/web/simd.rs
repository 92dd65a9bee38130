//! SIMD in the browser: the simd128 kernels compute what the scalar ones do,
//! on this page's thread and in the pool.

use book_compute::control::Control;
use book_compute::matmul::MatMul;
use book_compute::measure::Plan;
use book_compute::simd::lab::{SimdKernel, SimdRequest};
use book_compute::simd::lanes::INSTRUCTIONS;
use book_compute::simd::mandelbrot::MandelbrotF32;
use book_compute::simd::Lanes;
use book_widgets::lab::job::run_simd;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn simd128_lanes_equal_the_scalar_kernels() {
    assert!(
        book_runtime::environment::wasm_simd(),
        "the feature probe validates in a browser with SIMD"
    );
    assert_eq!(INSTRUCTIONS, "WebAssembly simd128");
    let control = Control::new();
    for width in [16, 61, 160] {
        let image = MandelbrotF32::new(width);
        let scalar = image.sequential(Lanes::Scalar, &control).expect("runs");
        let simd = image.sequential(Lanes::Simd, &control).expect("runs");
        assert_eq!(simd, scalar, "Mandelbrot, width {width}");
    }
    for n in [9, 64, 101] {
        let m = MatMul::new(n);
        let scalar = m.sequential_with(Lanes::Scalar, &control).expect("runs");
        let simd = m.sequential_with(Lanes::Simd, &control).expect("runs");
        assert_eq!(simd, scalar, "matrix multiply, n = {n}: bitwise equal");
    }
}

#[wasm_bindgen_test]
async fn the_simd_lab_checks_and_times_four_ways_in_the_pool() {
    let request = SimdRequest {
        kernels: vec![(SimdKernel::Mandelbrot, 96), (SimdKernel::Matmul, 48)],
        plan: Plan {
            warmup: 0,
            repetitions: 1,
        },
    };
    let results = run_simd(request, Control::new())
        .await
        .unwrap_or_else(|error| panic!("not measured: {error}"));
    for result in &results {
        assert_eq!(result.ways.len(), 4, "{:?}", result.kernel);
        let all = result.ways[3].threads;
        assert!(all >= 2, "the test runner is isolated: a real pool");
        let seen = result.ways[3].threads_seen;
        // At least two: real threads (a small job may finish before
        // every worker of a big pool wakes up).
        assert!(
            (2..=all).contains(&seen),
            "{seen} of {all} threads did work"
        );
    }
    assert!(
        results[0].counts.is_some(),
        "the Mandelbrot's counts come back"
    );
}
