// End-to-end: nothing lost, nothing broken — reload mid-run, a broken import, a diverging run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { root, shots, useSite, waitReady } from './browser.mjs';

const site = useSite({ screenshots: true });

// Runs in the page before its own scripts: counts the workers' replies by type in
// window.workerReplies, so a test can wait for a worker's answer instead of sleeping.
function recordWorkerReplies() {
  const Native = window.Worker;
  window.workerReplies = {};
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ({ data }) => { window.workerReplies[data.type] = (window.workerReplies[data.type] || 0) + 1; });
    }
  };
}

const text = (page, id) => page.textContent(`#${id}`);
const number = async (page, id) => Number((await text(page, id)).replace(/\D/g, ''));

test('a reload mid-run brings the same run back at the same step', async () => {
  const context = await site.browser.newContext();
  await context.addInitScript(recordWorkerReplies);
  const { page, problems } = await site.openIn(context, '#pretrain=1&finetune=1&seed=5');
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('step-counter').textContent.replace(/\D/g, '')) >= 300, null, { timeout: 60000 });
  await page.click('#play'); // pause
  // The worker answers 'paused' after its last chunk; then the page saves that step and shows it.
  await page.waitForFunction(() => window.workerReplies.paused > 0
    && Number(document.getElementById('step-counter').textContent.replace(/\D/g, '')) === JSON.parse(localStorage.getItem('prunelab.session.v1')).step);
  const step = await number(page, 'step-counter');
  const accuracy = await text(page, 'accuracy');
  await page.reload();
  await waitReady(page);
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Restored'), null, { timeout: 60000 });
  assert.equal(await number(page, 'step-counter'), step, 'restored at the saved step');
  assert.equal(await text(page, 'accuracy'), accuracy, 'the replayed run is the same run');
  assert.equal(await page.inputValue('#seed'), '5');
  await page.screenshot({ path: `${shots}/8-restored.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a comparison comes back after a reload', async () => {
  const { context, page, problems } = await site.open('#pretrain=1&finetune=1&target=0.75&schedule=one_shot&view=compare');
  await page.click('#compare-run');
  await page.waitForFunction(() => document.getElementById('compare-status').textContent === 'All runs finished.', null, { timeout: 180000 });
  const before = await page.$$eval('#compare-table tbody tr', (rows) => rows.map((r) => r.textContent));
  await page.reload();
  await waitReady(page);
  await page.waitForFunction(() => document.getElementById('compare-status').textContent === 'All runs finished.', null, { timeout: 180000 });
  const after = await page.$$eval('#compare-table tbody tr', (rows) => rows.map((r) => r.textContent));
  assert.deepEqual(after, before, 'the same comparison, rebuilt');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a broken session file is refused and the current session stays', async () => {
  const { context, page, problems } = await site.open('#seed=11');
  await page.click('#tab-export');
  const bad = `${root}artifacts/broken-session.json`;
  await writeFile(bad, '{"format":"prunelab-session","version":1,"config":{"prune":{"target_sparsity":7}}');
  await page.setInputFiles('#import-session', bad);
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('Could not import'), null, { timeout: 10000 });
  assert.match(await text(page, 'status'), /unchanged/);
  assert.equal(await page.inputValue('#seed'), '11', 'settings untouched');
  const foreign = `${root}artifacts/foreign-session.json`;
  await writeFile(foreign, '{"format":"prunelab-session","version":9}');
  await page.setInputFiles('#import-session', foreign);
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('version 9'), null, { timeout: 10000 });
  // A good file round-trips: save this session, then import it.
  await page.click('#step');
  await page.waitForFunction(() => document.getElementById('step-counter').textContent === '1');
  const download = page.waitForEvent('download');
  await page.click('#export-session');
  const saved = `${root}artifacts/session.json`;
  await (await download).saveAs(saved);
  await page.setInputFiles('#import-session', saved);
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Restored'), null, { timeout: 30000 });
  assert.equal(await number(page, 'step-counter'), 1);
  // Only the deliberate bad imports were reported as errors.
  assert.deepEqual(problems, []);
  await context.close();
});

test('a diverging run pauses with advice and keeps its last good state', async () => {
  const { context, page, problems } = await site.open('#optimizer=sgd&lr=10&l2=1');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('diverged'), null, { timeout: 30000 });
  assert.match(await text(page, 'status'), /lower learning rate \(now 10\) or weaker penalties/);
  assert.match(await text(page, 'play'), /Play/, 'paused');
  const step = await number(page, 'step-counter');
  assert.ok(step >= 0);
  await page.screenshot({ path: `${shots}/9-diverged.png` });
  // In Chinese the run's own words (where it diverged, what to try) are Chinese too.
  await page.selectOption('#lang', 'zh');
  await page.click('#reset');
  // The new run's first message clears the status line.
  await page.waitForFunction(() => document.getElementById('status').textContent === '');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('训练发散'), null, { timeout: 30000 });
  const chinese = await text(page, 'status');
  assert.match(chinese, /更低的学习率（当前 10）/);
  assert.doesNotMatch(chinese, /step|try|learning rate|became/, chinese);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a compare worker that fails to load or traps is reported, and Resume runs the comparison again', async () => {
  const { context, page, problems } = await site.open('#pretrain=0&finetune=1&target=0.5&schedule=one_shot&view=compare');
  // From now on a new worker gets a stand-in script: first one that throws while loading (the
  // worker's error event), then one that reports a trap as the real worker does ('crashed').
  const standIns = [
    "throw new Error('simulated load failure');",
    "self.onmessage = () => postMessage({ type: 'crashed', message: 'RuntimeError: unreachable' });",
  ];
  let standIn = standIns[0];
  await page.route('**/www/worker.js', (route) => route.fulfill({ contentType: 'text/javascript', body: standIn }));
  await page.click('#compare-run');
  await page.waitForFunction(() => document.getElementById('compare-status').textContent.includes('stopped unexpectedly'), null, { timeout: 10000 });
  assert.match(await text(page, 'compare-status'), /The (Weight magnitude|Random \(baseline\)) worker stopped unexpectedly \(.*simulated load failure.*\)\. Nothing is lost: “Resume”/);
  assert.equal(await page.isVisible('#compare-resume'), true, 'a Resume button');

  standIn = standIns[1];
  await page.click('#compare-resume');
  await page.waitForFunction(() => document.getElementById('compare-status').textContent.includes('unreachable'), null, { timeout: 10000 });
  assert.match(await text(page, 'compare-status'), /worker stopped unexpectedly \(RuntimeError: unreachable\)/);
  await page.screenshot({ path: `${shots}/11-compare-crashed.png` });

  // With the real worker back, Resume runs the comparison: both runs report rows.
  await page.unroute('**/www/worker.js');
  await page.click('#compare-resume');
  await page.waitForFunction(() => document.querySelectorAll('#compare-table tbody tr').length === 2, null, { timeout: 60000 });
  assert.doesNotMatch(await text(page, 'compare-status'), /stopped/);
  // Only the simulated load failure may show up as an error in the console.
  assert.deepEqual(problems.filter((p) => !p.includes('simulated load failure')), []);
  await context.close();
});
