// The page: controls, URL hash, the training worker, and drawing. All numbers come from the wasm
// core (the worker runs, the page's Viewer draws); this file moves messages and pixels.
import initWasm, * as core from './pkg/prunelab.js';
import { STRATEGIES, SCHEDULES, fillDefaults } from './explain.js';
import { fitCanvas, downloadBlob } from './canvas.js';
import { offerData } from './chart-data.js';
import { byId as $, all, field, inside, messageOf } from './dom.js';
import { setupCompare } from './compare.js';
import { setupTry } from './try.js';
import { setupCard } from './card.js';
import { setupTabs, markSelectedTab } from './tabs.js';
import { keyBelongsToControl } from './shortcuts.js';
import { setupLessonPanel } from './lesson-panel.js';
import { measureTime } from './timing.js';
import { showTargetMissed } from './target-missed.js';
import { setupGlossary } from './glossary.js';
import { t, formatNumber as num, formatPercent, language, setLanguage, initialLanguage, isLang, messageLine, onLanguageChange } from './i18n.js';
import { wasmSource, startTrainingWorker } from './assets.js';
import { setupFormNotes } from './form-notes.js';
import { downloadAllCharts } from './export.js';
import { setupInspect } from './inspect.js';
import { setupPace } from './pace.js';
import { setupNetwork } from './network.js';

/** @typedef {import('./types.js').RunConfig} RunConfig */
/** @typedef {import('./types.js').Progress} Progress */
/** @typedef {import('./types.js').Summary} Summary */
/** @typedef {import('./types.js').WorkerReply} WorkerReply */

/**
 * Everything the page remembers; compare.js and try.js add their hooks to it.
 * @typedef {object} PageState
 * @property {RunConfig} config the RunConfig being edited (JSON object)
 * @property {RunConfig | null} runConfig the RunConfig of the running session
 * @property {Record<string, string | undefined>} ui view options from the hash (view, hide, embed, lesson)
 * @property {core.Viewer | null} viewer
 * @property {Worker} worker
 * @property {boolean} playing
 * @property {boolean} finished
 * @property {Progress | null} progress
 * @property {string} view
 * @property {number | null} scrub the step the weight views show, or null to follow the run
 * @property {boolean} drawPending
 * @property {(() => void) | null} [onRunFinished] called when the main run has finished (the lesson panel)
 * @property {() => { id: string, label: string, worker: Worker }[]} [compareWorkers] the compared runs' workers
 * @property {boolean} [restoring] the worker is replaying a run to a saved step
 * @property {number | null} [restoredFrom] the step a restored or imported run resumes at
 * @property {boolean} [stalled] the watchdog has reported the worker silent
 * @property {string} [runHash] the hash of the running session
 * @property {(string | import('./types.js').CompareRunSpec)[]} [compareNames] the runs of the last comparison (saved with the session)
 * @property {boolean} [readyMarked]
 * @property {boolean} [chartsDeferred]
 * @property {Record<string, (message: any) => void>} [handlers] worker replies handled by other modules
 * @property {() => (number | null)[]} [compareMemory]
 * @property {(runs: (string | import('./types.js').CompareRunSpec)[]) => void} [setCompare] strategy names (run with the
 *   edited settings) or full configurations from a hash; see www/compare.js
 * @property {() => void} [startCompare] starts the comparison (the "Run comparison" button)
 * @property {(labelOf: (spec: import('./types.js').CompareRunSpec) => string | undefined) => void} [relabelCompare]
 *   names the compared runs given as configurations anew (a lesson's, in a new language); see www/compare.js
 * @property {((comparison: core.Comparison) => void) | null} [onCompareFinished] called once every compared run finished
 * @property {() => void} [onCompareStart]
 * @property {() => void} [redrawWeightMaps] redraws the weight maps (when the inspected weight moves)
 * @property {{ from: number, step: number } | null} [pruneHighlight] a pruning step held at teaching pace (pace.js)
 * @property {() => void} [onRunUpdate] called after each meta and chunk (card.js)
 * @property {() => void} [followTry] asks for the feature maps again if the run changed (feature-maps.js)
 * @property {(view: string) => void} [showView] shows a view (drill-down.js)
 * @property {(tile: number, row: number) => void} [focusWeightTile] puts the weight cursor on a tile (drill-down.js)
 */

/** @type {PageState} */
const state = {
  // Set by readHash() in main(), before anything reads it.
  config: /** @type {RunConfig} */ (/** @type {unknown} */ (null)),
  runConfig: null,
  ui: {},
  viewer: null,
  // Set by startWorker() in main(), before anything posts to it.
  worker: /** @type {Worker} */ (/** @type {unknown} */ (null)),
  playing: false,
  finished: false,
  progress: null,
  view: 'curves',
  scrub: null,
  drawPending: false,
};

// The status line remembers its message (key and arguments), to say it again in a new language.
const statusLine = messageLine(() => $('status'));

/**
 * Says `key` with `args` on the status line; an empty key clears (and hides) it.
 * @param {string} key
 * @param {Record<string, string | number> | (() => Record<string, string | number>)} [args]
 * @param {import('./i18n.js').MessageOptions} [options]
 */
