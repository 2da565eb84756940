// The results card at the end of a run: dense vs pruned accuracy, parameters, sizes, MACs,
// energy and measured times. The figures and their wording come from the core
// (Viewer.card_json); this module fills the table, asks the worker for the times, and exports
// the card as JSON or as a PNG drawn on a canvas.
import { byId as $, messageOf } from './dom.js';
import { downloadBlob, context2d } from './canvas.js';
import { measureTime } from './timing.js';
import { t, fontStack, formatPercent, language, onLanguageChange } from './i18n.js';

/** @typedef {import('./types.js').ResultsCard} ResultsCard */
/** @typedef {import('./types.js').MeasuredTime} MeasuredTime */

/**
 * @typedef {object} CardState the part of the page's state this module uses
 * @property {import('./pkg/prunelab.js').Viewer | null} viewer
 * @property {Worker} worker
 * @property {boolean} finished
 * @property {Record<string, (message: any) => void>} [handlers]
 * @property {() => void} [onRunUpdate]
 * @property {(view: string) => void} [showView]
 */

/** @param {CardState} state */
export function setupCard(state) {
  /** @type {object | null} the viewer the card shows */
  let shownFor = null;
  /** @type {ResultsCard | null} */
  let card = null;
  /** @type {MeasuredTime | null} */
  let time = null;

  const render = () => {
    if (!state.viewer) return;
    card = JSON.parse(state.viewer.card_json(time ? JSON.stringify(time) : undefined, language()));
    show(/** @type {ResultsCard} */ (card));
  };

  // Called by the page after each update of the run: a finished run gets its card once (then
  // its times, measured by the worker); a new or unfinished run hides it.
  state.onRunUpdate = () => {
    if (!state.finished || !state.viewer) {
      $('card').hidden = true;
      $('network-card-link').hidden = true;
      shownFor = null;
      return;
    }
    if (shownFor === state.viewer) return;
    const viewer = state.viewer;
    shownFor = viewer;
    time = null;
    try {
      render();
      $('network-card-link').hidden = false;
    } catch (error) {
      $('card-verdict').textContent = t('page.card.failed', { reason: messageOf(error) });
      return;
    }
    $('card-verdict').replaceChildren(item(t('page.card.measuring')));
    measureTime(state).then((measured) => {
      if (shownFor !== viewer) return; // another run started meanwhile
      time = measured;
      render();
    }, (error) => {
      if (shownFor !== viewer) return;
      $('card-verdict').replaceChildren(item(t('page.card.times_not_measured', { reason: messageOf(error) })));
    });
  };

  $('card-json').addEventListener('click', () => { if (card) downloadJson(card); });
  // The run ends in the Network view; the card lives with the curves, so the view points to it.
  $('network-see-card').addEventListener('click', () => {
    state.showView?.('curves');
    $('card').scrollIntoView({ block: 'start' });
    $('card-title').focus();
  });
  $('card-png').addEventListener('click', () => { if (card) downloadPng(card); });
  // A new language: the same card in it (its figures from the core, its frame from the catalog).
  onLanguageChange(() => { if (card && state.viewer && shownFor === state.viewer) render(); });
}

/** @param {ResultsCard} card */
function downloadJson(card) {
  downloadBlob(new Blob([JSON.stringify(card, null, 2)], { type: 'application/json' }), 'prunelab-card.json');
}

/** @param {ResultsCard} card */
function downloadPng(card) {
  drawCard(card).toBlob((blob) => { if (blob) downloadBlob(blob, 'prunelab-card.png'); }, 'image/png');
}

/**
 * A card as its own section (Compare shows one per run): title, table, verdict, exports.
 * @param {ResultsCard} card
 * @returns {HTMLElement}
 */
export function cardSection(card) {
  const section = document.createElement('section');
  section.className = 'card';
  section.setAttribute('aria-label', t('page.card.results_of', { title: card.title }));
  const title = document.createElement('h3');
  title.textContent = t('page.card.section_title', { title: card.title, sparsity: formatPercent(card.sparsity, 1) });
  const table = document.createElement('table');
  table.className = 'table';
  const head = table.createTHead().insertRow();
  for (const name of ['figure', 'dense', 'pruned', 'change'].map((column) => t(`page.card.${column}`))) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    head.append(th);
  }
  fillRows(table.createTBody(), card);
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', t('a11y.card_table_of', { title: card.title }));
  scroll.append(table);
  const verdict = document.createElement('ul');
  verdict.className = 'card-verdict';
  verdict.append(...card.time_verdict.map(item));
  const exports = document.createElement('p');
  for (const [text, save] of /** @type {const} */ ([[t('page.card.png'), downloadPng], [t('page.card.json'), downloadJson]])) {
    const button = document.createElement('button');
    button.textContent = text;
    button.addEventListener('click', () => save(card));
    exports.append(button, ' ');
  }
  section.append(title, scroll, verdict, exports);
  return section;
}

