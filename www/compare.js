// Compare mode: 2–4 runs from the same initial weights and data order (same seed), each run in its
// own worker so they train in parallel on the user's cores. A run is either a strategy (run with
// the page's edited settings) or a full configuration from a link hash (a lesson's runs).
import { fitCanvas } from './canvas.js';
import { offerData } from './chart-data.js';
import { byId as $, all, inside, field } from './dom.js';
import { fillDefaults } from './explain.js';
import { startTrainingWorker } from './assets.js';
import { remakeCompareCards, showCompareCards } from './compare-card.js';
import { setupSweep } from './sweep.js';
import { language, messageLine, onLanguageChange, t } from './i18n.js';

/** @typedef {import('./app.js').PageState} PageState */
/** @typedef {import('./types.js').CompareRow} CompareRow */
/** @typedef {import('./types.js').CompareRunSpec} CompareRunSpec */
/** @typedef {import('./types.js').RunConfig} RunConfig */
/** @typedef {import('./types.js').Progress} Progress */

/**
 * One compared run and its worker.
 * @typedef {object} CompareRun
 * @property {string} id the strategy name or the lesson run's id (the Comparison's run id)
 * @property {string} label what the page calls it, in the language shown
 * @property {CompareRunSpec} spec the run as the session saves it (its label kept up to date)
 * @property {string | null} strategy the ticked strategy it runs (named by the strategy's label), or
 *   null for a configuration given with its label (a lesson's run)
 * @property {Worker} worker
 * @property {HTMLCanvasElement} canvas
 * @property {number | null} index its index in the Comparison, once added
 * @property {string | null} meta the worker's meta JSON, once it answered
 * @property {Progress | null} progress its latest progress
 * @property {number | null} [memory] the worker's wasm memory in bytes
 * @property {boolean} [finished]
 * @property {boolean} [failed] its worker crashed or went silent
 * @property {boolean} awaiting the worker owes us a message (starting or playing), so silence is a fault
 * @property {number} lastHeard performance.now() of its last message
 */

// A worker that stops answering while it owes a message (killed by the browser, out of memory)
// is treated like a crash, as the main worker is in app.js.
const WATCHDOG_MS = 15000;
// Compared runs redraw at most this often (several workers stream at full speed).
const DRAW_INTERVAL_MS = 250;

/**
 * A count as people write it: 8.3 G, 512 k, 740.
 * @param {number} value
 */
export function peopleNumber(value) {
  const units = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of /** @type {[number, string][]} */ (units)) {
    if (Math.abs(value) >= size) return `${(value / size).toFixed(value / size >= 100 ? 0 : 1)} ${unit}`;
  }
  return value.toLocaleString('en');
}

/**
 * @param {PageState} state
 * @param {typeof import('./pkg/prunelab.js')} core
 */
