// The "What happened" part of a lesson: the outcome the core wrote from the runs' own numbers
// (lines, the prediction's verdict, each claim checked, targets missed and why) and, for lessons
// that measure time, the times this browser measured. Only text and markup here: every number
// arrives already computed.

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
    verdict.append(element('strong', outcome.prediction.right ? '✓ Your prediction was right. ' : '✗ Your prediction was wrong. '), outcome.prediction.text);
  } else {
    verdict.textContent = 'You made no prediction before the run.';
  }
  parts.push(verdict);
  if (outcome.claims.length) {
    parts.push(...part('The lesson’s claims, checked on these runs', outcome.claims.map((claim) => {
      const item = element('li', undefined, 'lesson-claim');
      item.dataset.holds = String(claim.holds);
      item.append(element('span', claim.holds ? '✓ ' : '✗ ', 'mark'), element('span', claim.text),
        element('span', ` (${claim.holds ? 'holds' : 'does not hold'}: ${claim.detail})`, 'hint'));
      return item;
    })));
  }
  const missed = outcome.targets.filter((target) => !target.reached);
  if (missed.length) {
    parts.push(...part('Targets missed', missed.map((target) => {
      const item = element('li', undefined, 'lesson-missed');
      item.append(element('strong', `${target.label}: `), target.reason || 'the run ended below its target sparsity.');
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
  const ms = (/** @type {number} */ value) => `${value.toLocaleString(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 })} ms`;
  const table = element('table', undefined, 'table lesson-timing');
  table.append(element('caption', label ? `${label}, measured just now in this browser` : 'Measured just now in this browser'));
  const head = element('tr');
  head.append(element('th', 'time for'), element('th', 'dense'), element('th', 'pruned'));
  for (const th of head.children) th.setAttribute('scope', 'col');
  table.append(head);
  /** @type {[string, number, number][]} */
  const rows = [
    [`one training epoch (${timing.images_per_epoch.toLocaleString()} images)`, timing.epoch_ms_dense, timing.epoch_ms_pruned],
    ['inference on 1,000 images', timing.inference_1000_ms_dense, timing.inference_1000_ms_pruned],
  ];
  for (const [label, dense, pruned] of rows) {
    const row = element('tr');
    const name = element('th', label);
    name.setAttribute('scope', 'row');
    row.append(name, element('td', ms(dense)), element('td', ms(pruned)));
    table.append(row);
  }
  return [element('h4', label ? `Time, dense vs pruned: ${label}` : 'Time, dense vs pruned'), table];
}

/** What measured times are and are not (said once under them). */
export function timingNote() {
  return element('p', 'Timing is shown, not claimed: it depends on this device, the browser and what else is running. Judge the claim yourself.', 'hint');
}
