//! Timing samples and the statistics the reports use (median first: it ignores the odd run that
//! a noisy neighbour slowed down).

use std::time::{Duration, Instant};

/// Runs `f` once and returns its result with the wall time it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// The durations of repeated runs of one thing.
#[derive(Clone, Debug, Default)]
pub struct Samples {
    durations: Vec<Duration>,
}

impl Samples {
    /// No samples yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one sample.
    pub fn push(&mut self, duration: Duration) {
        self.durations.push(duration);
    }

    /// How many samples there are.
    pub fn len(&self) -> usize {
        self.durations.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.durations.is_empty()
    }

    /// The `q` quantile (0.0 = min, 0.5 = median, 1.0 = max), by nearest rank; the median of an
    /// even count is the mean of the two middle samples. Zero when empty.
    pub fn quantile(&self, q: f64) -> Duration {
        let mut sorted = self.durations.clone();
        sorted.sort();
        match sorted.len() {
            0 => Duration::ZERO,
            n if q == 0.5 && n % 2 == 0 => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
            n => sorted[((q.clamp(0.0, 1.0) * (n - 1) as f64).round() as usize).min(n - 1)],
        }
    }

    /// The median.
    pub fn median(&self) -> Duration {
        self.quantile(0.5)
    }

    /// The fastest sample.
    pub fn min(&self) -> Duration {
        self.quantile(0.0)
    }

    /// The arithmetic mean.
    pub fn mean(&self) -> Duration {
        if self.durations.is_empty() {
            return Duration::ZERO;
        }
        self.durations.iter().sum::<Duration>() / self.durations.len() as u32
    }
}

/// Runs `command` and times it; returns the wall time and its standard error. If it cannot
/// start or fails, the error says that `what` failed, with the last 40 lines it wrote.
pub fn run_timed(command: &mut std::process::Command, what: &str) -> Result<(Duration, String), String> {
    let start = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", command.get_program().to_string_lossy()))?;
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        let lines: Vec<&str> = stderr.lines().collect();
        return Err(format!(
            "{what} failed:\n{}",
            lines[lines.len().saturating_sub(40)..].join("\n")
        ));
    }
    Ok((wall, stderr))
}

/// `a / b` as a float (0 when `b` is zero).
pub fn ratio(a: Duration, b: Duration) -> f64 {
    if b.is_zero() {
        0.0
    } else {
        a.as_secs_f64() / b.as_secs_f64()
    }
}

/// A duration in the unit that reads best: `812 ns`, `41.3 µs`, `18.2 ms`, `4.07 s`.
pub fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else if secs >= 1e-6 {
        format!("{:.1} µs", secs * 1e6)
    } else {
        format!("{} ns", d.as_nanos())
    }
}

/// A ratio as `1.23×`.
pub fn fmt_ratio(r: f64) -> String {
    format!("{r:.2}×")
}

/// `ok` or `MISSED by X` for a figure that must stay at or under `target` (same unit).
pub fn verdict(value: f64, target: f64) -> String {
    if value <= target {
        "met".to_owned()
    } else {
        format!("missed by {:.1}%", (value / target - 1.0) * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(ms: &[u64]) -> Samples {
        let mut s = Samples::new();
        for &m in ms {
            s.push(Duration::from_millis(m));
        }
        s
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(samples(&[5, 1, 3]).median(), Duration::from_millis(3));
        assert_eq!(samples(&[4, 1, 3, 2]).median(), Duration::from_micros(2500));
        assert_eq!(samples(&[]).median(), Duration::ZERO);
    }

    #[test]
    fn quantiles_and_mean() {
        let s = samples(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert_eq!(s.min(), Duration::from_millis(1));
        assert_eq!(s.quantile(0.9), Duration::from_millis(10));
        assert_eq!(s.mean(), Duration::from_millis(6));
    }

    #[test]
    fn formatting() {
        assert_eq!(fmt_duration(Duration::from_micros(41_300)), "41.30 ms");
        assert_eq!(fmt_duration(Duration::from_nanos(41_300)), "41.3 µs");
        assert_eq!(fmt_ratio(1.234), "1.23×");
        assert_eq!(verdict(1.0, 1.05), "met");
        assert_eq!(verdict(1.5, 1.0), "missed by 50.0%");
    }
}
