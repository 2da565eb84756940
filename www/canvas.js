// Canvas sizing: a canvas's drawing buffer follows its CSS size (times the device pixel ratio,
// capped so a chart stays cheap to redraw), so plotters lays charts out at the size they are shown.
/**
 * @param {HTMLCanvasElement} canvas
 * @returns {number} the ratio of buffer pixels to CSS pixels
 */
export function fitCanvas(canvas) {
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  const width = Math.max(200, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(150, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return ratio;
}

/**
 * Pointer position in canvas pixels.
 * @param {HTMLCanvasElement} canvas
 * @param {MouseEvent} event
 */
export function canvasPoint(canvas, event) {
  const rect = canvas.getBoundingClientRect();
  return {
    x: Math.round((event.clientX - rect.left) * (canvas.width / rect.width)),
    y: Math.round((event.clientY - rect.top) * (canvas.height / rect.height)),
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
