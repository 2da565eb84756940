#!/usr/bin/env node
// The peer benchmark (`make bench-peers`): PruneLab's browser training speed beside TensorFlow.js 4.22.0 in the
// same headless Chromium, on the reference network (conv 5×5×8 → pool → conv 5×5×16 → pool → dense 10; 5,994
// parameters), SGD with momentum 0.9, lr 0.01, batch 32, one thread, bundled digits, median of 3 timed windows
// after a warm-up. Runs, one after the other in one browser:
//   1. bench/peers/tfjs.html — TF.js in a Web Worker: the wasm backend (non-threaded build; the page is not
//      cross-origin isolated and the worker switches threads off) with a Conv2DBackpropFilter kernel registered
//      by tfjs-worker.js (see its header), then the pure-JS cpu backend, then a wasm-vs-cpu gradient check;
//   2. www/bench.html — PruneLab's own bench page; the reference network, dense (sparsity 0%), is taken.
// Set-up on first use: `npm ci --prefix bench/peers` (TF.js lives in its own package) and, if www/pkg is missing,
// scripts/build-web.sh.
//   node scripts/bench-peers.mjs [--json] [--seconds S]      (S: length of each timed window, default 1)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const json = args.includes('--json');
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 1;
const root = fileURLToPath(new URL('../', import.meta.url));
const setup = (what, file, command) => {
  if (existsSync(`${root}${file}`)) return;
  console.error(`bench-peers: ${what}`);
  execFileSync(command[0], command.slice(1), { cwd: root, stdio: ['ignore', 2, 2] });
};
setup('installing the repo npm packages', 'node_modules/playwright-core', ['npm', 'ci', '--no-audit', '--no-fund']);
setup('installing TF.js (bench/peers)', 'bench/peers/node_modules/@tensorflow/tfjs-backend-wasm',
  ['npm', 'ci', '--prefix', 'bench/peers', '--no-audit', '--no-fund']);
setup('building the site (www/pkg)', 'www/pkg/prunelab_bg.wasm', ['scripts/build-web.sh']);

const { launch } = await import('../tests/e2e/browser.mjs');
const { site, browser } = await launch(root);
const chromium = browser.version();
let tfjs;
let prunelab;
try {
  tfjs = await results(`bench/peers/tfjs.html?seconds=${seconds}`, 'peerResults');
  prunelab = await results(`www/bench.html?seconds=${seconds}`, 'benchResults');
} finally {
  await browser.close();
  site.server.close();
}
const reference = prunelab.training.find((r) => r.network === 'reference' && r.sparsity === 0);
const base = tfjs.wasm.samples_per_sec;
const rows = [
  { system: 'PruneLab (Rust → wasm, SIMD, one module worker)', samples_per_sec: reference.train_samples_per_sec },
  { system: `TF.js ${tfjs.tfjs_version} wasm backend (${tfjs.wasm.wasm_file.join(', ')}, one thread)`, samples_per_sec: base },
  { system: `TF.js ${tfjs.tfjs_version} cpu backend (pure JS)`, samples_per_sec: tfjs.cpu.samples_per_sec },
].map((r) => ({ ...r, ratio_to_tfjs_wasm: r.samples_per_sec / base }));
const report = {
  date: new Date().toISOString(), chromium, cores: cpus().length, seconds, batch_size: 32,
  data: tfjs.data, rows, prunelab_reference: reference, tfjs,
};

if (json) {
  console.log(JSON.stringify(report));
} else {
  console.log(`reference network (${reference.params} params), batch 32, training samples/s, median of 3 × ${seconds} s windows`);
  console.log(`Chromium ${report.chromium}, ${report.cores} cores, ${report.date}; data: the bundled digits (PruneLab: its training split; TF.js: ${tfjs.data})`);
  console.log(`${'system'.padEnd(68)} ${'samples/s'.padStart(9)}  ratio to TF.js wasm`);
  for (const r of rows) {
    console.log(`${r.system.padEnd(68)} ${Math.round(r.samples_per_sec).toString().padStart(9)}  ${r.ratio_to_tfjs_wasm.toFixed(2).padStart(6)}×`);
  }
  const check = tfjs.gradient_check;
  for (const c of check.filter_cases) {
    console.log(`gradient check, Conv2DBackpropFilter wasm vs cpu, x ${c.x.join('×')}, w ${c.w.join('×')}, ${c.pad}: max |diff| ${c.max_abs_diff.toExponential(2)} (max |grad| ${c.max_abs_grad.toFixed(2)})`);
  }
  console.log(`gradient check, all reference-network gradients on 8 digits, wasm vs cpu: max |diff| ${check.network_max_abs_diff.toExponential(2)} (max |grad| ${check.network_max_abs_grad.toFixed(2)})`);
}

// Opens `path`, waits for window[name], fails on a page error, a failed run or a request leaving 127.0.0.1.
async function results(path, name) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(site.url) && !r.url().startsWith('data:')) problems.push(`request left 127.0.0.1: ${r.url()}`); });
  await page.goto(`${site.url}${path}`);
  await page.waitForFunction((n) => window[n], name, { timeout: 600000 });
  const value = await page.evaluate((n) => window[n], name);
  await page.close();
  if (value.error) problems.push(value.error);
  if (problems.length) throw new Error(`${path}: ${problems.join('; ')}`);
  return value;
}
