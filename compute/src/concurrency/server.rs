//! The one-thread server's model (§3, §8): simulated clients whose requests
//! wait on simulated I/O, the handler's CPU work, and the statistics a
//! server is judged by (throughput, latency percentiles, event-loop lag).

use serde::Serialize;

use crate::xorshift::XorShift;

/// The most clients: 10,000 waiting requests is the classic C10k load, and
/// each one is a timer and a future on the reader's main thread.
pub const MAX_CLIENTS: u64 = 10_000;
/// The longest run, in seconds.
pub const MAX_SECONDS: u64 = 10;
/// The most CPU work per request, in ms: beyond it the page would stall.
pub const MAX_CPU_MS: u64 = 20;
/// The longest simulated I/O wait and think time, in ms.
pub const MAX_WAIT_MS: u64 = 5_000;

/// Where a request's CPU work runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Handler {
    /// On the event loop, synchronously: every other request waits meanwhile.
    Blocking,
    /// On the worker pool: the event loop only awaits it.
    Pool,
}

/// Simulated I/O: a wait uniform in `mean ± spread` (a fraction of the mean).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Latency {
    pub mean_ms: f64,
    pub spread: f64,
}

impl Latency {
    /// One wait, in whole milliseconds (what a browser timer takes).
    pub fn sample(&self, rng: &mut XorShift) -> u32 {
        let offset = (f64::from(rng.next_f32()) * 2.0 - 1.0) * self.spread * self.mean_ms;
        (self.mean_ms + offset).round().max(0.0) as u32
    }
}

/// What a sorted list of samples says at the `p`th percentile (nearest
/// rank: the smallest sample with at least `p`% of them at or below it).
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// The median, the 99th percentile and the worst of some timings, in ms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tail {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub samples: usize,
}

impl Tail {
    /// `None` for no samples.
    pub fn of(samples: &[f64]) -> Option<Self> {
        let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
        // The same sort as `stats::Summary`'s, so the download holds one copy.
        sorted.sort_by(f64::total_cmp);
        Some(Self {
            p50_ms: percentile(&sorted, 50.0)?,
            p99_ms: percentile(&sorted, 99.0)?,
            max_ms: *sorted.last()?,
            samples: sorted.len(),
        })
    }
}

/// How late a timer asked for `interval_ms` fired, for each firing: how
/// long the event loop was busy when it was due (the event-loop lag).
pub fn lags(firings: &[f64], interval_ms: f64) -> Vec<f64> {
    firings
        .windows(2)
        .map(|w| (w[1] - w[0] - interval_ms).max(0.0))
        .collect()
}

/// The CPU time a second that `clients` ask of a server when each one's
/// cycle is a think time drawn uniformly up to `think_max_ms` (mean half of
/// it), an I/O wait of `io_mean_ms` and `cpu_ms` of work. Over 1.0, one
/// thread cannot keep up: the server is overloaded, and its queue (and the
/// latency) grows for as long as the load lasts.
pub fn cpu_asked_per_second(clients: u64, think_max_ms: u64, io_mean_ms: f64, cpu_ms: u64) -> f64 {
    let cycle_ms = think_max_ms as f64 / 2.0 + io_mean_ms + cpu_ms as f64;
    clients as f64 * cpu_ms as f64 / cycle_ms.max(1.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_load_on_one_thread_counts_each_clients_cycle() {
        // The book's defaults with 5 ms of CPU: 1,000 × 5 / (500 + 50 + 5).
        let asked = cpu_asked_per_second(1000, 1000, 50.0, 5);
        assert!((asked - 9.01).abs() < 0.01, "{asked}");
        // 50 clients stay well within the thread's second.
        assert!(cpu_asked_per_second(50, 1000, 50.0, 5) < 0.5);
        assert_eq!(cpu_asked_per_second(1000, 1000, 50.0, 0), 0.0);
    }

    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let sorted: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&sorted, 50.0), Some(50.0));
        assert_eq!(percentile(&sorted, 99.0), Some(99.0));
        assert_eq!(percentile(&sorted, 100.0), Some(100.0));
        assert_eq!(percentile(&sorted, 0.0), Some(1.0));
        assert_eq!(percentile(&[7.0], 99.0), Some(7.0));
        assert_eq!(percentile(&[], 50.0), None);
        let tail = Tail::of(&[5.0, 1.0, f64::NAN, 3.0]).expect("samples");
        assert_eq!(
            (tail.p50_ms, tail.p99_ms, tail.max_ms, tail.samples),
            (3.0, 5.0, 5.0, 3)
        );
        assert_eq!(Tail::of(&[]), None);
    }

    #[test]
    fn latencies_stay_in_their_band_and_repeat_with_the_seed() {
        let latency = Latency {
            mean_ms: 50.0,
            spread: 0.5,
        };
        let mut rng = XorShift::new(7);
        let waits: Vec<u32> = (0..1_000).map(|_| latency.sample(&mut rng)).collect();
        assert!(waits.iter().all(|&w| (25..=75).contains(&w)));
        let mean = waits.iter().map(|&w| f64::from(w)).sum::<f64>() / 1_000.0;
        assert!((mean - 50.0).abs() < 2.0, "{mean}");
        let mut again = XorShift::new(7);
        assert_eq!(latency.sample(&mut again), waits[0]);
    }

    #[test]
    fn lag_is_how_late_each_firing_came() {
        let lags = lags(&[0.0, 10.0, 21.0, 60.0], 10.0);
        assert_eq!(lags, [0.0, 1.0, 29.0]);
    }
}