function status(key, args = {}, options = {}) {
  statusLine.show(key, args, options);
  $('status').hidden = !key;
}

/**
 * Writes text that is already in a language (a worker's error) on the status line.
 * @param {string} text
 */
function statusError(text) {
  statusLine.show('');
  const box = $('status');
  box.textContent = text;
  box.classList.add('error');
  box.hidden = !text;
}

/**
 * A message for when the catalogs may not be loaded (the core failed to start): in the page's
 * language, which the page's first script already set on <html lang>.
 * @param {string} en
 * @param {string} zh
 */
const early = (en, zh) => (document.documentElement.lang === 'zh-CN' ? zh : en);

/** @param {string[]} lines */
function notice(lines) {
  const box = $('notice');
  box.replaceChildren();
  if (!lines.length) { box.hidden = true; return; }
  const title = document.createElement('strong');
  title.textContent = t('page.notice.link_options');
  const list = document.createElement('ul');
  for (const line of lines) {
    const item = document.createElement('li');
    item.textContent = line;
    list.append(item);
  }
  const close = document.createElement('button');
  close.textContent = t('page.notice.dismiss');
  close.addEventListener('click', () => { box.hidden = true; });
  box.append(title, list, close);
  box.hidden = false;
}

// ---------- settings form <-> config ----------
/** @type {Record<string, [(c: RunConfig) => unknown, (c: RunConfig, v: string) => void]>} */
const FIELDS = {
  strategy: [(c) => c.prune.strategy, (c, v) => { c.prune.strategy = v; }],
  scope: [(c) => c.prune.scope, (c, v) => { c.prune.scope = v; }],
  granularity: [(c) => c.prune.granularity, (c, v) => { c.prune.granularity = v; }],
  schedule: [(c) => c.prune.schedule, (c, v) => { c.prune.schedule = v; }],
  rewind: [(c) => c.prune.rewind, (c, v) => { c.prune.rewind = v; }],
  target: [(c) => c.prune.target_sparsity, (c, v) => { c.prune.target_sparsity = Number(v); }],
  pretrain: [(c) => c.prune.pretrain_epochs, (c, v) => { c.prune.pretrain_epochs = Number(v); }],
  finetune: [(c) => c.prune.finetune_epochs, (c, v) => { c.prune.finetune_epochs = Number(v); }],
  tolerance: [(c) => c.prune.tolerance, (c, v) => { c.prune.tolerance = Number(v); }],
  td_gamma: [(c) => c.prune.td_gamma, (c, v) => { c.prune.td_gamma = Number(v); }],
  td_alpha: [(c) => c.prune.td_alpha, (c, v) => { c.prune.td_alpha = Number(v); }],
  optimizer: [(c) => c.train.optimizer, (c, v) => { c.train.optimizer = v; }],
  lr: [(c) => c.train.learning_rate, (c, v) => { c.train.learning_rate = Number(v); }],
  batch: [(c) => c.train.batch_size, (c, v) => { c.train.batch_size = Number(v); }],
  seed: [(c) => c.train.seed, (c, v) => { c.train.seed = Number(v); }],
};

function fillForm() {
  const c = state.config;
  for (const [id, [get]] of Object.entries(FIELDS)) field(id).value = String(get(c));
  const preset = core.preset_name(JSON.stringify(c.architecture));
  field('preset').value = preset || 'custom';
  field('layers').value = core.architecture_text(JSON.stringify(c.architecture));
  fillLayerTargets();
  explain();
  checkSettings();
}

// ---------- per-layer sparsity overrides (config.prune.layer_targets) ----------
const layerName = (/** @type {string} */ name) => name.trim().replace(/\.weight$/, '');

// One row per prunable layer of the edited architecture, each with the layer's override (empty:
// follows the target). Overrides naming layers the architecture lacks are dropped, since no row
// could show them.
function fillLayerTargets() {
  const c = state.config;
  /** @type {string[]} */
  const names = JSON.parse(core.layer_names_json(core.architecture_text(JSON.stringify(c.architecture))));
  const targets = c.prune.layer_targets || [];
  const kept = targets.filter((t) => names.includes(layerName(t.layer)));
  if (kept.length !== targets.length) c.prune.layer_targets = kept;
  const rows = names.map((name, index) => {
    const label = document.createElement('label');
    const input = document.createElement('input');
    Object.assign(input, { type: 'number', min: '0', max: '0.99', step: '0.05', placeholder: t('page.settings.layer_target_placeholder'), id: `layer-target-${name}` });
    input.dataset.layer = name;
    const target = kept.find((t) => layerName(t.layer) === name);
    input.value = target ? String(target.sparsity) : '';
    label.append(index === names.length - 1 ? t('page.settings.output_layer', { name }) : name, input);
    return label;
  });
  $('layer-target-rows').replaceChildren(...rows);
}

// The overrides as the rows show them, in layer order.
function readLayerTargets() {
  return all('#layer-target-rows input', HTMLInputElement)
    .filter((input) => input.value.trim() !== '')
    .map((input) => ({ layer: input.dataset.layer || '', sparsity: Number(input.value) }));
}

