//! §9's "SIMD/GPU Compute" (and §5's "multi-core CPUs, SIMD, GPU") measured:
//! one kernel on one core, on every core, four lanes at a time, both, and on
//! the GPU. The CPU ways run as one job inside the worker pool; the GPU's
//! promises are awaited here, on the event loop. Every way's result is checked
//! against the scalar one before it is timed; the GPU's image is compared
//! pixel by pixel.

use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use serde::Serialize;
use yew::prelude::*;

use crate::gpu;
use crate::kit::chart::{Bar, BarChart};
use crate::kit::fields::{buttons, use_form, Field};
use crate::kit::frame::{result_json, WidgetFrame};
use crate::kit::image_view::ImageView;
use crate::kit::run::{use_run, Live, Run};
use crate::lab::job::{run_simd, RunError};
use book_compute::control::Control;
use book_compute::gpu::{agreement, AGREEMENT_NEEDED};
use book_compute::kernel::Image;
use book_compute::lab::LabError;
use book_compute::mandelbrot::to_rgba;
use book_compute::measure::Plan;
use book_compute::simd::lab::{
    kernel_result, measure_way, ways, KernelResult, SimdInput, SimdKernel, SimdRequest, Way,
};
use book_compute::simd::lanes::INSTRUCTIONS;
use book_compute::simd::mandelbrot::MandelbrotF32;
use book_compute::simd::Lanes;
use book_compute::stats::{hundredths, Summary};
use book_content::directive::WidgetKind;
use book_pool::job::JobError;
use book_runtime::clock::now_ms;
use book_runtime::environment::Environment;

mod view;
use view::view_report;

/// The sizes the reader sets, in the kernels' own ranges.
const FIELDS: [Field; 2] = [
    field(
        "simd-gpu-mandelbrot",
        "Mandelbrot width, pixels",
        SimdKernel::Mandelbrot,
    ),
    field("simd-gpu-matmul", "Matrix size, rows", SimdKernel::Matmul),
];

const fn field(id: &'static str, label: &'static str, kernel: SimdKernel) -> Field {
    let sizes = kernel.sizes();
    Field {
        id,
        label,
        min: sizes.min as u64,
        max: sizes.max as u64,
        initial: sizes.default as u64,
    }
}

/// Without a pool the CPU ways run on this page's thread, at sizes that keep
/// each run short enough not to freeze it.
const ONE_THREAD_SIZES: [usize; 2] = [192, 96];

/// How long one timed batch of runs lasts without a pool.
const BATCH_MS: f64 = 10.0;

/// GPU runs after its warm-up (which compiles the shader).
const GPU_REPETITIONS: usize = 5;

/// The GPU's figures, as `data-result` carries them.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct GpuFigures {
    adapter: String,
    width: usize,
    /// Submit to done, the counts left on the GPU.
    compute_ms: Summary,
    /// Submit to the counts back in WebAssembly memory.
    total_ms: Summary,
    /// Over scalar on one CPU thread (compute only, then with the copy).
    speedup_compute: f64,
    speedup_total: f64,
    /// Share of pixels whose count equals the CPU's.
    equal_pixels: f64,
    #[serde(skip)]
    image: Option<Rc<Image>>,
}

/// A finished run's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Report {
    widget: &'static str,
    isolated: bool,
    shared_array_buffer: bool,
    hardware_concurrency: usize,
    /// Threads the "all threads" ways ran on (1 without a pool).
    pool_threads: usize,
    user_agent: String,
    simd_instructions: &'static str,
    /// Why the CPU ways ran on one thread, when they did.
    fallback: Option<String>,
    kernels: Vec<KernelResult>,
    /// Mandelbrot: SIMD over scalar, on one thread.
    simd_speedup: Option<f64>,
    /// Mandelbrot: SIMD on every thread over SIMD on one.
    threads_on_simd: Option<f64>,
    gpu: Option<GpuFigures>,
    /// Why there is no GPU figure, when there is none.
    gpu_unavailable: Option<String>,
}

/// What runs now.
enum Phase {
    Cpu,
    Gpu,
}

#[function_component(SimdGpu)]
pub fn simd_gpu() -> Html {
    let run_state = use_run::<Phase, Rc<Report>>();
    let form = use_form(&FIELDS);
    let running = run_state.is_running();
    let start = {
        let (run_state, form) = (run_state.clone(), form.clone());
        Callback::from(move |_| {
            let Some(values) = run_state.read_to_start(&form) else {
                return;
            };
            let sizes = [values[0] as usize, values[1] as usize];
            run_state.start(Phase::Cpu, move |control, live| async move {
                measure(sizes, &control, &live).await.map(Rc::new)
            });
        })
    };
    let result = run_state.done().and_then(|report| result_json(&**report));
    html! {
        <WidgetFrame kind={WidgetKind::SimdGpu} {result} busy={running}>
            <div class="lab-controls">
                { buttons("Measure every kind", running, start, run_state.cancel()) }
                { form.inputs() }
            </div>
            { form.notes() }
            <div class="widget-output" role="status" aria-live="polite">
                { match run_state.state() {
                    Run::Idle => html! { <p>{ "Times the f32 Mandelbrot and matrix multiply four ways on the CPU (scalar and SIMD, on one thread and on every thread of the pool), each checked against the scalar result first, then the Mandelbrot as a WebGPU compute shader. Medians of five runs after a warm-up." }</p> },
                    Run::Running(Phase::Cpu) => html! {
                        <>
                            <progress max="100" value={run_state.percent().to_string()} aria-label="Progress" />
                            <p>{ format!("Measuring on the CPU, in the worker pool: {}% done; Cancel stops it.", run_state.percent()) }</p>
                        </>
                    },
                    Run::Running(Phase::Gpu) => html! { <p>{ "Measuring on the GPU: the page awaits its promises, so it stays responsive." }</p> },
                    Run::Cancelled => html! { <p>{ "Cancelled. The pool is free again." }</p> },
                    Run::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Run::Done(report) => view_report(report),
                } }
            </div>
        </WidgetFrame>
    }
}

