//! `cargo xtask <command>`: the book's one build system.
//!
//! Every command first installs what it needs and is missing (see [`tools`]),
//! so a fresh machine needs nothing but rustup and this checkout.

mod bench;
mod budget;
mod code;
mod layers;
mod litmus;
mod site;
mod tidy;
mod tools;

use tools::Engine;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// What went wrong, in a sentence for the terminal.
type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve                      build and serve the book on http://127.0.0.1:8080 (COOP/COEP on)
  dist [--public-url PATH]   write the release site to dist/ (or --out DIR); PATH like /book/;
       [--out DIR]           prints the first page's and the widgets module's weights;
       [--site-url URL]      URL like https://example.org: absolute page links and sitemap.xml;
       [--repo-url URL]      URL like https://github.com/owner/book: the code panels link
                             each item to its lines there, at the commit built
  test [--browser NAME]      install what is missing, then run every test: host, wasm in
                             Chromium, Firefox and WebKit, and end-to-end on the built
                             site in Chromium, Firefox, WebKit, and WebKit without
                             SharedArrayBuffer; --browser NAME (chromium, firefox, webkit)
                             runs the wasm and end-to-end tests in that browser only
  generate                   write the files the site fetches (pages, search index,
                             questions) from content/ to target/generated; Trunk's
                             pre-build hook runs it before every build
  lint                       the tidy check, cargo fmt --check, and clippy for the host and
                             wasm targets
  bench [--sweep] [--write]  every kernel natively (rayon) and in headless Chromium (worker
                             pool), printed as a markdown table; --sweep adds native 1..N;
                             --write also puts the report, curves included, in
                             docs/measurements.md and the litmus counts in
                             content/measured/litmus-native.json
  bench --litmus [--write]   only the memory-ordering litmus tests, natively on two
                             pinned threads; --write puts them in their file
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("dist") => dist_command(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("generate") => site::write_generated(),
        Some("lint") => lint(),
        Some("bench") => bench::Options::parse(&args[1..]).and_then(bench::bench),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, whatever directory cargo was called from.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs `command` to completion, failing with its name if it fails.
fn run(command: &mut Command) -> Result {
    let shown = format!("{command:?}");
    println!("xtask: running {shown}");
    let status = command
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn serve() -> Result {
    let tools = tools::ensure_build_tools()?;
    let mut trunk = tools.trunk_command();
    trunk.args(["serve", "--release"]);
    println!("xtask: serving the book on http://127.0.0.1:8080/ (Ctrl-C to stop)");
    run(&mut trunk)
}

fn dist_command(args: &[String]) -> Result {
    let mut public_url = "/".to_owned();
    let mut out = root().join("dist");
    let mut site_url = None;
    let mut repo_url = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--public-url" => public_url = args.next().ok_or("--public-url needs a path")?.clone(),
            "--out" => out = PathBuf::from(args.next().ok_or("--out needs a directory")?),
            "--site-url" => {
                site_url = Some(args.next().ok_or("--site-url needs an address")?.clone())
            }
            "--repo-url" => {
                repo_url = Some(args.next().ok_or("--repo-url needs an address")?.clone())
            }
            other => return Err(format!("unknown option {other}\n\n{USAGE}")),
        }
    }
    let tools = tools::ensure_build_tools()?;
    let addresses = site::Addresses {
        public_url: &public_url,
        site_url: site_url.as_deref(),
        repo_url: repo_url.as_deref(),
    };
    site::build(&tools, &addresses, &out)?;
    // The weights `cargo xtask test` holds to their budgets, for the builder.
    budget::first_page(&out, &public_url)?.print("first page", budget::FIRST_PAGE_LIMIT);
    budget::widgets_module(&out)?.print("widgets module", budget::WIDGETS_MODULE_LIMIT);
    Ok(())
}

/// One run of the end-to-end suite: an engine, and for WebKit whether its
/// `SharedArrayBuffer` switch is on (threads) or off (isolated, but no shared
/// memory, as in older Safari: only the tests of a page without a pool).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct E2eRun {
    engine: Engine,
    shared_memory: bool,
}

