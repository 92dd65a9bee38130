//! Keeps the text the reader is looking at still while a widget above it
//! appears: when the widgets module arrives, the "Loading the widget…" line
//! becomes the widget, often a few hundred pixels taller.
//!
//! Chrome and Firefox do this themselves (CSS scroll anchoring, the
//! `overflow-anchor` property). WebKit does not: there the text under the
//! reader's eyes jumps down, and a tap meant for a self-check answer lands on
//! whatever moved under it. Where the browser has no scroll anchoring, the
//! widget host measures itself before the widget is placed ([`measure`]) and
//! after ([`settle`]), and scrolls the window by the change when the host lay
//! wholly above the window's top edge. A host in view is left alone: the
//! reader is looking at it. (Not a `ResizeObserver`: one on the host reports
//! "loop completed with undelivered notifications" whenever the host changes
//! twice in a frame, as it does while the reader moves between pages.)

use web_sys::Element;

/// A host's height before a change, if it lay wholly above the window and
/// the browser does not anchor scrolling itself.
#[derive(Clone, Copy)]
pub struct Before {
    height: f64,
}

/// Measures `element` before a change; `None` where nothing will need
/// keeping still.
pub fn measure(element: &Element) -> Option<Before> {
    if web_sys::css::supports_with_value("overflow-anchor", "auto").unwrap_or(true) {
        return None;
    }
    let rect = element.get_bounding_client_rect();
    (rect.bottom() <= 0.0).then_some(Before {
        height: rect.height(),
    })
}

/// After the change: scrolls by `element`'s change of height, so the text
/// below it stays where it was.
pub fn settle(element: &Element, before: Before) {
    let now = element.get_bounding_client_rect().height();
    if let (Some(window), true) = (web_sys::window(), now != before.height) {
        window.scroll_by_with_x_and_y(0.0, now - before.height);
    }
}
