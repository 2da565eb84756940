// One short training run, driven the same way in every engine and every form of the site (served,
// single file): load, wait until ready, train at full speed to the end, read what the page shows.
// Used by engines.test.mjs and single-file.test.mjs.
import assert from 'node:assert/strict';

// Short: one epoch of training, 90% pruned in gradual steps, one epoch of fine-tuning.
export const HASH = '#pretrain=1&finetune=1&target=0.9&schedule=gradual';
export const ENGINE_MS = 240000;

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
// The counters, the status line, requests that left the site (for a file: page, anything but file:),
// the exported history CSV and the SHA-256 of the exported weights (.npz, made by the worker).
// Downloads are caught at URL.createObjectURL and the link's click is skipped, so nothing is saved.
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
  const own = location.protocol === 'file:' ? 'file:' : location.origin;
  return {
    accuracy: text('accuracy'), kept: text('kept'), step: text('step-counter'), planned: text('planned-steps'),
    language: navigator.language, status: status.hidden ? '' : status.textContent,
    outside: performance.getEntriesByType('resource').map((e) => e.name)
      .filter((name) => !name.startsWith(own) && !/^(data|blob):/.test(name)),
    csv: csv && await csv.text(),
    weights: digest && [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join(''),
  };
})()`;

/**
 * Loads `url` (which ends in HASH), trains at full speed to the end, and returns what the page shows,
 * with the milliseconds from navigation to ready.
 * @param {{ navigate: (url: string) => Promise<unknown>, evaluate: (expression: string) => Promise<any>, problems: () => Promise<string[]> }} driver
 */
export async function shortRun(driver, url, signal) {
  const started = Date.now();
  await driver.navigate(url);
  await poll(driver, READY, 60000, 'the page to be ready', signal);
  const readyMs = Date.now() - started;
  await driver.evaluate(PLAY_FAST);
  await poll(driver, DONE, ENGINE_MS - 60000, 'the run to finish', signal);
  const result = await driver.evaluate(RESULT);
  return { ...result, readyMs, problems: await driver.problems(), seconds: (Date.now() - started) / 1000 };
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

/** The checks every engine's run must pass on its own. */
export function assertHealthy(name, result) {
  // Numbers print in the page's language (7,090 in en-US; 7090 under WebKitGTK's "C"): the same in all.
  assert.equal(result.language, 'en-US', `${name}: navigator.language`);
  assert.deepEqual(result.problems, [], `${name}: page and console errors`);
  assert.equal(result.status, '', `${name}: the status line`);
  assert.deepEqual(result.outside, [], `${name}: requests that left the site`);
  assert.match(result.accuracy, /^\d+\.\d\d%$/, `${name}: test accuracy`);
  assert.match(result.kept, /^[\d,]+ \/ [\d,]+$/, `${name}: kept count`);
  assert.equal(result.step, result.planned, `${name}: the run went to its last planned step`);
  assert.ok(result.csv && result.csv.startsWith('step,phase,loss,test_accuracy,kept_params'), `${name}: the exported history`);
  assert.match(result.weights ?? '', /^[0-9a-f]{64}$/, `${name}: the exported weights`);
}

/** Asserts that `result` equals `reference`: counters and weights (bit for bit), then the history line by line. */
export function assertSameResult(result, reference) {
  const counters = (r) => ({ accuracy: r.accuracy, kept: r.kept, step: r.step, weights: r.weights });
  assert.deepEqual(counters(result), counters(reference), `${result.name} against ${reference.name}: the header's counters and the weights' SHA-256`);
  const lines = result.csv.split('\n');
  const expected = reference.csv.split('\n');
  for (let i = 0; i < Math.max(lines.length, expected.length); i++) {
    assert.equal(lines[i], expected[i], `${result.name} against ${reference.name}: line ${i + 1} of the history (${expected.length} lines)`);
  }
}

/**
 * A Chromium page behind the same three calls as the other drivers. It records console and page errors,
 * and every request whose URL is not allowed by `allowed` (the served site's, or file:/blob:/data:).
 * @param {import('playwright-core').Browser} browser
 * @param {(url: string) => boolean} allowed
 */
export async function chromiumDriver(browser, allowed) {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()} (${m.location().url})`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!allowed(r.url())) problems.push(`request: ${r.url()}`); });
  return {
    name: `Chromium ${browser.version()}`,
    page,
    navigate: (url) => page.goto(url),
    evaluate: async (expression) => JSON.parse(await page.evaluate(`(async () => JSON.stringify(await (${expression})))()`)),
    problems: async () => problems,
    close: () => context.close(),
  };
}