impl E2eRun {
    const fn new(engine: Engine, shared_memory: bool) -> Self {
        Self {
            engine,
            shared_memory,
        }
    }

    fn name(self) -> String {
        if self.shared_memory {
            self.engine.name().to_owned()
        } else {
            format!("{} without SharedArrayBuffer", self.engine.name())
        }
    }
}

/// What the names of the end-to-end tests of a page without a pool contain.
const WITHOUT_THE_POOL: &str = "without_the_pool";

/// How many tests a `cargo test -- --list` printed (`name: test` lines).
fn tests_listed(listing: &str) -> usize {
    listing
        .lines()
        .filter(|line| line.ends_with(": test"))
        .count()
}

/// Runs `command` and returns what it printed, failing if it fails.
fn output(command: &mut Command) -> Result<String> {
    let shown = format!("{command:?}");
    println!("xtask: running {shown}");
    let out = command
        .output()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{shown} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The end-to-end runs by default: every engine with threads, then WebKit
/// without shared memory (older Safari, WebKitGTK by default), where the
/// tests of a page without a pool run.
const E2E_BY_DEFAULT: [E2eRun; 4] = [
    E2eRun::new(Engine::Chromium, true),
    E2eRun::new(Engine::Firefox, true),
    E2eRun::new(Engine::Webkit, true),
    E2eRun::new(Engine::Webkit, false),
];

/// The engines whose `wasm-bindgen-test` suite runs by default: all three.
const WASM_BY_DEFAULT: [Engine; 3] = Engine::ALL;

/// The engines `test` runs `wasm-bindgen-test` in, and its end-to-end runs:
/// by default [`WASM_BY_DEFAULT`] and [`E2E_BY_DEFAULT`], or the one engine
/// `--browser` names (WebKit both with and without shared memory).
fn engines(args: &[String]) -> Result<(Vec<Engine>, Vec<E2eRun>)> {
    let mut args = args.iter();
    let mut chosen = (WASM_BY_DEFAULT.to_vec(), E2E_BY_DEFAULT.to_vec());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--browser" => {
                let name = args.next().ok_or("--browser needs a name")?;
                let engine = Engine::parse(name).ok_or_else(|| {
                    let names: Vec<&str> = Engine::ALL.iter().map(|e| e.name()).collect();
                    format!("unknown browser {name}: one of {}", names.join(", "))
                })?;
                let mut runs = vec![E2eRun::new(engine, true)];
                if engine == Engine::Webkit {
                    runs.push(E2eRun::new(engine, false));
                }
                chosen = (vec![engine], runs);
            }
            other => return Err(format!("unknown option {other}\n\n{USAGE}")),
        }
    }
    Ok(chosen)
}

