#!/usr/bin/env node
// The browser benchmark (run `scripts/build-web.sh` first; `make bench-web` does both):
// training samples/s in one module worker of headless Chromium (reference and default networks,
// dense and sparse), compare mode's scaling over 1, 2 and 4 workers, test-set evaluation time,
// the playground's page-ready time, the longest main-thread task while a run trains at full
// speed, and the wasm size.
//   node scripts/bench-web.mjs [--json] [--seconds S] [--memory]
// --memory adds the long-run memory check: four strategies compared over 10,000 steps each
// (20 epochs), sampling the page's JS heap and every wasm memory until they finish (a few minutes).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/e2e/browser.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 1;
const root = fileURLToPath(new URL('../', import.meta.url));
const { site, browser } = await launch(root);
const report = {};
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
  console.log(`wasm: ${report.wasm_bytes} bytes (${report.wasm_gzip_bytes} gzipped)`);
  if (report.memory) {
    const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
    console.log(`4 strategies × ${report.memory.steps_per_run[0]} steps compared: peak JS heap ${mb(report.memory.js_heap_bytes)}, page wasm ${mb(report.memory.page_wasm_bytes)}, largest worker wasm ${mb(report.memory.worker_wasm_bytes)} (${report.memory.seconds.toFixed(0)} s)`);
  }
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
