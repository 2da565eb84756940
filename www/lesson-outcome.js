// The "What happened" part of a lesson: the outcome the core wrote from the runs' own numbers
// (lines, the prediction's verdict, each claim checked, targets missed and why) and, for lessons
// that measure time, the times this browser measured. Only text and markup here: every number
// arrives already computed.
import { t, formatNumber } from './i18n.js';

/** @typedef {import('./types.js').LessonOutcome} LessonOutcome */
/**
 * The worker's measured times (contract: www/timing.js `measureTime`), in ms.
 * @typedef {{ epoch_ms_dense: number, epoch_ms_pruned: number, inference_1000_ms_dense: number,
 *   inference_1000_ms_pruned: number, images_per_epoch: number }} MeasuredTime
 */

/**
 * @param {string} tag
 * @param {string} [text]
 * @param {string} [className]
 */
function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/**
 * @param {string} title
 * @param {HTMLElement[]} items
 */
function part(title, items) {
  const list = element('ul');
  list.append(...items);
  return [element('h4', title), list];
}

/**
 * The outcome as markup: what happened, the verdict on the prediction, the claims, missed targets.
 * @param {LessonOutcome} outcome
 * @returns {HTMLElement[]}
 */
export function outcomeParts(outcome) {
  const parts = [];
  const lines = element('ul', undefined, 'lesson-lines');
  lines.append(...outcome.lines.map((line) => element('li', line)));
  parts.push(lines);
  const verdict = element('p', undefined, 'lesson-verdict');
  verdict.id = 'lesson-verdict';
  if (outcome.prediction) {
    verdict.dataset.right = String(outcome.prediction.right);
    verdict.append(element('strong', t(outcome.prediction.right ? 'page.outcome.right' : 'page.outcome.wrong')), outcome.prediction.text);
  } else {
    verdict.textContent = t('page.outcome.no_prediction');
  }
  parts.push(verdict);
  if (outcome.claims.length) {
    parts.push(...part(t('page.outcome.claims'), outcome.claims.map((claim) => {
      const item = element('li', undefined, 'lesson-claim');
      item.dataset.holds = String(claim.holds);
      item.append(element('span', claim.holds ? '✓ ' : '✗ ', 'mark'), element('span', claim.text),
        element('span', t(claim.holds ? 'page.outcome.holds' : 'page.outcome.does_not_hold', { detail: claim.detail }), 'hint'));
      return item;
    })));
  }
  const missed = outcome.targets.filter((target) => !target.reached);
  if (missed.length) {
    parts.push(...part(t('page.outcome.targets_missed'), missed.map((target) => {
      const item = element('li', undefined, 'lesson-missed');
      item.append(element('strong', t('page.outcome.target_label', { label: target.label })), target.reason || t('page.outcome.below_target'));
      return item;
    })));
  }
  return parts;
}

/**
 * The measured times as a small table: dense vs pruned, per epoch and per 1,000 images.
 * @param {MeasuredTime} timing
 * @param {string | null} label the compared run's name (null: the lesson's one run)
 * @returns {HTMLElement[]}
 */
export function timingParts(timing, label) {
  const ms = (/** @type {number} */ value) => `${formatNumber(value, { maximumFractionDigits: value < 10 ? 1 : 0 })} ms`;
  const table = element('table', undefined, 'table lesson-timing');
  table.append(element('caption', label ? t('page.outcome.measured_run', { label }) : t('page.outcome.measured')));
  const head = element('tr');
  head.append(element('th', t('page.outcome.time_for')), element('th', t('page.card.dense')), element('th', t('page.card.pruned')));
  for (const th of head.children) th.setAttribute('scope', 'col');
  table.append(head);
  /** @type {[string, number, number][]} */
  const rows = [
    [t('page.outcome.epoch_time', { images: timing.images_per_epoch }), timing.epoch_ms_dense, timing.epoch_ms_pruned],
    [t('page.outcome.inference_time'), timing.inference_1000_ms_dense, timing.inference_1000_ms_pruned],
  ];
  for (const [label, dense, pruned] of rows) {
    const row = element('tr');
    const name = element('th', label);
    name.setAttribute('scope', 'row');
    row.append(name, element('td', ms(dense)), element('td', ms(pruned)));
    table.append(row);
  }
  return [element('h4', label ? t('page.outcome.time_title_run', { label }) : t('page.outcome.time_title')), table];
}

/** What measured times are and are not (said once under them). */
export function timingNote() {
  return element('p', t('page.outcome.timing_note'), 'hint');
}
