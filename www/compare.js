// Compare mode: 2–4 strategies from the same initial weights and data order (same seed), each run
// in its own worker so they train in parallel on the user's cores.
import { fitCanvas } from './canvas.js';
import { byId as $, all, inside } from './dom.js';
import { showCompareCards } from './compare-card.js';

/** @typedef {import('./app.js').PageState} PageState */
/** @typedef {import('./types.js').CompareRow} CompareRow */

/**
 * One compared strategy and its worker.
 * @typedef {object} CompareRun
 * @property {string} name
 * @property {Worker} worker
 * @property {HTMLCanvasElement} canvas
 * @property {number | null} index its index in the Comparison, once added
 * @property {string | null} meta the worker's meta JSON, once it answered
 * @property {number | null} [memory] the worker's wasm memory in bytes
 * @property {boolean} [finished]
 * @property {boolean} [failed] its worker crashed or went silent
 * @property {boolean} awaiting the worker owes us a message (starting or playing), so silence is a fault
 * @property {number} lastHeard performance.now() of its last message
 */

// A worker that stops answering while it owes a message (killed by the browser, out of memory)
// is treated like a crash, as the main worker is in app.js.
const WATCHDOG_MS = 15000;

/**
 * @param {PageState} state
 * @param {typeof import('./pkg/prunelab.js')} core
 */
export function setupCompare(state, core) {
  const box = $('compare-strategies');
  /** @type {CompareRun[]} */
  const runs = [];
  /** @type {import('./pkg/prunelab.js').Comparison | null} */
  let comparison = null;
  let pending = false;

  /**
   * @param {string} text
   * @param {boolean} [isError]
   */
  function status(text, isError = false) {
    const line = $('compare-status');
    line.textContent = text;
    line.classList.toggle('error', isError);
  }

  // A run's worker failed (a script error, a trap in its wasm, or silence): stop it and say so.
  // Runs are deterministic, so running the comparison again rebuilds every run exactly.
  /**
   * @param {CompareRun} run
   * @param {string} reason
   */
  function runFailed(run, reason) {
    run.awaiting = false;
    run.failed = true;
    run.worker.terminate();
    status(`The ${run.name} worker stopped unexpectedly (${reason}). Nothing is lost: “Resume” runs the comparison again from the same initial weights.`, true);
    const button = document.createElement('button');
    button.textContent = 'Resume';
    button.id = 'compare-resume';
    button.addEventListener('click', () => $('compare-run').click());
    $('compare-status').append(' ', button);
  }

  setInterval(() => {
    const silent = runs.find((run) => run.awaiting && performance.now() - run.lastHeard > WATCHDOG_MS);
    if (silent) runFailed(silent, `it has not answered for ${WATCHDOG_MS / 1000} s`);
  }, 2000);

  for (const { name } of JSON.parse(core.catalog_json()).strategies) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.value = name;
    input.checked = name === 'magnitude' || name === 'random';
    label.append(input, ` ${name}`);
    box.append(label);
  }
  state.compareMemory = () => runs.map((run) => run.memory ?? null);
  state.setCompare = (names) => {
    for (const input of all('input', HTMLInputElement, box)) input.checked = names.includes(input.value);
  };

  function draw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      if (!comparison) return;
      for (const kind of ['accuracy', 'kept', 'compute']) {
        const canvas = $(`compare-${kind}`, HTMLCanvasElement);
        fitCanvas(canvas);
        comparison.draw_chart(canvas, kind);
      }
      const body = inside($('compare-table'), 'tbody');
      body.replaceChildren();
      for (const row of /** @type {CompareRow[]} */ (JSON.parse(comparison.table_json()))) {
        const tr = document.createElement('tr');
        const cells = [row.label, row.step.toLocaleString(),
          row.test_accuracy == null ? '–' : `${(100 * row.test_accuracy).toFixed(2)}%`,
          row.kept == null ? '–' : row.kept.toLocaleString(),
          row.sparsity == null ? '–' : `${(100 * row.sparsity).toFixed(1)}%`,
          row.macs_actual.toExponential(3), `${row.energy_joules.toFixed(3)} J`];
        for (const text of cells) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.append(td);
        }
        body.append(tr);
      }
      runs.forEach((run, index) => {
        if (!run.meta || !comparison) return;
        fitCanvas(run.canvas);
        try { comparison.draw_heatmap(run.canvas, index, 0); } catch { /* no snapshot yet */ }
      });
    });
  }

  $('compare-run').addEventListener('click', () => {
    const names = all('input:checked', HTMLInputElement, box).map((i) => i.value);
    if (names.length < 2 || names.length > 4) {
      status('Pick 2 to 4 strategies.');
      return;
    }
    for (const run of runs) run.worker.terminate();
    runs.length = 0;
    // Part of the saved session: a reload runs the same comparison again (runs are deterministic).
    state.compareNames = names;
    state.onCompareStart?.();
    const current = new core.Comparison();
    comparison = current;
    const heatmaps = $('compare-heatmaps');
    heatmaps.replaceChildren();
    $('compare-cards').replaceChildren();
    const base = state.runConfig || state.config;
    let done = 0;
    names.forEach((name) => {
      const config = JSON.parse(JSON.stringify(base));
      config.prune.strategy = name;
      const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      const canvas = document.createElement('canvas');
      canvas.className = 'chart tall';
      canvas.setAttribute('aria-label', `${name} weights`);
      heatmaps.append(canvas);
      /** @type {CompareRun} */
      const run = { name, worker, canvas, index: null, meta: null, awaiting: true, lastHeard: performance.now() };
      runs.push(run);
      worker.onmessage = (/** @type {MessageEvent<import('./types.js').WorkerReply>} */ { data }) => {
        run.lastHeard = performance.now();
        if (data.type === 'meta') {
          run.meta = data.meta;
          run.awaiting = false;
          // Add the runs in the order picked (not the order their workers answered), then start all.
          if (runs.every((r) => r.meta)) {
            for (const r of runs) {
              r.index = current.add_run(r.name, /** @type {string} */ (r.meta));
              r.worker.postMessage({ type: 'speed', steps: 100000 });
              r.worker.postMessage({ type: 'play' });
              r.awaiting = true;
              r.lastHeard = performance.now();
            }
          }
        } else if (data.type === 'chunk' && run.index != null) {
          current.append_json(run.index, data.chunk);
          current.set_dense_accuracy(run.index, data.progress.dense_test_accuracy ?? undefined);
          run.memory = data.progress.wasm_memory_bytes;
          if (data.progress.finished) {
            run.finished = true;
            run.awaiting = false;
            done += 1;
            // A failure stays on screen until the comparison runs again.
            if (!runs.some((r) => r.failed)) status(done === names.length ? 'All runs finished.' : `${done} of ${names.length} finished…`);
            if (done === names.length) showCompareCards(current, runs, $('compare-cards'), () => comparison === current);
          }
          draw();
        } else if (data.type === 'crashed') {
          runFailed(run, data.message);
        } else if (data.type === 'error') {
          // The worker paused at its last good state (e.g. a diverging loss): it owes nothing more.
          run.awaiting = false;
          status(`${name}: ${data.message}`, true);
        }
      };
      worker.onerror = (event) => runFailed(run, event.message || 'unknown error');
      worker.postMessage({ type: 'start', config: JSON.stringify(config) });
    });
    status(`Running ${names.join(', ')} from the same initial weights…`);
  });
}
