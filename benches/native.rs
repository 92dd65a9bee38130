//! Native reference for the browser's figures: the same lab the book runs in
//! its worker pool, here on a rayon pool of N native threads.
//!
//! `cargo bench --bench native -- [--threads N] [--sweep] [--json]`
//! measures every kernel at its default size, sequentially and on N threads
//! (or on 1..=N with `--sweep`), and prints a markdown table, or one JSON
//! `Sweep` per line for `cargo xtask bench`. With `--simd` it measures the
//! SIMD lab's kernels instead (scalar and SIMD, on one thread and on N), with
//! the host's own four-lane instructions (SSE2 on x86-64). With `--litmus`
//! it runs the memory-ordering lab's litmus tests on two threads, pinned to
//! two cores where the OS allows, and prints how often each outcome appeared.

use std::time::Instant;

use book_compute::control::Control;
use book_compute::kernel::{KernelKind, KernelRequest};
use book_compute::lab::{self, LabRequest, Split};
use book_compute::litmus::{self as litmus_run, Plan as LitmusPlan, Shape};
use book_compute::measure::Plan;
use book_compute::simd::{lab as simd_lab, lanes};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let threads = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    if flag("--litmus") {
        return litmus(flag("--json"));
    }
    let thread_counts: Vec<usize> = if flag("--sweep") {
        (1..=threads).collect()
    } else {
        vec![threads]
    };
    let request = LabRequest {
        kernels: KernelKind::ALL
            .iter()
            .map(|&k| KernelRequest::standard(k))
            .collect(),
        splits: vec![Split::WorkStealing, Split::StaticChunks],
        thread_counts,
        plan: Plan::default(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let started = Instant::now();
    let clock = move || started.elapsed().as_secs_f64() * 1000.0;
    if flag("--simd") {
        return simd(&pool, &clock, flag("--json"));
    }
    let result = pool
        .install(|| lab::run(&request, &Control::new(), &clock))
        .unwrap_or_else(|e| panic!("the native lab failed: {e}"));

    if flag("--json") {
        for sweep in &result.sweeps {
            println!(
                "{}",
                serde_json::to_string(sweep).expect("a sweep serialises")
            );
        }
        return;
    }
    println!("native, {} threads available", threads);
    println!("| kernel | size | strategy | seq ms | threads | median ms | min-max ms | speedup | efficiency | seen |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for sweep in &result.sweeps {
        for p in &sweep.points {
            println!(
                "| {} | {} | {:?} | {:.1} | {} | {:.1} | {:.1}-{:.1} | {:.2} | {:.2} | {} |",
                sweep.request.kernel.id(),
                sweep.request.kernel.describe(sweep.request.size),
                sweep.strategy,
                sweep.sequential.median_ms,
                p.threads,
                p.median_ms,
                p.min_ms,
                p.max_ms,
                p.speedup,
                p.efficiency,
                p.threads_seen
            );
        }
        if let Some(s) = sweep.serial_fraction {
            println!("|  |  |  |  | Amdahl serial fraction {s:.3} |  |  |  |  |  |");
        }
    }
}

/// The SIMD lab's four ways per kernel, natively: JSON lines or a table.
fn simd(pool: &rayon::ThreadPool, clock: &(dyn Fn() -> f64 + Sync), json: bool) {
    let request = simd_lab::SimdRequest {
        kernels: simd_lab::SimdKernel::ALL
            .iter()
            .map(|&k| (k, k.sizes().default))
            .collect(),
        plan: Plan::default(),
    };
    let results = pool
        .install(|| simd_lab::run(&request, &Control::new(), clock))
        .unwrap_or_else(|e| panic!("the native SIMD lab failed: {e}"));
    if json {
        for result in &results {
            println!(
                "{}",
                serde_json::to_string(result).expect("a result serialises")
            );
        }
        return;
    }
    println!("native SIMD ({})", lanes::INSTRUCTIONS);
    println!("| kernel | size | lanes | threads | median ms | min-max ms | speedup | seen |");
    println!("|---|---|---|---|---|---|---|---|");
    for result in &results {
        for way in &result.ways {
            println!(
                "| {} | {} | {} | {} | {:.1} | {:.1}-{:.1} | {:.2} | {} |",
                result.kernel.label(),
                result.size,
                way.lanes.label(),
                way.threads,
                way.median_ms,
                way.min_ms,
                way.max_ms,
                way.speedup,
                way.threads_seen
            );
        }
    }
}

/// Iterations of each litmus test natively.
const LITMUS_ITERATIONS: usize = 1_000_000;

/// Every real litmus shape with its orderings all `Relaxed`, then with
/// `Release`/`Acquire`, then `SeqCst`, on a pool of two pinned threads.
fn litmus(json: bool) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .start_handler(pin_to_core)
        .build()
        .expect("a pool of two threads");
    use std::sync::atomic::Ordering::{Acquire, Relaxed, Release, SeqCst};
    if !json {
        println!("| test | store | load | iterations | 0,0 | 0,1 | 1,0 | 1,1 |");
        println!("|---|---|---|---|---|---|---|---|");
    }
    for shape in Shape::ALL {
        for (store, load) in [(Relaxed, Relaxed), (Release, Acquire), (SeqCst, SeqCst)] {
            let plan = LitmusPlan {
                shape,
                store,
                load,
                iterations: LITMUS_ITERATIONS,
            };
            let counts = pool
                .install(|| litmus_run::run_on_pool(plan, &Control::new()))
                .unwrap_or_else(|e| panic!("the native litmus run failed: {e}"));
            if json {
                println!(
                    "{}",
                    serde_json::json!({
                        "test": shape.slug(),
                        "store": litmus_run::ordering_name(store),
                        "load": litmus_run::ordering_name(load),
                        "iterations": LITMUS_ITERATIONS,
                        "counts": counts.counts,
                    })
                );
            } else {
                let [a, b, c, d] = counts.counts;
                println!(
                    "| {} | {} | {} | {LITMUS_ITERATIONS} | {a} | {b} | {c} | {d} |",
                    shape.slug(),
                    litmus_run::ordering_name(store),
                    litmus_run::ordering_name(load)
                );
            }
        }
    }
}

/// Pins rayon thread `index` to core `index`, so the two sides of a litmus
/// test run on two cores at once; where the OS refuses, the thread runs
/// where the scheduler puts it.
fn pin_to_core(index: usize) {
    #[cfg(target_os = "linux")]
    // SAFETY: `set` is a zeroed, then filled, cpu_set_t of the size passed;
    // pid 0 is the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(index, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = index;
}
