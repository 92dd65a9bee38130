// Runs before the page's first paint, as a classic script in <head>: nothing
// else can act that early (the WebAssembly starts after the text has
// painted). It sets two things on <html> that the stylesheet reads:
//  1. the reader's remembered theme (src/ui/theme.rs keeps it in
//     localStorage as a JSON string), so the text never flashes in the other
//     theme; storage blocked or a value unreadable leaves the system's theme,
//     and the app says why once it starts;
//  2. the class `app` where the app can start (module scripts and
//     WebAssembly exist): the page then shows where the app's controls and
//     widgets will be. Without it, or once www/initializer.js finds that the
//     WebAssembly cannot start, the page says what the reader is missing
//     (src/content/static_page.rs).
(function () {
  var root = document.documentElement;
  try {
    var theme = JSON.parse(window.localStorage.getItem("concurrency-book.theme"));
    if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
  } catch (blockedOrUnreadable) {
    // The system's theme.
  }
  if (typeof WebAssembly === "object" && "noModule" in HTMLScriptElement.prototype) {
    root.classList.add("app");
  }
})();