/** @param {string} text */
function item(text) {
  const li = document.createElement('li');
  li.textContent = text;
  return li;
}

/** @param {ResultsCard} card */
function show(card) {
  $('card').hidden = false;
  $('card-title').textContent = t('page.card.heading', { title: card.title, sparsity: formatPercent(card.sparsity, 1) });
  fillRows(/** @type {HTMLTableSectionElement} */ ($('card-table').querySelector('tbody')), card);
  $('card-verdict').replaceChildren(...card.time_verdict.map(item));
  $('card-notes').replaceChildren(...card.notes.map(item));
}

/**
 * @param {HTMLTableSectionElement} body
 * @param {ResultsCard} card
 */
function fillRows(body, card) {
  body.replaceChildren(...card.rows.map((row) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = row.label;
    tr.append(th, ...[row.dense, row.pruned, row.change].map((text) => {
      const td = document.createElement('td');
      td.textContent = text;
      return td;
    }));
    return tr;
  }));
}

// The PNG: the card's own rows and sentences laid out on a white canvas (2× for sharp text).
const SCALE = 2;
const WIDTH = 860;
const PAD = 16;
const LINE = 22;
// The label's left edge, then the right edges the dense, pruned and change columns align to.
const COLUMNS = [PAD, 470, 700, WIDTH - PAD];

/**
 * @param {ResultsCard} card
 * @returns {HTMLCanvasElement}
 */
function drawCard(card) {
  const canvas = document.createElement('canvas');
  const measure = context2d(canvas);
  measure.font = `13px ${fontStack()}`;
  const verdict = card.time_verdict.flatMap((text) => wrap(measure, text, WIDTH - 2 * PAD));
  const notes = [...verdict, ...card.notes.flatMap((text) => wrap(measure, text, WIDTH - 2 * PAD))];
  const GAP = 6; // between the verdict and the notes
  const height = PAD + 30 + LINE * (card.rows.length + 1) + 12 + notes.length * 18 + GAP + PAD;
  canvas.width = WIDTH * SCALE;
  canvas.height = height * SCALE;
  const context = context2d(canvas);
  context.scale(SCALE, SCALE);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, WIDTH, height);
  context.fillStyle = '#1d2430';
  context.textBaseline = 'middle';
  context.font = `bold 16px ${fontStack()}`;
  context.fillText(t('page.card.png_title', { title: card.title, sparsity: formatPercent(card.sparsity, 1) }), PAD, PAD + 10);
  let y = PAD + 30 + LINE / 2;
  const cells = [['', t('page.card.dense'), t('page.card.pruned'), t('page.card.change')], ...card.rows.map((r) => [r.label, r.dense, r.pruned, r.change])];
  cells.forEach((cells, index) => {
    context.font = `${index === 0 ? 'bold ' : ''}13px ${fontStack()}`;
    if (index % 2 === 1) {
      context.fillStyle = '#f3f5f8';
      context.fillRect(PAD / 2, y - LINE / 2, WIDTH - PAD, LINE);
    }
    context.fillStyle = '#1d2430';
    cells.forEach((text, column) => {
      if (column === 0) {
        context.textAlign = 'left';
        context.fillText(text, COLUMNS[0], y);
      } else {
        context.textAlign = 'right';
        context.fillText(text, COLUMNS[column] - 6, y);
      }
    });
    y += LINE;
  });
  context.textAlign = 'left';
  context.font = `13px ${fontStack()}`;
  y += 12 - LINE / 2 + 9;
  notes.forEach((line, index) => {
    if (index === verdict.length) y += GAP;
    context.fillStyle = index < verdict.length ? '#1d2430' : '#5b6472';
    context.fillText(line, PAD, y);
    y += 18;
  });
  return canvas;
}

/**
 * Splits `text` into lines no wider than `width` at the context's font: at spaces, and between any
 * two Chinese characters (Chinese has no spaces between words).
 * @param {CanvasRenderingContext2D} context
 * @param {string} text
 * @param {number} width
 */
function wrap(context, text, width) {
  const lines = [];
  let line = '';
  for (const piece of text.match(/[\u2e80-\u9fff\uff00-\uffef][\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f]*|[^ \u2e80-\u9fff\uff00-\uffef]+| /g) ?? []) {
    const next = line + piece;
    if (line.trim() && context.measureText(next.trimEnd()).width > width) {
      lines.push(line.trimEnd());
      line = piece.trimStart();
    } else {
      line = next;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}
