// A lesson's "similar_filters" figure: the first compared run's two most similar conv filters
// before pruning, drawn side by side by the core, with the core's caption as text and as the
// canvas's accessible name.

/** @typedef {import('./types.js').SimilarFilters} SimilarFilters */

/**
 * The figure for "What happened", or a note when the core found no pair.
 * @param {(canvas: HTMLCanvasElement) => string} draw draws the pair, answers its facts (JSON)
 * @param {HTMLElement} body where the figure goes (it must be in the page to be drawn)
 */
export function appendSimilarFilters(draw, body) {
  const figure = document.createElement('figure');
  figure.className = 'similar-filters';
  const canvas = document.createElement('canvas');
  figure.append(canvas);
  body.append(figure);
  // Fits the panel (the figure's width is known once it is in the page).
  canvas.width = Math.max(240, Math.min(420, figure.clientWidth || 420));
  canvas.height = Math.round(canvas.width * 0.6);
  canvas.setAttribute('role', 'img');
  const caption = document.createElement('figcaption');
  figure.append(caption);
  try {
    /** @type {SimilarFilters} */
    const pair = JSON.parse(draw(canvas));
    caption.textContent = pair.caption;
    canvas.setAttribute('aria-label', pair.caption);
    figure.dataset.cosine = String(pair.cosine);
  } catch (error) {
    canvas.remove();
    caption.textContent = `The most similar filters could not be shown: ${error instanceof Error ? error.message : String(error)}`;
  }
}
