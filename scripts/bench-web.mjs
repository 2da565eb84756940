#!/usr/bin/env node
// The browser benchmark (run `scripts/build-web.sh` first; `make bench-web` does both):
// training samples/s in one module worker of headless Chromium (reference and default networks,
// dense and sparse), compare mode's scaling over 1, 2 and 4 workers, test-set evaluation time,
// the playground's page-ready time, the longest main-thread task while a run trains at full
// speed, and the wasm size.
//   node scripts/bench-web.mjs [--json] [--seconds S] [--memory] [--page-run-only]
// --page-run-only measures only the page's run against the bench worker (see pageRun);
// --sweep-only only Compare's 4 × 7 sweep (see sweepRun); --network-only only the Network
// view's long tasks (see networkLongTasks).
// --memory adds the long-run memory check: four strategies compared over 10,000 steps each
// (20 epochs), sampling the page's JS heap and every wasm memory until they finish (a few minutes).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/e2e/browser.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 1;
// The page's run: 3 epochs in all (pretraining, then fine-tuning after the gradual pruning).
const PAGE_RUN = { pretrain: 2, finetune: 1 };
const root = fileURLToPath(new URL('../', import.meta.url));
const { site, browser } = await launch(root);
const report = {};
// One measurement alone, printed as JSON.
const ONLY = { '--sweep-only': sweepRun, '--network-only': networkLongTasks, '--page-run-only': pageRun };
const only = Object.keys(ONLY).find((flag) => args.includes(flag));
if (only) {
  try {
    console.log(JSON.stringify(await ONLY[only](browser, site)));
  } finally {
    await browser.close();
    site.server.close();
  }
  process.exit(0);
}
try {
  const page = await browser.newPage();
  await page.goto(`${site.url}www/bench.html?seconds=${seconds}`);
  await page.waitForFunction(() => window.benchResults, null, { timeout: 600000 });
  Object.assign(report, await page.evaluate(() => window.benchResults));
  await page.close();
  if (report.error) throw new Error(report.error);

  // Compare mode's parallelism: aggregate samples/s of 1, 2 and 4 workers training at once.
  const scalingPage = await browser.newPage();
  await scalingPage.goto(`${site.url}www/bench.html?mode=scaling&seconds=${seconds}`);
  await scalingPage.waitForFunction(() => window.benchResults, null, { timeout: 600000 });
  const scaling = await scalingPage.evaluate(() => window.benchResults);
  if (scaling.error) throw new Error(scaling.error);
  report.workers_scaling = scaling.scaling;
  report.cores = scaling.cores;
  await scalingPage.close();

  // Page ready: navigation start → the app's `prunelab-ready` mark (wasm compiled, digits loaded,
  // first chart drawn). Median of 3 fresh loads, each in a new context (no cache, no saved run).
  const ready = [];
  for (let i = 0; i < 3; i += 1) {
    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(site.url);
    await fresh.waitForFunction(() => performance.getEntriesByName('prunelab-ready').length > 0, null, { timeout: 30000 });
    ready.push(await fresh.evaluate(() => performance.getEntriesByName('prunelab-ready')[0].startTime));
    await context.close();
  }
  ready.sort((a, b) => a - b);
  report.page_ready_ms = ready[1];

  // Responsiveness: long tasks (> 50 ms) on the main thread during 10 s of training at full speed.
  const context = await browser.newContext();
  const playground = await context.newPage({ viewport: { width: 1280, height: 800 } });
  await playground.goto(`${site.url}#pretrain=20&finetune=1`);
  await playground.waitForFunction(() => performance.getEntriesByName('prunelab-ready').length > 0);
  await playground.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  });
  await playground.selectOption('#speed', '100000');
  await playground.click('#play');
  await playground.waitForTimeout(10000);
  const tasks = await playground.evaluate(() => window.longTasks);
  const steps = Number((await playground.textContent('#step-counter')).replace(/\D/g, ''));
  report.training_long_tasks = { count: tasks.length, longest_ms: tasks.length ? Math.max(...tasks) : 0, steps_in_10s: steps };
  const memory = await playground.evaluate(() => ({ js_heap_bytes: performance.memory?.usedJSHeapSize ?? null }));
  report.page_memory = memory;
  await context.close();
  report.network_long_tasks = await networkLongTasks(browser, site);
  report.page_run = await pageRun(browser, site);
  report.sweep = await sweepRun(browser, site);
  if (args.includes('--memory')) report.memory = await memoryRun(browser, site);
} finally {
  await browser.close();
  site.server.close();
}
const wasm = readFileSync(`${root}www/pkg/prunelab_bg.wasm`);
report.wasm_bytes = wasm.length;
report.wasm_gzip_bytes = gzipSync(wasm, { level: 9 }).length;

