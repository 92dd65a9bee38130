//! Native reference for the browser's figures: the same lab the book runs in
//! its worker pool, here on a rayon pool of N native threads.
//!
//! `cargo bench --bench native -- [--threads N] [--sweep] [--json]`
//! measures every kernel at its default size, sequentially and on N threads
//! (or on 1..=N with `--sweep`), and prints a markdown table, or one JSON
//! `Sweep` per line for `cargo xtask bench`.

use std::time::Instant;

use concurrency_book::compute::control::Control;
use concurrency_book::compute::kernel::{KernelKind, KernelRequest};
use concurrency_book::compute::lab::{self, LabRequest, Split};
use concurrency_book::compute::measure::Plan;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let threads = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
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
