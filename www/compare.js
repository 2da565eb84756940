// Compare mode: 2–4 strategies from the same initial weights and data order (same seed), each run
// in its own worker so they train in parallel on the user's cores.
import { fitCanvas } from './canvas.js';

export function setupCompare(state, core) {
  const $ = (id) => document.getElementById(id);
  const box = $('compare-strategies');
  const runs = [];
  let comparison = null;
  let pending = false;

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
  state.compareDone = () => runs.length > 0 && runs.every((run) => run.finished);
  state.setCompare = (names) => {
    for (const input of box.querySelectorAll('input')) input.checked = names.includes(input.value);
  };

  function draw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      if (!comparison) return;
      for (const kind of ['accuracy', 'kept', 'compute']) {
        const canvas = $(`compare-${kind}`);
        fitCanvas(canvas);
        comparison.draw_chart(canvas, kind);
      }
      const body = $('compare-table').querySelector('tbody');
      body.replaceChildren();
      for (const row of JSON.parse(comparison.table_json())) {
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
        if (!run.meta) return;
        fitCanvas(run.canvas);
        try { comparison.draw_heatmap(run.canvas, index, 0); } catch { /* no snapshot yet */ }
      });
    });
  }

  $('compare-run').addEventListener('click', () => {
    const names = [...box.querySelectorAll('input:checked')].map((i) => i.value);
    if (names.length < 2 || names.length > 4) {
      $('compare-status').textContent = 'Pick 2 to 4 strategies.';
      return;
    }
    for (const run of runs) run.worker.terminate();
    runs.length = 0;
    // Part of the saved session: a reload runs the same comparison again (runs are deterministic).
    state.compareNames = names;
    state.onCompareStart?.();
    comparison = new core.Comparison();
    const heatmaps = $('compare-heatmaps');
    heatmaps.replaceChildren();
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
      const run = { name, worker, canvas, index: null, meta: null };
      runs.push(run);
      worker.onmessage = ({ data }) => {
        if (data.type === 'meta') {
          run.meta = data.meta;
          // Add the runs in the order picked (not the order their workers answered), then start all.
          if (runs.every((r) => r.meta)) {
            for (const r of runs) {
              r.index = comparison.add_run(r.name, r.meta);
              r.worker.postMessage({ type: 'speed', steps: 100000 });
              r.worker.postMessage({ type: 'play' });
            }
          }
        } else if (data.type === 'chunk' && run.index != null) {
          comparison.append_json(run.index, data.chunk);
          run.memory = data.progress.wasm_memory_bytes;
          if (data.progress.finished) {
            run.finished = true;
            done += 1;
            $('compare-status').textContent = done === names.length ? 'All runs finished.' : `${done} of ${names.length} finished…`;
          }
          draw();
        } else if (data.type === 'error') {
          $('compare-status').textContent = `${name}: ${data.message}`;
        }
      };
      worker.postMessage({ type: 'start', config: JSON.stringify(config) });
    });
    $('compare-status').textContent = `Running ${names.join(', ')} from the same initial weights…`;
  });
}
