// Compare's sweep mode: the chosen strategies (1–4), each pruned one-shot to every sparsity in the
// list and fine-tuned for k epochs; one point per run, one curve per strategy. The wasm core plans
// it (which runs share a dense pre-training, split between workers: sweep_plan_json), the training
// workers train their shares (message 'sweep', SweepWorker), and the core draws the chart and
// orders the table. This module moves the messages and fills the table.
import { fitCanvas } from './canvas.js';
import { offerData } from './chart-data.js';
import { byId as $, field, inside, messageOf } from './dom.js';
import { startTrainingWorker } from './assets.js';
import { language, messageLine, onLanguageChange, t } from './i18n.js';

/** @typedef {import('./app.js').PageState} PageState */
/** @typedef {import('./types.js').RunConfig} RunConfig */
/** @typedef {import('./types.js').SweepRow} SweepRow */
/** @typedef {import('./types.js').WorkerReply} WorkerReply */

/**
 * A finished point: its row, its network's size, and the strategy whose run it shares (sparsity 0).
 * @typedef {object} SweepPoint
 * @property {SweepRow} row
 * @property {number} total
 * @property {string | null} sharedWith
 */

// At most this many workers, whatever the machine has (each holds a network and the digits).
const MAX_WORKERS = 4;
// Progress redraws at most this often while points stream in.
const DRAW_INTERVAL_MS = 200;

/**
 * The plan sweep_plan returns as plain numbers, unpacked: per worker its pieces, per piece its
 * runs, per run the points it stands for.
 * @param {Float64Array} numbers
 * @returns {{ pretrainings: number, runs: number, workers: number[][][][] }}
 */
function readPlan(numbers) {
  let at = 0;
  const next = () => numbers[at++];
  const list = (/** @type {() => any} */ item) => Array.from({ length: next() }, item);
  const pretrainings = next();
  const runs = next();
  const workers = list(() => list(() => list(() => list(next))));
  return { pretrainings, runs, workers };
}

/**
 * @param {PageState} state
 * @param {typeof import('./pkg/prunelab.js')} core
 * @param {object} options
 * @param {() => string[]} options.strategies the ticked strategies' names
 * @param {Record<string, string>} options.labels the strategies' page labels
 * @param {(value: number) => string} options.peopleNumber how counts are written (8.3 G)
 * @param {(name: string) => string} options.scopeLabel a pruning scope's label in the language shown
 */