/// The CPU ways (in the pool, or on this thread without one), then the GPU.
async fn measure(
    sizes: [usize; 2],
    control: &Control,
    live: &Live<Phase, Rc<Report>>,
) -> Result<Report, String> {
    let environment = Environment::detect();
    let request = |sizes: [usize; 2]| SimdRequest {
        kernels: SimdKernel::ALL.into_iter().zip(sizes).collect(),
        plan: Plan::default(),
    };
    // Without a pool, the kernels run here, small: awaited in one place, so
    // the widgets module holds that code once.
    let pooled = match environment.obstacle() {
        Some(reason) => Err(reason.to_owned()),
        None => match run_simd(request(sizes), control.clone()).await {
            Ok(kernels) => Ok(kernels),
            Err(RunError::Job(JobError::NoPool(unavailable))) => Err(unavailable.reason),
            Err(error) => return Err(error.to_string()),
        },
    };
    let (kernels, fallback) = match pooled {
        Ok(kernels) => (kernels, None),
        Err(reason) => (one_thread(control).await?, Some(reason)),
    };
    if control.is_cancelled() {
        return Err(LabError::Cancelled.to_string());
    }
    live.show(Phase::Gpu);
    let mandelbrot = kernels
        .iter()
        .find(|k| k.kernel == SimdKernel::Mandelbrot)
        .ok_or("the Mandelbrot was not measured")?;
    let (gpu, gpu_unavailable) =
        match gpu::mandelbrot(MandelbrotF32::new(mandelbrot.size), GPU_REPETITIONS).await {
            Ok(run) => (Some(gpu_figures(mandelbrot, run)), None),
            Err(why) => (None, Some(why)),
        };
    let speedup = |lanes, threads| mandelbrot.speedup(lanes, threads);
    let pool_threads = mandelbrot.ways.iter().map(|w| w.threads).max().unwrap_or(1);
    Ok(Report {
        widget: WidgetKind::SimdGpu.id(),
        isolated: environment.isolated,
        shared_array_buffer: environment.shared_array_buffer,
        hardware_concurrency: environment.hardware_concurrency,
        pool_threads,
        user_agent: environment.user_agent,
        simd_instructions: INSTRUCTIONS,
        fallback,
        simd_speedup: speedup(Lanes::Simd, 1),
        threads_on_simd: (pool_threads > 1)
            .then(|| Some(speedup(Lanes::Simd, pool_threads)? / speedup(Lanes::Simd, 1)?))
            .flatten()
            .map(|x| (x * 100.0).round() / 100.0),
        kernels,
        gpu,
        gpu_unavailable,
    })
}

/// Scalar and SIMD on this page's thread, at small sizes, one timed batch per
/// turn of the event loop so the page keeps drawing.
async fn one_thread(control: &Control) -> Result<Vec<KernelResult>, String> {
    let check = Plan {
        warmup: 0,
        repetitions: 1,
    };
    let mut results = Vec::new();
    for (kernel, size) in SimdKernel::ALL.into_iter().zip(ONE_THREAD_SIZES) {
        let input = SimdInput::new(kernel, size);
        let [scalar, simd, ..] = ways(1);
        let reference = input.run(scalar, control).map_err(|_| "cancelled")?;
        let mut measured = Vec::new();
        for way in [scalar, simd] {
            TimeoutFuture::new(0).await;
            measure_way(&input, way, reference.digest(), check, control, &now_ms)
                .map_err(|e| e.to_string())?;
            let summary = time_batches(&input, way, control).await?;
            measured.push((way, summary, 1));
        }
        results.push(kernel_result(kernel, size, &input, &reference, measured));
    }
    Ok(results)
}

/// Without isolation browsers coarsen the clock (WebKit to 1 ms),
/// too coarse for a run of a few milliseconds: each sample times a batch of
/// runs lasting about [`BATCH_MS`], and divides.
async fn time_batches(input: &SimdInput, way: Way, control: &Control) -> Result<Summary, String> {
    let run = || input.run(way, control).map(|_| ()).map_err(|_| "cancelled");
    let started = now_ms();
    let mut batch = 0;
    while now_ms() - started < BATCH_MS && batch < 1_000 {
        run()?;
        batch += 1;
    }
    let mut samples = Vec::new();
    for _ in 0..5 {
        TimeoutFuture::new(0).await;
        let started = now_ms();
        for _ in 0..batch {
            run()?;
        }
        samples.push((now_ms() - started) / batch as f64);
    }
    Summary::of(&samples).ok_or_else(|| "no timed run".to_owned())
}

fn gpu_figures(mandelbrot: &KernelResult, run: gpu::GpuRun) -> GpuFigures {
    let scalar_ms = mandelbrot.ways.first().map_or(0.0, |w| w.median_ms);
    let over = |ms: f64| hundredths(scalar_ms / ms.max(1e-3));
    let image = MandelbrotF32::new(mandelbrot.size);
    GpuFigures {
        adapter: run.adapter,
        width: image.width,
        speedup_compute: over(run.compute.median_ms),
        speedup_total: over(run.total.median_ms),
        compute_ms: run.compute.rounded(),
        total_ms: run.total.rounded(),
        equal_pixels: (agreement(&run.counts, mandelbrot.counts.as_deref().unwrap_or(&[]))
            * 10_000.0)
            .round()
            / 10_000.0,
        image: Some(Rc::new(Image {
            width: image.width,
            height: image.height,
            rgba: to_rgba(&run.counts),
        })),
    }
}
