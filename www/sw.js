// The book's service worker. JavaScript because the platform requires it:
// a service worker cannot be written in WebAssembly.
//
// It does two things for the book's own origin, and nothing for any other:
//  1. Cross-origin isolation on hosts that cannot send headers (GitHub Pages,
//     a plain folder): it re-serves every same-origin response with
//     Cross-Origin-Opener-Policy: same-origin and
//     Cross-Origin-Embedder-Policy: require-corp, unless the host already sent
//     them. The page reloads once after the first install to take effect
//     (runtime/src/service_worker.rs decides when, and never loops).
//  2. Offline reading: the build's files, every page's HTML included, are
//     cached at install, versioned by build, so the book and its widgets work
//     with the network gone.
//
// A page fetches its text, questions, search index and widgets module from
// its own build's folder, `build/<id>/`: those files never change, so they are
// served from the cache first, from whichever build's cache holds them; so
// are the files Trunk names by their content's hash. The
// previous build's cache is kept, so a tab opened before a deploy goes on
// reading its own build until it reloads (runtime/src/build.rs).
//
// It touches only the book: the files of its build (PRECACHE) and its pages
// (PAGES), relative to its scope. A book hosted at an origin's root shares
// that origin with whatever else lives there; other paths are left to the
// host, untouched and uncached.
//
// `cargo xtask dist` fills in BUILD, PRECACHE and PAGES; `trunk serve` leaves
// the defaults, which cache nothing ahead of time and treat every path under
// the scope as the book's.

const BUILD = "dev";
const PRECACHE = [];
const PAGES = [];
const CACHE = `concurrency-book-${BUILD}`;

self.addEventListener("install", (event) => {
  // Paths are relative to the scope, so the book works under any sub-path;
  // `cache: "reload"` skips the HTTP cache, which may hold an older build's file.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((path) => new Request(inScope(path), { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  // Keep this build's cache and the one before it (a tab open across the
  // deploy still reads from it); drop older ones; then control the open pages.
  // Cache names come back in the order they were created.
  event.waitUntil(
    caches
      .keys()
      .then((keys) => {
        const older = keys.filter((k) => k.startsWith("concurrency-book-") && k !== CACHE);
        return Promise.all(older.slice(0, -1).map((k) => caches.delete(k)));
      })
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !isBook(url, request)) return;
  event.respondWith(respond(event));
});

// Whether `url` is one of the book's pages (for a navigation) or files.
function isBook(url, request) {
  const scope = new URL(self.registration.scope);
  if (!url.pathname.startsWith(scope.pathname)) return false;
  if (BUILD === "dev") return true;
  const path = url.pathname.slice(scope.pathname.length);
  if (request.mode === "navigate") return PAGES.includes(path) || PAGES.includes(`${path}/`) || path === "index.html";
  return PRECACHE.includes(path) || isBuildFile(url);
}

// A file in a build's own folder: the same name always holds the same bytes.
function isBuildFile(url) {
  const scope = new URL(self.registration.scope);
  return url.pathname.startsWith(`${scope.pathname}build/`);
}

// A file Trunk names by its content's hash (`book-<16 hex>.css`,
// `concurrency-book-<16 hex>_bg.wasm`): as with a build file, the same name
// always holds the same bytes.
function isHashed(url) {
  return /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(url.pathname);
}

async function respond(event) {
  const request = event.request;
  const url = new URL(request.url);
  if (isBuildFile(url) || isHashed(url)) {
    // This build's cache or the previous one's: an open tab of either build.
    // Never the network for a file the cache holds: WebKit sometimes fails
    // the page's read of a response this worker streams from the network
    // while it also writes it to the cache ("Load failed"), and the book's
    // WebAssembly, right after the isolation reload, was such a file.
    const kept = await caches.match(request);
    if (kept) return isolated(kept);
  }
  const cache = await caches.open(CACHE);
  const navigation = request.mode === "navigate";
  const key = navigation ? pageKey(url) : request;
  let response;
  try {
    // Network first: a reader online always gets the host's current files.
    response = await fetchOnceMore(request);
    // A navigation is kept only as the page's HTML, under its file's name.
    const keep = response.ok && response.type === "basic" && (!navigation || isHtml(response));
    if (keep) {
      // Kept alive by waitUntil until written; a full disk only costs offline reading.
      event.waitUntil(cache.put(key, response.clone()).catch(() => {}));
    }
  } catch (offline) {
    response = undefined;
  }
  if (!response || response.status >= 500) {
    // Offline, or the host is down: the page's own HTML (every page's is
    // cached at install), else the front page's, which the app turns into
    // the page asked for.
    const cached = (await cache.match(key)) || (navigation ? await cache.match(inScope("index.html")) : undefined);
    if (cached) response = cached;
    if (!response) return Response.error();
  }
  return isolated(response);
}

// A request that fails on the way (a reset or dropped connection) is tried
// once more before the cache answers: without a cached shell, one lost
// connection would show the browser's error page instead of the book.
async function fetchOnceMore(request) {
  try {
    return await fetch(request);
  } catch (lost) {
    return fetch(request);
  }
}

function isHtml(response) {
  return (response.headers.get("Content-Type") || "").startsWith("text/html");
}

function inScope(path) {
  return new URL(path, self.registration.scope).href;
}

// Each page's `index.html` holds that page's text: `core-definitions/` and
// `core-definitions/index.html` are the same file, kept under the latter.
function pageKey(url) {
  const scope = new URL(self.registration.scope);
  let path = url.pathname.slice(scope.pathname.length);
  if (path === "" || path.endsWith("/")) path += "index.html";
  else if (!path.endsWith("index.html")) path += "/index.html";
  return inScope(path);
}

// The same response with the isolation headers, unless it already has them.
function isolated(response) {
  if (response.status === 0 || response.headers.get("Cross-Origin-Embedder-Policy")) return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
