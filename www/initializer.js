// Trunk's hook around the book's WebAssembly start (index.html names it with
// `data-initializer`). JavaScript because the start itself is JavaScript: a
// download that fails, or a browser that cannot compile the module, must
// leave the page as it is, readable, and say so, rather than throw an
// uncaught error. The static page shows what each widget would have done
// (content-model/src/static_page.rs); the notice says why none runs.
export default function initializer() {
  return {
    onFailure(reason) {
      const root = document.documentElement;
      root.classList.remove("app");
      root.classList.add("app-failed");
      const notice = document.createElement("p");
      notice.className = "update-notice start-failed";
      notice.setAttribute("role", "status");
      notice.textContent =
        `The book's interactive parts could not start (${reason}). ` +
        "The text reads in full; reload to try again.";
      document.body.append(notice);
    },
  };
}
