// The offline copy of the built site (dist/, `make dist`; scripts/build-offline.mjs writes it to
// dist/sw.js with the two constants below filled in). On install it stores every file of this build in
// one cache named by the build's hash; afterwards it answers from that cache first, so the site loads
// and trains with the network off. A new build has a new hash: its worker fills a new cache and takes
// over only when no tab still runs the old build (no skipWaiting), so a page never mixes the old
// JavaScript with the new wasm; then the old cache is deleted. Requests to other origins are neither
// answered nor stored here. The checkout served by scripts/serve.sh never registers it (www/offline.js).
const VERSION = 'dev';
/** @type {string[]} */
const FILES = [];
const CACHE = `prunelab-${VERSION}`;
const worker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

worker.addEventListener('install', (event) => {
  // cache: 'reload' skips the HTTP cache, which may still hold files of the previous build.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: 'reload' })))));
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith('prunelab-') && name !== CACHE).map((name) => caches.delete(name)),
  )));
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== worker.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // A navigation may carry a query (?…): it is the same page.
    const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
    return cached || fetch(request);
  })());
});
