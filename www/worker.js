// The training worker: owns one run (a wasm Session) and steps it in short slices, posting
// history chunks to the page. It does no math itself; it moves messages.
import initWasm, { install_panic_hook, Session } from './pkg/prunelab.js';

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

const ready = (async () => {
  const exports = await initWasm({ module_or_path: new URL('./pkg/prunelab_bg.wasm', import.meta.url) });
  wasmMemory = exports.memory;
  install_panic_hook();
  const response = await fetch(new URL('./data/mnist-10k.bin.gz', import.meta.url));
  if (!response.ok) throw new Error(`could not load the digits (HTTP ${response.status})`);
  dataBytes = new Uint8Array(await response.arrayBuffer());
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
 */
function sendProgress(session, progressJson) {
  const progress = JSON.parse(progressJson);
  // The worker's wasm memory, for the memory benchmark (it only grows; runs keep it bounded).
  progress.wasm_memory_bytes = wasmMemory ? wasmMemory.buffer.byteLength : null;
  postMessage({ type: 'chunk', chunk: session.take_chunk_json(), progress });
}

/**
 * @param {Session} session
 * @param {number} maxSteps
 * @returns {boolean} whether the run stopped (finished or failed)
 */
function runSlice(session, maxSteps) {
  try {
    const progress = session.run_steps(maxSteps, SLICE_BUDGET_MS);
    sendProgress(session, progress);
    return JSON.parse(progress).finished;
  } catch (error) {
    // The session stays at its last good state (e.g. a diverging loss): report and pause.
    fail(error);
    return true;
  }
}

function pump() {
  if (!playing || !session) return;
  if (runSlice(session, stepsPerSlice)) {
    playing = false;
    postMessage({ type: 'paused', finished: true });
    return;
  }
  setTimeout(pump, 0);
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
        if (message.until && message.until > 0) {
          restore(session, message.until);
        } else {
          postMessage({ type: 'meta', meta: session.meta_json(), progress: JSON.parse(session.progress_json()) });
        }
        break;
      case 'play':
        if (!session) return;
        playing = true;
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
      case 'speed':
        stepsPerSlice = Math.max(1, Number(message.steps) || 1);
        break;
      case 'predict':
        if (!session) return;
        postMessage({ type: 'prediction', id: message.id, probabilities: Array.from(session.predict(message.input)), noDense: session.no_dense_reason() ?? null });
        break;
      case 'changed':
        if (!session) return;
        postMessage({ type: 'changed', items: JSON.parse(session.changed_predictions_json(message.limit || 24)), noDense: session.no_dense_reason() ?? null });
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
      default:
        fail(`unknown message ${/** @type {{ type: string }} */ (message).type}`);
    }
  } catch (error) {
    fail(error);
  }
};
