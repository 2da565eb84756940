// Teaching pace (www/worker.js holds each pruning step briefly): while a step is held, the control
// bar says what was removed and the weight maps outline the removed weights (inspect.js draws them).
import { byId as $ } from './dom.js';
import { t } from './i18n.js';

/**
 * @param {import('./app.js').PageState} state
 */
export function setupPace(state) {
  let timer = 0;
  state.handlers = {
    ...state.handlers,
    'pruning-pause': (/** @type {{ from: number, step: number, removed: number, ms: number }} */ message) => {
      const flash = $('prune-flash');
      flash.textContent = t('page.pace.pruned', { removed: message.removed, step: message.step });
      flash.hidden = false;
      state.pruneHighlight = { from: message.from, step: message.step };
      state.redrawWeightMaps?.();
      clearTimeout(timer);
      // Shown a little past the pause, so it is still there when the first charts after it draw.
      timer = window.setTimeout(() => {
        flash.hidden = true;
        state.pruneHighlight = null;
        state.redrawWeightMaps?.();
      }, message.ms + 700);
    },
  };
}