function explain() {
  const defaults = catalog.defaults;
  /** @type {[string, Record<string, { text: string, formula: string }>, string][]} */
  const shown = [['strategy', STRATEGIES, field('strategy').value], ['schedule', SCHEDULES, field('schedule').value]];
  for (const [kind, table, value] of shown) {
    const entry = table[value];
    const box = $(`${kind}-explain`);
    inside(box, 'p').textContent = entry ? fillDefaults(t(entry.text), defaults) : '';
    inside(box, 'code').textContent = entry ? fillDefaults(t(entry.formula), defaults) : '';
  }
  // γ and α only mean something to targeted dropout.
  for (const label of all('.td-setting', HTMLElement)) label.hidden = field('strategy').value !== 'targeted-dropout';
}

// ---------- option lists: the engine's names, labels and defaults (core.catalog_json) ----------
/** @typedef {{ name: string, label: string }} Choice */
/**
 * @typedef {{ strategies: Choice[], schedules: Choice[], scopes: Choice[], granularities: Choice[],
 *   rewinds: Choice[], optimizers: Choice[], lr_schedules: Choice[], defaults: Record<string, number> }} Catalog
 */
/** @type {Catalog} */
let catalog = { strategies: [], schedules: [], scopes: [], granularities: [], rewinds: [], optimizers: [], lr_schedules: [], defaults: {} };

// Each named-choice select gets one option per name the engine has, labelled as it says.
function fillOptionLists() {
  /** @type {Record<string, Choice[]>} */
  const lists = { strategy: catalog.strategies, schedule: catalog.schedules, scope: catalog.scopes,
    granularity: catalog.granularities, rewind: catalog.rewinds, optimizer: catalog.optimizers };
  for (const [id, choices] of Object.entries(lists)) {
    $(id, HTMLSelectElement).replaceChildren(...choices.map(({ name, label }) => {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = fillDefaults(label, catalog.defaults);
      return option;
    }));
  }
}

function checkSettings() {
  const result = JSON.parse(core.check_config_json(JSON.stringify(state.config), language()));
  const error = $('settings-error');
  error.hidden = result.ok;
  error.textContent = result.message || '';
  if (result.ok) {
    $('param-count').textContent = t('page.settings.param_count', { params: result.params, prunable: result.prunable });
  }
  const differs = JSON.stringify(state.config) !== JSON.stringify(state.runConfig);
  $('restart-hint').hidden = !differs;
  return result.ok;
}

/** @param {Event} event a change in the settings form */
function onSettingChange(event) {
  const target = event.target;
  if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
  const id = target.id;
  const c = state.config;
  if (id === 'preset') {
    if (target.value !== 'custom') c.architecture = JSON.parse(core.preset_json(target.value));
    field('layers').value = core.architecture_text(JSON.stringify(c.architecture));
    fillLayerTargets();
  } else if (id === 'layers') {
    try {
      c.architecture = JSON.parse(core.architecture_from_text(target.value, language()));
      field('preset').value = core.preset_name(JSON.stringify(c.architecture)) || 'custom';
      fillLayerTargets();
    } catch (error) {
      const box = $('settings-error');
      box.hidden = false;
      box.textContent = messageOf(error);
      return;
    }
  } else if (target.dataset.layer) {
    c.prune.layer_targets = readLayerTargets();
  } else if (FIELDS[id]) {
    FIELDS[id][1](c, target.value);
  }
  explain();
  if (checkSettings()) writeHash();
}

// ---------- URL hash ----------
function writeHash() {
  const ui = Object.entries(state.ui).filter(([, v]) => v !== undefined && v !== '');
  const hash = core.encode_hash(JSON.stringify(state.config), JSON.stringify(ui));
  history.replaceState(null, '', `#${hash}`);
}

function readHash() {
  const decoded = JSON.parse(core.decode_hash_json(location.hash, language()));
  state.config = decoded.config;
  state.ui = Object.fromEntries(decoded.ui);
  // The language shown stays in the link once it is not the default (a restored run's link may lack it).
  if (state.ui.lang || language() !== 'en') state.ui.lang = language();
  notice(decoded.notices);
}

// ---------- the run ----------
function startWorker() {
  if (state.worker) state.worker.terminate();
  const worker = startTrainingWorker();
  worker.onmessage = (event) => onWorkerMessage(event.data);
  worker.onerror = (event) => crashed(event.message || (() => t('page.compare.unknown_error')));
  state.worker = worker;
  return worker;
}

const SAVE_KEY = 'prunelab.session.v1';
let lastSave = 0;

// Autosave is tiny: the run's link and how far it got. Runs are deterministic, so the worker
// rebuilds the exact run (weights, masks, history) by replaying its settings to that step.
function autosave(force = false) {
  if (!state.progress || (!force && performance.now() - lastSave < 1000)) return;
  lastSave = performance.now();
  const record = { version: 1, hash: state.runHash, step: state.progress.step, compare: state.compareNames || null };
  try {
    localStorage.setItem(SAVE_KEY, JSON.stringify(record));
  } catch {
    // Storage full or disabled (private mode): the session simply is not saved.
  }
}

