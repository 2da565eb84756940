// The Network view: the CNN drawn as a network at the timeline's step (state.scrub, kept by
// app.js). When the step changes, connections removed since the step shown before flash orange
// and fade out, regrown ones fade in, over ANIMATION_MS — or the end state is drawn at once when
// the reader prefers reduced motion. The picture, its layout, its counts and the node
// descriptions come from the core (Viewer.draw_network, network_layout_json,
// network_summary_json, network_node_json); this module moves pixels and keys.
//
// Keyboard: the canvas is one focusable application. ←/→ move the cursor between columns, ↑/↓
// within a column, Home/End to the first/last column; Enter (or a click) opens the node's weights
// in the Weights view (drill-down.js). The cursor's description is shown and spoken.
import { canvasPoint, context2d, fitCanvas, layoutSize } from './canvas.js';
import { byId as $ } from './dom.js';
import { showInWeights } from './drill-down.js';
import { language, onLanguageChange, t } from './i18n.js';

/** @typedef {import('./types.js').NetworkLayout} NetworkLayout */
/** @typedef {import('./types.js').NetworkNodeRect} NodeRect */
/** @typedef {{ column: number, node: number }} Cursor */

const ANIMATION_MS = 700;
// At most one animation frame per this many ms: a fade reads well at ~12 frames per second, and a
// dense network's picture is costly to rasterise on a software canvas.
const FRAME_MS = 80;
// While a run plays and no mask changes, only the weights drift: the picture is redrawn at most
// this often (a dense network costs tens of milliseconds to rasterise on a software canvas).
const DRIFT_MS = 1000;
// A picture whose frame took longer than this is not animated while the run plays faster than
// the teaching pace (each frame would be a long task); the end state is drawn at once, as with
// reduced motion. The frame counts the browser rasterising the picture, which on a software canvas
// costs more than drawing it: 30-45 ms against 7-11 ms for the dense layer's 5,000 connections.
const SLOW_PAINT_MS = 25;
// Drawings on a scratch canvas after the page loads (see warmUp).
const WARM_UP_DRAWINGS = 4;

/**
 * @param {import('./app.js').PageState} state
 * @returns {{ draw: () => void }} `draw` shows state.scrub (animated from the step shown before)
 */
