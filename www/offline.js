// Registers the service worker (sw.js, beside index.html) that keeps the site working offline after
// one visit. Only in a built folder, whose page carries its build's hash (`make dist` writes it), and
// only over http(s): the checkout that scripts/serve.sh serves says "dev" and registers nothing, so
// development never meets a cached copy of an older build.
const build = document.querySelector('meta[name="prunelab-build"]')?.getAttribute('content');
if (build && build !== 'dev' && 'serviceWorker' in navigator && /^https?:$/.test(location.protocol)) {
  navigator.serviceWorker.register('./sw.js').catch((/** @type {unknown} */ error) => {
    // E.g. a private window: the site still works, only not offline.
    console.warn(`PruneLab will not work offline here: ${error instanceof Error ? error.message : error}`);
  });
}
