//! Installing what the build needs, once: each tool is checked first and only
//! installed when missing or at the wrong version, outside the checkout (rustup's
//! and cargo's own homes, and a user cache), so a fresh clone reuses them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run, Result};

/// The file that pins the toolchain, for rustup and for xtask.
const TOOLCHAIN_FILE: &str = "rust-toolchain.toml";
const TRUNK_VERSION: &str = "0.22.1";
/// Debian's wasm-opt (108) cannot read this compiler's output; binaryen 132 can.
const BINARYEN_VERSION: &str = "132.0.0";
/// The accessibility checker the end-to-end tests inject into every page.
const AXE_VERSION: &str = "4.14.1";
/// Firefox's WebDriver, from crates.io (Debian has none).
const GECKODRIVER_VERSION: &str = "0.37.1";

/// The tools a build uses, with the PATH that puts the right versions first.
pub struct BuildTools {
    path: String,
    /// The pinned nightly, from [`TOOLCHAIN_FILE`].
    nightly: String,
}

/// Chromium and its WebDriver.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Browser {
    /// Points a test run at this browser and its driver, with short failure output.
    pub fn configure<'a>(&self, command: &'a mut Command) -> &'a mut Command {
        only_this_driver(command)
            .env("CHROMEDRIVER", &self.chromedriver)
            .env("CHROMIUM", &self.chromium)
            .env(ENGINE_VARIABLE, Engine::Chromium.name())
            .env("RUST_BACKTRACE", "0")
    }
}

/// The variables that name a WebDriver. `wasm-bindgen-test-runner` takes the
/// first one set (Gecko, then Safari, then Chrome, then Edge), so a run meant
/// for one engine clears them all before it names its own: one left in the
/// environment would otherwise send it to another browser.
pub const DRIVER_VARIABLES: [&str; 5] = [
    "GECKODRIVER",
    "SAFARIDRIVER",
    "CHROMEDRIVER",
    "MSEDGEDRIVER",
    "WEBKITDRIVER",
];

fn only_this_driver(command: &mut Command) -> &mut Command {
    for variable in DRIVER_VARIABLES {
        command.env_remove(variable);
    }
    command
}

pub use book_engines::Engine;
use book_engines::{ENGINE_VARIABLE, WEBKIT_SHARED_MEMORY_VARIABLE};

/// Firefox ESR and geckodriver.
pub struct Firefox {
    pub firefox: PathBuf,
    pub geckodriver: PathBuf,
}

impl Firefox {
    /// Points a test run at Firefox: `wasm-bindgen-test-runner` takes the
    /// first driver it finds set, `GECKODRIVER` before `CHROMEDRIVER`.
    pub fn configure<'a>(&self, command: &'a mut Command) -> &'a mut Command {
        only_this_driver(command)
            .env("GECKODRIVER", &self.geckodriver)
            .env("FIREFOX", &self.firefox)
            .env(ENGINE_VARIABLE, Engine::Firefox.name())
            .env("RUST_BACKTRACE", "0")
    }
}

/// WebKitGTK's WebDriver, started on a virtual display (it has no headless
/// mode), through a two-line wrapper both test runners can start.
pub struct Webkit {
    pub driver: PathBuf,
}

impl Webkit {
    /// Points a test run at WebKit. `shared_memory` turns on the test-only
    /// switch with which WebKitGTK offers `SharedArrayBuffer` to isolated
    /// pages (macOS Safari does without one); off, the page is isolated but
    /// has no shared memory, as in older Safari: the fallback, tested as such.
    pub fn configure<'a>(&self, command: &'a mut Command, shared_memory: bool) -> &'a mut Command {
        only_this_driver(command)
            .env("SAFARIDRIVER", &self.driver)
            .env("WEBKITDRIVER", &self.driver)
            .env(ENGINE_VARIABLE, Engine::Webkit.name())
            .env("RUST_BACKTRACE", "0")
            .env(
                WEBKIT_SHARED_MEMORY_VARIABLE,
                if shared_memory { "on" } else { "off" },
            );
        if shared_memory {
            command.env("JSC_useSharedArrayBuffer", "1");
        } else {
            command.env_remove("JSC_useSharedArrayBuffer");
        }
        command
    }
}