export function setupCompare(state, core) {
  const box = $('compare-strategies');
  let catalog = JSON.parse(core.catalog_json(language()));
  /** @type {Record<string, string>} the strategies' labels in the page's language (updated in place) */
  const strategyLabels = {};
  const labelStrategies = () => Object.assign(strategyLabels, Object.fromEntries(catalog.strategies.map((/** @type {{name: string, label: string}} */ s) => [s.name, fillDefaults(s.label, catalog.defaults)])));
  labelStrategies();
  /** @type {CompareRun[]} */
  const runs = [];
  /** @type {import('./pkg/prunelab.js').Comparison | null} */
  let comparison = null;
  // Runs given as full configurations (setCompare with objects); null: the ticked strategies.
  /** @type {(string | CompareRunSpec)[] | null} */
  let given = null;
  let pending = false;
  let lastDraw = 0;
  state.onCompareFinished = null;

  // The status line remembers its message, to write it again (with the runs' new labels) in a new language.
  const statusLine = messageLine(() => $('compare-status'));
  const status = statusLine.show;

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
    const resume = () => {
      const button = document.createElement('button');
      button.textContent = t('page.compare.resume');
      button.id = 'compare-resume';
      button.addEventListener('click', () => startCompare());
      return [button];
    };
    status('page.compare.worker_failed', () => ({ label: run.label, reason }), { error: true, after: resume });
  }

  setInterval(() => {
    const silent = runs.find((run) => run.awaiting && performance.now() - run.lastHeard > WATCHDOG_MS);
    if (silent) runFailed(silent, t('page.compare.silent', { seconds: String(WATCHDOG_MS / 1000) }));
  }, 2000);

  for (const { name } of catalog.strategies) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.value = name;
    input.checked = name === 'magnitude' || name === 'random';
    const text = document.createElement('span');
    text.dataset.strategy = name;
    text.textContent = strategyLabels[name] || name;
    label.append(input, ' ', text);
    box.append(label);
  }
  // A new language: the core's labels in it, for the boxes, the settings line and the sweep.
  onLanguageChange((lang) => {
    catalog = JSON.parse(core.catalog_json(lang));
    labelStrategies();
    for (const text of all('span[data-strategy]', HTMLElement, box)) text.textContent = strategyLabels[text.dataset.strategy ?? ''] || '';
  });
  box.addEventListener('change', () => { given = null; describe(); });
  $('compare-choose').addEventListener('click', () => { given = null; describe(); });
  state.compareMemory = () => runs.map((run) => run.memory ?? null);
  // The compared runs' workers, which keep their runs after finishing (the lesson panel times them).
  state.compareWorkers = () => runs.map((run) => ({ id: run.id, label: run.label, worker: run.worker }));

  /**
   * Runs are strategy names (run with the edited settings) or full configurations.
   * @param {(string | CompareRunSpec)[]} list
   */
  state.setCompare = (list) => {
    const names = list.filter((r) => typeof r === 'string');
    if (names.length === list.length) {
      given = null;
      for (const input of all('input', HTMLInputElement, box)) input.checked = names.includes(input.value);
    } else {
      given = [...list];
    }
    describe();
  };
  state.startCompare = () => startCompare();

  /** @returns {(string | CompareRunSpec)[]} */
  function chosen() {
    return given || all('input:checked', HTMLInputElement, box).map((i) => i.value);
  }

  /**
   * A choice's label in the language shown (the catalog's), or its name when the catalog lacks it.
   * @param {{ name: string, label: string }[]} list
   * @param {string} name
   */
  const choiceLabel = (list, name) => fillDefaults(list.find((x) => x.name === name)?.label || name, catalog.defaults);

  /**
   * The settings shown for a configuration, in words.
   * @param {RunConfig} c
   */
  function settingsText(c) {
    const network = core.preset_name(JSON.stringify(c.architecture)) || core.architecture_text(JSON.stringify(c.architecture));
    return t('page.compare.settings', {
      schedule: choiceLabel(catalog.schedules, c.prune.schedule),
      sparsity: String(Math.round(100 * c.prune.target_sparsity)),
      pretrain: String(c.prune.pretrain_epochs),
      finetune: String(c.prune.finetune_epochs),
      scope: choiceLabel(catalog.scopes, c.prune.scope),
      granularity: choiceLabel(catalog.granularities, c.prune.granularity),
      optimizer: choiceLabel(catalog.optimizers, c.train.optimizer),
      lr: String(c.train.learning_rate),
      batch: String(c.train.batch_size),
      seed: String(c.train.seed),
      network,
    });
  }

  // Says which settings the comparison will use (or is using), next to the button.
  function describe() {
    const list = chosen();
    const configs = resolve(list);
    const line = $('compare-settings');
    box.hidden = given !== null && $('sweep-mode').hidden;
    $('compare-choose').hidden = given === null;
    if (given) {
      const list = configs.map((r) => `${r.label} (${r.label === strategyLabels[r.config.prune.strategy] ? '' : `${strategyLabels[r.config.prune.strategy] || r.config.prune.strategy}; `}${settingsText(r.config)})`);
      line.textContent = t('page.compare.runs_these', { list: list.join('; ') });
    } else {
      const edited = JSON.stringify(state.config) !== JSON.stringify(state.runConfig);
      line.textContent = t(edited ? 'page.compare.runs_edited' : 'page.compare.runs_left', { settings: settingsText(state.config) });
    }
  }
  $('settings').addEventListener('change', () => { if (!given) describe(); });
  // While Compare is shown it is the focus: its progress replaces the main run's header counters,
  // and its charts and settings line are brought up to date.
  new MutationObserver(() => {
    const shown = !$('view-compare').hidden;
    document.body.classList.toggle('compare-focus', shown);
    if (shown) { describe(); render(); }
  }).observe($('view-compare'), { attributes: true, attributeFilter: ['hidden'] });

  /**
   * Each run's id, label and full configuration.
   * @param {(string | CompareRunSpec)[]} list
   * @returns {{ id: string, label: string, config: RunConfig, notices: string[], spec: CompareRunSpec, strategy: string | null }[]}
   */
  function resolve(list) {
    return list.map((entry) => {
      if (typeof entry === 'string') {
        /** @type {RunConfig} */
        const config = JSON.parse(JSON.stringify(state.config));
        config.prune.strategy = entry;
        const label = strategyLabels[entry] || entry;
        const spec = { id: entry, label, hash: core.encode_hash(JSON.stringify(config), '[]') };
        return { id: entry, label, config, notices: [], spec, strategy: entry };
      }
      const decoded = JSON.parse(core.decode_hash_json(entry.hash));
      return { id: entry.id, label: entry.label, config: decoded.config, notices: decoded.notices, spec: entry, strategy: null };
    });
  }

  // Redraws at most every DRAW_INTERVAL_MS while the workers stream.
  function draw() {
    if (pending) return;
    pending = true;
    const wait = Math.max(0, DRAW_INTERVAL_MS - (performance.now() - lastDraw));
    setTimeout(() => requestAnimationFrame(() => {
      pending = false;
      render();
    }), wait);
  }

  function render() {
    lastDraw = performance.now();
    if (!comparison) return;
    drawProgress();
    if ($('view-compare').hidden) return;
    for (const kind of ['accuracy', 'kept', 'compute']) {
      const canvas = $(`compare-${kind}`, HTMLCanvasElement);
      fitCanvas(canvas);
      comparison.draw_chart(canvas, kind, language());
      const drawn = comparison;
      offerData(canvas, () => drawn.chart_data_json(kind, language()));
    }
    drawTable(comparison);
    const tensor = Number(field('compare-tensor').value || 0);
    for (const run of runs) {
      if (run.index == null) continue;
      fitCanvas(run.canvas);
      try {
        comparison.draw_heatmap(run.canvas, run.index, tensor, language());
        run.canvas.hidden = false;
        const drawn = comparison;
        const index = run.index;
        offerData(run.canvas, () => drawn.heatmap_data_json(index, tensor, language()));
      } catch { /* no snapshot yet */ }
    }
  }

  /** @param {import('./pkg/prunelab.js').Comparison} current */
  function drawTable(current) {
    const body = inside($('compare-table'), 'tbody');
    body.replaceChildren();
    for (const row of /** @type {CompareRow[]} */ (JSON.parse(current.table_json()))) {
      const tr = document.createElement('tr');
      const cells = [row.label, row.step.toLocaleString('en'),
        row.test_accuracy == null ? '–' : `${(100 * row.test_accuracy).toFixed(2)}%`,
        row.kept == null ? '–' : row.kept.toLocaleString('en'),
        row.sparsity == null ? '–' : `${(100 * row.sparsity).toFixed(1)}%`,
        peopleNumber(row.macs_actual), `${row.energy_joules.toFixed(3)} J`];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      body.append(tr);
    }
  }

  // Compare's own progress: one line per run here, and a summary in the header while Compare is shown.
  function drawProgress() {
    const list = $('compare-progress');
    list.replaceChildren(...runs.map((run) => {
      const item = document.createElement('li');
      const p = run.progress;
      const bar = document.createElement('progress');
      bar.max = p?.planned_steps || 1;
      bar.value = p?.step || 0;
      bar.setAttribute('aria-label', t('a11y.compare_run_progress', { label: run.label }));
      let text = t('page.compare.progress.starting');
      if (run.failed) {
        text = t('page.compare.progress.stopped');
      } else if (p) {
        const phase = t(`page.phase.${p.phase}`);
        const counts = t('page.compare.progress.step', { step: p.step, steps: p.planned_steps, phase, kept: p.kept, total: p.total });
        text = run.finished ? t('page.compare.progress.finished', { progress: counts }) : counts;
      }
      item.append(`${run.label}: `, bar, ` ${text}`);
      return item;
    }));
    const done = runs.filter((r) => r.finished).length;
    const steps = runs.reduce((sum, r) => sum + (r.progress?.step || 0), 0);
    const planned = runs.reduce((sum, r) => sum + (r.progress?.planned_steps || 0), 0);
    $('compare-counters').textContent = runs.length
      ? t('page.compare.counters', { done: String(done), count: String(runs.length), percent: String(planned ? Math.floor(100 * steps / planned) : 0) })
      : t('page.compare.not_started');
  }

  function fillTensors() {
    if (!comparison) return;
    const select = $('compare-tensor', HTMLSelectElement);
    const previous = select.value;
    select.replaceChildren(.../** @type {string[]} */ (JSON.parse(comparison.tensors_json())).map((name, index) => {
      const option = document.createElement('option');
      option.value = String(index);
      option.textContent = name.replace(/\.weight$/, '');
      return option;
    }));
    if (previous && Number(previous) < select.options.length) select.value = previous;
  }
  $('compare-tensor').addEventListener('change', render);

  function startCompare() {
    const list = chosen();
    if (list.length < 2 || list.length > 4) {
      status('page.compare.pick');
      return;
    }
    const configs = resolve(list);
    for (const run of configs) {
      const check = JSON.parse(core.check_config_json(JSON.stringify(run.config), language()));
      if (!check.ok) {
        status('page.compare.run_problem', { label: run.label, message: check.message }, { error: true });
        return;
      }
    }
    for (const run of runs) run.worker.terminate();
    runs.length = 0;
    // Part of the saved session, as full configurations: a reload runs the same comparison again.
    state.compareNames = configs.map((r) => r.spec);
    state.onCompareStart?.();
    const current = new core.Comparison();
    comparison = current;
    $('compare-results').hidden = false;
    const heatmaps = $('compare-heatmaps');
    heatmaps.replaceChildren();
    $('compare-cards').replaceChildren();
    let done = 0;
    configs.forEach(({ id, label, config, spec, strategy }) => {
      const worker = startTrainingWorker();
      const canvas = document.createElement('canvas');
      canvas.className = 'chart tall';
      canvas.hidden = true;
      canvas.setAttribute('aria-label', t('a11y.compare_run_weights', { label }));
      heatmaps.append(canvas);
      /** @type {CompareRun} */
      const run = { id, label, spec, strategy, worker, canvas, index: null, meta: null, progress: null, awaiting: true, lastHeard: performance.now() };
      runs.push(run);
      worker.onmessage = (/** @type {MessageEvent<import('./types.js').WorkerReply>} */ { data }) => {
        if (comparison !== current) return;
        run.lastHeard = performance.now();
        if (data.type === 'meta') {
          run.meta = data.meta;
          run.progress = data.progress;
          run.awaiting = false;
          // Add the runs in the order picked (not the order their workers answered), then start all.
          if (runs.every((r) => r.meta)) {
            for (const r of runs) {
              r.index = current.add_run(r.id, /** @type {string} */ (r.meta));
              current.set_label(r.index, r.label);
              r.worker.postMessage({ type: 'speed', steps: 100000 });
              r.worker.postMessage({ type: 'play' });
              r.awaiting = true;
              r.lastHeard = performance.now();
            }
            fillTensors();
          }
          draw();
        } else if (data.type === 'chunk' && run.index != null) {
          current.append_json(run.index, data.chunk);
          run.progress = data.progress;
          current.set_dense_accuracy(run.index, data.progress.dense_test_accuracy ?? undefined);
          run.memory = data.progress.wasm_memory_bytes;
          if (data.progress.finished && !run.finished) {
            run.finished = true;
            run.awaiting = false;
            done += 1;
            // Everything on screen shows the final records before the status says so.
            render();
            // A failure stays on screen until the comparison runs again.
            if (!runs.some((r) => r.failed)) status(done === configs.length ? 'page.compare.all_finished' : 'page.compare.some_finished', { done: String(done), count: String(configs.length) });
            if (done === configs.length) {
              showCompareCards(current, runs, $('compare-cards'), () => comparison === current);
              state.onCompareFinished?.(current);
            }
          } else {
            draw();
          }
        } else if (data.type === 'crashed') {
          runFailed(run, data.message);
        } else if (data.type === 'error') {
          // The worker paused at its last good state (e.g. a diverging loss): it owes nothing more.
          run.awaiting = false;
          status('page.compare.run_problem', () => ({ label: run.label, message: data.message }), { error: true });
        }
      };
      worker.onerror = (event) => runFailed(run, event.message || t('page.compare.unknown_error'));
      worker.postMessage({ type: 'start', config: JSON.stringify(config), lang: language() });
    });
    // By the runs' labels when written: a new language names them anew.
    const started = runs.slice();
    const labels = () => started.map((r) => r.label).join(t('page.list_separator'));
    const notices = () => configs.flatMap((r, at) => r.notices.map((n) => `${started[at].label}: ${n}`)).join('; ');
    if (configs.some((r) => r.notices.length)) status('page.compare.running_notices', () => ({ labels: labels(), notices: notices() }));
    else status('page.compare.running', () => ({ labels: labels() }));
    describe();
    drawProgress();
  }

  $('compare-run').addEventListener('click', startCompare);
  describe();
  drawProgress();
  /**
   * Names the runs anew, keeping the comparison, its runs and their results: a ticked strategy's
   * run by the strategy's label, a run given as a configuration by `labelOf` (undefined: it keeps
   * its label). Then the settings line, the progress, the status, the charts and the table are
   * written again. For a new language: Compare's own labels here, a lesson's runs by the lesson
   * panel (state.relabelCompare), each after reading its labels in that language.
   * @param {(spec: CompareRunSpec) => string | undefined} labelOf
   */
  function relabel(labelOf) {
    const renamed = (/** @type {CompareRunSpec} */ spec) => ({ ...spec, label: labelOf(spec) ?? spec.label });
    if (given) given = given.map((entry) => (typeof entry === 'string' ? entry : renamed(entry)));
    for (const run of runs) {
      run.spec = run.strategy ? { ...run.spec, label: strategyLabels[run.strategy] || run.strategy } : renamed(run.spec);
      run.label = run.spec.label;
      run.canvas.setAttribute('aria-label', t('a11y.compare_run_weights', { label: run.label }));
      if (run.index != null) comparison?.set_label(run.index, run.label);
    }
    // The saved session names the runs as shown.
    if (runs.length) state.compareNames = runs.map((run) => run.spec);
    describe();
    drawProgress();
    statusLine.again();
    remakeCompareCards();
    if (!$('view-compare').hidden) render();
  }
  state.relabelCompare = relabel;
  // A new language: the strategies' runs relabelled (a lesson's by the lesson panel), the settings
  // line, the counters, the status and the charts' words written again.
  onLanguageChange(() => relabel(() => undefined));

  // The mode switch: side by side (above) or a sweep over sparsities (www/sweep.js), which uses
  // the ticked strategies (1–4) whatever configurations a lesson gave the side-by-side mode.
  const sweep = setupSweep(state, core, {
    strategies: () => all('input:checked', HTMLInputElement, box).map((i) => i.value),
    labels: strategyLabels,
    peopleNumber,
    scopeLabel: (name) => choiceLabel(catalog.scopes, name),
  });
  $('compare-mode').addEventListener('change', () => {
    const sweeping = all('input[name="compare-mode"]:checked', HTMLInputElement)[0]?.value === 'sweep';
    $('sweep-mode').hidden = !sweeping;
    $('compare-side').hidden = sweeping;
    $('compare-intro').hidden = sweeping;
    box.hidden = sweeping ? false : given !== null;
    if (sweeping) sweep.render(); else describe();
  });
}
