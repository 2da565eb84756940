// The site's file:// forms in Chromium. The single file (dist/prunelab.html, `make single`) trains the
// short run to the same result as the served site, fetching nothing but file:, blob: and data: URLs;
// the folder (index.html opened as a file, where Chromium blocks module scripts) says what to do
// within a second instead of loading forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { root, useSite } from './browser.mjs';
import { HASH, ENGINE_MS, shortRun, assertHealthy, assertSameResult, chromiumDriver } from './short-run.mjs';

const singleFile = `${root}dist/prunelab.html`;
const site = useSite();

/** The Content-Security-Policy of an HTML file, by directive. */
async function policy(file) {
  const html = await readFile(file, 'utf8');
  const content = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1];
  assert.ok(content, `${file} has a Content-Security-Policy`);
  return { html, directives: Object.fromEntries(content.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values])) };
}

test('the single file and the page keep a strict CSP: inline code only by hash', async () => {
  await access(singleFile).catch(() => assert.fail(`${singleFile} is missing: build it with make single`));
  for (const file of [singleFile, `${root}index.html`]) {
    const { directives } = await policy(file);
    const all = Object.values(directives).flat();
    assert.ok(!all.includes("'unsafe-inline'") && !all.includes("'unsafe-eval'"), `${file}: no unsafe-inline or unsafe-eval`);
    assert.ok(directives['script-src'].includes("'wasm-unsafe-eval'"), `${file}: wasm may compile`);
  }
  // index.html's one inline script (the file:// notice) is allowed by its hash, which must follow its text.
  const { html, directives } = await policy(`${root}index.html`);
  const notice = html.match(/<script id="file-notice">([\s\S]*?)<\/script>/)?.[1];
  assert.ok(notice, 'index.html has its file:// notice');
  const { createHash } = await import('node:crypto');
  const hash = `'sha256-${createHash('sha256').update(notice, 'utf8').digest('base64')}'`;
  assert.ok(directives['script-src'].includes(hash), `index.html's CSP allows the file:// notice: put ${hash} in script-src`);
});

test('single file via file:// trains the short run to the served result, fetching nothing', { timeout: 2 * ENGINE_MS }, async (t) => {
  await access(singleFile).catch(() => assert.fail(`${singleFile} is missing: build it with make single`));
  const runs = [];
  for (const [form, url, allowed] of [
    ['served', `${site.url}${HASH}`, (u) => u.startsWith(site.url) || /^(data|blob):/.test(u)],
    ['single file', `${pathToFileURL(singleFile).href}${HASH}`, (u) => /^(file|blob|data):/.test(u)],
  ]) {
    const driver = await chromiumDriver(site.browser, allowed);
    try {
      const result = { ...(await shortRun(driver, url, t.signal)), name: `${driver.name}, ${form}` };
      t.diagnostic(`${form}: ${result.accuracy}, kept ${result.kept}, ready in ${result.readyMs} ms, ${result.seconds.toFixed(1)} s`);
      assertHealthy(result.name, result);
      runs.push(result);
    } finally {
      await driver.close();
    }
  }
  assertSameResult(runs[1], runs[0]);
});

for (const [name, file] of [['dist/index.html', `${root}dist/index.html`], ["the checkout's index.html", `${root}index.html`]]) {
  test(`folder via file:// (${name}): works or explains within 1 s`, async (t) => {
    await access(file).catch(() => assert.fail(`${file} is missing: build it with make dist`));
    const context = await site.browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      const violations = [];
      page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text()); });
      const started = Date.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'commit' });
      const state = await page.waitForFunction(() => {
        const status = document.getElementById('status');
        if (!status) return null;
        if (status.hidden) return 'works';
        return /prunelab\.html/.test(status.textContent) && /http\.server/.test(status.textContent) ? status.textContent : null;
      }, null, { timeout: 1000, polling: 50 }).then((handle) => handle.jsonValue())
        .catch(async () => assert.fail(`after 1 s the status line says: ${await page.$eval('#status', (e) => e.textContent)}`));
      t.diagnostic(`${name}: ${Date.now() - started} ms: ${state}`);
      assert.deepEqual(violations, [], 'Content-Security-Policy violations');
    } finally {
      await context.close();
    }
  });
}

