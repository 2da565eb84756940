// The same short run in three browser engines: Chromium (playwright-core), Firefox ESR (WebDriver BiDi)
// and WebKitGTK (classic WebDriver). Each loads the site, trains to the end of a gradual run, and must
// show no errors and reach exactly Chromium's result: the header's counters, the exported history
// (loss, accuracies and kept count at each recorded step) and the exported weights bit for bit, since
// the wasm does the same f32 arithmetic in every engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { launch, open } from './browser.mjs';
import { launchFirefox } from './firefox-bidi.mjs';
import { launchWebKit } from './webkit-webdriver.mjs';
import { stopAll } from './processes.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Short: one epoch of training, 90% pruned in gradual steps, one epoch of fine-tuning.
const HASH = '#pretrain=1&finetune=1&target=0.9&schedule=gradual';
const ENGINE_MS = 240000;

let site;
let chromium;
/** @type {Promise<any>} Chromium's result, which the other engines must equal. */
let reference;

before(async () => {
  ({ site, browser: chromium } = await launch(root));
});

after(async () => {
  await chromium?.close();
  site?.server.close();
  await stopAll();
});

// The page, read through whichever driver: everything below is a JavaScript expression evaluated in it.
const READY = `(() => {
  const status = document.getElementById('status');
  return status.hidden || status.textContent === '';
})()`;
const PLAY_FAST = `(() => {
  const speed = document.getElementById('speed');
  speed.value = '100000';
  speed.dispatchEvent(new Event('change'));
  document.getElementById('play').click();
  return true;
})()`;
const DONE = `document.getElementById('phase').textContent === 'done'`;
// The counters, the status line, requests that left the site, the exported history CSV and the SHA-256
// of the exported weights (.npz, made by the worker). Downloads are caught at URL.createObjectURL and
// the link's click is skipped, so nothing is saved.
const RESULT = `(async () => {
  const text = (id) => document.getElementById(id).textContent;
  const status = document.getElementById('status');
  const exported = async (button) => {
    let blob = null;
    const createObjectURL = URL.createObjectURL;
    const click = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (b) => { blob = b; return createObjectURL.call(URL, b); };
    HTMLAnchorElement.prototype.click = function () {};
    try {
      document.getElementById(button).click();
      for (let waited = 0; !blob && waited < 20000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      URL.createObjectURL = createObjectURL;
      HTMLAnchorElement.prototype.click = click;
    }
    return blob;
  };
  const csv = await exported('export-csv');
  const npz = await exported('export-npz');
  const digest = npz && new Uint8Array(await crypto.subtle.digest('SHA-256', await npz.arrayBuffer()));
  return {
    accuracy: text('accuracy'), kept: text('kept'), step: text('step-counter'), planned: text('planned-steps'),
    language: navigator.language, status: status.hidden ? '' : status.textContent,
    outside: performance.getEntriesByType('resource').map((e) => e.name)
      .filter((name) => !name.startsWith(location.origin) && !/^(data|blob):/.test(name)),
    csv: csv && await csv.text(),
    weights: digest && [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join(''),
  };
})()`;

/**
 * Loads the site at HASH, trains at full speed to the end, and returns what the page shows.
 * @param {{ navigate: (url: string) => Promise<unknown>, evaluate: (expression: string) => Promise<any>, problems: () => Promise<string[]> }} driver
 */
async function shortRun(driver, signal) {
  const started = Date.now();
  await driver.navigate(`${site.url}${HASH}`);
  await poll(driver, READY, 60000, 'the page to be ready', signal);
  await driver.evaluate(PLAY_FAST);
  await poll(driver, DONE, ENGINE_MS - 60000, 'the run to finish', signal);
  const result = await driver.evaluate(RESULT);
  return { ...result, problems: await driver.problems(), seconds: (Date.now() - started) / 1000 };
}

