//! What the book keeps for its reader, in the reader's own browser: progress
//! through the sections (read, answered, widgets run, where to resume).
//!
//! Pure data and its versioned JSON for `localStorage`, host-tested; the UI
//! reads and writes it (`ui::reader_state`).

pub mod progress;
