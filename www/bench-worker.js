// Runs the core's throughput measurements in a module worker and posts each result.
import initWasm, { install_panic_hook, bench_training_json, bench_eval_ms } from './pkg/prunelab.js';

self.onmessage = async ({ data }) => {
  try {
    await initWasm({ module_or_path: new URL('./pkg/prunelab_bg.wasm', import.meta.url) });
    install_panic_hook();
    const bytes = new Uint8Array(await (await fetch(new URL('./data/mnist-10k.bin.gz', import.meta.url))).arrayBuffer());
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