function savedSession() {
  try {
    const record = JSON.parse(localStorage.getItem(SAVE_KEY) || 'null');
    return record && record.version === 1 && typeof record.hash === 'string' && Number.isFinite(record.step) ? record : null;
  } catch {
    return null;
  }
}

// Two links describe the same run when their settings agree (view options may differ).
/**
 * @param {string} hashA
 * @param {string} hashB
 */
function sameRun(hashA, hashB) {
  const config = (/** @type {string} */ hash) => JSON.stringify(JSON.parse(core.decode_hash_json(hash)).config);
  return config(hashA) === config(hashB);
}

function clearSaved() {
  try { localStorage.removeItem(SAVE_KEY); } catch { /* nothing saved */ }
  status('page.status.saved_cleared');
}

// Starts the worker on the run config, replaying it to `until` when resuming.
function startRun(until = 0) {
  state.viewer = null;
  chartQueue = []; // drawing jobs of the previous run would find no viewer
  state.finished = false;
  setPlaying(false);
  state.runHash = location.hash;
  state.restoring = until > 0;
  lastHeard = performance.now();
  state.worker.postMessage({ type: 'start', config: JSON.stringify(state.runConfig), until, lang: language() });
  state.worker.postMessage({ type: 'speed', steps: Number(field('speed').value) });
  if (until > 0) status('page.status.replaying', { steps: until });
}

function resumeAfterCrash() {
  const until = state.progress ? state.progress.step : 0;
  lastHeard = performance.now();
  startWorker();
  startRun(until);
}

function reset() {
  if (!checkSettings()) {
    status('page.status.fix_settings', {}, { error: true });
    return;
  }
  if (field('reset-mode').value === 'new') {
    state.config.train.seed = (Number(state.config.train.seed) + 1) % 1000000;
    field('seed').value = String(state.config.train.seed);
    writeHash();
  }
  state.runConfig = JSON.parse(JSON.stringify(state.config));
  startRun(0);
  checkSettings();
}

/** @param {boolean} playing */
function setPlaying(playing) {
  state.playing = playing;
  $('play').textContent = playing ? t('page.controls.pause') : t('page.controls.play');
  $('play').setAttribute('aria-pressed', String(playing));
}

function togglePlay() {
  if (!state.viewer || state.restoring) return;
  if (state.finished) { status('page.status.finished'); return; }
  setPlaying(!state.playing);
  lastHeard = performance.now();
  const toggle = ++playToggles;
  // A run shows itself as a network, unless the link, a lesson or the reader chose a view.
  if (state.playing && !viewChosen && state.view !== 'network') {
    showView('network');
    paintThenPlay(toggle);
    return;
  }
  state.worker.postMessage({ type: state.playing ? 'play' : 'pause' });
}

// Presses of Play/Pause, so a delayed 'play' knows whether it is still wanted.
let playToggles = 0;

/**
 * Paints the Network view's first picture, then starts the worker. The picture costs about 40 ms
 * of main thread (drawing and canvas commit). Drawn while the worker (and the browser compiling its
 * hot code) started at full speed on a two-core machine, it was one task of 52–85 ms on a quiet
 * machine; painted first, no task passed 50 ms in 30 tries (see the README's Network view).
 * Training starts two frames later.
 * @param {number} toggle this press's number
 */
function paintThenPlay(toggle) {
  const wanted = () => toggle === playToggles && state.playing;
  // The first frame lays the newly shown view out, the second paints the picture (each alone is
  // well under 50 ms; together they were not always).
  requestAnimationFrame(() => requestAnimationFrame(() => {
    if (!wanted()) return;
    runJobs(chartJobs());
    lastCharts = performance.now();
    // After this frame is committed, not inside it.
    setTimeout(() => { if (wanted()) state.worker.postMessage({ type: 'play' }); }, 0);
  }));
}

function stepOnce() {
  if (!state.viewer || state.finished || state.restoring) return;
  setPlaying(false);
  state.worker.postMessage({ type: 'step' });
}

// A worker that stops answering while it should be training (killed by the browser, out of
// memory) is treated like a crash: say so and offer to resume.
const WATCHDOG_MS = 15000;
let lastHeard = performance.now();
setInterval(() => {
  if ((state.playing || state.restoring) && performance.now() - lastHeard > WATCHDOG_MS && !state.stalled) {
    state.stalled = true;
    crashed(() => t('page.status.silent'));
  }
}, 2000);

