// The same short run in three browser engines: Chromium (playwright-core), Firefox ESR (WebDriver BiDi)
// and WebKitGTK (classic WebDriver). Each loads the site, trains to the end of a gradual run, and must
// show no errors and reach exactly Chromium's result: the header's counters, the exported history
// (loss, accuracies and kept count at each recorded step) and the exported weights bit for bit, since
// the wasm does the same f32 arithmetic in every engine. Firefox and WebKit also open the single file
// (dist/prunelab.html, from file://; single-file.test.mjs does Chromium's) and must reach the same result;
// the built folder's index.html from file:// runs in Firefox, and in WebKit says what to do instead.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { root, useSite } from './browser.mjs';
import { launchFirefox } from './firefox-bidi.mjs';
import { launchWebKit } from './webkit-webdriver.mjs';
import { stopAll } from './processes.mjs';
import { HASH, ENGINE_MS, shortRun, assertHealthy, assertSameResult, chromiumDriver } from './short-run.mjs';

const singleFile = `${root}dist/prunelab.html`;
const folderPage = `${root}dist/index.html`;

/** The served site, and the Chromium that gives the reference result. */
const site = useSite();
// After useSite's hook has closed Chromium and the server: Firefox, WebKit and their drivers.
after(stopAll);
/** @type {Promise<any>} Chromium's result, which the other engines must equal. */
let reference;

/** Runs the smoke in one engine at `url`: launch, short run, health checks; always closes the engine. */
async function smoke(t, launchEngine, url) {
  const driver = await launchEngine();
  // A test that times out is aborted: end its browser now, not when the last test is over.
  const closeOnAbort = () => driver.close();
  t.signal.addEventListener('abort', closeOnAbort, { once: true });
  try {
    const result = await shortRun(driver, url, t.signal);
    t.diagnostic(`${driver.name}: ${result.accuracy}, kept ${result.kept}, step ${result.step}, weights ${result.weights?.slice(0, 12)}, ready in ${result.readyMs} ms, ${result.seconds.toFixed(1)} s`);
    assertHealthy(driver.name, result);
    return { name: driver.name, ...result };
  } finally {
    t.signal.removeEventListener('abort', closeOnAbort);
    await driver.close();
  }
}

/** The single file's URL, or a failure that says how to build it. */
async function singleFileUrl() {
  await access(singleFile).catch(() => assert.fail(`${singleFile} is missing: build it with make single`));
  return `${pathToFileURL(singleFile).href}${HASH}`;
}

/** The built folder's page as a file (file://…/dist/index.html), or a failure that says how to build it. */
async function folderUrl() {
  await access(folderPage).catch(() => assert.fail(`${folderPage} is missing: build it with make dist`));
  return `${pathToFileURL(folderPage).href}${HASH}`;
}

/** Asserts that `result` equals Chromium's. */
async function assertSameAsChromium(result) {
  const chromiumResult = await reference?.catch(() => null);
  assert.ok(chromiumResult, 'Chromium gave no result to compare with (see its test)');
  assertSameResult(result, chromiumResult);
}

const served = (url) => url.startsWith(site.url) || /^(data|blob):/.test(url);

test('Chromium: a short gradual run (the reference result)', { timeout: ENGINE_MS }, async (t) => {
  reference = smoke(t, () => chromiumDriver(site.browser, served), `${site.url}${HASH}`);
  reference.catch(() => {}); // the other tests report a missing reference themselves
  await reference;
});

test('Firefox ESR (WebDriver BiDi): the same run gives the same result', { timeout: ENGINE_MS }, async (t) => {
  await assertSameAsChromium(await smoke(t, launchFirefox, `${site.url}${HASH}`));
});

test('Firefox ESR: the single file, from file://, gives the same result', { timeout: ENGINE_MS }, async (t) => {
  await assertSameAsChromium(await smoke(t, launchFirefox, await singleFileUrl()));
});

test('Firefox ESR: the folder, from file://, runs and gives the same result', { timeout: ENGINE_MS }, async (t) => {
  await assertSameAsChromium(await smoke(t, launchFirefox, await folderUrl()));
});

test('WebKitGTK (WebDriver): the same run gives the same result', { timeout: ENGINE_MS }, async (t) => {
  await assertSameAsChromium(await smoke(t, launchWebKit, `${site.url}${HASH}`));
});

test('WebKitGTK: the single file, from file://, gives the same result', { timeout: ENGINE_MS }, async (t) => {
  await assertSameAsChromium(await smoke(t, launchWebKit, await singleFileUrl()));
});

test('WebKitGTK: the folder, from file://, where it cannot run, says what to do', { timeout: ENGINE_MS }, async (t) => {
  const driver = await launchWebKit();
  const closeOnAbort = () => driver.close();
  t.signal.addEventListener('abort', closeOnAbort, { once: true });
  try {
    await driver.navigate(await folderUrl());
    // WebDriver's navigation returns after the page's load; the notice is due 0.8 s after the page starts.
    let text = '';
    for (let waited = 0; !/prunelab\.html/.test(text) && waited < 3000; waited += 100) {
      text = await driver.evaluate(`document.getElementById('status').textContent`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    t.diagnostic(`${driver.name}: ${text}`);
    assert.match(text, /prunelab\.html/, 'names the single file');
    assert.match(text, /python3 -m http\.server/, 'names the one-line server');
  } finally {
    t.signal.removeEventListener('abort', closeOnAbort);
    await driver.close();
  }
});