fn test(args: &[String]) -> Result {
    let (wasm_engines, e2e_runs) = engines(args)?;
    let uses = |engine: Engine| {
        wasm_engines.contains(&engine) || e2e_runs.iter().any(|run| run.engine == engine)
    };
    let started = std::time::Instant::now();
    let tools = tools::ensure_build_tools()?;
    let chromium = tools::ensure_browser()?;
    let firefox = if uses(Engine::Firefox) {
        Some(tools::ensure_firefox(&tools)?)
    } else {
        None
    };
    let root = root();
    let webkit = if uses(Engine::Webkit) {
        Some(tools::ensure_webkit(&root)?)
    } else {
        None
    };
    // WebKit runs with its SharedArrayBuffer switch on unless said otherwise.
    let configure = |engine: Engine, shared_memory: bool, command: &mut Command| match (
        engine, &firefox, &webkit,
    ) {
        (Engine::Firefox, Some(firefox), _) => {
            firefox.configure(command);
        }
        (Engine::Webkit, _, Some(webkit)) => {
            webkit.configure(command, shared_memory);
        }
        _ => {
            chromium.configure(command);
        }
    };
    let axe = tools::ensure_axe()?;

    println!("\nxtask: [1/4] host tests (content model, kernels)");
    run(tools.cargo(&root).args(["test", "--workspace"]))?;

    for &engine in &wasm_engines {
        println!(
            "\nxtask: [2/4] wasm-bindgen-test in headless {}",
            engine.name()
        );
        let mut command = tools.wasm_cargo(&root);
        command
            .args([
                "test",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "web",
                // A crash puts the pool out of action for the page's life:
                // each crash has a test page of its own.
                "--test",
                "worker_panic",
                "--test",
                "worker_out_of_memory",
                // Blocked storage on a page that has not used storage yet.
                "--test",
                "storage_blocked",
            ])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        configure(engine, true, &mut command);
        run(&mut command)?;
    }

    println!("\nxtask: [3/4] release builds of the site, at / and under /book/");
    let at_root = root.join("target").join("e2e-site-root");
    let under_book = root.join("target").join("e2e-site-book");
    site::build(&tools, &site::Addresses::at("/"), &at_root)?;
    site::build(&tools, &site::Addresses::at("/book/"), &under_book)?;
    let first_page = budget::first_page(&at_root, "/")?;
    first_page.print("first page", budget::FIRST_PAGE_LIMIT);
    let widgets = budget::widgets_module(&at_root)?;
    widgets.print("widgets module", budget::WIDGETS_MODULE_LIMIT);
    first_page.check("first page", budget::FIRST_PAGE_LIMIT)?;
    widgets.check("widgets module", budget::WIDGETS_MODULE_LIMIT)?;

    let mut times = Vec::new();
    for suite_run in e2e_runs {
        let name = suite_run.name();
        println!("\nxtask: [4/4] end-to-end tests in headless {name}");
        let suite = std::time::Instant::now();
        let mut command = tools.cargo(&root);
        command.args(["test", "--features", "e2e", "--test", "e2e", "--"]);
        if !suite_run.shared_memory {
            // Without shared memory no pool can start: the tests of that case,
            // chosen by name, so a rename must not leave the run testing nothing.
            let mut list = tools.cargo(&root);
            list.args(["test", "--features", "e2e", "--test", "e2e", "--"])
                .args([WITHOUT_THE_POOL, "--list"]);
            let listed = output(&mut list)?;
            if tests_listed(&listed) == 0 {
                return Err(format!(
                    "no end-to-end test's name contains {WITHOUT_THE_POOL:?}: the run {name} would test nothing"
                ));
            }
            command.arg(WITHOUT_THE_POOL);
        }
        command
            .arg("--test-threads=1")
            .env("BOOK_SITE_ROOT", &at_root)
            .env("BOOK_SITE_SUBPATH", &under_book)
            .env("AXE_CORE", &axe);
        configure(suite_run.engine, suite_run.shared_memory, &mut command);
        run(&mut command)?;
        times.push(format!("{name} {:.0} s", suite.elapsed().as_secs_f64()));
    }

    println!(
        "\nxtask: every test passed in {:.0} s (end-to-end: {})",
        started.elapsed().as_secs_f64(),
        times.join(", ")
    );
    Ok(())
}

fn lint() -> Result {
    let root = root();
    tidy::check(&root)?;
    let tools = tools::ensure_build_tools()?;
    run(tools.cargo(&root).args(["fmt", "--all", "--", "--check"]))?;
    run(tools.cargo(&root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--features",
        "e2e",
        "--",
        "-D",
        "warnings",
    ]))?;
    // Each WebAssembly crate on its own, as its module ships (the shell
    // without the widgets), then the browser tests, which link them all.
    run(tools.wasm_cargo(&root).args([
        "clippy",
        "--target",
        "wasm32-unknown-unknown",
        "--package",
        "concurrency-book",
        "--package",
        "book-runtime",
        "--package",
        "book-pool",
        "--package",
        "book-widgets",
        "--lib",
        "--bins",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(tools.wasm_cargo(&root).args([
        "clippy",
        "--target",
        "wasm32-unknown-unknown",
        "--package",
        "concurrency-book",
        "--tests",
        "--",
        "-D",
        "warnings",
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_counts_its_tests_and_nothing_else() {
        let listing =
            "without_the_pool_a: test\nwithout_the_pool_b: test\n\n2 tests, 0 benchmarks\n";
        assert_eq!(tests_listed(listing), 2);
        assert_eq!(tests_listed("0 tests, 0 benchmarks\n"), 0);
    }
}