/** @param {WorkerReply} message */
function onWorkerMessage(message) {
  lastHeard = performance.now();
  state.stalled = false;
  switch (message.type) {
    case 'meta':
      state.viewer = new core.Viewer(message.meta);
      state.progress = message.progress;
      state.finished = message.progress.finished;
      state.restoring = false;
      fillTensors();
      status(state.restoredFrom ? 'page.status.restored' : '', { step: message.progress.step });
      state.restoredFrom = null;
      autosave(true);
      scheduleDraw();
      state.onRunUpdate?.();
      break;
    case 'chunk':
      if (!state.viewer) return;
      state.viewer.append_json(message.chunk);
      state.viewer.set_dense_accuracy(message.progress.dense_test_accuracy ?? undefined);
      state.progress = message.progress;
      if (message.progress.finished) { performance.mark('prunelab-run-finished'); state.finished = true; setPlaying(false); state.onRunFinished?.(); }
      autosave(message.progress.finished);
      scheduleDraw();
      state.onRunUpdate?.();
      break;
    case 'restoring':
      status('page.status.restoring', { step: message.step, target: message.target });
      break;
    case 'crashed':
      crashed(message.message);
      break;
    case 'paused':
      if (message.finished) { state.finished = true; setPlaying(false); }
      autosave(true);
      break;
    case 'error':
      setPlaying(false);
      statusError(message.message);
      break;
    default:
      state.handlers?.[message.type]?.(message);
  }
}

// A trap in the page's own wasm instance leaves it unusable: say so and offer a reload, which
// brings the autosaved run back.
/** @param {Error} error */
function pageCrashed(error) {
  autosave(true);
  setPlaying(false);
  const reload = () => {
    const button = document.createElement('button');
    button.textContent = t('page.status.reload');
    button.addEventListener('click', () => location.reload());
    return [button];
  };
  status('page.status.page_crashed', { reason: error.message }, { error: true, after: reload });
}

/** @param {string | (() => string)} reason the browser's words, or ours (said again in a new language) */
function crashed(reason) {
  setPlaying(false);
  const step = state.progress ? state.progress.step : 0;
  const resume = () => {
    const button = document.createElement('button');
    button.textContent = t('page.status.resume');
    button.id = 'resume';
    button.addEventListener('click', resumeAfterCrash);
    return [button];
  };
  const args = () => ({ reason: typeof reason === 'function' ? reason() : reason, step });
  status('page.status.worker_crashed', args, { error: true, after: resume });
}

// ---------- drawing ----------
// Drawing is spread out so no main-thread task grows long while the worker streams results:
// the counters update every frame, the charts at most every CHART_INTERVAL_MS, one chart per frame.
const CHART_INTERVAL_MS = 250;
/** @type {(() => void)[]} */
let chartQueue = [];
let lastCharts = 0;

function scheduleDraw() {
  if (state.drawPending) return;
  state.drawPending = true;
  requestAnimationFrame(() => {
    state.drawPending = false;
    drawAll();
  });
}

// The current run's viewer, for the drawing code (which runs only once drawAll saw one).
function currentViewer() {
  if (!state.viewer) throw new Error('there is no run to draw yet');
  return state.viewer;
}

/**
 * @param {HTMLCanvasElement} canvas
 * @param {string} kind
 * @param {number} until
 */
function drawChart(canvas, kind, until) {
  fitCanvas(canvas);
  currentViewer().draw_chart(canvas, kind, until, language());
  offerData(canvas, () => currentViewer().chart_data_json(kind, until, language()));
}

/** The run's phases (Progress.phase) and their catalog keys. */
/** @type {Record<string, string>} */
const PHASES = { train: 'page.phase.train', prune: 'page.phase.prune', fine_tune: 'page.phase.fine_tune',
  rollback: 'page.phase.rollback', regrow: 'page.phase.regrow', done: 'page.phase.done' };

/**
 * @param {Progress} p
 * @returns {Summary}
 */
function drawCounters(p) {
  $('step-counter').textContent = num(p.step);
  $('planned-steps').textContent = num(p.planned_steps);
  $('epoch-counter').textContent = p.epoch.toFixed(2);
  $('phase').textContent = PHASES[p.phase] ? t(PHASES[p.phase]) : p.phase;
  $('phase').dataset.phase = p.phase;
  $('kept').textContent = `${num(p.kept)} / ${num(p.total)}`;
  const summary = JSON.parse(currentViewer().summary_json(p.step, language()));
  $('accuracy').textContent = summary.test_accuracy == null ? '–' : formatPercent(summary.test_accuracy);
  showTargetMissed($('target-missed'), summary);
  return summary;
}

/**
 * The drawing jobs of the visible view, each one chart.
 * @returns {(() => void)[]}
 */
function chartJobs() {
  const last = currentViewer().last_step();
  if (state.view === 'curves') {
    return [...document.querySelectorAll('#view-curves canvas[data-chart]')].filter((canvas) => canvas instanceof HTMLCanvasElement).map((canvas) => () => drawChart(canvas, canvas.dataset.chart || '', last));
  }
  if (state.view === 'weights') return [drawWeights];
  if (state.view === 'network') return [() => { syncTimeline(); network?.draw(); }];
  if (state.view === 'try') return [() => state.followTry?.()];
  if (state.view === 'compute') {
    return [() => {
      drawChart($('chart-compute', HTMLCanvasElement), 'compute', last);
      $('compute-summary').textContent = currentViewer().compute_paragraph(last, language());
    }];
  }
  return [];
}

/** Runs drawing jobs, saying what failed. @param {(() => void)[]} jobs */
function runJobs(jobs) {
  for (const job of jobs) {
    try {
      job();
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) pageCrashed(error);
      else status('page.status.drawing_failed', { reason: messageOf(error) }, { error: true });
    }
  }
}

