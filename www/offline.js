// Registers the service worker (sw.js, beside index.html) that keeps the site working offline after
// one visit. Only in a built folder, whose page carries its build's hash (`make dist` writes it), and
// only over http(s): the checkout that scripts/serve.sh serves says "dev" and registers nothing, so
// development never meets a cached copy of an older build.
import { t, loaded } from './i18n.js';

const build = document.querySelector('meta[name="prunelab-build"]')?.getAttribute('content');

// A new build waits until no tab runs this one (sw.js): say so, or the update would seem lost.
async function announceUpdate() {
  const box = document.getElementById('update-note');
  if (!box) return;
  await loaded; // in the page's language (a waiting worker may be found before the page is set up)
  box.dataset.i18n = 'page.notice.update';
  box.textContent = t('page.notice.update');
  box.hidden = false;
}

/** @param {ServiceWorkerRegistration} registration */
function watchForUpdates(registration) {
  // Only for a page that an older build's worker serves; on the first visit the new worker is simply this build.
  if (!navigator.serviceWorker.controller) return;
  if (registration.waiting) announceUpdate();
  registration.addEventListener('updatefound', () => {
    const next = registration.installing;
    next?.addEventListener('statechange', () => { if (next.state === 'installed') announceUpdate(); });
  });
}

if (build && build !== 'dev' && 'serviceWorker' in navigator && /^https?:$/.test(location.protocol)) {
  navigator.serviceWorker.register('./sw.js').then(watchForUpdates, (/** @type {unknown} */ error) => {
    // E.g. a private window: the site still works, only not offline.
    console.warn(`PruneLab will not work offline here: ${error instanceof Error ? error.message : error}`);
  });
}