if (json) {
  console.log(JSON.stringify(report));
} else {
  console.log('network     sparsity  kept params  training samples/s (one worker, batch 32)');
  for (const r of report.training) {
    console.log(`${r.network.padEnd(11)} ${String(Math.round(100 * r.sparsity)).padStart(7)}%  ${String(r.kept_params).padStart(11)}  ${Math.round(r.train_samples_per_sec).toString().padStart(8)}`);
  }
  for (const s of report.workers_scaling) {
    console.log(`compare mode, ${s.workers} worker(s) training the default network at once: ${Math.round(s.aggregate_samples_per_sec)} samples/s in all (${report.cores} cores)`);
  }
  for (const [network, ms] of Object.entries(report.eval_ms)) console.log(`evaluation of 2,000 test images (${network}): ${ms.toFixed(1)} ms`);
  console.log(`page ready (median of 3 loads): ${report.page_ready_ms.toFixed(0)} ms`);
  console.log(`main thread while training 10 s at full speed: ${report.training_long_tasks.count} long tasks, longest ${report.training_long_tasks.longest_ms.toFixed(0)} ms (${report.training_long_tasks.steps_in_10s} steps trained)`);
  const net = report.network_long_tasks;
  console.log(`main thread with the Network view shown, 10 s at full speed: ${net.count} long tasks, longest ${net.longest_ms.toFixed(0)} ms (${net.steps_in_10s} steps trained, ${net.pruned ? 'through pruning' : 'no pruning yet'})`);
  const run = report.page_run;
  console.log(`the page's run (reference, gradual to 90%, ${run.epochs} epochs, SGD, batch ${run.batch_size}, ${run.steps} steps) at full speed, Play to finished: ${Math.round(run.page_samples_per_sec)} samples/s; the same run in the bench worker: ${Math.round(run.worker_samples_per_sec)} samples/s; ratio ${run.ratio.toFixed(2)}`);
  const sw = report.sweep;
  console.log(`Compare's sweep (default network, ${sw.strategies.join(', ')} × ${sw.points / sw.strategies.length} sparsities, ${sw.pretrain_epochs} dense + ${sw.finetune_epochs} fine-tune epoch(s), ${sw.workers} workers): ${sw.seconds.toFixed(1)} s (load average ${sw.load_before.toFixed(1)} before)`);
  console.log(`wasm: ${report.wasm_bytes} bytes (${report.wasm_gzip_bytes} gzipped)`);
  if (report.memory) {
    const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
    console.log(`4 strategies × ${report.memory.steps_per_run[0]} steps compared: peak JS heap ${mb(report.memory.js_heap_bytes)}, page wasm ${mb(report.memory.page_wasm_bytes)}, largest worker wasm ${mb(report.memory.worker_wasm_bytes)} (${report.memory.seconds.toFixed(0)} s)`);
  }
}

// The page's own run at full speed, timed from Play to the finished chunk (the app marks
// `prunelab-run-finished`), against the same link's run alone in the bench worker. The run is
// short (a few seconds), so three pairs are timed, each pair back to back, and the median taken.
async function pageRun(browser, site) {
  const pairs = [];
  for (let i = 0; i < 3; i += 1) pairs.push(await pageRunOnce(browser, site));
  pairs.sort((a, b) => a.ratio - b.ratio);
  return { ...pairs[1], ratios: pairs.map((p) => p.ratio) };
}

async function pageRunOnce(browser, site) {
  const hash = `arch=reference&strategy=magnitude&schedule=gradual&target=0.9&pretrain=${PAGE_RUN.pretrain}&finetune=${PAGE_RUN.finetune}&optimizer=sgd&batch=32&speed=max`;
  const context = await browser.newContext();
  const page = await context.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${site.url}#${hash}`);
  await page.waitForFunction(() => performance.getEntriesByName('prunelab-ready').length > 0, null, { timeout: 30000 });
  // Play is ignored until the worker has announced the run: press it until it takes.
  const started = await (await page.waitForFunction(() => {
    const t = performance.now();
    document.getElementById('play').click();
    return document.getElementById('play').getAttribute('aria-pressed') === 'true' && t;
  }, null, { polling: 50 })).jsonValue();
  await page.waitForFunction(() => performance.getEntriesByName('prunelab-run-finished').length > 0, null, { timeout: 600000, polling: 250 });
  const finished = await page.evaluate(() => performance.getEntriesByName('prunelab-run-finished')[0].startTime);
  const steps = Number((await page.textContent('#step-counter')).replace(/\D/g, ''));
  await page.goto(`${site.url}www/bench.html?mode=run#${hash}`);
  await page.waitForFunction(() => window.benchResults, null, { timeout: 600000 });
  const alone = await page.evaluate(() => window.benchResults);
  await context.close();
  if (alone.error) throw new Error(alone.error);
  if (alone.steps !== steps) throw new Error(`the page ran ${steps} steps, the bench worker ${alone.steps}`);
  const page_samples_per_sec = (steps * alone.batch_size) / ((finished - started) / 1000);
  const worker_samples_per_sec = (steps * alone.batch_size) / alone.seconds;
  return { epochs: PAGE_RUN.pretrain + PAGE_RUN.finetune, steps, batch_size: alone.batch_size, page_seconds: (finished - started) / 1000,
    worker_seconds: alone.seconds, page_samples_per_sec, worker_samples_per_sec, ratio: page_samples_per_sec / worker_samples_per_sec };
}

