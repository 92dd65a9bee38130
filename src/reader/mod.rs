//! What the book keeps for its reader, in the reader's own browser: progress
//! through the sections and the results the reader's machine measured.
//!
//! Pure data and its formats (versioned JSON for `localStorage`, a permalink
//! that carries a result set in a URL fragment), host-tested; the UI reads and
//! writes them (`ui::reader_state`).

pub mod progress;
pub mod results;