test('folder via file:// in Chinese: the loading line and the explanation are Chinese before the core loads', async () => {
  const context = await site.browser.newContext({ locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(`${root}index.html`).href, { waitUntil: 'commit' });
    const said = await page.waitForFunction(() => {
      const status = document.getElementById('status');
      return status && /prunelab\.html/.test(status.textContent) ? status.textContent : null;
    }, null, { timeout: 1000, polling: 50 }).then((handle) => handle.jsonValue());
    assert.match(said, /^本页是作为文件打开的/);
    assert.match(said, /python3 -m http\.server 8000/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  } finally {
    await context.close();
  }
});

test('single file via file://: autosave restores, links and embed work, and it says what a file cannot do', async () => {
  await access(singleFile).catch(() => assert.fail(`${singleFile} is missing: build it with make single`));
  const driver = await chromiumDriver(site.browser, (u) => /^(file|blob|data):/.test(u));
  const { page } = driver;
  const url = `${pathToFileURL(singleFile).href}${HASH}`;
  const ready = () => page.waitForFunction(() => {
    const status = document.getElementById('status');
    return status.hidden || status.textContent === '' || status.textContent.startsWith('Restored');
  }, null, { timeout: 60000 });
  try {
    await page.goto(url);
    await ready();
    assert.equal(await page.isVisible('#form-note'), false, 'storage works here, so no note about it');
    for (let i = 0; i < 3; i++) await page.click('#step');
    await page.waitForFunction(() => document.getElementById('step-counter').textContent === '3');
    await page.reload();
    await ready();
    await page.waitForFunction(() => document.getElementById('step-counter').textContent === '3', null, { timeout: 10000 });

    await page.click('#tab-export');
    await page.click('#copy-link');
    assert.ok((await page.inputValue('#share-text')).startsWith(`${pathToFileURL(singleFile).href}#`), 'the link is this file with its settings');
    assert.match(await page.textContent('#share-note'), /opened as a file/, 'the page says where the link works');
    await page.click('#copy-embed');
    assert.match(await page.textContent('#share-note'), /web server/, 'the page says a file cannot be embedded');

    await page.goto('about:blank'); // a new page load: a changed hash alone only re-reads the settings
    await page.goto(`${url}&embed=1`);
    await ready();
    assert.ok(await page.evaluate(() => document.body.classList.contains('embed')), 'the embed view');
    assert.deepEqual(await driver.problems(), [], 'page and console errors, requests');
  } finally {
    await driver.close();
  }
});

test('where storage is blocked, the page says the session is not saved; served links need no note', async () => {
  const driver = await chromiumDriver(site.browser, (u) => u.startsWith(site.url) || /^(file|blob|data):/.test(u));
  const { page } = driver;
  try {
    // What a browser that blocks storage here does: every write throws.
    await page.addInitScript(() => {
      Storage.prototype.setItem = () => { throw new DOMException('storage is blocked', 'SecurityError'); };
    });
    await page.goto(`${pathToFileURL(singleFile).href}${HASH}`);
    await page.waitForSelector('#form-note', { state: 'visible', timeout: 60000 });
    assert.match(await page.textContent('#form-note'), /not saved/);
    await page.goto(`${site.url}${HASH}`);
    await page.waitForFunction(() => document.getElementById('status').hidden, null, { timeout: 60000 });
    await page.click('#tab-export');
    await page.click('#copy-link');
    // The shared link is this page's, minus view=export: it opens on the run's view.
    assert.equal(await page.inputValue('#share-text'), page.url().replace('&view=export', ''));
    assert.equal(await page.isVisible('#share-note'), false, 'a served link works anywhere: no note');
    assert.deepEqual(await driver.problems(), [], 'page and console errors, requests');
  } finally {
    await driver.close();
  }
});

test('single file via file://: compare gives the served table; Try it, lessons and downloads work', { timeout: 2 * ENGINE_MS }, async (t) => {
  await access(singleFile).catch(() => assert.fail(`${singleFile} is missing: build it with make single`));
  const compareHash = '#pretrain=1&finetune=1&target=0.9&schedule=one_shot&view=compare';
  const tables = [];
  for (const [form, base, allowed] of [
    ['served', site.url, (u) => u.startsWith(site.url) || /^(data|blob):/.test(u)],
    ['single file', pathToFileURL(singleFile).href, (u) => /^(file|blob|data):/.test(u)],
  ]) {
    const driver = await chromiumDriver(site.browser, allowed);
    const { page } = driver;
    try {
      await page.goto(`${base}${compareHash}`);
      await page.waitForFunction(() => document.getElementById('status').hidden, null, { timeout: 60000 });
      await page.click('#compare-run'); // two workers at once: each its own Blob worker in the single file
      await page.waitForFunction(() => document.getElementById('compare-status').textContent === 'All runs finished.', null, { timeout: 180000 });
      tables.push(await page.$$eval('#compare-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent))));
      t.diagnostic(`${form}: ${tables.at(-1).map((row) => row.slice(0, 4).join(' ')).join('; ')}`);
      if (form === 'served') continue;

      // Try it: a drawn "1" gets the networks' probabilities; the gallery fills.
      await page.click('#tab-try');
      const box = await page.$eval('#draw', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y }; });
      await page.mouse.move(box.x + 140, box.y + 40);
      await page.mouse.down();
      for (let y = 40; y <= 240; y += 20) await page.mouse.move(box.x + 140, box.y + y);
      await page.mouse.up();
      await page.waitForFunction(() => {
        const canvas = document.getElementById('prediction');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set();
        for (let i = 0; i < data.length && colours.size <= 3; i += 4 * 7) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
        return colours.size > 3;
      }, null, { timeout: 10000 });
      await page.click('#gallery-refresh');
      await page.waitForFunction(() => document.getElementById('gallery').childNodes.length > 0, null, { timeout: 10000 });

      // Downloads from a file: page: the session file and the history.
      await page.click('#tab-curves');
      await page.click('#tab-export');
      for (const [button, name] of [['export-session', 'prunelab-session.json'], ['export-csv', 'prunelab-history.csv']]) {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#${button}`)]);
        assert.equal(download.suggestedFilename(), name);
      }

      // A lesson sets itself up.
      await page.click('#tab-lessons');
      await page.locator('.lesson', { hasText: 'Lottery tickets' }).getByRole('button', { name: 'Open' }).click();
      await page.click('#lesson-setup');
      assert.equal(await page.inputValue('#schedule'), 'lottery');
      assert.deepEqual(await driver.problems(), [], 'page and console errors, requests');
    } finally {
      await driver.close();
    }
  }
  assert.equal(tables[1].length, 2, 'two compared runs');
  assert.deepEqual(tables[1], tables[0], 'the single file\'s comparison equals the served one');
});
