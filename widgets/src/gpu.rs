//! WebGPU from Rust (web-sys): the Mandelbrot as a compute shader, one GPU
//! thread per pixel, timed with and without bringing the counts back.
//!
//! Everything here is asynchronous: the main thread submits work and awaits
//! the GPU's promises, so the page stays responsive while the GPU computes.
//! Where `navigator.gpu` or an adapter is missing, [`mandelbrot`] says why in
//! words and nothing else changes.

use js_sys::{Reflect, Uint32Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    gpu_buffer_usage, gpu_map_mode, GpuAdapter, GpuAutoLayoutMode, GpuBindGroupDescriptor,
    GpuBindGroupEntry, GpuBuffer, GpuBufferDescriptor, GpuComputePipelineDescriptor, GpuDevice,
    GpuErrorFilter, GpuProgrammableStage, GpuShaderModuleDescriptor,
};

use book_compute::gpu::{mandelbrot_wgsl, workgroups};
use book_compute::simd::mandelbrot::MandelbrotF32;
use book_compute::stats::Summary;
use book_runtime::clock::now_ms;
use book_runtime::js_error::describe;

/// One measured GPU run of the Mandelbrot.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuRun {
    /// What the browser says the adapter is ("google swiftshader", "nvidia ampere").
    pub adapter: String,
    /// Submit to done, the counts left on the GPU.
    pub compute: Summary,
    /// Submit to the counts in WebAssembly memory: the copy back included.
    pub total: Summary,
    /// The last run's escape counts, row by row.
    pub counts: Vec<u32>,
}

/// Computes `image` on the GPU `1 + repetitions` times (the first is a
/// warm-up: shader compilation and buffer setup), or says why it cannot.
pub async fn mandelbrot(image: MandelbrotF32, repetitions: usize) -> Result<GpuRun, String> {
    let (device, adapter) = device().await?;
    let result = run(&device, image, repetitions).await;
    device.destroy();
    result.map(|(compute, total, counts)| GpuRun {
        adapter,
        compute,
        total,
        counts,
    })
}

/// The GPU device and the adapter's name, or why there is none.
async fn device() -> Result<(GpuDevice, String), String> {
    let navigator = web_sys::window().ok_or("there is no window")?.navigator();
    let gpu = Reflect::get(&navigator, &JsValue::from_str("gpu")).unwrap_or(JsValue::UNDEFINED);
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser offers no WebGPU (navigator.gpu is missing): it needs a recent Chrome or Edge, Safari 26, or Firefox 141 on Windows, over https or localhost".to_owned());
    }
    let adapter = JsFuture::from(navigator.gpu().request_adapter())
        .await
        .map_err(|e| format!("the browser refused a GPU adapter: {}", describe(&e)))?;
    let Ok(adapter) = adapter.dyn_into::<GpuAdapter>() else {
        return Err("WebGPU is there but offers no adapter (no usable GPU, or the GPU is blocklisted; headless browsers need --enable-unsafe-webgpu)".to_owned());
    };
    // `GPUAdapter.info` came after WebGPU itself (Chromium 127): read it
    // without assuming it, or an older browser throws out of this future.
    let info = js_sys::Reflect::get(&adapter, &"info".into())
        .ok()
        .filter(|info| info.is_object());
    let field = |name: &str| {
        info.as_ref()
            .and_then(|info| js_sys::Reflect::get(info, &name.into()).ok())
            .and_then(|value| value.as_string())
            .unwrap_or_default()
    };
    let name = ["vendor", "architecture", "description"]
        .into_iter()
        .map(field)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let device = JsFuture::from(adapter.request_device())
        .await
        .map_err(|e| format!("the GPU adapter refused a device: {}", describe(&e)))?
        .unchecked_into::<GpuDevice>();
    Ok((
        device,
        if name.is_empty() {
            "unnamed adapter".to_owned()
        } else {
            name
        },
    ))
}

