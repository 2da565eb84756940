// A results card per compared run (Compare): each run's own worker times its dense snapshot and
// pruned network ('measure-time'), then the Comparison builds that run's card.
import { cardSection } from './card.js';
import { messageOf } from './dom.js';
import { t, language } from './i18n.js';

/** @typedef {import('./types.js').MeasuredTime} MeasuredTime */

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
    const section = cardSection(JSON.parse(comparison.card_json(run.index, time ? JSON.stringify(time) : undefined, language())));
    if (problem) section.append(Object.assign(document.createElement('p'), { className: 'hint', textContent: t('page.card.times_not_measured', { reason: problem }) }));
    container.append(section);
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