// Four strategies compared for 10,000 steps each; returns the peaks of the page's JS heap, the
// page's wasm memory and each worker's wasm memory, sampled every 2 s.
async function memoryRun(browser, site) {
  const context = await browser.newContext();
  const page = await context.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${site.url}#pretrain=10&finetune=10&schedule=gradual&target=0.9&view=compare`);
  await page.waitForFunction(() => performance.getEntriesByName('prunelab-ready').length > 0, null, { timeout: 30000 });
  for (const name of ['magnitude', 'random', 'taylor', 'rigl']) await page.check(`#compare-strategies input[value="${name}"]`);
  await page.click('#compare-run');
  const peak = { js_heap_bytes: 0, page_wasm_bytes: 0, worker_wasm_bytes: 0 };
  const started = Date.now();
  for (;;) {
    await page.waitForTimeout(2000);
    const m = await page.evaluate(() => window.prunelabMemory());
    peak.js_heap_bytes = Math.max(peak.js_heap_bytes, m.js_heap_bytes ?? 0);
    peak.page_wasm_bytes = Math.max(peak.page_wasm_bytes, m.page_wasm_bytes);
    peak.worker_wasm_bytes = Math.max(peak.worker_wasm_bytes, ...m.worker_wasm_bytes.map((b) => b ?? 0));
    if (await page.evaluate(() => document.getElementById('compare-status').textContent === 'All runs finished.')) break;
    if (Date.now() - started > 20 * 60 * 1000) throw new Error('the memory run did not finish in 20 minutes');
  }
  const steps = await page.$$eval('#compare-table tbody tr', (rows) => rows.map((r) => r.children[1].textContent));
  await context.close();
  return { ...peak, steps_per_run: steps, seconds: (Date.now() - started) / 1000 };
}

// Compare's sweep mode on the default network: 4 strategies × the default 7 sparsities, 1
// fine-tune epoch, the page's default pre-training, from Run sweep to the last point (the page
// times it and puts it on #sweep-status). Workers: the page's own choice (navigator.hardwareConcurrency, at most 4).
async function sweepRun(browser, site) {
  const strategies = ['magnitude', 'random', 'gradient', 'targeted-dropout'];
  const load = loadavg()[0];
  const context = await browser.newContext();
  const page = await context.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${site.url}#view=compare`);
  await page.waitForFunction(() => performance.getEntriesByName('prunelab-ready').length > 0, null, { timeout: 30000 });
  await page.check('#compare-mode input[value="sweep"]');
  for (const input of await page.$$('#compare-strategies input')) {
    const name = await input.getAttribute('value');
    if (strategies.includes(name ?? '')) await input.check(); else await input.uncheck();
  }
  await page.fill('#sweep-finetune', '1');
  const sparsities = await page.inputValue('#sweep-sparsities');
  await page.click('#sweep-run');
  await page.waitForFunction(() => document.getElementById('sweep-status')?.dataset.seconds, null, { timeout: 600000, polling: 250 });
  const seconds = Number(await page.getAttribute('#sweep-status', 'data-seconds'));
  // The page's words may change; the worker count is also kept as data.
  const workers = Number(await page.getAttribute('#sweep-note', 'data-workers'));
  const pretrain = await page.evaluate(() => Number(/(\d+) dense epoch/.exec(document.getElementById('sweep-settings')?.textContent ?? '')?.[1]));
  const points = await page.$$eval('#sweep-table tbody tr', (rows) => rows.length);
  await context.close();
  return { strategies, sparsities, points, pretrain_epochs: pretrain, finetune_epochs: 1, workers, seconds, load_before: load, cores: await coresOf(browser) };
}

async function coresOf(browser) {
  const page = await browser.newPage();
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.close();
  return cores;
}

// Long tasks (> 50 ms) on the main thread during 10 s of training at full speed on the default
// network with the Network view shown: the picture redrawn at every chart round, pruning steps
// animated. The run prunes after its first epoch, so the 10 s cover dense training and pruning.
async function networkLongTasks(browser, site) {
  const context = await browser.newContext();
  const page = await context.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${site.url}#pretrain=1&finetune=2&target=0.9&schedule=gradual&view=network&speed=max`);
  await page.waitForFunction(() => performance.getEntriesByName('prunelab-ready').length > 0, null, { timeout: 30000 });
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  });
  // Play is ignored until the worker has announced the run: press it until it takes.
  await page.waitForFunction(() => {
    document.getElementById('play').click();
    return document.getElementById('play').getAttribute('aria-pressed') === 'true';
  }, null, { polling: 50 });
  await page.waitForTimeout(10000);
  const tasks = await page.evaluate(() => window.longTasks);
  const steps = Number((await page.textContent('#step-counter')).replace(/\D/g, ''));
  const pruned = /^Connections shown: ([\d,]+) of ([\d,]+)/.exec(await page.textContent('#network-summary'));
  await context.close();
  return { count: tasks.length, longest_ms: tasks.length ? Math.max(...tasks) : 0, steps_in_10s: steps,
    pruned: Boolean(pruned && pruned[1] !== pruned[2]) };
}
