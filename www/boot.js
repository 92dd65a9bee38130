// Runs before the page's first paint, as a classic script in <head>: nothing
// else can act that early (the WebAssembly starts after the text has
// painted). It sets two things on <html> that the stylesheet reads:
//  1. the reader's remembered theme (src/ui/theme.rs keeps it in
//     localStorage as a JSON string), so the text never flashes in the other
//     theme; storage blocked or a value unreadable leaves the system's theme,
//     and the app says why once it starts;
//  2. the class `app` where the app can start: WebAssembly, module
//     scripts, and the syntax of Trunk's start script (top-level await,
//     which no script can test for; `Array.prototype.at` came after it in
//     every engine, so a browser with it parses the script). The page then
//     shows where the app's controls and widgets will be. Without it, or once www/initializer.js finds that the
//     WebAssembly cannot start, the page says what the reader is missing
//     (content-model/src/static_page.rs).
(function () {
  var root = document.documentElement;
  try {
    var theme = JSON.parse(window.localStorage.getItem("concurrency-book.theme"));
    if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
  } catch (blockedOrUnreadable) {
    // The system's theme.
  }
  if (
    typeof WebAssembly === "object" &&
    "noModule" in HTMLScriptElement.prototype &&
    typeof Array.prototype.at === "function"
  ) {
    root.classList.add("app");
  }
})();
