// The bench page: starts the worker(s), fills the table, exposes the results as window.benchResults.
// `?mode=scaling` measures compare mode's parallelism instead (1, 2, 4 workers at once).
import { byId as $, inside } from './dom.js';

const params = new URLSearchParams(location.search);
const seconds = Number(params.get('seconds') || 1);
/**
 * What the page measured; scripts/bench-web.mjs reads it as window.benchResults.
 * @type {{ training: object[], eval_ms: Record<string, number>, seconds: number, batch_size: number,
 *   scaling?: { workers: number, aggregate_samples_per_sec: number, per_worker: number[] }[], cores?: number }}
 */
const results = { training: [], eval_ms: {}, seconds, batch_size: 32 };
const body = inside(document, '#bench-table tbody');

if (params.get('mode') === 'run') {
  wholeRun();
} else if (params.get('mode') === 'scaling') {
  scaling().catch((error) => {
    $('bench-status').textContent = `Benchmark failed: ${error.message}`;
    window.benchResults = { error: error.message };
  });
} else {
  single();
}

// Every network and sparsity in one worker, then the evaluation time.
function single() {
  const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    if (data.type === 'result') {
      results.training.push(data);
      addRow([data.network, `${Math.round(100 * data.sparsity)}%`, data.kept_params.toLocaleString(),
        data.forward_macs_per_sample.toLocaleString(), Math.round(data.train_samples_per_sec).toLocaleString()]);
    } else if (data.type === 'eval') {
      results.eval_ms[data.network] = data.ms;
      $('bench-eval').textContent += ` ${data.network}: 2,000 test images evaluated in ${data.ms.toFixed(1)} ms.`;
    } else if (data.type === 'done') {
      $('bench-status').textContent = 'Done.';
      window.benchResults = results;
    } else if (data.type === 'error') {
      $('bench-status').textContent = `Benchmark failed: ${data.message}`;
      window.benchResults = { error: data.message };
    }
  };
  worker.postMessage({ networks: ['reference', 'default'], sparsities: [0, 0.5, 0.75, 0.9, 0.95], batchSize: 32, seconds });
}

// `?mode=run#<link>`: that link's whole run alone in the bench worker (scripts/bench-web.mjs
// compares the page's own run with it).
function wholeRun() {
  const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    worker.terminate();
    if (data.type === 'run') {
      addRow([`the link's run, ${data.steps} steps`, '', '', '', Math.round((data.steps * data.batch_size) / data.seconds).toLocaleString()]);
      $('bench-status').textContent = 'Done.';
      window.benchResults = data;
    } else {
      $('bench-status').textContent = `Benchmark failed: ${data.message}`;
      window.benchResults = { error: data.message };
    }
  };
  worker.postMessage({ hash: location.hash.slice(1) });
}

// Compare mode's parallelism: 1, 2 and 4 workers train the default network at once (as compare
// runs one strategy per worker); the aggregate is the sum of their samples/s.
async function scaling() {
  results.scaling = [];
  results.cores = navigator.hardwareConcurrency;
  for (const count of [1, 2, 4]) {
    const runs = Array.from({ length: count }, () => new Promise(/** @param {(rate: number) => void} resolve */ (resolve, reject) => {
      const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { type: 'module' });
      worker.onmessage = ({ data }) => {
        if (data.type === 'result') resolve(data.train_samples_per_sec);
        else if (data.type === 'error') reject(new Error(data.message));
        if (data.type !== 'result') worker.terminate();
      };
      worker.postMessage({ networks: ['default'], sparsities: [0], batchSize: 32, seconds, evaluate: false });
    }));
    const rates = await Promise.all(runs);
    const aggregate = rates.reduce((a, b) => a + b, 0);
    results.scaling.push({ workers: count, aggregate_samples_per_sec: aggregate, per_worker: rates });
    addRow([`default × ${count} workers`, '0%', '', '', Math.round(aggregate).toLocaleString()]);
  }
  $('bench-status').textContent = `Done (${results.cores} cores reported).`;
  window.benchResults = results;
}

/** @param {string[]} texts */
function addRow(texts) {
  const row = document.createElement('tr');
  for (const text of texts) {
    const cell = document.createElement('td');
    cell.textContent = text;
    row.append(cell);
  }
  body.append(row);
}
