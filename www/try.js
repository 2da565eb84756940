// "Try it": draw a digit and see the dense and the pruned network's predictions; a gallery of test
// digits whose prediction changed after pruning.
import { t, language, onLanguageChange } from './i18n.js';
import { context2d, fitCanvas } from './canvas.js';
import { offerData } from './chart-data.js';
import { byId as $, messageOf } from './dom.js';
import { setupFeatureMaps } from './feature-maps.js';

/**
 * @param {import('./app.js').PageState} state
 * @param {typeof import('./pkg/prunelab.js')} core
 */
export function setupTry(state, core) {
  const pad = $('draw', HTMLCanvasElement);
  const context = context2d(pad);
  let drawing = false;
  let last = { x: 0, y: 0 };
  let requestId = 0;

  function clear() {
    context.clearRect(0, 0, pad.width, pad.height);
  }
  /** @param {PointerEvent} event */
  function point(event) {
    const rect = pad.getBoundingClientRect();
    return { x: (event.clientX - rect.left) * (pad.width / rect.width), y: (event.clientY - rect.top) * (pad.height / rect.height) };
  }
  pad.addEventListener('pointerdown', (event) => { drawing = true; last = point(event); pad.setPointerCapture(event.pointerId); });
  pad.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const p = point(event);
    context.strokeStyle = '#fff';
    context.lineWidth = 22;
    context.lineCap = 'round';
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(p.x, p.y);
    context.stroke();
    last = p;
  });
  const finish = () => {
    if (!drawing) return;
    drawing = false;
    predict();
  };
  pad.addEventListener('pointerup', finish);
  pad.addEventListener('pointerleave', finish);
  $('draw-clear').addEventListener('click', () => { clear(); pen.hidden = true; });

  // Keyboard drawing: the arrow keys move a pen (drawing while it is down), Space lifts or lowers
  // it, Enter reads the digit, Delete or Backspace clears. The marker shows where the pen is.
  const pen = $('pen');
  const STEP = 14;
  let at = { x: pad.width / 2, y: pad.height / 4 };
  let down = false;
  function showPen() {
    pen.hidden = false;
    pen.classList.toggle('down', down);
    pen.style.left = `${(at.x / pad.width) * pad.clientWidth}px`;
    pen.style.top = `${(at.y / pad.height) * pad.clientHeight}px`;
    $('pen-state').textContent = t(down ? 'a11y.pen_down' : 'a11y.pen_up', { x: Math.round((100 * at.x) / pad.width), y: Math.round((100 * at.y) / pad.height) });
  }
  /** @param {{ x: number, y: number }} from @param {{ x: number, y: number }} to */
  function stroke(from, to) {
    context.strokeStyle = '#fff';
    context.lineWidth = 22;
    context.lineCap = 'round';
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
  }
  pad.addEventListener('focus', showPen);
  pad.addEventListener('blur', () => { pen.hidden = true; });
  pad.addEventListener('keydown', (event) => {
    /** @type {Record<string, [number, number]>} */
    const moves = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] };
    const move = moves[event.key];
    if (move) {
      const next = { x: Math.min(pad.width - 10, Math.max(10, at.x + move[0])), y: Math.min(pad.height - 10, Math.max(10, at.y + move[1])) };
      if (down) stroke(at, next);
      at = next;
    } else if (event.key === ' ') {
      down = !down;
      if (down) stroke(at, at);
    } else if (event.key === 'Enter') {
      predict();
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      clear();
    } else {
      return;
    }
    event.preventDefault();
    showPen();
  });

  function predict() {
    if (!state.worker) return;
    const pixels = context.getImageData(0, 0, pad.width, pad.height).data;
    let input;
    try {
      input = core.digit_input(new Uint8Array(pixels.buffer), pad.width, pad.height, language());
    } catch (error) {
      $('prediction').title = messageOf(error);
      return;
    }
    requestId += 1;
    state.worker.postMessage({ type: 'predict', id: requestId, input, lang: language() });
    drawn = input;
    featureMaps.drawnChanged();
  }
  /** @type {Float32Array | null} the last digit read from the pad, for the feature maps */
  let drawn = null;
  const featureMaps = setupFeatureMaps(state, core, () => drawn);

  state.handlers = {
    ...state.handlers,
    prediction: (/** @type {{ id: number, probabilities: number[], noDense: string | null }} */ message) => {
      if (message.id !== requestId) return;
      // SET / RigL have no dense network: the worker sends the current network's ten only.
      $('prediction-note').hidden = !message.noDense;
      $('prediction-note').textContent = message.noDense ?? '';
      const canvas = $('prediction', HTMLCanvasElement);
      fitCanvas(canvas);
      const probabilities = new Float32Array(message.probabilities);
      core.draw_predictions(canvas, probabilities, language());
      offerData(canvas, () => core.predictions_data_json(probabilities, language()));
    },
    changed: (/** @type {{ items: import('./types.js').ChangedPrediction[], noDense: string | null }} */ message) => {
      const gallery = $('gallery');
      gallery.replaceChildren();
      if (message.noDense) {
        gallery.textContent = message.noDense;
        return;
      }
      if (!message.items.length) {
        gallery.textContent = t('page.try.none_changed');
        return;
      }
      for (const item of message.items) {
        // A button: picking a test digit (click, tap, Enter or Space) puts it on the pad and reads it.
        const figure = document.createElement('button');
        figure.className = 'gallery-item';
        figure.title = t('page.try.put_on_pad');
        const canvas = document.createElement('canvas');
        canvas.width = 28;
        canvas.height = 28;
        const image = context2d(canvas).createImageData(28, 28);
        item.pixels.forEach((value, i) => {
          image.data.set([value, value, value, 255], 4 * i);
        });
        context2d(canvas).putImageData(image, 0, 0);
        const caption = document.createElement('span');
        caption.textContent = t('page.try.changed_caption', { label: item.label, dense: item.dense, pruned: item.pruned });
        figure.append(canvas, caption);
        figure.addEventListener('click', () => {
          clear();
          context.imageSmoothingEnabled = true;
          context.drawImage(canvas, 0, 0, pad.width, pad.height);
          predict();
        });
        gallery.append(figure);
      }
    },
  };
  $('gallery-refresh').addEventListener('click', () => state.worker?.postMessage({ type: 'changed', limit: 24, lang: language() }));
  // A new language: the predictions chart's words (and the no-dense note) are the core's, so ask again.
  onLanguageChange(() => { if (drawn) predict(); });
}