export function setupSweep(state, core, { strategies, labels, peopleNumber, scopeLabel }) {
  /** @type {Worker[]} */
  let workers = [];
  /** @type {(SweepPoint | null)[]} */
  let points = [];
  /** @type {string[]} */
  let order = []; // the strategies' names, in the order chosen
  let started = 0;
  let lastDraw = 0;
  let drawPending = false;
  /** An id per sweep, so messages from a cancelled one are ignored. */
  let current = 0;

  // The status line and the plan's note remember key and arguments, to be said again in a new language.
  const statusLine = messageLine(() => $('sweep-status'));
  const status = statusLine.show;
  /** @type {Record<string, string> | null} the plan's figures, once a sweep started */
  let planned = null;

  /** @param {string} name */
  const labelOf = (name) => labels[name] || name;

  // The per-point configuration: the page's settings, this strategy and sparsity, one-shot, k epochs.
  /**
   * @param {string} strategy
   * @param {number} sparsity
   * @param {number} finetune
   * @returns {RunConfig}
   */
  function pointConfig(strategy, sparsity, finetune) {
    /** @type {RunConfig} */
    const config = JSON.parse(JSON.stringify(state.config));
    config.prune.strategy = strategy;
    config.prune.target_sparsity = sparsity;
    config.prune.finetune_epochs = finetune;
    config.prune.schedule = 'one-shot';
    return config;
  }

  function describe() {
    const c = state.config;
    const count = String(c.prune.pretrain_epochs);
    const epochs = t(c.prune.pretrain_epochs === 1 ? 'page.sweep.dense_epoch' : 'page.sweep.dense_epochs', { count });
    $('sweep-settings').textContent = t('page.sweep.settings', { epochs, seed: String(c.train.seed), scope: scopeLabel(c.prune.scope) });
    if (planned) $('sweep-note').textContent = t('page.sweep.plan', planned);
  }
  $('settings').addEventListener('change', describe);
  describe();
  onLanguageChange(() => { describe(); statusLine.again(); render(); });

  /**
   * The checked inputs, or a message saying what to fix.
   * @returns {{ configs: RunConfig[] } | { error: [string, Record<string, string> | (() => Record<string, string>)] }}
   */
  function readForm() {
    const names = strategies();
    if (names.length < 1 || names.length > 4) return { error: ['page.sweep.pick_strategies', {}] };
    const input = field('sweep-sparsities');
    /** @type {number[]} */
    let sparsities;
    try {
      sparsities = JSON.parse(core.sweep_sparsities_json(input.value));
      input.removeAttribute('aria-invalid');
    } catch (error) {
      input.setAttribute('aria-invalid', 'true');
      return { error: ['page.sweep.sparsities_error', { error: messageOf(error) }] };
    }
    const finetune = Number(field('sweep-finetune').value);
    if (!Number.isInteger(finetune) || finetune < 0 || finetune > 100) return { error: ['page.sweep.finetune_error', {}] };
    const configs = names.flatMap((name) => sparsities.map((s) => pointConfig(name, s, finetune)));
    for (const config of configs) {
      const check = JSON.parse(core.check_config_json(JSON.stringify(config), language()));
      const name = config.prune.strategy;
      if (!check.ok) return { error: ['page.compare.run_problem', () => ({ label: labelOf(name), message: check.message })] };
    }
    return { configs };
  }

  function stopWorkers() {
    for (const worker of workers) worker.terminate();
    workers = [];
  }

  function run() {
    const form = readForm();
    if ('error' in form) {
      status(...form.error, { error: true });
      return;
    }
    const { configs } = form;
    stopWorkers();
    current += 1;
    const id = current;
    const count = Math.max(1, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 1));
    const plan = readPlan(core.sweep_plan(JSON.stringify(configs), count));
    // Per worker, its pieces in turn (the core balances them; see run::sweep::assign).
    const shares = plan.workers;
    points = configs.map(() => null);
    order = [...new Set(configs.map((c) => c.prune.strategy))];
    started = performance.now();
    planned = { count: String(configs.length), runs: String(plan.runs), pretrainings: String(plan.pretrainings), workers: String(shares.length) };
    $('sweep-note').textContent = t('page.sweep.plan', planned);
    $('sweep-note').dataset.workers = String(shares.length);
    $('sweep-results').hidden = false;
    $('sweep-cancel').hidden = false;
    const bar = $('sweep-progress', HTMLProgressElement);
    bar.hidden = false;
    bar.max = configs.length;
    $('sweep-status').removeAttribute('data-seconds');
    showProgress();
    render();

    /**
     * @param {Worker} worker
     * @param {number[][][]} queue its pieces still to train
     */
    function nextPiece(worker, queue) {
      const piece = queue.shift();
      if (!piece) {
        worker.terminate();
        workers = workers.filter((w) => w !== worker);
        if (workers.length === 0) finished();
        return;
      }
      const indices = piece.flat();
      worker.onmessage = (/** @type {MessageEvent<WorkerReply>} */ { data }) => {
        if (id !== current) return;
        if (data.type === 'sweep-run') {
          // [total parameters, then per point: point, accuracy, sparsity, kept, training MACs]
          const numbers = data.run;
          const trained = configs[indices[numbers[1]]].prune.strategy;
          for (let at = 1, j = 0; at + 5 <= numbers.length; at += 5, j += 1) {
            const config = configs[indices[numbers[at]]];
            /** @type {SweepRow} */
            const row = {
              strategy: config.prune.strategy, target_sparsity: config.prune.target_sparsity,
              test_accuracy: numbers[at + 1], sparsity: numbers[at + 2], kept_params: numbers[at + 3], train_macs: numbers[at + 4],
            };
            points[indices[numbers[at]]] = { row, total: numbers[0], sharedWith: j > 0 ? trained : null };
          }
          showProgress();
          scheduleRender();
        } else if (data.type === 'sweep-done') {
          nextPiece(worker, queue);
        } else if (data.type === 'error' || data.type === 'crashed') {
          failed(data.message);
        }
      };
      worker.postMessage({ type: 'sweep', configs: JSON.stringify(indices.map((i) => configs[i])), lang: language() });
    }

    for (const share of shares) {
      const worker = startTrainingWorker();
      worker.onerror = (event) => { if (id === current) failed(event.message || t('page.sweep.worker_stopped')); };
      workers.push(worker);
      nextPiece(worker, share.slice());
    }

    function finished() {
      const seconds = (performance.now() - started) / 1000;
      $('sweep-cancel').hidden = true;
      render();
      status('page.sweep.done', { count: String(configs.length), seconds: seconds.toFixed(1) });
      $('sweep-status').dataset.seconds = seconds.toFixed(2);
    }

    /** @param {string} message */
    function failed(message) {
      stopWorkers();
      current += 1;
      $('sweep-cancel').hidden = true;
      render();
      status('page.sweep.stopped', { message }, { error: true });
    }
  }

  function cancel() {
    const done = points.filter(Boolean).length;
    stopWorkers();
    current += 1;
    $('sweep-cancel').hidden = true;
    render();
    status('page.sweep.cancelled', { done: String(done), count: String(points.length) });
  }

  function showProgress() {
    const done = points.filter(Boolean).length;
    $('sweep-progress', HTMLProgressElement).value = done;
    const counts = { done: String(done), count: String(points.length) };
    status('page.sweep.progress', counts);
    // While Compare is shown its counters replace the main run's in the header.
    $('compare-counters').textContent = t('page.sweep.counters', counts);
  }

  function scheduleRender() {
    if (drawPending) return;
    drawPending = true;
    const wait = Math.max(0, DRAW_INTERVAL_MS - (performance.now() - lastDraw));
    setTimeout(() => requestAnimationFrame(() => { drawPending = false; render(); }), wait);
  }

  // Points are strategy by strategy (as chosen), each in increasing sparsity (the core sorts the
  // list), so the table is in point order; the chart joins each strategy's points by sparsity.
  function render() {
    lastDraw = performance.now();
    if ($('sweep-results').hidden || $('view-compare').hidden) return;
    const finished = /** @type {SweepPoint[]} */ (points.filter(Boolean));
    const numbers = new Float64Array(finished.flatMap((p) => [order.indexOf(p.row.strategy), p.row.target_sparsity, p.row.test_accuracy]));
    // The curves named in the language shown.
    const orderJson = JSON.stringify(order.map(labelOf));
    const canvas = $('sweep-chart', HTMLCanvasElement);
    fitCanvas(canvas);
    core.draw_sweep_chart(canvas, orderJson, numbers, language());
    offerData(canvas, () => core.sweep_chart_data_json(orderJson, numbers, language()));
    const body = inside($('sweep-table'), 'tbody');
    body.replaceChildren(...finished.map(({ row, total, sharedWith }) => {
      const tr = document.createElement('tr');
      const cells = [labelOf(row.strategy), `${+(100 * row.target_sparsity).toFixed(2)}%`,
        `${(100 * row.test_accuracy).toFixed(2)}%`,
        t('page.sweep.kept_of', { kept: row.kept_params.toLocaleString('en'), total: total.toLocaleString('en') }),
        peopleNumber(row.train_macs),
        sharedWith ? t('page.sweep.shared_with', { strategy: labelOf(sharedWith) }) : t('page.sweep.own_run')];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
  }

  $('sweep-run').addEventListener('click', run);
  $('sweep-cancel').addEventListener('click', cancel);
  new MutationObserver(() => { if (!$('view-compare').hidden) render(); })
    .observe($('view-compare'), { attributes: true, attributeFilter: ['hidden'] });
  return { render };
}