/// Builds the pipeline and buffers, then times the runs.
async fn run(
    device: &GpuDevice,
    image: MandelbrotF32,
    repetitions: usize,
) -> Result<(Summary, Summary, Vec<u32>), String> {
    let bytes = (image.width * image.height * 4) as u32;
    device.push_error_scope(GpuErrorFilter::Validation);
    let module =
        device.create_shader_module(&GpuShaderModuleDescriptor::new(&mandelbrot_wgsl(image)));
    let stage = GpuProgrammableStage::new(&module);
    stage.set_entry_point("main");
    let pipeline = device.create_compute_pipeline(
        &GpuComputePipelineDescriptor::new_with_gpu_auto_layout_mode(
            GpuAutoLayoutMode::Auto,
            &stage,
        ),
    );
    let buffer = |usage: u32| {
        device
            .create_buffer(&GpuBufferDescriptor::new(bytes, usage))
            .map_err(|e| format!("the GPU could not allocate {bytes} bytes: {}", describe(&e)))
    };
    let counts = buffer(gpu_buffer_usage::STORAGE | gpu_buffer_usage::COPY_SRC)?;
    let readback = buffer(gpu_buffer_usage::MAP_READ | gpu_buffer_usage::COPY_DST)?;
    let bind_group = device.create_bind_group(&GpuBindGroupDescriptor::new(
        &[GpuBindGroupEntry::new_with_gpu_buffer(0, &counts)],
        &pipeline.get_bind_group_layout(0),
    ));
    let error = JsFuture::from(device.pop_error_scope())
        .await
        .map_err(|e| describe(&e))?;
    if !error.is_null() && !error.is_undefined() {
        let message = Reflect::get(&error, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default();
        return Err(format!("the GPU rejected the shader: {message}"));
    }
    let queue = device.queue();
    let (groups_x, groups_y) = workgroups(image);
    let mut compute_ms = Vec::new();
    let mut total_ms = Vec::new();
    let mut last = Vec::new();
    for repetition in 0..=repetitions {
        let start = now_ms();
        let encoder = device.create_command_encoder();
        let pass = encoder.begin_compute_pass();
        pass.set_pipeline(&pipeline);
        pass.set_bind_group(0, Some(&bind_group));
        pass.dispatch_workgroups_with_workgroup_count_y(groups_x, groups_y);
        pass.end();
        queue.submit(&[encoder.finish()]);
        await_promise(queue.on_submitted_work_done().unchecked_into()).await?;
        let computed = now_ms();
        last = copy_back(device, &counts, &readback, bytes).await?;
        if repetition > 0 {
            compute_ms.push(computed - start);
            total_ms.push(now_ms() - start);
        }
    }
    counts.destroy();
    readback.destroy();
    match (Summary::of(&compute_ms), Summary::of(&total_ms)) {
        (Some(compute), Some(total)) => Ok((compute, total, last)),
        _ => Err("no timed GPU run".to_owned()),
    }
}

/// Copies the counts into the mappable buffer, maps it and reads it into memory.
async fn copy_back(
    device: &GpuDevice,
    counts: &GpuBuffer,
    readback: &GpuBuffer,
    bytes: u32,
) -> Result<Vec<u32>, String> {
    let encoder = device.create_command_encoder();
    encoder
        .copy_buffer_to_buffer_with_u32_and_u32_and_u32(counts, 0, readback, 0, bytes)
        .map_err(|e| describe(&e))?;
    device.queue().submit(&[encoder.finish()]);
    await_promise(readback.map_async(gpu_map_mode::READ).unchecked_into()).await?;
    let range = readback.get_mapped_range().map_err(|e| describe(&e))?;
    let counts = Uint32Array::new(&range).to_vec();
    readback.unmap();
    Ok(counts)
}

async fn await_promise(promise: js_sys::Promise) -> Result<(), String> {
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| format!("the GPU failed: {}", describe(&e)))
}