impl BuildTools {
    /// `cargo` on the pinned nightly, for host work.
    pub fn cargo(&self, root: &Path) -> Command {
        let mut command = Command::new("cargo");
        command
            .current_dir(root)
            .env("RUSTUP_TOOLCHAIN", &self.nightly)
            .env("PATH", &self.path)
            .env_remove("CARGO")
            .env_remove("RUSTC")
            .env_remove("CARGO_UNSTABLE_BUILD_STD");
        command
    }

    /// `cargo` for the wasm target: std is rebuilt with atomics. Scoped to wasm
    /// invocations, because in `.cargo/config.toml` it would rebuild std for host tests too.
    pub fn wasm_cargo(&self, root: &Path) -> Command {
        let mut command = self.cargo(root);
        command.env("CARGO_UNSTABLE_BUILD_STD", "panic_abort,std");
        command
    }

    /// `trunk`, with the wasm environment and the pinned tools on PATH.
    pub fn trunk_command(&self) -> Command {
        let mut command = Command::new("trunk");
        command
            .current_dir(crate::root())
            .env("RUSTUP_TOOLCHAIN", &self.nightly)
            .env("PATH", &self.path)
            .env("CARGO_UNSTABLE_BUILD_STD", "panic_abort,std")
            .env_remove("CARGO")
            .env_remove("RUSTC");
        command
    }
}

/// The nightly with `rust-src`, Trunk, wasm-bindgen-cli at Cargo.lock's version, and wasm-opt.
pub fn ensure_build_tools() -> Result<BuildTools> {
    let nightly = nightly()?;
    ensure_nightly(&nightly)?;
    let cargo_bin = home()?.join(".cargo").join("bin");
    let binaryen_bin = ensure_npm_package("binaryen", BINARYEN_VERSION)?
        .join("node_modules")
        .join(".bin");
    link_into_trunk_cache(&binaryen_bin.join("wasm-opt"))?;
    let path = std::env::join_paths([binaryen_bin, cargo_bin].into_iter().chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .map_err(|e| format!("cannot build PATH: {e}"))?
    .to_string_lossy()
    .into_owned();
    let tools = BuildTools { path, nightly };
    let wasm_bindgen = wasm_bindgen_version()?;
    ensure_cargo_tool(&tools, "trunk", "trunk", TRUNK_VERSION, &["--locked"])?;
    ensure_cargo_tool(
        &tools,
        "wasm-bindgen-cli",
        "wasm-bindgen",
        &wasm_bindgen,
        &[],
    )?;
    Ok(tools)
}

/// Trunk's name for the pinned wasm-opt, as `Trunk.toml`'s `[tools]` gives it.
fn trunk_wasm_opt_version() -> String {
    let major = BINARYEN_VERSION
        .split('.')
        .next()
        .unwrap_or(BINARYEN_VERSION);
    format!("version_{major}")
}

/// Links the pinned wasm-opt where Trunk keeps the tools it downloads, so a
/// plain `trunk serve` finds it without xtask's PATH (and never tries to
/// download one, which fails offline).
fn link_into_trunk_cache(wasm_opt: &Path) -> Result {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .map_or_else(|| home().map(|home| home.join(".cache")), Ok)?;
    let folder = cache
        .join("trunk")
        .join(format!("wasm-opt-{}", trunk_wasm_opt_version()))
        .join("bin");
    let link = folder.join("wasm-opt");
    if std::fs::read_link(&link).is_ok_and(|target| target == wasm_opt) {
        return Ok(());
    }
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(wasm_opt, &link)
        .map_err(|e| format!("cannot link {}: {e}", link.display()))
}

/// Debian's `chromium` and `chromium-driver`, installed with apt when absent.
pub fn ensure_browser() -> Result<Browser> {
    let browser = Browser {
        chromium: PathBuf::from("/usr/bin/chromium"),
        chromedriver: PathBuf::from("/usr/bin/chromedriver"),
    };
    if browser.chromium.exists() && browser.chromedriver.exists() {
        return Ok(browser);
    }
    println!("xtask: installing Chromium and ChromeDriver from Debian's packages");
    apt_install(&["chromium", "chromium-driver"])?;
    Ok(browser)
}

/// Debian's `firefox-esr` (apt) and geckodriver (crates.io), installed when absent.
pub fn ensure_firefox(tools: &BuildTools) -> Result<Firefox> {
    let firefox = PathBuf::from("/usr/bin/firefox-esr");
    if !firefox.exists() {
        println!("xtask: installing Firefox ESR from Debian's packages");
        apt_install(&["firefox-esr"])?;
    }
    ensure_cargo_tool(
        tools,
        "geckodriver",
        "geckodriver",
        GECKODRIVER_VERSION,
        &["--locked"],
    )?;
    Ok(Firefox {
        firefox,
        geckodriver: home()?.join(".cargo").join("bin").join("geckodriver"),
    })
}

/// Debian's `webkit2gtk-driver` and `xvfb` (apt), installed when absent, and
/// the wrapper that starts the driver on a display of its own.
pub fn ensure_webkit(root: &Path) -> Result<Webkit> {
    let driver = PathBuf::from("/usr/bin/WebKitWebDriver");
    let xvfb = PathBuf::from("/usr/bin/xvfb-run");
    if !driver.exists() || !xvfb.exists() {
        println!("xtask: installing WebKitGTK's WebDriver and Xvfb from Debian's packages");
        apt_install(&["webkit2gtk-driver", "xvfb", "xauth"])?;
    }
    let wrapper = root.join("target").join("webkit-driver");
    let script = format!(
        "#!/bin/sh\n# WebKitWebDriver on a virtual display (written by cargo xtask).\nexec {} -a {} \"$@\"\n",
        xvfb.display(),
        driver.display()
    );
    std::fs::create_dir_all(root.join("target"))
        .and_then(|()| std::fs::write(&wrapper, script))
        .and_then(|()| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))
        })
        .map_err(|e| format!("cannot write {}: {e}", wrapper.display()))?;
    Ok(Webkit { driver: wrapper })
}

