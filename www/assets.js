// Where the page and its workers find the wasm core, the digits and the training worker: beside this
// file, fetched from the server. The single-file build (scripts/build-single.mjs) swaps this module
// for scripts/build-single/assets.js, which reads them from the HTML file itself.

/** The wasm core, for wasm-bindgen's init (a URL here; a promise of its bytes in the single file). */
export function wasmSource() {
  return new URL('./pkg/prunelab_bg.wasm', import.meta.url);
}

/** The 10,000 digits, gzipped as scripts/make-dataset.mjs wrote them. */
export async function digitsBytes() {
  const response = await fetch(new URL('./data/mnist-10k.bin.gz', import.meta.url));
  if (!response.ok) throw new Error(`could not load the digits (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A new training worker (www/worker.js). */
export function startTrainingWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}