/** Evaluates `expression` every 250 ms until it is true; fails after `ms` or when the test is aborted. */
async function poll(driver, expression, ms, what, signal) {
  const until = Date.now() + ms;
  while (!(await driver.evaluate(expression))) {
    signal.throwIfAborted();
    if (Date.now() > until) {
      const status = await driver.evaluate(`document.getElementById('status').textContent`).catch((e) => e.message);
      throw new Error(`waited ${ms} ms for ${what}; the status line says: ${status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A Chromium page behind the same three calls as the other drivers (playwright records its errors). */
async function chromiumDriver() {
  const context = await chromium.newContext({ locale: 'en-US' });
  let opened;
  return {
    name: `Chromium ${chromium.version()}`,
    navigate: async (url) => { opened = await open(chromium, site, url.slice(site.url.length), context); },
    evaluate: async (expression) => JSON.parse(await opened.page.evaluate(`(async () => JSON.stringify(await (${expression})))()`)),
    problems: async () => opened.problems,
    close: () => context.close(),
  };
}

/** The checks every engine's run must pass on its own. */
function assertHealthy(name, result) {
  // Numbers print in the page's language (7,090 in en-US; 7090 under WebKitGTK's "C"): the same in all.
  assert.equal(result.language, 'en-US', `${name}: navigator.language`);
  assert.deepEqual(result.problems, [], `${name}: page and console errors`);
  assert.equal(result.status, '', `${name}: the status line`);
  assert.deepEqual(result.outside, [], `${name}: requests that left 127.0.0.1`);
  assert.match(result.accuracy, /^\d+\.\d\d%$/, `${name}: test accuracy`);
  assert.match(result.kept, /^[\d,]+ \/ [\d,]+$/, `${name}: kept count`);
  assert.equal(result.step, result.planned, `${name}: the run went to its last planned step`);
  assert.ok(result.csv && result.csv.startsWith('step,phase,loss,test_accuracy,kept_params'), `${name}: the exported history`);
  assert.match(result.weights ?? '', /^[0-9a-f]{64}$/, `${name}: the exported weights`);
}

/** Runs the smoke in one engine: launch, short run, health checks; always closes the engine. */
async function smoke(t, launchEngine) {
  const driver = await launchEngine();
  // A test that times out is aborted: end its browser now, not when the last test is over.
  const closeOnAbort = () => driver.close();
  t.signal.addEventListener('abort', closeOnAbort, { once: true });
  try {
    const result = await shortRun(driver, t.signal);
    t.diagnostic(`${driver.name}: ${result.accuracy}, kept ${result.kept}, step ${result.step}, weights ${result.weights?.slice(0, 12)}, ${result.seconds.toFixed(1)} s`);
    assertHealthy(driver.name, result);
    return { name: driver.name, ...result };
  } finally {
    t.signal.removeEventListener('abort', closeOnAbort);
    await driver.close();
  }
}

/** Asserts that `result` equals Chromium's: counters and weights (bit for bit), then the history line by line. */
async function assertSameAsChromium(result) {
  const chromiumResult = await reference?.catch(() => null);
  assert.ok(chromiumResult, 'Chromium gave no result to compare with (see its test)');
  const counters = (r) => ({ accuracy: r.accuracy, kept: r.kept, step: r.step, weights: r.weights });
  assert.deepEqual(counters(result), counters(chromiumResult), `${result.name} against ${chromiumResult.name}: the header's counters and the weights' SHA-256`);
  const lines = result.csv.split('\n');
  const expected = chromiumResult.csv.split('\n');
  for (let i = 0; i < Math.max(lines.length, expected.length); i++) {
    assert.equal(lines[i], expected[i], `${result.name} against ${chromiumResult.name}: line ${i + 1} of the history (${expected.length} lines)`);
  }
}

test('Chromium: a short gradual run (the reference result)', { timeout: ENGINE_MS }, async (t) => {
  reference = smoke(t, chromiumDriver);
  reference.catch(() => {}); // the other tests report a missing reference themselves
  await reference;
});

test('Firefox ESR (WebDriver BiDi): the same run gives the same result', { timeout: ENGINE_MS }, async (t) => {
  await assertSameAsChromium(await smoke(t, launchFirefox));
});

test('WebKitGTK (WebDriver): the same run gives the same result', { timeout: ENGINE_MS }, async (t) => {
  await assertSameAsChromium(await smoke(t, launchWebKit));
});