function runChartQueue() {
  const job = chartQueue.shift();
  if (!job) return;
  runJobs([job]);
  if (chartQueue.length) requestAnimationFrame(runChartQueue);
}

function drawAll() {
  if (!state.viewer || !state.progress) return;
  drawCounters(state.progress);
  if (!state.readyMarked) {
    // "Page ready" for the benchmark: wasm compiled, digits loaded, first chart drawn.
    state.readyMarked = true;
    chartJobs().forEach((job) => job());
    performance.mark('prunelab-ready');
    lastCharts = performance.now();
    return;
  }
  const now = performance.now();
  if (state.playing && now - lastCharts < CHART_INTERVAL_MS) {
    // Come back for the charts when the interval has passed (one reminder at a time).
    if (!state.chartsDeferred) {
      state.chartsDeferred = true;
      setTimeout(() => { state.chartsDeferred = false; scheduleDraw(); }, CHART_INTERVAL_MS - (now - lastCharts));
    }
    return;
  }
  lastCharts = now;
  const idle = chartQueue.length === 0;
  chartQueue = chartJobs();
  if (idle) requestAnimationFrame(runChartQueue);
}

function fillTensors() {
  const select = $('tensor', HTMLSelectElement);
  const previous = select.value;
  select.replaceChildren();
  /** @type {string[]} */ (JSON.parse(currentViewer().tensors_json())).forEach((name, index) => {
    const option = document.createElement('option');
    option.value = String(index);
    option.textContent = name;
    select.append(option);
  });
  if (previous && Number(previous) < select.options.length) select.value = previous;
}

/** @returns {number[]} */
function timelineSteps() {
  return JSON.parse(currentViewer().timeline_json());
}

// The timeline (shared by the Network and Weights views): its range, its value when following the
// run, and the step it shows (state.scrub).
function syncTimeline() {
  const steps = timelineSteps();
  const slider = $('timeline', HTMLInputElement);
  slider.max = String(Math.max(0, steps.length - 1));
  if ($('follow', HTMLInputElement).checked) slider.value = slider.max;
  const step = steps[Number(slider.value)] ?? 0;
  state.scrub = step;
  $('timeline-step').textContent = num(step);
  // A screen reader reads the step, not the slider's index into the recorded steps.
  const planned = state.progress?.planned_steps ?? steps[steps.length - 1] ?? 0;
  slider.setAttribute('aria-valuetext', t('a11y.timeline_value', { step, planned }));
  return step;
}

function drawWeights() {
  const step = syncTimeline();
  drawWeightMaps();
  drawChart($('chart-layer_sparsity', HTMLCanvasElement), 'layer_sparsity', step);
  /** @type {Summary} */
  const { layers } = JSON.parse(currentViewer().summary_json(step, language()));
  $('layer-summary').textContent = layers.length
    ? t('page.weights.layer_summary', { step, layers: layers.map((l) => `${l.layer} ${formatPercent(l.sparsity, 1)}`).join(t('page.list_separator')) })
    : '';
}

// The two weight maps at the step shown, then the inspected weight's text and outline (inspect.js).
function drawWeightMaps() {
  if (!state.viewer || state.scrub == null || state.view !== 'weights') return;
  const tensor = Number(field('tensor').value || 0);
  fitCanvas($('heatmap', HTMLCanvasElement));
  const step = state.scrub;
  currentViewer().draw_heatmap($('heatmap', HTMLCanvasElement), tensor, step, language());
  offerData($('heatmap', HTMLCanvasElement), () => currentViewer().heatmap_data_json(tensor, step, language()));
  fitCanvas($('pruned-at', HTMLCanvasElement));
  currentViewer().draw_pruned_at($('pruned-at', HTMLCanvasElement), tensor, step, language());
  offerData($('pruned-at', HTMLCanvasElement), () => currentViewer().pruned_at_data_json(tensor, step, language()));
  inspector?.redrawn();
}
/** @type {ReturnType<typeof setupInspect> | null} */
let inspector = null;
/** @type {ReturnType<typeof setupNetwork> | null} */
let network = null;
// Whether the link, a lesson or the reader chose a view since the page loaded (then Play keeps it).
let viewChosen = false;

// ---------- views, keyboard, export ----------
/** @param {string} view */
function showView(view) {
  state.view = view;
  state.ui.view = view === 'curves' ? undefined : view;
  markSelectedTab($('tabs'), view);
  for (const panel of all('.view')) panel.hidden = panel.id !== `view-${view}`;
  $('timeline-bar').hidden = view !== 'network' && view !== 'weights';
  writeHash();
  scheduleDraw();
}

/** @param {KeyboardEvent} event */
function onKey(event) {
  if (keyBelongsToControl(event)) return;
  if (event.code === 'Space') { event.preventDefault(); togglePlay(); }
  if (event.code === 'ArrowRight') { event.preventDefault(); stepOnce(); }
}

