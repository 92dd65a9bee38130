//! Dropped frames, from the times the browser drew them.
//!
//! A page draws a frame each display refresh (about 16.7 ms at 60 Hz) when
//! its main thread is free. While a task holds the thread no frame is drawn:
//! the gap between two drawn frames grows, and every refresh inside it is a
//! frame the reader did not see. This is what "the page freezes" measures.

/// The display's refresh period: the median gap between frames drawn while
/// the page was idle. `None` with fewer than two frames.
pub fn refresh_period(timestamps: &[f64]) -> Option<f64> {
    let mut gaps: Vec<f64> = timestamps.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_by(f64::total_cmp);
    Some(gaps[gaps.len() / 2])
}

/// The slowest frame period taken for a page that is drawing: a browser
/// that hides or throttles the page (a background tab, a window not yet
/// shown) draws a frame a second or none, and no freeze can be seen then.
pub const STEADY_PERIOD_MAX_MS: f64 = 50.0;

/// The refresh period, if `timestamps` (frames drawn while the page was
/// idle) show it drawing steadily: at least four frames, at most
/// [`STEADY_PERIOD_MAX_MS`] apart at the median.
pub fn steady_period(timestamps: &[f64]) -> Option<f64> {
    if timestamps.len() < 4 {
        return None;
    }
    refresh_period(timestamps).filter(|period| *period <= STEADY_PERIOD_MAX_MS)
}

/// Refreshes missed between consecutive frames: a gap of `k` periods missed
/// `k - 1` (rounded, so timer jitter does not count as a drop).
pub fn dropped(timestamps: &[f64], period_ms: f64) -> usize {
    if period_ms <= 0.0 || !period_ms.is_finite() {
        return 0;
    }
    timestamps
        .windows(2)
        .map(|w| ((w[1] - w[0]) / period_ms).round().max(1.0) as usize - 1)
        .sum()
}

/// The longest time between two drawn frames: how long the page stood still.
pub fn longest_gap(timestamps: &[f64]) -> f64 {
    timestamps
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(0.0, f64::max)
}

/// Frames drawn from `from` to `to`: each one took the main thread and the
/// browser's compositor a moment of a core, which a run on the worker pool
/// shares its cores with.
pub fn drawn(timestamps: &[f64], from: f64, to: f64) -> usize {
    timestamps
        .iter()
        .filter(|&&t| (from..=to).contains(&t))
        .count()
}

/// The frames that tell what happened between `from` and `to`: those drawn
/// then, with the last one before and the first one after, so a freeze
/// across the whole interval still shows as one long gap.
pub fn around(timestamps: &[f64], from: f64, to: f64) -> Vec<f64> {
    let first = timestamps.partition_point(|&t| t < from).saturating_sub(1);
    let last = timestamps
        .partition_point(|&t| t <= to)
        .min(timestamps.len().saturating_sub(1));
    timestamps
        .get(first..=last)
        .map(<[f64]>::to_vec)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steady(from: f64, count: usize, period: f64) -> Vec<f64> {
        (0..count).map(|i| from + i as f64 * period).collect()
    }

    #[test]
    fn a_steady_page_drops_nothing_even_with_jitter() {
        let mut frames = steady(0.0, 60, 16.7);
        frames[10] += 3.0;
        let period = refresh_period(&frames).expect("a period");
        assert!((period - 16.7).abs() < 0.01);
        assert_eq!(dropped(&frames, period), 0);
    }

    #[test]
    fn only_a_page_drawing_at_a_frame_rate_is_steady() {
        let at_60: Vec<f64> = (0..24).map(|i| f64::from(i) * 16.7).collect();
        assert!((steady_period(&at_60).expect("steady") - 16.7).abs() < 0.01);
        // Throttled: a frame a second, as a hidden page draws.
        assert_eq!(steady_period(&[0.0, 1000.0, 2000.0, 3000.0, 4000.0]), None);
        // Too few frames to tell.
        assert_eq!(steady_period(&[0.0, 16.7, 33.4]), None);
        assert_eq!(steady_period(&[]), None);
    }

    #[test]
    fn the_frames_around_an_interval_include_its_neighbours() {
        let frames = [0.0, 16.0, 32.0, 300.0, 316.0];
        assert_eq!(around(&frames, 40.0, 290.0), [32.0, 300.0]);
        assert_eq!(around(&frames, 10.0, 20.0), [0.0, 16.0, 32.0]);
        assert_eq!(around(&frames, 400.0, 500.0), [316.0]);
        assert!(around(&[], 0.0, 1.0).is_empty());
    }

    #[test]
    fn frames_drawn_are_counted_inside_the_interval_only() {
        let frames = steady(0.0, 10, 16.0);
        assert_eq!(drawn(&frames, 16.0, 64.0), 4);
        assert_eq!(drawn(&frames, 1.0, 15.0), 0);
        assert_eq!(drawn(&frames, -100.0, 1000.0), 10);
        assert_eq!(drawn(&[], 0.0, 1.0), 0);
    }

    #[test]
    fn a_frozen_page_drops_the_refreshes_it_missed() {
        // 10 frames, a 200 ms freeze (about 12 periods), 10 frames.
        let mut frames = steady(0.0, 10, 16.7);
        let resume = frames[9] + 200.0;
        frames.extend(steady(resume, 10, 16.7));
        assert_eq!(dropped(&frames, 16.7), 11);
        assert!((longest_gap(&frames) - 200.0).abs() < 1e-9);
        assert_eq!(refresh_period(&[1.0]), None);
        assert_eq!(dropped(&frames, 0.0), 0);
    }
}