export function setupNetwork(state) {
  const canvas = $('network', HTMLCanvasElement);
  const info = $('network-info');
  const counts = $('network-summary');
  const announce = $('network-announce');
  /** @type {import('./pkg/prunelab.js').Viewer | null} */
  let viewer = null;
  /** @type {number | null} the step whose end state is (or is being animated) on screen */
  let shown = null;
  /** @type {{ from: number, to: number, start: number } | null} */
  let animation = null;
  let frame = 0;
  let lastFrame = 0;
  let paintedAt = 0;
  let paintedSize = '';
  let paintMs = 0;
  let frameMs = 0;
  /** @type {Cursor | null} */
  let cursor = null;
  /** @type {Float32Array | undefined} a test digit's pixels, drawn as the input */
  let digit;
  let digitAsked = false;
  /** @type {{ key: string, layout: NetworkLayout } | null} */
  let layoutMemo = null;

  state.handlers = {
    ...state.handlers,
    'test-digit': (/** @type {{ pixels: number[] }} */ message) => {
      if (message.pixels.length) digit = new Float32Array(message.pixels);
      if (shown != null && !animation) paint(shown, shown, 1);
    },
  };

  const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

  /** @returns {NetworkLayout | null} the layout of the step shown, in the canvas's layout pixels */
  function layout() {
    if (!state.viewer || shown == null) return null;
    const { width, height } = layoutSize(canvas);
    const key = `${shown}:${width}x${height}`;
    if (layoutMemo?.key !== key) {
      // Six numbers per node: column, node, x, y, width, height.
      const numbers = state.viewer.network_layout(shown, width, height);
      /** @type {NetworkLayout} */
      const built = { nodes: [] };
      for (let i = 0; i + 5 < numbers.length; i += 6) {
        const [column, node, x, y, w, h] = numbers.subarray(i, i + 6);
        (built.nodes[column] ??= []).push({ column, node, x, y, width: w, height: h });
      }
      layoutMemo = { key, layout: built };
    }
    return layoutMemo.layout;
  }

  /** @param {Cursor} at @returns {NodeRect | undefined} */
  const rectOf = (at) => layout()?.nodes[at.column]?.[at.node];

  /**
   * Draws `step`, `progress` of the way from `from`, then the cursor's outline.
   * @param {number} step @param {number} from @param {number} progress
   */
  function paint(step, from, progress) {
    if (!state.viewer) return;
    fitCanvas(canvas);
    const started = performance.now();
    state.viewer.draw_network(canvas, step, from, progress, digit, language());
    paintedAt = performance.now();
    paintMs = paintedAt - started;
    // The next task starts once this frame is committed (rasterised): the frame's whole cost.
    setTimeout(() => { frameMs = performance.now() - started; }, 0);
    paintedSize = `${canvas.width}x${canvas.height}:${canvas.dataset.pixelRatio}`;
    const rect = cursor && rectOf(cursor);
    if (!rect) return;
    const context = context2d(canvas);
    const ratio = Number(canvas.dataset.pixelRatio) || 1;
    context.save();
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineWidth = 3;
    context.strokeStyle = '#000';
    context.strokeRect(rect.x - 3.5, rect.y - 3.5, rect.width + 7, rect.height + 7);
    context.lineWidth = 1.5;
    context.strokeStyle = '#ffd400';
    context.strokeRect(rect.x - 3.5, rect.y - 3.5, rect.width + 7, rect.height + 7);
    context.restore();
  }

  /** @param {number} now */
  function tick(now) {
    frame = 0;
    if (!animation) return;
    if (state.view !== 'network') { animation = null; return; }
    const progress = Math.min(1, (now - animation.start) / ANIMATION_MS);
    if (progress < 1 && now - lastFrame < FRAME_MS) {
      frame = requestAnimationFrame(tick);
      return;
    }
    lastFrame = now;
    paint(animation.to, animation.from, progress);
    if (progress < 1) frame = requestAnimationFrame(tick);
    else animation = null;
  }

  // The input column's digit, asked for once (it arrives as a 'test-digit' message).
  function askForDigit() {
    if (digitAsked) return;
    digitAsked = true;
    state.worker.postMessage({ type: 'test-digit', position: 0 });
  }

  /** The counts in words, under the picture and in its label. @param {number} step */
  function describeCounts(step) {
    const summary = JSON.parse(currentViewer().network_summary_json(step, language()));
    counts.textContent = summary.text;
    counts.dataset.step = String(step);
    canvas.setAttribute('aria-label', t('a11y.network.canvas', { summary: summary.text }));
  }

  function currentViewer() {
    if (!state.viewer) throw new Error('there is no run to draw yet');
    return state.viewer;
  }

  function draw() {
    if (!state.viewer || state.scrub == null) return;
    if (state.viewer !== viewer) {
      // A new run: nothing on screen belongs to it.
      viewer = state.viewer;
      shown = null;
      animation = null;
      layoutMemo = null;
      delete counts.dataset.step;
    }
    askForDigit();
    const step = state.scrub;
    if (counts.dataset.step !== String(step)) describeCounts(step);
    if (shown === step) {
      // Same step (a chart round, a resize): redraw only if the canvas changed size.
      fitCanvas(canvas);
      if (!animation && paintedSize !== `${canvas.width}x${canvas.height}:${canvas.dataset.pixelRatio}`) paint(step, step, 1);
      return;
    }
    const from = shown;
    const changed = from != null && state.viewer.network_changes(from, step);
    if (from != null && !changed && state.playing && performance.now() - paintedAt < DRIFT_MS) return;
    shown = step;
    layoutMemo = null;
    if (from == null || reducedMotion() || !changed || (state.playing && Math.max(paintMs, frameMs) > SLOW_PAINT_MS && $('speed', HTMLSelectElement).value !== '0')) {
      animation = null;
      paint(step, step, 1);
    } else {
      animation = { from, to: step, start: performance.now() };
      if (!frame) frame = requestAnimationFrame(tick);
    }
    describeCursor(false);
  }

  /** Shows (and, when `speak`, announces) what the cursor is on. @param {boolean} speak */
  function describeCursor(speak) {
    if (!state.viewer || shown == null || !cursor) {
      info.textContent = t('page.network.prompt');
      return;
    }
    const facts = JSON.parse(state.viewer.network_node_json(shown, cursor.column, cursor.node, language()));
    info.textContent = facts ? facts.description : t('page.network.prompt');
    if (speak) announce.textContent = info.textContent;
  }

  /** @param {Cursor | null} next @param {boolean} speak */
  function moveTo(next, speak) {
    cursor = next;
    if (shown != null && !animation) paint(shown, shown, 1);
    describeCursor(speak);
  }

  function open() {
    if (!state.viewer || shown == null || !cursor) return;
    const facts = JSON.parse(state.viewer.network_node_json(shown, cursor.column, cursor.node, language()));
    if (!facts) return;
    if (facts.tensor == null) {
      announce.textContent = t('page.network.input_no_weights');
      return;
    }
    showInWeights(state, facts.tensor, facts.tile, facts.row);
  }

  /** The node under a pointer event, or null. @param {MouseEvent} event @returns {Cursor | null} */
  function nodeAt(event) {
    const { x, y } = canvasPoint(canvas, event);
    for (const column of layout()?.nodes ?? []) {
      for (const rect of column) {
        // A little slack around small nodes (units are a few pixels).
        const slack = Math.max(0, (8 - Math.min(rect.width, rect.height)) / 2);
        if (x >= rect.x - slack && x <= rect.x + rect.width + slack && y >= rect.y - slack && y <= rect.y + rect.height + slack) {
          return { column: rect.column, node: rect.node };
        }
      }
    }
    return null;
  }

  canvas.addEventListener('pointermove', (event) => {
    if (event.pointerType !== 'mouse') return;
    const at = nodeAt(event);
    if (at && (at.column !== cursor?.column || at.node !== cursor.node)) moveTo(at, false);
  });
  canvas.addEventListener('click', (event) => {
    const at = nodeAt(event);
    if (!at) return;
    moveTo(at, false);
    open();
  });
  canvas.addEventListener('focus', () => { if (!cursor && layout()) moveTo({ column: 0, node: 0 }, true); });
  canvas.addEventListener('keydown', (event) => {
    const nodes = layout()?.nodes;
    if (!nodes || !nodes.length) return;
    const at = cursor && nodes[cursor.column]?.[cursor.node] ? cursor : { column: 0, node: 0 };
    // Another column: the node at the same height, proportionally.
    const toColumn = (/** @type {number} */ column) => {
      const target = Math.min(nodes.length - 1, Math.max(0, column));
      const size = nodes[target].length;
      const node = Math.min(size - 1, Math.floor(((at.node + 0.5) / nodes[at.column].length) * size));
      return { column: target, node: Math.max(0, node) };
    };
    /** @type {Cursor | null} */
    let next;
    switch (event.key) {
      case 'ArrowLeft': next = toColumn(at.column - 1); break;
      case 'ArrowRight': next = toColumn(at.column + 1); break;
      case 'ArrowUp': next = { ...at, node: Math.max(0, at.node - 1) }; break;
      case 'ArrowDown': next = { ...at, node: Math.min(nodes[at.column].length - 1, at.node + 1) }; break;
      case 'Home': next = { column: 0, node: 0 }; break;
      case 'End': next = toColumn(nodes.length - 1); break;
      case 'Escape': next = null; break;
      case 'Enter':
        event.preventDefault();
        cursor = at;
        open();
        return;
      default: return;
    }
    event.preventDefault();
    moveTo(next, true);
  });
  info.textContent = t('page.network.prompt');
  warmUp(WARM_UP_DRAWINGS);
  // A new language: the counts, the cursor's words and the picture's labels are written again.
  onLanguageChange(() => {
    delete counts.dataset.step;
    paintedSize = '';
    if (state.view === 'network') draw();
    describeCursor(false);
  });

  /**
   * The core's network drawing runs cold the first time (compiled lazily, not yet optimised):
   * 50–64 ms against 10 ms warm, enough to make the first showing of the view (Play switches to
   * it) a long task. Drawing a small detached copy a few times while the page is idle, each in
   * its own task, warms it before anyone looks: the first real drawing then takes about 23 ms.
   * @param {number} left drawings still to make
   */
  function warmUp(left) {
    if (left === 0 || paintedSize) return; // done, or the view has drawn for real
    if (!state.viewer) { setTimeout(() => warmUp(left), 500); return; }
    // The first real picture then has its digit at once, instead of a second drawing when it comes.
    askForDigit();
    // About the size the view will have (its column is the tabs' width): a small canvas left part
    // of the drawing cold.
    const scratch = document.createElement('canvas');
    scratch.width = Math.max(300, document.getElementById('tabs')?.clientWidth ?? 0);
    scratch.height = Math.round(scratch.width * 0.56);
    try {
      const step = state.scrub ?? 0;
      state.viewer.draw_network(scratch, step, step, 1, digit, language());
    } catch {
      return; // the real drawing will say what is wrong
    }
    whenIdle(() => warmUp(left - 1));
  }

  return { draw };
}

/** Runs `task` when the page is idle (WebKit has no requestIdleCallback: shortly). @param {() => void} task */
function whenIdle(task) {
  if ('requestIdleCallback' in window) requestIdleCallback(task, { timeout: 2000 });
  else setTimeout(task, 100);
}
