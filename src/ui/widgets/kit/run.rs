//! Where a widget's run stands: the one state machine the widgets share,
//! each with its own progress and result types.

/// A run's state. `P` is what the view shows while it runs (a phase, live
/// figures), `R` what a finished run shows and copies.
pub enum Run<P, R> {
    /// Not started yet.
    Idle,
    /// Under way.
    Running(P),
    /// Finished, with its figures.
    Done(R),
    /// Stopped by the reader before it finished.
    Cancelled,
    /// Could not run, or failed: what to tell the reader.
    Failed(String),
}

impl<P, R> Run<P, R> {
    /// Whether a run is under way: the start button waits meanwhile.
    pub fn is_running(&self) -> bool {
        matches!(self, Run::Running(_))
    }
}