function setupExport() {
  $('export-csv').addEventListener('click', () => state.viewer && downloadBlob(new Blob([state.viewer.history_csv()], { type: 'text/csv' }), 'prunelab-history.csv'));
  $('export-json').addEventListener('click', () => state.viewer && downloadBlob(new Blob([state.viewer.history_json()], { type: 'application/json' }), 'prunelab-history.json'));
  $('export-npz').addEventListener('click', () => state.worker.postMessage({ type: 'export_npz' }));
  state.handlers = { ...state.handlers, npz: (m) => downloadBlob(new Blob([m.bytes], { type: 'application/octet-stream' }), 'prunelab-weights.npz') };
  $('export-png').addEventListener('click', async () => {
    if (!state.viewer) { status('page.status.no_run_yet', {}, { error: true }); return; }
    const step = state.scrub ?? state.viewer.last_step();
    try {
      const count = await downloadAllCharts(state.viewer, core, step);
      status('page.export.charts_saved', { count, step });
    } catch (error) {
      status('page.export.charts_failed', { reason: messageOf(error) }, { error: true });
    }
  });
  $('export-session').addEventListener('click', () => state.viewer && downloadBlob(new Blob([state.viewer.session_file_json()], { type: 'application/json' }), 'prunelab-session.json'));
  $('import-session').addEventListener('change', importSession);
  $('clear-saved').addEventListener('click', clearSaved);
  // Shared links open on the run's view, not on this Export tab.
  const sharedUrl = (/** @type {[string, string][]} */ extra) => {
    const ui = Object.entries(state.ui).filter(([k, v]) => k !== 'view' && v !== undefined && v !== '');
    const url = new URL(location.href);
    url.hash = core.encode_hash(JSON.stringify(state.config), JSON.stringify([...ui, ...extra]));
    return url.href;
  };
  $('copy-link').addEventListener('click', () => share(sharedUrl([])));
  $('copy-embed').addEventListener('click', () => {
    share(`<iframe src="${sharedUrl([['embed', '1']])}" width="900" height="640" style="border:0" title="PruneLab"></iframe>`);
  });
}

const MAX_IMPORT_BYTES = 64 << 20;

// Imports a session file: checked by the core first; on any error the current session is untouched.
/** @param {Event} event a change of the file input */
async function importSession(event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement)) return;
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  if (file.size > MAX_IMPORT_BYTES) {
    status('page.export.import_too_big', { name: file.name, size: file.size, max: MAX_IMPORT_BYTES }, { error: true });
    return;
  }
  let meta;
  try {
    meta = JSON.parse(core.parse_session_file(new Uint8Array(await file.arrayBuffer())));
  } catch (error) {
    status('page.export.import_failed', { name: file.name, reason: messageOf(error) }, { error: true });
    return;
  }
  state.config = meta.config;
  state.runConfig = JSON.parse(JSON.stringify(meta.config));
  fillForm();
  writeHash();
  const steps = meta.history.records.steps;
  const last = steps.length ? steps[steps.length - 1].step : 0;
  state.restoredFrom = last;
  startRun(last);
  state.viewer = new core.Viewer(JSON.stringify(meta));
  state.progress = { step: last, planned_steps: meta.planned_steps, epoch: 0, phase: 'train', finished: false, kept: 0, total: meta.total_params };
  scheduleDraw();
  status('page.export.imported', { name: file.name, steps: last });
}

/** @param {string} text */
function share(text) {
  field('share-text').value = text;
  navigator.clipboard?.writeText(text).catch(() => {});
}

// The lesson panel (www/lesson-panel.js) runs lessons on this page's main run and comparison.
function setupLessons() {
  setupLessonPanel(state, core, {
    startConfig: (config) => {
      state.config = config;
      fillForm();
      writeHash();
      // The lesson's own seed, whatever the reset mode says: its claims were checked with it.
      state.runConfig = JSON.parse(JSON.stringify(config));
      startRun(0);
      checkSettings();
    },
    showView: (view) => { viewChosen = true; showView(view); },
    play: () => { if (!state.playing) togglePlay(); },
    writeHash,
    // www/timing.js asks the main worker to time its run.
    measureTime: () => measureTime(state),
  });
}

// Speeds a link may name (speed=…), as the speed menu's values (0: teaching pace).
/** @type {Record<string, string>} */
const SPEEDS = { pace: '0', fast: '50', max: '100000' };

function applyEmbed() {
  document.body.classList.toggle('embed', state.ui.embed === '1');
  // Presenter mode: large type, minimal chrome; settings folded under the view.
  document.body.classList.toggle('present', state.ui.present === '1');
  if (state.ui.speed && SPEEDS[state.ui.speed]) field('speed').value = SPEEDS[state.ui.speed];
  // Phones, tablets and projectors open on the run's view: the settings start folded.
  if (state.ui.present === '1' || matchMedia('(max-width: 900px)').matches) $('settings-fold', HTMLDetailsElement).open = false;
  for (const part of (state.ui.hide || '').split(',').filter(Boolean)) {
    for (const element of all(`#${CSS.escape(part)}, #tab-${CSS.escape(part)}`)) element.hidden = true;
  }
}

// ---------- language (www/i18n.js) ----------
const hashLanguage = () => new URLSearchParams(location.hash.slice(1)).get('lang') ?? undefined;

