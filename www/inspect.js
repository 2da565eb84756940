// Inspecting single weights in the weight views (heatmap and pruned-at map) by mouse, touch and
// keyboard. One cursor cell (a tile, row and column) is shared by both maps: pointing or tapping
// puts it under the pointer, the arrow keys move it (Page Up / Page Down: previous / next tile,
// Home: the first weight, Escape: none). The text under the maps always describes the cursor's
// weight at the step and layer shown, recomputed whenever the maps are redrawn.
import { canvasPoint, context2d, layoutSize } from './canvas.js';
import { byId as $ } from './dom.js';
import { language, t } from './i18n.js';

/** @typedef {import('./types.js').HoverInfo} HoverInfo */
/**
 * A tile of a weight view on its canvas (the core's charts::TileRect).
 * @typedef {{ tile: number, x: number, y: number, rows: number, cols: number, cell_width: number, cell_height: number }} TileRect
 */
/** @typedef {{ tile: number, row: number, col: number }} Cell */

const PROMPT = () => t('page.weights.hover_prompt');
const VIEWS = /** @type {const} */ ([['heatmap', 'heatmap'], ['pruned-at', 'pruned_at']]);

// Cell i of a tile spans pixels [⌊i·size⌋, ⌊(i+1)·size⌋), as the core draws it (charts::grid_layout).
const edge = (/** @type {number} */ i, /** @type {number} */ size) => Math.floor(i * size);

/**
 * The canvas's context drawing in layout (CSS) pixels, as the core's drawing left it: device pixels
 * per CSS pixel is the ratio canvas.js recorded.
 * @param {HTMLCanvasElement} canvas
 */
