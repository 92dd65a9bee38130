//! Honest figures from repeated timings: the median and the spread of the
//! repetitions, speedup and efficiency against the sequential baseline, and
//! Amdahl's law fitted to a speedup curve.

use serde::{Deserialize, Serialize};

/// The spread of repeated timings, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub repetitions: usize,
}

impl Summary {
    /// `None` for no samples; NaNs are ignored.
    pub fn of(samples: &[f64]) -> Option<Self> {
        let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| !x.is_nan()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Self {
            median_ms: median,
            min_ms: sorted[0],
            max_ms: sorted[n - 1],
            repetitions: n,
        })
    }

    /// The same figures to the microsecond, for tables and JSON.
    pub fn rounded(self) -> Self {
        Self {
            median_ms: to_the_microsecond(self.median_ms),
            min_ms: to_the_microsecond(self.min_ms),
            max_ms: to_the_microsecond(self.max_ms),
            ..self
        }
    }
}

/// A figure to two decimals: finer is noise in a timing or a speedup (and
/// more than a browser's timer resolves).
pub fn hundredths(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Milliseconds to the microsecond: a kernel at its smallest size runs for
/// microseconds, timed in batches long enough for the clock
/// (`measure::MIN_SAMPLE_MS`), so its time per run is known that finely.
pub fn to_the_microsecond(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// Amdahl's law, S(n) = 1 / (s + (1 - s) / n), fitted to measured speedups by
/// least squares on 1/S, where it is linear in the serial fraction s:
/// 1/S - 1/n = s (1 - 1/n). Points at n = 1 carry no information and are skipped.
/// Returns s clamped to [0, 1], or `None` without a point at n > 1.
pub fn amdahl_serial_fraction(points: &[(usize, f64)]) -> Option<f64> {
    let (mut xy, mut xx) = (0.0, 0.0);
    for &(threads, speedup) in points {
        if threads < 2 || speedup <= 0.0 || !speedup.is_finite() {
            continue;
        }
        let inv_n = 1.0 / threads as f64;
        let x = 1.0 - inv_n;
        let y = 1.0 / speedup - inv_n;
        xy += x * y;
        xx += x * x;
    }
    (xx > 0.0).then(|| (xy / xx).clamp(0.0, 1.0))
}

/// How much a later point must gain over an earlier one for the curve to
/// still be rising: timings spread by a few percent from run to run.
const STILL_RISING: f64 = 1.10;

/// Where a speedup curve stops rising: the fewest threads from which no later
/// point is more than 10% faster. `None` while the curve rises to its last
/// point. A plateau below the thread count the browser reports means the
/// extra threads share something: cores (SMT, or a browser that reports more
/// than it can use), the clock, caches or memory. [`PlateauReading`] says which
/// of these the numbers alone point at.
pub fn plateau(points: &[(usize, f64)]) -> Option<usize> {
    points
        .iter()
        .enumerate()
        .find_map(|(at, &(threads, speedup))| {
            let later = &points[at + 1..];
            let best_later = later
                .iter()
                .map(|&(_, s)| s)
                .fold(f64::NEG_INFINITY, f64::max);
            (!later.is_empty() && best_later <= speedup * STILL_RISING).then_some(threads)
        })
}

/// What a curve that stops rising suggests, from the numbers alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlateauReading {
    /// It stops at half the logical processors reported: the mark of SMT
    /// (two hardware threads per core sharing its execution units), or of a
    /// browser that reports twice the cores it has (WebKit reports 4 on 2).
    HalfTheLogicalProcessors,
    /// It stops elsewhere below the count reported.
    BelowTheReportedCount,
}

/// Reads a plateau at `plateau` threads against the `reported` logical
/// processors (`navigator.hardwareConcurrency`); `None` when the curve
/// reaches the count reported, where there is nothing to explain.
pub fn read_plateau(plateau: usize, reported: usize) -> Option<PlateauReading> {
    if plateau >= reported {
        None
    } else if reported >= 2 && reported.is_multiple_of(2) && plateau == reported / 2 {
        Some(PlateauReading::HalfTheLogicalProcessors)
    } else {
        Some(PlateauReading::BelowTheReportedCount)
    }
}

/// The speedup Amdahl's law predicts on `threads` threads for serial fraction `s`.
pub fn amdahl_speedup(serial_fraction: f64, threads: usize) -> f64 {
    1.0 / (serial_fraction + (1.0 - serial_fraction) / threads.max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_that_stops_rising_has_a_plateau() {
        // WebKit here: four threads reported, two cores.
        assert_eq!(plateau(&[(1, 1.0), (2, 1.9), (3, 1.95), (4, 2.0)]), Some(2));
        // Still rising at the last point, or a single point: no plateau.
        assert_eq!(plateau(&[(1, 1.0), (2, 1.9)]), None);
        assert_eq!(plateau(&[(1, 1.0), (2, 1.9), (3, 2.8), (4, 3.7)]), None);
        assert_eq!(plateau(&[(1, 1.0)]), None);
        // No speedup at all: flat from the start.
        assert_eq!(plateau(&[(1, 1.0), (2, 1.02), (3, 0.98)]), Some(1));
        // A dip then a rise is not a plateau at the dip.
        assert_eq!(plateau(&[(1, 1.0), (2, 1.9), (3, 1.7), (4, 3.4)]), None);
    }

    #[test]
    fn a_plateau_at_half_the_logical_processors_reads_as_smt() {
        // 4 cores with 2 hardware threads each: the curve flattens at 4.
        assert_eq!(
            read_plateau(4, 8),
            Some(PlateauReading::HalfTheLogicalProcessors)
        );
        assert_eq!(
            read_plateau(2, 4),
            Some(PlateauReading::HalfTheLogicalProcessors)
        );
        assert_eq!(
            read_plateau(3, 8),
            Some(PlateauReading::BelowTheReportedCount)
        );
        assert_eq!(
            read_plateau(5, 8),
            Some(PlateauReading::BelowTheReportedCount)
        );
        assert_eq!(
            read_plateau(1, 3),
            Some(PlateauReading::BelowTheReportedCount)
        );
        assert_eq!(read_plateau(8, 8), None);
    }

    #[test]
    fn median_and_spread() {
        let s = Summary::of(&[5.0, 1.0, 3.0]).expect("samples");
        assert_eq!(
            (s.median_ms, s.min_ms, s.max_ms, s.repetitions),
            (3.0, 1.0, 5.0, 3)
        );
        assert_eq!(
            Summary::of(&[4.0, 1.0, 2.0, 3.0])
                .expect("samples")
                .median_ms,
            2.5
        );
        assert!(Summary::of(&[]).is_none());
        assert_eq!(
            Summary::of(&[f64::NAN, 2.0]).expect("samples").repetitions,
            1
        );
    }

    #[test]
    fn amdahl_fit_recovers_the_serial_fraction() {
        for s in [0.0, 0.05, 0.3, 1.0] {
            let points: Vec<(usize, f64)> = (1..=16).map(|n| (n, amdahl_speedup(s, n))).collect();
            let fitted = amdahl_serial_fraction(&points).expect("points");
            assert!((fitted - s).abs() < 1e-9, "{s} fitted as {fitted}");
        }
    }

    #[test]
    fn amdahl_fit_needs_more_than_one_thread() {
        assert_eq!(amdahl_serial_fraction(&[(1, 1.0)]), None);
        assert_eq!(amdahl_serial_fraction(&[]), None);
        // Superlinear speedups clamp to a serial fraction of zero.
        assert_eq!(amdahl_serial_fraction(&[(2, 2.5)]), Some(0.0));
    }
}
