// "All charts (PNG)": every chart of the run, drawn at a fixed size whatever tab is shown, as
// PNGs in one zip (one download, which browsers do not block the way they block many).
import { fitCanvas, downloadBlob } from './canvas.js';
import { language } from './i18n.js';

/** The run's line charts (the core's views::LINE_CHARTS). */
const LINE_CHARTS = ['accuracy', 'loss', 'kept', 'tradeoff', 'layer_sparsity', 'compute'];

/**
 * @param {HTMLCanvasElement} canvas
 * @returns {Promise<Uint8Array>}
 */
function pngBytes(canvas) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) reject(new Error('the browser could not encode a PNG'));
      else blob.arrayBuffer().then((buffer) => resolve(new Uint8Array(buffer)), reject);
    }, 'image/png');
  });
}

/**
 * Draws every chart of the run as of `step` and downloads them as one zip.
 * @param {import('./pkg/prunelab.js').Viewer} viewer
 * @param {typeof import('./pkg/prunelab.js')} core
 * @param {number} step
 * @returns {Promise<number>} how many charts the zip holds
 */
export async function downloadAllCharts(viewer, core, step) {
  // Laid out off-screen at a laptop chart's size, so text and lines are as on the page.
  const canvas = document.createElement('canvas');
  canvas.className = 'chart offscreen-chart';
  canvas.setAttribute('aria-hidden', 'true');
  document.body.append(canvas);
  const zip = new core.ZipFiles();
  try {
    /** @type {[string, boolean, () => void][]} name, drawn tall (a weight map), drawing */
    const charts = LINE_CHARTS.map((kind) => [`${kind}.png`, false, () => viewer.draw_chart(canvas, kind, step, language())]);
    /** @type {string[]} */ (JSON.parse(viewer.tensors_json())).forEach((name, tensor) => {
      const layer = name.replace(/\.weight$/, '');
      charts.push([`${layer}-weights.png`, true, () => viewer.draw_heatmap(canvas, tensor, step, language())]);
      charts.push([`${layer}-pruned-at.png`, true, () => viewer.draw_pruned_at(canvas, tensor, step, language())]);
    });
    for (const [name, tall, drawIt] of charts) {
      canvas.classList.toggle('tall', tall);
      fitCanvas(canvas);
      drawIt();
      zip.add(`prunelab-step-${step}-${name}`, await pngBytes(canvas));
    }
    // A copy backed by a plain ArrayBuffer (Blob's type for a byte view).
    downloadBlob(new Blob([new Uint8Array(zip.finish())], { type: 'application/zip' }), `prunelab-charts-step-${step}.zip`);
    return charts.length;
  } finally {
    zip.free();
    canvas.remove();
  }
}
