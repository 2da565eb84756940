// The single file's assets: scripts/build-single.mjs puts this module in place of www/assets.js. A page
// opened from file:// may fetch nothing (browsers block it), so the wasm and the digits are base64 text
// in prunelab.html, and the training worker is a Blob made from its bundled code, also in the file.

/** The page's data blocks that a worker needs; it gets them as a global put before its code. */
const WORKER_NEEDS = ['prunelab-wasm', 'prunelab-digits'];

/**
 * The text of one data block: from the page, or in a worker from startTrainingWorker's prelude.
 * @param {string} id
 * @returns {string}
 */
function embeddedText(id) {
  if (typeof document === 'undefined') return /** @type {any} */ (globalThis).prunelabEmbedded[id];
  const block = document.getElementById(id);
  if (!block) throw new Error(`this copy of prunelab.html lacks its ${id} block; rebuild it with make single`);
  return /** @type {string} */ (block.textContent).trim();
}

/** @param {string} id */
function embeddedBytes(id) {
  const binary = atob(embeddedText(id));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The wasm core's bytes, for wasm-bindgen's init (gzipped in the file, to keep it small). */
export async function wasmSource() {
  // Through a Response, not a Blob: WebKit cannot read a Blob's stream in a file:// page.
  const gzipped = /** @type {ReadableStream<BufferSource>} */ (new Response(embeddedBytes('prunelab-wasm')).body);
  return new Uint8Array(await new Response(gzipped.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
}

/** The 10,000 digits, gzipped as scripts/make-dataset.mjs wrote them. */
export async function digitsBytes() {
  return embeddedBytes('prunelab-digits');
}

/** @type {string | null} one Blob URL serves every worker (the run's and the comparison's) */
let workerUrl = null;

/** A new training worker: a classic worker from a Blob (its code is bundled, so it imports nothing). */
export function startTrainingWorker() {
  if (!workerUrl) {
    const data = Object.fromEntries(WORKER_NEEDS.map((id) => [id, embeddedText(id)]));
    const prelude = `self.prunelabEmbedded = ${JSON.stringify(data)};\n`;
    workerUrl = URL.createObjectURL(new Blob([prelude, embeddedText('prunelab-worker')], { type: 'text/javascript' }));
  }
  return new Worker(workerUrl);
}
