//! The SIMD and GPU report drawn: a table and chart per kernel, the images, and what the figures mean.

use super::*;

fn way_label(lanes: Lanes, threads: usize) -> String {
    let lanes = match lanes {
        Lanes::Scalar => "scalar".to_owned(),
        Lanes::Simd => "SIMD, 4 lanes".to_owned(),
    };
    format!(
        "{threads} {}, {lanes}",
        if threads == 1 { "thread" } else { "threads" }
    )
}

pub(super) fn view_report(report: &Report) -> Html {
    let cpu_image = report
        .kernels
        .iter()
        .find_map(|k| k.image.clone())
        .map(Rc::new);
    let gpu_image = report.gpu.as_ref().and_then(|g| g.image.clone());
    html! {
        <>
            if let Some(reason) = &report.fallback {
                <div class="fallback">
                    <p><strong>{ "The CPU ways ran on one thread. " }</strong>{ format!("The worker pool is not available: {reason}") }</p>
                    <p>{ format!("SIMD needs no second thread, so it is measured all the same, at small sizes ({} pixels wide, {} rows) to keep the page responsive.", ONE_THREAD_SIZES[0], ONE_THREAD_SIZES[1]) }</p>
                </div>
            }
            { for report.kernels.iter().map(|kernel| view_kernel(kernel, report.gpu.as_ref())) }
            <div class="lab-images">
                { cpu_image.map(|image| html! {
                    <figure><ImageView {image} label="The Mandelbrot set computed on the CPU" /><figcaption>{ "CPU (scalar)" }</figcaption></figure>
                }).unwrap_or_default() }
                { gpu_image.map(|image| html! {
                    <figure><ImageView {image} label="The Mandelbrot set computed on the GPU" /><figcaption>{ "GPU" }</figcaption></figure>
                }).unwrap_or_default() }
            </div>
            <p class="explanation">{ explanation(report) }</p>
        </>
    }
}

fn view_kernel(kernel: &KernelResult, gpu: Option<&GpuFigures>) -> Html {
    let mut bars: Vec<Bar> = kernel
        .ways
        .iter()
        .map(|w| Bar {
            label: way_label(w.lanes, w.threads),
            value: w.speedup,
            text: format!("{:.2}x · {:.1} ms", w.speedup, w.median_ms),
        })
        .collect();
    if let (SimdKernel::Mandelbrot, Some(gpu)) = (kernel.kernel, gpu) {
        bars.push(Bar {
            label: "GPU, computing".to_owned(),
            value: gpu.speedup_compute,
            text: format!(
                "{:.2}x · {:.1} ms",
                gpu.speedup_compute, gpu.compute_ms.median_ms
            ),
        });
        bars.push(Bar {
            label: "GPU, with the copy back".to_owned(),
            value: gpu.speedup_total,
            text: format!(
                "{:.2}x · {:.1} ms",
                gpu.speedup_total, gpu.total_ms.median_ms
            ),
        });
    }
    html! {
        <div class="simd-kernel">
            <h5>{ format!("{}, {} — speedup over scalar on one thread", kernel.kernel.label(), size_words(kernel)) }</h5>
            <BarChart {bars} label={format!("{}: speedup of each way", kernel.kernel.label())} />
            <table class="results">
                <thead><tr>
                    <th scope="col">{ "way" }</th><th scope="col">{ "median ms" }</th><th scope="col">{ "min–max ms" }</th>
                    <th scope="col">{ "speedup" }</th><th scope="col">{ "threads seen" }</th>
                </tr></thead>
                <tbody>
                    { for kernel.ways.iter().map(|w| html! {
                        <tr>
                            <td>{ way_label(w.lanes, w.threads) }</td><td>{ format!("{:.1}", w.median_ms) }</td>
                            <td>{ format!("{:.1}–{:.1}", w.min_ms, w.max_ms) }</td>
                            <td>{ format!("{:.2}x", w.speedup) }</td><td>{ w.threads_seen }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn size_words(kernel: &KernelResult) -> String {
    match kernel.kernel {
        SimdKernel::Mandelbrot => format!("{} x {} px", kernel.size, kernel.size * 3 / 4),
        SimdKernel::Matmul => format!("{0} x {0} f32", kernel.size),
    }
}

fn explanation(report: &Report) -> String {
    let simd = report.simd_speedup.map_or(String::new(), |s| {
        format!(
            "On one thread, four lanes made the Mandelbrot {s:.2}x faster than one: a group of four pixels runs until its slowest pixel escapes, so it stays below 4. "
        )
    });
    let stacked = report.threads_on_simd.map_or(String::new(), |t| {
        format!(
            "Threads stack on top of lanes: SIMD on {} threads was {t:.2}x SIMD on one, because each physical core has its own SIMD units (two hardware threads of one SMT core share them, so expect at most the number of physical cores). ",
            report.pool_threads
        )
    });
    let gpu = match (&report.gpu, &report.gpu_unavailable) {
        (Some(g), _) => {
            let matched = if g.equal_pixels >= AGREEMENT_NEEDED {
                "matches the CPU's"
            } else {
                "differs from the CPU's more than rounding explains"
            };
            let emulated = if g.adapter.to_lowercase().contains("swiftshader") {
                " This adapter is SwiftShader, a GPU emulated on the CPU: its times say nothing about a real GPU."
            } else {
                ""
            };
            format!(
                "The GPU ({}) ran one thread per pixel: {:.1} ms computing, {:.1} ms with the counts copied back. Its image {matched}: {:.2}% of the pixels have equal counts (a GPU may fuse a multiply and an add, which moves a few points at the set's edge).{emulated} ",
                g.adapter,
                g.compute_ms.median_ms,
                g.total_ms.median_ms,
                g.equal_pixels * 100.0
            )
        }
        (None, Some(why)) => format!("No GPU row: {why}. "),
        (None, None) => String::new(),
    };
    format!(
        "{simd}{stacked}{gpu}Measured with {} on {} thread(s) of the pool; the browser reports navigator.hardwareConcurrency = {}.",
        report.simd_instructions, report.pool_threads, report.hardware_concurrency
    )
}
