// The training worker: owns one run (a wasm Session) and steps it in short slices, posting
// history chunks to the page. It does no math itself; it moves messages.
import initWasm, { install_panic_hook, Session, SweepWorker } from './pkg/prunelab.js';
import { wasmSource, digitsBytes } from './assets.js';

/** @type {Session | null} */
let session = null;
let playing = false;
let stepsPerSlice = 50;
/** @type {Uint8Array | null} */
let dataBytes = null;
/** @type {WebAssembly.Memory | null} */
let wasmMemory = null;
// A slice never holds the worker longer than this, so pause and step messages are handled promptly.
const SLICE_BUDGET_MS = 40;
// Teaching pace: a run's training takes about PACE_SECONDS whatever its length (at least
// PACE_MIN_RATE steps a second), in ticks of PACE_TICK_MS, and each pruning step holds for
// PRUNE_PAUSE_MS so the page can show the weights it removed.
const PACE_SECONDS = 22;
const PACE_MIN_RATE = 5;
const PACE_TICK_MS = 40;
const PRUNE_PAUSE_MS = 800;
let paced = true;
let paceCarry = 0;
let lastTick = 0;
/** @type {number | null} */
let lastKept = null;

const ready = (async () => {
  const exports = await initWasm({ module_or_path: await wasmSource() });
  wasmMemory = exports.memory;
  install_panic_hook();
  dataBytes = await digitsBytes();
})();

/** @param {unknown} error */
function fail(error) {
  playing = false;
  const message = error instanceof Error ? error.message : String(error);
  // A trap poisons the wasm instance: every later call would fail too, so the page must restart us.
  const crashed = error instanceof WebAssembly.RuntimeError;
  postMessage({ type: crashed ? 'crashed' : 'error', message });
}

/**
 * Replays a run to `target` in slices (deterministic: same config, same history), then announces it.
 * @param {Session} replaying
 * @param {number} target
 */
function restore(replaying, target) {
  if (replaying !== session) return; // a newer 'start' replaced (and freed) this run
  try {
    const progress = JSON.parse(replaying.run_until(target, SLICE_BUDGET_MS));
    if (progress.step < target && !progress.finished) {
      postMessage({ type: 'restoring', step: progress.step, target });
      setTimeout(() => restore(replaying, target), 0);
      return;
    }
    postMessage({ type: 'meta', meta: replaying.meta_json(), progress });
  } catch (error) {
    fail(error);
  }
}

/**
 * @param {Session} session
 * @param {string} progressJson
 * @returns {import('./types.js').Progress}
 */
function sendProgress(session, progressJson) {
  const progress = JSON.parse(progressJson);
  // The worker's wasm memory, for the memory benchmark (it only grows; runs keep it bounded).
  progress.wasm_memory_bytes = wasmMemory ? wasmMemory.buffer.byteLength : null;
  postMessage({ type: 'chunk', chunk: session.take_chunk_json(), progress });
  return progress;
}

/**
 * @param {Session} session
 * @param {number} maxSteps
 * @returns {import('./types.js').Progress | null} the progress, or null when the run failed
 */
function runSlice(session, maxSteps) {
  try {
    return sendProgress(session, session.run_steps(maxSteps, SLICE_BUDGET_MS));
  } catch (error) {
    // The session stays at its last good state (e.g. a diverging loss): report and pause.
    fail(error);
    return null;
  }
}

// At teaching pace: the steps due since the last tick (none while they add up to less than one).
/** @param {Session} session */
function pacedSteps(session) {
  const now = performance.now();
  const { planned_steps: planned } = JSON.parse(session.progress_json());
  const rate = Math.max(PACE_MIN_RATE, planned / PACE_SECONDS);
  // After a pause or a slow tick, carry on at the pace rather than catching up.
  const elapsed = Math.min(now - lastTick, 4 * PACE_TICK_MS);
  lastTick = now;
  paceCarry += (rate * elapsed) / 1000;
  const steps = Math.floor(paceCarry);
  paceCarry -= steps;
  return steps;
}

function pump() {
  if (!playing || !session) return;
  const steps = paced ? pacedSteps(session) : stepsPerSlice;
  if (steps === 0) {
    setTimeout(pump, PACE_TICK_MS);
    return;
  }
  const before = JSON.parse(session.progress_json()).step;
  const progress = runSlice(session, steps);
  if (!progress || progress.finished) {
    playing = false;
    postMessage({ type: 'paused', finished: true });
    return;
  }
  const removed = lastKept == null ? 0 : lastKept - progress.kept;
  lastKept = progress.kept;
  if (paced && removed > 0) {
    // A pruning step: hold it so the page can show what went.
    postMessage({ type: 'pruning-pause', from: before, step: progress.step, removed, ms: PRUNE_PAUSE_MS });
    setTimeout(() => { lastTick = performance.now(); pump(); }, PRUNE_PAUSE_MS);
    return;
  }
  if (paced) setTimeout(pump, PACE_TICK_MS);
  else nextSlice.port2.postMessage(null);
}

