// "Show data": every chart offers its data as an accessible HTML table, under a disclosure button.
// The table comes from Rust (the same chart input the canvas is drawn from, with people's numbers);
// this module only puts it into the page. A chart and its disclosure share a wrapper box, so grids
// of charts keep one cell per chart.
import { t } from './i18n.js';

/** @typedef {import('./types.js').DataTable} DataTable */

/**
 * @typedef {object} Offer
 * @property {HTMLDetailsElement} details
 * @property {HTMLElement} body where the table goes
 * @property {() => string} source the table as JSON (a DataTable)
 */

/** @type {WeakMap<HTMLCanvasElement, Offer>} */
const offers = new WeakMap();

/**
 * Gives `canvas` a "Show data" disclosure (once) and makes `source` its table from now on; an open
 * table is rebuilt at once, so it follows the chart as it is redrawn.
 * @param {HTMLCanvasElement} canvas
 * @param {() => string} source returns a DataTable as JSON
 */
export function offerData(canvas, source) {
  let offer = offers.get(canvas);
  if (!offer) {
    offer = createOffer(canvas, source);
    offers.set(canvas, offer);
  }
  offer.source = source;
  nameSummary(offer.details, canvas);
  if (offer.details.open) fill(offer);
}

/**
 * Names the disclosure after its chart, as the chart is named now (in the language shown).
 * @param {HTMLDetailsElement} details
 * @param {HTMLCanvasElement} canvas
 */
function nameSummary(details, canvas) {
  const summary = /** @type {HTMLElement} */ (details.querySelector('summary'));
  const name = canvas.getAttribute('aria-label');
  if (name) summary.setAttribute('aria-label', t('a11y.show_data_of', { name }));
}

/**
 * @param {HTMLCanvasElement} canvas
 * @param {() => string} source
 * @returns {Offer}
 */
function createOffer(canvas, source) {
  const box = document.createElement('div');
  box.className = 'chart-box';
  canvas.replaceWith(box);
  const details = document.createElement('details');
  details.className = 'chart-data';
  const summary = document.createElement('summary');
  summary.textContent = t('page.chart.show_data');
  summary.dataset.i18n = 'page.chart.show_data'; // re-labelled when the language changes
  const body = document.createElement('div');
  details.append(summary, body);
  box.append(canvas, details);
  /** @type {Offer} */
  const offer = { details, body, source };
  details.addEventListener('toggle', () => { if (details.open) fill(offer); });
  return offer;
}

/** @param {Offer} offer */
function fill(offer) {
  try {
    offer.body.replaceChildren(tableOf(/** @type {DataTable} */ (JSON.parse(offer.source()))));
  } catch (error) {
    offer.body.textContent = t('page.chart.no_data', { reason: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * A scrollable, keyboard-reachable region holding the table.
 * @param {DataTable} data
 * @returns {HTMLElement}
 */
function tableOf(data) {
  const region = document.createElement('div');
  region.className = 'table-scroll chart-data-scroll';
  region.tabIndex = 0;
  region.setAttribute('role', 'region');
  region.setAttribute('aria-label', data.caption);
  const table = document.createElement('table');
  table.className = 'table';
  const caption = document.createElement('caption');
  caption.textContent = data.caption;
  const headRow = document.createElement('tr');
  for (const column of data.columns) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = column;
    headRow.append(cell);
  }
  const head = document.createElement('thead');
  head.append(headRow);
  const body = document.createElement('tbody');
  for (const row of data.rows) {
    const line = document.createElement('tr');
    row.forEach((text, index) => {
      const cell = document.createElement(index === 0 ? 'th' : 'td');
      if (cell instanceof HTMLTableCellElement && index === 0) cell.scope = 'row';
      cell.textContent = text;
      line.append(cell);
    });
    body.append(line);
  }
  if (!data.rows.length) {
    const line = document.createElement('tr');
    const cell = document.createElement('td');
    cell.colSpan = Math.max(1, data.columns.length);
    cell.textContent = 'no data yet';
    line.append(cell);
    body.append(line);
  }
  table.append(caption, head, body);
  region.append(table);
  return region;
}
