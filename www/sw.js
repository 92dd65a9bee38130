// The book's service worker. JavaScript because the platform requires it:
// a service worker cannot be written in WebAssembly.
//
// It does two things for the book's own origin, and nothing for any other:
//  1. Cross-origin isolation on hosts that cannot send headers (GitHub Pages,
//     a plain folder): it re-serves every same-origin response with
//     Cross-Origin-Opener-Policy: same-origin and
//     Cross-Origin-Embedder-Policy: require-corp, unless the host already sent
//     them. The page reloads once after the first install to take effect
//     (src/runtime/service_worker.rs decides when, and never loops).
//  2. Offline reading: the build's files are cached at install, versioned by
//     build, so the book and its widgets work with the network gone.
//
// `cargo xtask dist` fills in BUILD and PRECACHE; `trunk serve` leaves the
// defaults, which cache nothing ahead of time.

const BUILD = "dev";
const PRECACHE = [];
const CACHE = `concurrency-book-${BUILD}`;

self.addEventListener("install", (event) => {
  // Paths are relative to this script, so the book works under any sub-path.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((path) => new URL(path, self.registration.scope))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  // Drop the caches of older builds, then control the open pages at once.
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("concurrency-book-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  // The page asks which build this worker serves, to notice an update.
  if (event.data === "build") event.source.postMessage({ build: BUILD });
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(respond(request));
});

async function respond(request) {
  const cache = await caches.open(CACHE);
  const key = request.mode === "navigate" ? shellKey() : request;
  let response;
  try {
    // Network first: a reader online always gets the host's current files.
    response = await fetch(request);
    if (response.ok && response.type === "basic") {
      cache.put(key, response.clone()).catch(() => {}); // a full disk only costs offline reading
    }
  } catch (offline) {
    response = undefined;
  }
  if (!response || response.status >= 500) {
    // Offline, or the host is down: every page of the book is the same app shell.
    const cached = (await cache.match(key)) || (request.mode === "navigate" && (await cache.match(shellKey())));
    if (cached) response = cached;
    if (!response) return Response.error();
  }
  return isolated(response);
}

function shellKey() {
  return new URL("index.html", self.registration.scope).href;
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