function layoutContext(canvas) {
  const context = context2d(canvas);
  const ratio = Number(canvas.dataset.pixelRatio) || 1;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

/**
 * The cell whose span holds `offset`, or null outside the tile.
 * @param {number} offset
 * @param {number} size
 * @param {number} count
 */
function indexAt(offset, size, count) {
  if (offset < 0 || size <= 0) return null;
  let index = Math.min(count, Math.floor(offset / size));
  while (index > 0 && edge(index, size) > offset) index -= 1;
  while (index < count && edge(index + 1, size) <= offset) index += 1;
  return index < count ? index : null;
}

/**
 * The weight's description, as the page shows it.
 * @param {HoverInfo} info
 */
export function describeWeight(info) {
  const where = t('page.weights.where', { tensor: info.tensor, tile: info.tile, row: info.row + 1, column: info.col + 1 });
  const fate = info.kept ? t(info.regrown ? 'page.weights.kept_regrown' : 'page.weights.kept') : t('page.weights.pruned_at', { step: String(info.pruned_at) });
  const score = t('page.weights.score', { criterion: info.criterion_label, score: info.score == null ? String(info.score_note) : info.score.toPrecision(4) });
  return t('page.weights.description', { where, value: info.value.toPrecision(4), fate, score });
}

/**
 * @param {import('./app.js').PageState} state
 * @returns {{ redrawn: () => void, reset: () => void, focus: (tile: number, row: number) => void }} call
 *   `redrawn` after the maps are drawn, `reset` when the layer changes, `focus` to put the cursor on a tile
 */
export function setupInspect(state) {
  /** @type {Cell | null} */
  let cursor = null;
  const text = $('hover-info');
  const announce = $('inspect-announce');

  const tensor = () => Number(/** @type {HTMLSelectElement} */ ($('tensor')).value || 0);

  /**
   * @param {HTMLCanvasElement} canvas
   * @param {string} view
   * @returns {TileRect[]}
   */
  function layout(canvas, view) {
    if (!state.viewer || state.scrub == null) return [];
    // The core draws the maps laid out in CSS pixels (canvas.js), so the cells are found there too.
    const { width, height } = layoutSize(canvas);
    return JSON.parse(state.viewer.weight_layout_json(view, tensor(), state.scrub, width, height));
  }

  /** @returns {HoverInfo | null} */
  function info() {
    if (!state.viewer || state.scrub == null || !cursor) return null;
    return JSON.parse(state.viewer.weight_json(tensor(), state.scrub, cursor.tile, cursor.row, cursor.col, language()));
  }

  // The cursor's outline on both maps (drawn over the picture; the next redraw clears it).
  function outline() {
    if (!cursor) return;
    for (const [id, view] of VIEWS) {
      const canvas = $(id, HTMLCanvasElement);
      const rect = layout(canvas, view).find((r) => r.tile === cursor?.tile);
      if (!rect) continue;
      const context = layoutContext(canvas);
      const x = rect.x + edge(cursor.col, rect.cell_width);
      const y = rect.y + edge(cursor.row, rect.cell_height);
      const width = Math.max(3, edge(cursor.col + 1, rect.cell_width) - edge(cursor.col, rect.cell_width));
      const height = Math.max(3, edge(cursor.row + 1, rect.cell_height) - edge(cursor.row, rect.cell_height));
      context.save();
      context.lineWidth = 3;
      context.strokeStyle = '#000';
      context.strokeRect(x - 1.5, y - 1.5, width + 3, height + 3);
      context.lineWidth = 1.5;
      context.strokeStyle = '#ffd400';
      context.strokeRect(x - 1.5, y - 1.5, width + 3, height + 3);
      context.restore();
    }
  }

  // While a pruning step is held (teaching pace): the weights it removed, filled in orange.
  function highlightRemoved() {
    const held = state.pruneHighlight;
    // The maps show recorded steps (the timeline's), so the step shown may be the pruning step
    // itself rather than the step training stopped at.
    if (!held || !state.viewer || state.scrub == null || state.scrub < held.from) return;
    /** @type {[number, number, number][]} */
    const cells = JSON.parse(state.viewer.removed_json(tensor(), held.from, state.scrub));
    if (!cells.length) return;
    for (const [id, view] of VIEWS) {
      const canvas = $(id, HTMLCanvasElement);
      const rects = layout(canvas, view);
      const context = layoutContext(canvas);
      context.save();
      context.fillStyle = 'rgb(255, 140, 0)'; // solid: "just removed", unlike any map colour
      for (const [tile, row, col] of cells) {
        const rect = rects.find((r) => r.tile === tile);
        if (!rect) continue;
        const x = rect.x + edge(col, rect.cell_width);
        const y = rect.y + edge(row, rect.cell_height);
        context.fillRect(x, y, Math.max(1, edge(col + 1, rect.cell_width) - edge(col, rect.cell_width)), Math.max(1, edge(row + 1, rect.cell_height) - edge(row, rect.cell_height)));
      }
      context.restore();
    }
  }

  // The text for the cursor's weight (or the prompt), its outline, and any held pruning step.
  function redrawn() {
    const facts = info();
    text.textContent = facts ? describeWeight(facts) : PROMPT();
    highlightRemoved();
    outline();
  }

  /**
   * Moves the cursor (a user action): redraws the maps so the old outline goes, and announces.
   * @param {Cell | null} cell
   * @param {boolean} speak
   */
  function moveTo(cell, speak) {
    cursor = cell;
    state.redrawWeightMaps?.();
    if (speak) announce.textContent = text.textContent;
  }

  for (const [id, view] of VIEWS) {
    const canvas = $(id, HTMLCanvasElement);
    /** @param {PointerEvent} event */
    const pick = (event) => {
      const { x, y } = canvasPoint(canvas, event);
      for (const rect of layout(canvas, view)) {
        const col = indexAt(x - rect.x, rect.cell_width, rect.cols);
        const row = indexAt(y - rect.y, rect.cell_height, rect.rows);
        if (col != null && row != null) {
          if (cursor?.tile !== rect.tile || cursor.row !== row || cursor.col !== col) moveTo({ tile: rect.tile, row, col }, false);
          return;
        }
      }
    };
    // Mouse: follows the pointer. Touch and pen: a tap picks the weight (no hover there).
    canvas.addEventListener('pointermove', (event) => { if (event.pointerType === 'mouse') pick(event); });
    canvas.addEventListener('pointerdown', pick);
    canvas.addEventListener('keydown', (event) => {
      const tiles = layout(canvas, view);
      if (!tiles.length) return;
      const at = cursor && tiles.find((r) => r.tile === cursor?.tile) ? cursor : { tile: tiles[0].tile, row: 0, col: 0 };
      const index = tiles.findIndex((r) => r.tile === at.tile);
      const rect = tiles[index];
      /** @type {Cell | null | undefined} */
      let next;
      const clamp = (/** @type {number} */ v, /** @type {number} */ n) => Math.min(n - 1, Math.max(0, v));
      const inTile = (/** @type {number} */ i) => {
        const r = tiles[clamp(i, tiles.length)];
        return { tile: r.tile, row: clamp(at.row, r.rows), col: clamp(at.col, r.cols) };
      };
      switch (event.key) {
        case 'ArrowLeft': next = at.col > 0 ? { ...at, col: at.col - 1 } : index > 0 ? { ...inTile(index - 1), col: tiles[index - 1].cols - 1 } : at; break;
        case 'ArrowRight': next = at.col < rect.cols - 1 ? { ...at, col: at.col + 1 } : index < tiles.length - 1 ? { ...inTile(index + 1), col: 0 } : at; break;
        case 'ArrowUp': next = { ...at, row: clamp(at.row - 1, rect.rows) }; break;
        case 'ArrowDown': next = { ...at, row: clamp(at.row + 1, rect.rows) }; break;
        case 'PageUp': next = inTile(index - 1); break;
        case 'PageDown': next = inTile(index + 1); break;
        case 'Home': next = { tile: tiles[0].tile, row: 0, col: 0 }; break;
        case 'Escape': next = null; break;
        default: return;
      }
      event.preventDefault();
      moveTo(next, true);
    });
    // Focus alone shows where the cursor is (the first weight when there was none).
    canvas.addEventListener('focus', () => {
      if (cursor) return;
      const tiles = layout(canvas, view);
      if (tiles.length) moveTo({ tile: tiles[0].tile, row: 0, col: 0 }, true);
    });
  }

  return {
    redrawn,
    reset: () => { cursor = null; text.textContent = PROMPT(); },
    // The drill-down from the Network view (drill-down.js): the cursor on a tile's first weight.
    focus: (/** @type {number} */ tile, /** @type {number} */ row) => { cursor = { tile, row, col: 0 }; },
  };
}