/// Installs Debian `packages` with apt (the package lists refreshed first).
fn apt_install(packages: &[&str]) -> Result {
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn home() -> Result<PathBuf> {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .ok_or_else(|| "HOME is not set".to_owned())
}

/// The channel `rust-toolchain.toml` pins: the one place its date is written.
pub fn nightly() -> Result<String> {
    let path = crate::root().join(TOOLCHAIN_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    channel(&text).ok_or_else(|| format!("{TOOLCHAIN_FILE} names no `channel = \"…\"`"))
}

/// The `channel` of a toolchain file's text.
fn channel(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line.trim().strip_prefix("channel")?.trim_start();
        let quoted = value.strip_prefix('=')?.trim();
        let name = quoted.strip_prefix('"')?.split('"').next()?;
        (!name.is_empty()).then(|| name.to_owned())
    })
}

fn ensure_nightly(nightly: &str) -> Result {
    let installed = Command::new("rustup")
        .args(["run", nightly, "rustc", "--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let has_everything = installed.as_ref().is_some_and(|sysroot| {
        sysroot
            .join("lib/rustlib/src/rust/library/Cargo.lock")
            .exists()
            && sysroot.join("bin/rustfmt").exists()
            && sysroot.join("bin/cargo-clippy").exists()
    });
    if has_everything {
        return Ok(());
    }
    println!("xtask: installing the {nightly} toolchain with rust-src, rustfmt and clippy");
    run(Command::new("rustup").args([
        "toolchain",
        "install",
        nightly,
        "--profile",
        "minimal",
        "--component",
        "rust-src,rustfmt,clippy",
    ]))
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match it exactly.
fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(crate::root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen version".to_owned())
}

/// Installs `krate` at `version` with the nightly unless `binary --version` already says it.
fn ensure_cargo_tool(
    tools: &BuildTools,
    krate: &str,
    binary: &str,
    version: &str,
    flags: &[&str],
) -> Result {
    let current = Command::new(binary)
        .arg("--version")
        .env("PATH", &tools.path)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if current.split_whitespace().nth(1) == Some(version) {
        return Ok(());
    }
    println!("xtask: installing {krate} {version} (once; this takes minutes)");
    run(tools
        .cargo(&crate::root())
        .args(["install", krate, "--version", version])
        .args(flags))
}

/// axe-core's browser build, for the end-to-end tests' accessibility check.
pub fn ensure_axe() -> Result<PathBuf> {
    let script = ensure_npm_package("axe-core", AXE_VERSION)?
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js");
    if script.exists() {
        Ok(script)
    } else {
        Err(format!(
            "{} is missing after installing axe-core",
            script.display()
        ))
    }
}

/// `npm install name@version` into a user cache folder (once); returns the folder.
fn ensure_npm_package(name: &str, version: &str) -> Result<PathBuf> {
    let prefix = home()?
        .join(".cache")
        .join("concurrency-book")
        .join(format!("{name}-{version}"));
    let installed = prefix.join("node_modules").join(name).join("package.json");
    if installed.exists() {
        return Ok(prefix);
    }
    println!("xtask: installing {name}@{version} from npm");
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(format!("{name}@{version}")))?;
    Ok(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `command` sets `variable` to: `Some(None)` when it clears it.
    fn set(command: &Command, variable: &str) -> Option<Option<String>> {
        command
            .get_envs()
            .find(|(name, _)| *name == variable)
            .map(|(_, value)| value.map(|v| v.to_string_lossy().into_owned()))
    }

    #[test]
    fn each_engine_clears_the_other_drivers_before_naming_its_own() {
        let chromium = Browser {
            chromium: PathBuf::from("/usr/bin/chromium"),
            chromedriver: PathBuf::from("/usr/bin/chromedriver"),
        };
        let mut command = Command::new("true");
        chromium.configure(&mut command);
        assert_eq!(
            set(&command, "CHROMEDRIVER"),
            Some(Some("/usr/bin/chromedriver".to_owned()))
        );
        for other in [
            "GECKODRIVER",
            "SAFARIDRIVER",
            "MSEDGEDRIVER",
            "WEBKITDRIVER",
        ] {
            assert_eq!(set(&command, other), Some(None), "{other} is cleared");
        }

        let webkit = Webkit {
            driver: PathBuf::from("/usr/bin/webkit-driver"),
        };
        let mut command = Command::new("true");
        webkit.configure(&mut command, false);
        for other in ["GECKODRIVER", "CHROMEDRIVER", "MSEDGEDRIVER"] {
            assert_eq!(set(&command, other), Some(None), "{other} is cleared");
        }
        assert_eq!(
            set(&command, "SAFARIDRIVER"),
            Some(Some("/usr/bin/webkit-driver".to_owned()))
        );
    }

    #[test]
    fn the_nightly_comes_from_the_toolchain_file() {
        assert_eq!(
            channel("[toolchain]\nchannel = \"nightly-2026-05-19\"\nprofile = \"minimal\"\n"),
            Some("nightly-2026-05-19".to_owned())
        );
        assert_eq!(
            channel("# channel = \"x\" in a comment\n[toolchain]\n"),
            None
        );
        assert_eq!(channel("channel = \"\"\n"), None);
        let pinned = nightly().expect("rust-toolchain.toml names a channel");
        assert!(pinned.starts_with("nightly-20"), "{pinned}");
    }

    /// `Trunk.toml` pins the same tools xtask installs: one version each.
    #[test]
    fn trunk_pins_the_tools_xtask_installs() {
        let trunk = std::fs::read_to_string(crate::root().join("Trunk.toml")).expect("Trunk.toml");
        let pin = |tool: &str| {
            trunk.lines().find_map(|line| {
                let value = line
                    .trim()
                    .strip_prefix(tool)?
                    .trim_start()
                    .strip_prefix('=')?;
                Some(value.trim().trim_matches('"').to_owned())
            })
        };
        assert_eq!(
            pin("wasm_bindgen"),
            Some(wasm_bindgen_version().expect("Cargo.lock")),
            "Trunk.toml's wasm_bindgen is Cargo.lock's wasm-bindgen"
        );
        assert_eq!(
            pin("wasm_opt"),
            Some(trunk_wasm_opt_version()),
            "binaryen {BINARYEN_VERSION}"
        );
    }
}