// Full speed yields between slices through a message rather than setTimeout(0), which browsers
// clamp to 4 ms once nested (10% of a 40 ms slice). Page messages still get their turn in between.
const nextSlice = new MessageChannel();
nextSlice.port1.onmessage = () => pump();

// Compare's sweep mode: this worker's share of the sweep, one run per task (so the page can
// cancel between runs by terminating the worker, and messages are sent as runs finish).
/**
 * @param {string} configs
 * @param {string | undefined} lang
 */
function sweepShare(configs, lang) {
  const share = new SweepWorker(configs, /** @type {Uint8Array} */ (dataBytes)); // loaded by `ready`
  share.set_language(lang);
  return share;
}

/** @param {SweepWorker} share */
function sweepNext(share) {
  try {
    const run = share.next_run();
    if (run === undefined) {
      share.free();
      postMessage({ type: 'sweep-done' });
      return;
    }
    // SweepWorker.next_run's numbers, passed on as they are (www/sweep.js reads them).
    postMessage({ type: 'sweep-run', run: Array.from(run) });
    setTimeout(() => sweepNext(share), 0);
  } catch (error) {
    fail(error);
  }
}

self.onmessage = async (/** @type {MessageEvent<import('./types.js').WorkerRequest>} */ event) => {
  const message = event.data;
  try {
    await ready;
  } catch (error) {
    fail(error);
    return;
  }
  try {
    switch (message.type) {
      case 'start':
        playing = false;
        if (session) session.free();
        session = null;
        session = new Session(message.config, /** @type {Uint8Array} */ (dataBytes)); // loaded by `ready`
        session.set_language(message.lang);
        if (message.until && message.until > 0) {
          restore(session, message.until);
        } else {
          postMessage({ type: 'meta', meta: session.meta_json(), progress: JSON.parse(session.progress_json()) });
        }
        break;
      case 'play':
        if (!session || playing) return; // one pump loop at a time
        playing = true;
        lastTick = performance.now();
        lastKept = JSON.parse(session.progress_json()).kept;
        pump();
        break;
      case 'pause':
        playing = false;
        postMessage({ type: 'paused', finished: false });
        break;
      case 'step':
        if (!session) return;
        playing = false;
        runSlice(session, 1);
        break;
      case 'language':
        session?.set_language(message.lang);
        break;
      case 'speed':
        // steps 0: teaching pace; otherwise that many steps per slice.
        paced = message.steps === 0;
        stepsPerSlice = Math.max(1, Number(message.steps) || 1);
        break;
      case 'predict':
        if (!session) return;
        postMessage({ type: 'prediction', id: message.id, probabilities: Array.from(session.predict(message.input)), noDense: session.no_dense_reason(message.lang) ?? null });
        break;
      case 'feature-maps':
        if (!session) return;
        try {
          postMessage({ type: 'feature-maps', id: message.id, answer: session.feature_maps_json(message.test, message.input, message.step, message.lang) });
        } catch (error) {
          postMessage({ type: 'feature-maps', id: message.id, error: error instanceof Error ? error.message : String(error) });
        }
        break;
      case 'changed':
        if (!session) return;
        postMessage({ type: 'changed', items: JSON.parse(session.changed_predictions_json(message.limit || 24)), noDense: session.no_dense_reason(message.lang) ?? null });
        break;
      case 'test-digit':
        if (!session) return;
        postMessage({ type: 'test-digit', pixels: Array.from(session.test_digit(message.position)) });
        break;
      case 'export_npz':
        if (!session) return;
        postMessage({ type: 'npz', bytes: session.export_npz() });
        break;
      case 'measure-time':
        // Answered even without a run, so a waiting measureTime() always settles.
        if (!session) { postMessage({ type: 'timing', error: 'there is no run to measure yet' }); return; }
        try {
          postMessage({ type: 'timing', timing: JSON.parse(session.measure_time_json()) });
        } catch (error) {
          postMessage({ type: 'timing', error: error instanceof Error ? error.message : String(error) });
        }
        break;
      case 'sweep':
        sweepNext(sweepShare(message.configs, message.lang));
        break;
      default:
        fail(`unknown message ${/** @type {{ type: string }} */ (message).type}`);
    }
  } catch (error) {
    fail(error);
  }
};
