// "Inside the network" (Try it): the feature maps of every conv layer for one digit, dense vs
// pruned. The worker computes them (it has the test digits, the dense reference and the run's
// history); the page draws each network on its own canvas with a FeatureMapsView, and shows a
// map's filter on hover or keyboard focus. The numbers and sentences come from Rust.
import { canvasPoint, context2d, fitCanvas, layoutSize } from './canvas.js';
import { offerData } from './chart-data.js';
import { byId as $, messageOf } from './dom.js';
import { language, onLanguageChange, t } from './i18n.js';

/** @typedef {{ layer: number, filter: number, x: number, y: number, width: number, height: number, gone: boolean }} MapRect */

// While the run trains, the maps of the network now are asked for again at most this often.
const FOLLOW_MS = 1000;

/**
 * @param {import('./app.js').PageState} state
 * @param {typeof import('./pkg/prunelab.js')} core
 * @param {() => Float32Array | null} drawnDigit the drawing pad's digit as the network reads it, or null
 */
export function setupFeatureMaps(state, core, drawnDigit) {
  const index = $('fmap-index', HTMLInputElement);
  const summary = $('fmap-summary');
  const note = $('fmap-note');
  const caption = $('fmap-filter-caption');
  const filterCanvas = $('fmap-filter', HTMLCanvasElement);
  const sideCanvases = [0, 1].map((side) => $(`fmap-side-${side}`, HTMLCanvasElement));
  /** @type {import('./pkg/prunelab.js').FeatureMapsView | null} */
  let view = null;
  /** @type {'test' | 'drawn'} */
  let source = 'test';
  let requestId = 0;
  /** The keyboard cursor per side: an index into that side's layout. */
  const cursor = [0, 0];
  /** @type {MapRect[][]} */
  let layouts = [[], []];

  /** The step the pruned side shows: the timeline's, unless it follows the run (then now). */
  function step() {
    const follow = $('follow', HTMLInputElement).checked;
    return follow || state.scrub == null ? undefined : state.scrub;
  }

  /** What the maps shown were asked for: the run, its last step then, and when. */
  let asked = { viewer: /** @type {unknown} */ (null), step: -1, at: 0 };

  function request() {
    if (!state.worker) return;
    asked = { viewer: state.viewer, step: state.viewer?.last_step() ?? -1, at: performance.now() };
    requestId += 1;
    const position = Math.min(Math.max(1, Math.round(Number(index.value) || 1)), Number(index.max) || 1);
    index.value = String(position);
    if (source === 'drawn') {
      const input = drawnDigit();
      if (!input) { summary.textContent = t('page.fmap.draw_first'); return; }
      state.worker.postMessage({ type: 'feature-maps', id: requestId, input, step: step(), lang: language() });
    } else {
      state.worker.postMessage({ type: 'feature-maps', id: requestId, test: position - 1, step: step(), lang: language() });
    }
  }

  /** @param {number} by */
  function move(by) {
    source = 'test';
    index.value = String(Math.min(Math.max(1, Number(index.value) + by), Number(index.max) || 1));
    request();
  }
  $('fmap-prev').addEventListener('click', () => move(-1));
  $('fmap-next').addEventListener('click', () => move(1));
  index.addEventListener('change', () => { source = 'test'; request(); });
  $('fmap-drawn').addEventListener('click', () => { source = 'drawn'; request(); });

  /** @param {number[]} pixels 28×28 grey levels */
  function showDigit(pixels) {
    const canvas = $('fmap-digit', HTMLCanvasElement);
    const context = context2d(canvas);
    const image = context.createImageData(28, 28);
    pixels.forEach((value, i) => image.data.set([value, value, value, 255], 4 * i));
    context.putImageData(image, 0, 0);
  }

  function draw() {
    if (!view) return;
    const sides = view.sides();
    sideCanvases.forEach((canvas, side) => {
      const shown = side < sides;
      canvas.hidden = !shown;
      if (!shown) { layouts[side] = []; return; }
      fitCanvas(canvas);
      view?.draw(canvas, side);
      const { width, height } = layoutSize(canvas);
      layouts[side] = JSON.parse(view?.layout_json(side, width, height) ?? '[]');
      canvas.setAttribute('aria-label', t('a11y.fmap.side', { title: view?.title(side) ?? '' }));
    });
    offerData(sideCanvases[0], () => view?.data_json() ?? '{}');
  }

  /**
   * Shows filter `rect` of `side` (its kernel and a sentence) and outlines its map.
   * @param {number} side @param {MapRect} rect @param {boolean} announce
   */
  function showFilter(side, rect, announce) {
    if (!view) return;
    fitCanvas(filterCanvas);
    view.draw_filter(filterCanvas, side, rect.layer, rect.filter);
    caption.textContent = view.filter_caption(side, rect.layer, rect.filter);
    if (announce) $('fmap-announce').textContent = caption.textContent;
    draw();
    const canvas = sideCanvases[side];
    const context = context2d(canvas);
    const ratio = Number(canvas.dataset.pixelRatio) || 1;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.strokeStyle = '#d55e00';
    context.lineWidth = 3;
    context.strokeRect(rect.x - 2.5, rect.y - 2.5, rect.width + 5, rect.height + 5);
  }

  sideCanvases.forEach((canvas, side) => {
    canvas.addEventListener('mousemove', (event) => {
      const { x, y } = canvasPoint(canvas, event);
      const at = layouts[side].findIndex((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
      if (at < 0 || at === cursor[side]) return;
      cursor[side] = at;
      showFilter(side, layouts[side][at], false);
    });
    canvas.addEventListener('focus', () => {
      const rect = layouts[side][cursor[side]];
      if (rect) showFilter(side, rect, true);
    });
    canvas.addEventListener('keydown', (event) => {
      const layout = layouts[side];
      if (!layout.length) return;
      const here = layout[cursor[side]] ?? layout[0];
      let next = cursor[side];
      if (event.key === 'ArrowRight') next = Math.min(layout.length - 1, next + 1);
      else if (event.key === 'ArrowLeft') next = Math.max(0, next - 1);
      else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const layer = here.layer + (event.key === 'ArrowDown' ? 1 : -1);
        const inLayer = layout.filter((r) => r.layer === layer);
        if (!inLayer.length) { event.preventDefault(); return; }
        const target = inLayer[Math.min(here.filter, inLayer.length - 1)];
        next = layout.indexOf(target);
      } else if (event.key === 'Home') next = 0;
      else if (event.key === 'End') next = layout.length - 1;
      else return;
      event.preventDefault();
      cursor[side] = next;
      showFilter(side, layout[next], true);
    });
  });

  state.handlers = {
    ...state.handlers,
    'feature-maps': (/** @type {{ id: number, answer?: string, error?: string }} */ message) => {
      if (message.id !== requestId) return;
      if (message.error) { summary.textContent = t('page.fmap.compute_failed', { error: message.error }); return; }
      try {
        /** @type {{ maps: object, test: { position: number, label: number, pixels: number[] } | null, test_count: number, lang: string }} */
        const answer = JSON.parse(message.answer ?? '{}');
        view?.free();
        view = new core.FeatureMapsView(JSON.stringify(answer.maps), answer.lang);
        index.max = String(answer.test_count);
        if (answer.test) showDigit(answer.test.pixels);
        $('fmap-digit').setAttribute('aria-label', answer.test
          ? t('a11y.fmap.test_digit', { position: String(answer.test.position + 1), label: String(answer.test.label) })
          : t('a11y.fmap.drawn_digit'));
        summary.textContent = view.summary();
        const why = view.note();
        note.hidden = !why;
        note.textContent = why ?? '';
        cursor.fill(0);
        draw();
        caption.textContent = t('page.fmap.filter_hint');
      } catch (error) {
        summary.textContent = t('page.fmap.draw_failed', { error: messageOf(error) });
      }
    },
  };

  // Opening Try it (or a new run's first data) computes the maps of the chosen digit.
  new MutationObserver(() => { if (!$('view-try').hidden) request(); })
    .observe($('view-try'), { attributes: true, attributeFilter: ['hidden'] });
  // A new language: the maps' words are the core's, so ask again while they are shown.
  onLanguageChange(() => { if (!$('view-try').hidden && view) request(); });
  // A new run, or the run moving on while the pruned side follows it: asked again, at most once a
  // second (the worker computes them between its training slices).
  state.followTry = () => {
    if ($('view-try').hidden || !state.viewer) return;
    const due = performance.now() - asked.at > FOLLOW_MS || state.finished; // the last step is never skipped
    const moved = step() === undefined && state.viewer.last_step() !== asked.step && due;
    if (state.viewer !== asked.viewer || moved) request();
  };
  // A digit read from the pad redraws the maps when the drawn digit is the one shown.
  return { drawnChanged: () => { if (source === 'drawn') request(); } };
}
