// The built folder (dist/, `make dist`) offline, in Chromium: after one visit its service worker holds
// every file of the build, so with the network off a reload still loads and trains the short run to the
// same result. Its cache holds this origin's files only, one cache per build, and the site is
// installable. A new build's worker waits for the old build's tabs to close, then replaces the cache.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { useSite } from './browser.mjs';
import { HASH, ENGINE_MS, shortRun, assertHealthy, assertSameResult, chromiumDriver } from './short-run.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
let copy; // the test serves (and, for the new build, edits) a copy of dist/
const site = useSite({
  async root() {
    await access(`${dist}sw.js`).catch(() => assert.fail(`${dist}sw.js is missing: build the folder with make dist`));
    copy = `${await mkdtemp(`${tmpdir()}/prunelab-offline-`)}/`;
    await cp(dist, copy, { recursive: true });
    return copy;
  },
});
// After useSite's hook has closed the browser and the server.
after(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

/** The service worker's caches, as the page sees them: name → the URLs stored. */
const caches = (page) => page.evaluate(async () => Object.fromEntries(await Promise.all((await self.caches.keys())
  .map(async (name) => [name, (await (await self.caches.open(name)).keys()).map((request) => request.url)]))));

const version = async () => (await readFile(`${copy}sw.js`, 'utf8')).match(/const VERSION = '([0-9a-f]+)';/)[1];

test('after one visit, offline: the page loads again and trains to the same result', { timeout: 2 * ENGINE_MS }, async (t) => {
  const driver = await chromiumDriver(site.browser, (url) => url.startsWith(site.url) || /^(data|blob):/.test(url));
  const { page } = driver;
  try {
    const online = { ...(await shortRun(driver, `${site.url}${HASH}`, t.signal)), name: 'online' };
    assertHealthy('online', online);
    const state = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state);
    assert.equal(state, 'activated', 'the service worker is active after the first visit');
    const stored = await caches(page);
    assert.deepEqual(Object.keys(stored), [`prunelab-${await version()}`], 'one cache, named by the build');
    const urls = Object.values(stored)[0];
    assert.ok(urls.every((url) => url.startsWith(site.url)), `only this origin's files are cached: ${urls}`);
    for (const file of ['', 'index.html', 'www/app.js', 'www/worker.js', 'www/pkg/prunelab_bg.wasm', 'www/data/mnist-10k.bin.gz']) {
      assert.ok(urls.includes(`${site.url}${file}`), `${file || './'} is cached`);
    }

    await page.context().setOffline(true);
    // A fresh start, not the autosaved run: the page must train, not restore. The page saves the run
    // as it is left, so the storage is cleared once it is gone.
    await page.goto('about:blank');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin: new URL(site.url).origin, storageTypes: 'local_storage' });
    const offline = { ...(await shortRun(driver, `${site.url}${HASH}`, t.signal)), name: 'offline' };
    t.diagnostic(`online ${online.accuracy}, kept ${online.kept}, ready in ${online.readyMs} ms; offline ${offline.accuracy}, kept ${offline.kept}, ready in ${offline.readyMs} ms`);
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the offline page is served by the service worker');
    assertHealthy('offline', offline);
    assertSameResult(offline, online);
  } finally {
    await driver.close();
  }
});

test('installable: the manifest, its icons and the service worker pass Chromium\'s checks', async () => {
  // Playwright's contexts are incognito, where Chromium installs nothing: a profile on disk instead.
  const profile = await mkdtemp(`${tmpdir()}/prunelab-profile-`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    await page.goto(site.url);
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    const cdp = await context.newCDPSession(page);
    const { url, errors } = await cdp.send('Page.getAppManifest');
    assert.equal(url, `${site.url}www/manifest.json`);
    assert.deepEqual(errors, [], 'manifest errors');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'Chromium\'s installability errors');
    assert.deepEqual(problems, [], 'console errors');
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('a new build waits for the old build\'s tabs to close, then replaces the cache', async () => {
  const driver = await chromiumDriver(site.browser, (url) => url.startsWith(site.url) || /^(data|blob):/.test(url));
  const context = driver.page.context();
  const oldVersion = await version();
  const css = (page) => page.evaluate(async () => (await fetch('www/style.css')).text());
  try {
    const page = driver.page;
    await page.goto(site.url);
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload(); // now the page is one the old build's worker controls
    const oldCss = await css(page);

    // A new build: a changed file, hence a new version in sw.js (what scripts/build-offline.mjs writes).
    const newVersion = [...oldVersion].reverse().join('');
    await writeFile(`${copy}www/style.css`, `${oldCss}\n/* the next build */\n`);
    await writeFile(`${copy}sw.js`, (await readFile(`${copy}sw.js`, 'utf8')).replace(`'${oldVersion}'`, `'${newVersion}'`));
    const waiting = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration.update();
      const worker = registration.installing || registration.waiting;
      if (worker && worker.state !== 'installed') await new Promise((resolve) => worker.addEventListener('statechange', () => worker.state === 'installed' && resolve()));
      return registration.waiting?.state;
    });
    assert.equal(waiting, 'installed', 'the new build\'s worker waits');
    assert.deepEqual(Object.keys(await caches(page)).sort(), [`prunelab-${oldVersion}`, `prunelab-${newVersion}`].sort(), 'both builds are cached while the old tab is open');
    assert.equal(await css(page), oldCss, 'the open tab keeps getting the old build\'s files');
    await page.waitForSelector('#update-note', { state: 'visible', timeout: 5000 });
    assert.match(await page.textContent('#update-note'), /new version/, 'the open tab says an update waits');

    // The waiting worker activates once no tab uses the old one, and then deletes the old cache. A tab
    // opened before that still gets the old build (whole), so close it and try again a little later.
    await page.close();
    let next = await context.newPage();
    await next.goto(site.url);
    for (let tries = 0; Object.keys(await caches(next)).length > 1 && tries < 20; tries++) {
      await next.close();
      await new Promise((resolve) => setTimeout(resolve, 250));
      next = await context.newPage();
      await next.goto(site.url);
    }
    assert.deepEqual(Object.keys(await caches(next)), [`prunelab-${newVersion}`], 'the old build\'s cache is gone');
    assert.match(await css(next), /the next build/, 'a new tab gets the new build');
    assert.deepEqual(await driver.problems(), [], 'page and console errors');
  } finally {
    await driver.close();
  }
});
