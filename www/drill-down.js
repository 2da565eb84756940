// Drill-down into the Weights view: select a layer (a prunable tensor), put the weight cursor on
// one filter's or unit's tile, show the view and move the keyboard focus to its weight map.
// The Network view (network.js) opens its nodes this way; app.js provides the two hooks.
import { byId as $ } from './dom.js';

/**
 * @param {import('./app.js').PageState} state
 * @param {number} tensor index among the prunable tensors (the Layer menu's value)
 * @param {number} tile the filter's or unit's tile in that tensor's weight map
 * @param {number} [row] the row within the tile (a unit of a dense layer drawn as one matrix)
 */
export function showInWeights(state, tensor, tile, row = 0) {
  const select = $('tensor', HTMLSelectElement);
  if (tensor < 0 || tensor >= select.options.length) return;
  select.value = String(tensor);
  state.focusWeightTile?.(tile, row);
  state.showView?.('weights');
  // Drawn now, not at the next frame: the first drawing wraps the map in its "Show data" box,
  // which would take the focus away again.
  state.redrawWeightMaps?.();
  $('heatmap', HTMLCanvasElement).focus();
}
