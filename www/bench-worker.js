// Runs the core's throughput measurements in a module worker and posts each result.
// `{ hash }` instead times one whole run of that link's config (the page's run without the page).
import initWasm, { install_panic_hook, bench_training_json, bench_eval_ms, decode_hash_json, Session } from './pkg/prunelab.js';

self.onmessage = async ({ data }) => {
  try {
    await initWasm({ module_or_path: new URL('./pkg/prunelab_bg.wasm', import.meta.url) });
    install_panic_hook();
    const bytes = new Uint8Array(await (await fetch(new URL('./data/mnist-10k.bin.gz', import.meta.url))).arrayBuffer());
    if (data.hash) {
      postMessage({ type: 'run', ...wholeRun(data.hash, bytes) });
      return;
    }
    for (const network of data.networks) {
      for (const sparsity of data.sparsities) {
        const result = JSON.parse(bench_training_json(network, sparsity, data.batchSize, data.seconds, bytes));
        postMessage({ type: 'result', network, ...result });
      }
      if (data.evaluate !== false) postMessage({ type: 'eval', network, ms: bench_eval_ms(network, bytes, 5) });
    }
    postMessage({ type: 'done' });
  } catch (error) {
    postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};

/**
 * The link's run from step 0 to finished, with nothing else in the worker: the ceiling the page's
 * run is measured against. The history is taken as it grows, as the training worker does.
 * @param {string} hash
 * @param {Uint8Array} bytes
 */
function wholeRun(hash, bytes) {
  const { config } = JSON.parse(decode_hash_json(hash));
  const session = new Session(JSON.stringify(config), bytes);
  const started = performance.now();
  let progress;
  do {
    progress = JSON.parse(session.run_steps(1000000, 1000000));
    session.take_chunk_json();
  } while (!progress.finished);
  const seconds = (performance.now() - started) / 1000;
  session.free();
  return { steps: progress.step, batch_size: config.train.batch_size, seconds, test_accuracy: progress.test_accuracy ?? null };
}
