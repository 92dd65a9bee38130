//! The browser engines the tests run in, named once for both sides:
//! `cargo xtask test` picks an engine and names it in [`ENGINE_VARIABLE`],
//! and the end-to-end tests read it back with [`Engine::current`]. A crate
//! of its own because xtask and the tests are different packages, and two
//! copies of the names could drift apart.

/// The variable that names the engine under test.
pub const ENGINE_VARIABLE: &str = "BOOK_BROWSER";

/// `off` runs WebKitGTK without `SharedArrayBuffer` (see
/// [`Engine::shares_memory`]).
pub const WEBKIT_SHARED_MEMORY_VARIABLE: &str = "BOOK_WEBKIT_SHARED_MEMORY";

/// The engines the tests run in: Chromium's Blink, Firefox's Gecko and
/// WebKit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Headless Chromium, driven by ChromeDriver.
    Chromium,
    /// Headless Firefox ESR, driven by geckodriver.
    Firefox,
    /// WebKitGTK (Safari's engine), driven by WebKitWebDriver under Xvfb.
    Webkit,
}

impl Engine {
    /// Every engine, in the order `cargo xtask test` runs them.
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::Webkit];

    /// The name `--browser` takes and [`ENGINE_VARIABLE`] holds.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::Webkit => "webkit",
        }
    }

    /// The engine called `name`, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        Engine::ALL.into_iter().find(|engine| engine.name() == name)
    }

    /// The engine [`ENGINE_VARIABLE`] names; Chromium when it names none.
    pub fn current() -> Self {
        std::env::var(ENGINE_VARIABLE)
            .ok()
            .and_then(|name| Engine::parse(&name))
            .unwrap_or(Engine::Chromium)
    }

    /// Whether pages get `SharedArrayBuffer` when isolated: everywhere but
    /// WebKitGTK run without its test switch (`cargo xtask test` runs both).
    pub fn shares_memory(self) -> bool {
        self != Engine::Webkit
            || std::env::var(WEBKIT_SHARED_MEMORY_VARIABLE).as_deref() != Ok("off")
    }

    /// Whether the page must record its own console errors: only ChromeDriver
    /// has a log endpoint.
    pub fn needs_console_hook(self) -> bool {
        self != Engine::Chromium
    }

    /// Whether the driver prints a page to PDF (WebDriver's Print Page):
    /// ChromeDriver and geckodriver do, WebKitWebDriver does not.
    pub fn prints(self) -> bool {
        self != Engine::Webkit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_is_found_by_its_name_and_no_other() {
        for engine in Engine::ALL {
            assert_eq!(Engine::parse(engine.name()), Some(engine));
        }
        assert_eq!(Engine::parse("safari"), None);
        assert_eq!(Engine::parse("Chromium"), None);
    }
}
