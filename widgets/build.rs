//! Turns the native litmus counts that `cargo xtask bench --write` measured
//! (`content/measured/litmus-native.json`) into a constant for the
//! `litmus_run` widget, which shows them beside the browser's: the widgets
//! module then carries no JSON parser for them.

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("litmus_native.rs"), litmus_native())
        .expect("write the native litmus counts");
}

/// The native litmus counts as a `NativeRuns` constant (the type is the
/// `litmus_run` widget's): `cargo xtask bench --write` writes the file, and
/// an xtask test checks its shape.
fn litmus_native() -> String {
    let path = "../content/measured/litmus-native.json";
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).expect("the native litmus counts are committed");
    let file: serde_json::Value = serde_json::from_str(&text).expect("the litmus file is JSON");
    let text_of = |value: &serde_json::Value| format!("{:?}", value.as_str().unwrap_or("?"));
    let mut code = format!(
        "NativeRuns {{\n    date: {},\n    cpu: {},\n    arch: {},\n    rows: &[\n",
        text_of(&file["date"]),
        text_of(&file["cpu"]),
        text_of(&file["arch"])
    );
    for row in file["rows"].as_array().into_iter().flatten() {
        let counts: Vec<u64> = (0..4)
            .map(|i| row["counts"][i].as_u64().unwrap_or(0))
            .collect();
        let _ = writeln!(
            code,
            "        NativeRow {{ test: {}, store: {}, load: {}, iterations: {}, counts: {counts:?} }},",
            text_of(&row["test"]),
            text_of(&row["store"]),
            text_of(&row["load"]),
            row["iterations"].as_u64().unwrap_or(0),
        );
    }
    code.push_str("    ],\n}\n");
    code
}