// The header's switch; a change re-labels the page and redraws, the run goes on untouched.
function setupLanguageSwitch() {
  const select = $('lang', HTMLSelectElement);
  select.value = language();
  select.addEventListener('change', async () => {
    if (!isLang(select.value)) return;
    await setLanguage(select.value, true);
    state.ui.lang = select.value;
    writeHash();
  });
  onLanguageChange((lang) => {
    select.value = lang;
    statusLine.again();
    state.worker.postMessage({ type: 'language', lang });
    // The option lists' labels are the core's, per language; the form keeps its values.
    catalog = JSON.parse(core.catalog_json(lang));
    fillOptionLists();
    fillForm();
    setPlaying(state.playing);
    fillLayerTargets();
    explain();
    checkSettings();
    lastCharts = 0;
    scheduleDraw();
  });
}

async function main() {
  if (typeof WebAssembly !== 'object' || typeof Worker !== 'function') {
    statusError(early('This browser lacks WebAssembly or Web Workers, which PruneLab needs. Try a current Chrome, Firefox, Safari or Edge.',
      '此浏览器缺少 PruneLab 所需的 WebAssembly 或 Web Worker。请使用新版的 Chrome、Firefox、Safari 或 Edge。'));
    return;
  }
  const exports = await initWasm({ module_or_path: await wasmSource() });
  core.install_panic_hook();
  // For the memory benchmark: the page's wasm memory and JS heap, and the workers' wasm memory.
  window.prunelabMemory = () => ({
    page_wasm_bytes: exports.memory.buffer.byteLength,
    js_heap_bytes: performance.memory ? performance.memory.usedJSHeapSize : null,
    worker_wasm_bytes: [state.progress?.wasm_memory_bytes ?? null, ...(state.compareMemory?.() ?? [])],
  });
  await setLanguage(initialLanguage(hashLanguage()));
  catalog = JSON.parse(core.catalog_json(language()));
  fillOptionLists();
  readHash();
  fillForm();
  applyEmbed();
  startWorker();
  $('settings').addEventListener('change', onSettingChange);
  $('play').addEventListener('click', togglePlay);
  $('step').addEventListener('click', stepOnce);
  $('reset').addEventListener('click', reset);
  $('speed').addEventListener('change', () => state.worker.postMessage({ type: 'speed', steps: Number(field('speed').value) }));
  setupTabs($('tabs'), (view) => { viewChosen = true; showView(view); });
  $('timeline').addEventListener('input', () => { $('follow', HTMLInputElement).checked = false; scheduleDraw(); });
  $('follow').addEventListener('change', scheduleDraw);
  inspector = setupInspect(state);
  state.redrawWeightMaps = drawWeightMaps;
  setupPace(state);
  network = setupNetwork(state);
  state.showView = (view) => { viewChosen = true; showView(view); };
  state.focusWeightTile = (tile, row) => inspector?.focus(tile, row);
  $('tensor').addEventListener('change', () => { inspector?.reset(); scheduleDraw(); });
  document.addEventListener('keydown', onKey);
  window.addEventListener('resize', scheduleDraw);
  window.addEventListener('pagehide', () => autosave(true));
  window.addEventListener('hashchange', async () => {
    const wanted = hashLanguage();
    if (isLang(wanted) && wanted !== language()) await setLanguage(wanted, true);
    readHash();
    fillForm();
  });
  setupLanguageSwitch();
  setupGlossary();
  setupExport();
  setupFormNotes();
  setupLessons();
  setupCompare(state, core);
  state.onCompareStart = () => autosave(true);
  setupTry(state, core);
  setupCard(state);
  viewChosen = Boolean(state.ui.view && document.getElementById(`view-${state.ui.view}`));
  showView(viewChosen ? String(state.ui.view) : 'curves');
  const saved = savedSession();
  if (saved && (saved.step > 0 || saved.compare) && (location.hash === '' || sameRun(location.hash, saved.hash))) {
    // Back after a reload or a crash: rebuild the saved run (the link, if any, is the same run).
    const linkLesson = state.ui.lesson;
    history.replaceState(null, '', saved.hash);
    readHash();
    // The lesson the link opened stays open and named in the link.
    state.ui.lesson = linkLesson;
    writeHash();
    fillForm();
    state.runConfig = JSON.parse(JSON.stringify(state.config));
    state.restoredFrom = saved.step;
    startRun(saved.step);
    if (Array.isArray(saved.compare) && saved.compare.length >= 2) {
      state.setCompare?.(saved.compare);
      state.startCompare?.();
    }
  } else {
    reset();
    status('page.status.preparing');
  }
}

window.addEventListener('error', (event) => {
  if (event.error instanceof WebAssembly.RuntimeError) pageCrashed(event.error);
  else statusError(early(`Something went wrong: ${event.message}`, `出错了：${event.message}`));
});
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason?.message || event.reason;
  statusError(early(`Something went wrong: ${reason}`, `出错了：${reason}`));
});
main().catch((error) => {
  const reason = error.message || error;
  statusError(early(`PruneLab could not start: ${reason}`, `PruneLab 无法启动：${reason}`));
});
