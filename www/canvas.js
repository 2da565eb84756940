// Canvas sizing: a canvas's drawing buffer has device pixels (its CSS size times the device pixel
// ratio, capped so a chart stays cheap to redraw). The ratio (times the presenter zoom) is recorded in data-pixel-ratio: the
// Rust drawing lays charts out in CSS pixels and scales the context by it, so text keeps its CSS
// size (at least 12 px) and stays sharp at any devicePixelRatio.
const MAX_PIXEL_RATIO = 3;
// Presenter mode (present=1) lays charts out smaller and draws them scaled up, so their text and
// lines are this much larger on a projector, like the rest of the page.
const PRESENTER_ZOOM = 1.5;

/**
 * @param {HTMLCanvasElement} canvas
 * @returns {number} the ratio of buffer pixels to CSS pixels
 */
export function fitCanvas(canvas) {
  const ratio = Math.min(window.devicePixelRatio || 1, MAX_PIXEL_RATIO);
  const width = Math.max(200, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(150, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const zoom = document.body.classList.contains('present') ? PRESENTER_ZOOM : 1;
  canvas.dataset.pixelRatio = String(ratio * zoom);
  return ratio;
}

/**
 * The size a chart is laid out at on `canvas` (CSS pixels; what the Rust layout functions take).
 * @param {HTMLCanvasElement} canvas
 */
export function layoutSize(canvas) {
  const ratio = Number(canvas.dataset.pixelRatio) || 1;
  return { width: Math.round(canvas.width / ratio), height: Math.round(canvas.height / ratio) };
}

/**
 * Pointer position in the chart's layout pixels (see layoutSize).
 * @param {HTMLCanvasElement} canvas
 * @param {MouseEvent} event
 */
export function canvasPoint(canvas, event) {
  const rect = canvas.getBoundingClientRect();
  const { width, height } = layoutSize(canvas);
  return {
    x: Math.round((event.clientX - rect.left) * (width / rect.width)),
    y: Math.round((event.clientY - rect.top) * (height / rect.height)),
  };
}

/**
 * Saves `blob` as a download called `name`.
 * @param {Blob} blob
 * @param {string} name
 */
export function downloadBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The canvas's 2D context; every browser the site supports has one.
 * @param {HTMLCanvasElement} canvas
 * @returns {CanvasRenderingContext2D}
 */
export function context2d(canvas) {
  const context = canvas.getContext('2d');
  if (!context) throw new Error(`no 2D drawing context for canvas #${canvas.id}`);
  return context;
}
