// A results card per compared run (Compare): each run's own worker times its dense snapshot and
// pruned network ('measure-time'), then the Comparison builds that run's card.
import { cardSection } from './card.js';
import { messageOf } from './dom.js';
import { t, language } from './i18n.js';

/** @typedef {import('./types.js').MeasuredTime} MeasuredTime */

/** @type {Map<HTMLElement, () => void>} per container, what makes its cards again */
const rebuilders = new Map();

/** Makes the cards shown again, in the language shown and under the runs' labels now. */
export function remakeCompareCards() {
  for (const rebuild of rebuilders.values()) rebuild();
}

/**
 * Fills `container` with one card per run, measuring the runs one after another (measured side
 * by side they would slow each other down).
 * @param {import('./pkg/prunelab.js').Comparison} comparison
 * @param {{ index: number | null, worker: Worker }[]} runs
 * @param {HTMLElement} container
 * @param {() => boolean} [current] false once a newer comparison replaced this one
 */
export async function showCompareCards(comparison, runs, container, current = () => true) {
  container.replaceChildren();
  /** @type {{ index: number, time: MeasuredTime | null, problem: string }[]} the cards so far */
  const measured = [];
  /** @param {{ index: number, time: MeasuredTime | null, problem: string }} card */
  const section = ({ index, time, problem }) => {
    const made = cardSection(JSON.parse(comparison.card_json(index, time ? JSON.stringify(time) : undefined, language())));
    if (problem) made.append(Object.assign(document.createElement('p'), { className: 'hint', textContent: t('page.card.times_not_measured', { reason: problem }) }));
    return made;
  };
  // Made again (remakeCompareCards) from the times already measured, not measured anew.
  rebuilders.set(container, () => { if (current()) container.replaceChildren(...measured.map(section)); });
  for (const run of runs) {
    if (run.index == null) continue;
    /** @type {MeasuredTime | null} */
    let time = null;
    let problem = '';
    try {
      time = await measureWorker(run.worker);
    } catch (error) {
      problem = messageOf(error);
    }
    if (!current()) return;
    const card = { index: run.index, time, problem };
    measured.push(card);
    container.append(section(card));
  }
}


/**
 * Asks one worker to measure its run; a listener of its own leaves the worker's handler as it is.
 * @param {Worker} worker
 * @returns {Promise<MeasuredTime>}
 */
function measureWorker(worker) {
  return new Promise((resolve, reject) => {
    const listener = (/** @type {MessageEvent} */ event) => {
      if (event.data?.type !== 'timing') return;
      worker.removeEventListener('message', listener);
      if (event.data.timing) resolve(event.data.timing);
      else reject(new Error(event.data.error || 'the worker could not measure the time'));
    };
    worker.addEventListener('message', listener);
    worker.postMessage({ type: 'measure-time' });
  });
}
