//! The litmus half of `cargo xtask bench`: the memory-ordering lab's tests
//! run natively on two pinned threads, each outcome counted. It never fails
//! on counts: what a CPU shows is the finding, not a pass or a fail.
//!
//! With `--write` the counts go to [`NATIVE_FILE`], with the day and the
//! machine, and the book shows them beside the reader's browser's.

use std::path::Path;

use serde_json::{json, Value};

use crate::tools::BuildTools;
use crate::Result;

/// Where the native counts are written for the book to show.
pub const NATIVE_FILE: &str = "content/measured/litmus-native.json";

/// Runs the native litmus tests and returns one JSON row per test and orderings.
pub fn native(tools: &BuildTools, root: &Path) -> Result<Vec<Value>> {
    let mut command = tools.cargo(root);
    command.args(["bench", "--bench", "native", "--", "--litmus", "--json"]);
    crate::output(&mut command)?
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| {
            serde_json::from_str(line).map_err(|e| format!("bad litmus line ({e}): {line}"))
        })
        .collect()
}

/// The rows as markdown table lines: each outcome's count natively, and the
/// surprise's count in the browser where `browser` has the same row.
pub fn table(rows: &[Value], browser: Option<&Value>) -> Vec<String> {
    let mut lines = vec![
        "| test | store / load | iterations | 0,0 | 0,1 | 1,0 | 1,1 | browser: same four |"
            .to_owned(),
        "|---|---|---|---|---|---|---|---|".to_owned(),
    ];
    for row in rows {
        let same = |other: &&Value| {
            other["test"] == row["test"]
                && other["store"] == row["store"]
                && other["load"] == row["load"]
        };
        let in_browser = browser
            .and_then(|b| b["rows"].as_array())
            .and_then(|b| b.iter().find(same))
            .map_or("-".to_owned(), |b| counts(&b["counts"]).join(" · "));
        lines.push(format!(
            "| {} | {} / {} | {} | {} | {in_browser} |",
            row["test"].as_str().unwrap_or("?"),
            row["store"].as_str().unwrap_or("?"),
            row["load"].as_str().unwrap_or("?"),
            row["iterations"],
            counts(&row["counts"]).join(" | "),
        ));
    }
    lines
}

/// A row's four counts as text, `?` for any that is missing.
fn counts(value: &Value) -> Vec<String> {
    (0..4)
        .map(|i| value[i].as_u64().map_or("?".to_owned(), |n| n.to_string()))
        .collect()
}

/// Writes `rows` to [`NATIVE_FILE`] with the day and the machine.
pub fn write(root: &Path, rows: &[Value]) -> Result {
    let file = json!({
        "date": crate::bench::today(),
        "cpu": crate::bench::this_cpu(),
        "arch": std::env::consts::ARCH,
        "rows": rows,
    });
    let path = root.join(NATIVE_FILE);
    let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())? + "\n";
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("xtask: wrote the native litmus counts into {NATIVE_FILE}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_puts_the_browsers_counts_beside_the_same_native_row() {
        let native = vec![
            json!({"test": "sb", "store": "Relaxed", "load": "Relaxed", "iterations": 10, "counts": [3, 3, 3, 1]}),
            json!({"test": "mp", "store": "Relaxed", "load": "Relaxed", "iterations": 10, "counts": [5, 1, 0, 4]}),
        ];
        let browser = json!({"rows": [
            {"test": "mp", "store": "Relaxed", "load": "Relaxed", "counts": [4, 2, 0, 4]},
        ]});
        let lines = table(&native, Some(&browser));
        assert_eq!(
            lines[2],
            "| sb | Relaxed / Relaxed | 10 | 3 | 3 | 3 | 1 | - |"
        );
        assert_eq!(
            lines[3],
            "| mp | Relaxed / Relaxed | 10 | 5 | 1 | 0 | 4 | 4 · 2 · 0 · 4 |"
        );
    }

    #[test]
    fn the_committed_native_counts_have_every_test_at_every_ordering() {
        let text = std::fs::read_to_string(crate::root().join(NATIVE_FILE))
            .expect("the native litmus file is committed");
        let file: Value = serde_json::from_str(&text).expect("it is JSON");
        let rows = file["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 9, "three tests at three orderings");
        for row in rows {
            let counts: u64 = row["counts"]
                .as_array()
                .expect("counts")
                .iter()
                .filter_map(Value::as_u64)
                .sum();
            assert_eq!(Some(counts), row["iterations"].as_u64(), "{row}");
        }
        assert!(file["date"].as_str().is_some_and(|d| d.len() == 10));
    }

    /// §11 says in words what the native table shows; a new measurement
    /// that shows otherwise (on an Arm bench machine, say) must change the
    /// text with it.
    #[test]
    fn the_committed_native_counts_show_what_section_11_says_of_them() {
        let text = std::fs::read_to_string(crate::root().join(NATIVE_FILE))
            .expect("the native litmus file is committed");
        let file: Value = serde_json::from_str(&text).expect("it is JSON");
        assert_eq!(file["arch"], "x86_64", "§11 calls the bench machine x86-64");
        let surprises = |test: &str, store: &str| -> u64 {
            let row = file["rows"]
                .as_array()
                .and_then(|rows| {
                    rows.iter()
                        .find(|r| r["test"] == test && r["store"] == store)
                })
                .unwrap_or_else(|| panic!("no {test} row at {store}"));
            let at = match test {
                "sb" => 0,
                "mp" => 2,
                _ => 3,
            };
            row["counts"][at].as_u64().expect("a count")
        };
        assert!(surprises("sb", "Relaxed") > 0, "store buffering, Relaxed");
        assert!(
            surprises("sb", "Release") > 0,
            "store buffering, Release/Acquire"
        );
        assert_eq!(surprises("sb", "SeqCst"), 0, "store buffering, SeqCst");
        for store in ["Relaxed", "Release", "SeqCst"] {
            assert_eq!(surprises("mp", store), 0, "message passing, {store}");
            assert_eq!(surprises("lb", store), 0, "load buffering, {store}");
        }
    }
}
