// Measured time per training epoch and per 1,000-image inference, dense vs pruned, in this
// browser: the training worker times copies of the run's dense snapshot and its current network
// (www/worker.js 'measure-time', src/web/timing.rs). This module only asks and waits.

/** @typedef {import('./types.js').MeasuredTime} MeasuredTime */

/**
 * @typedef {object} TimingState the part of the page's state this module uses
 * @property {Worker} worker
 * @property {Record<string, (message: any) => void>} [handlers]
 */

/** @type {{ resolve: (timing: MeasuredTime) => void, reject: (error: Error) => void }[]} */
const waiting = [];

/**
 * Asks the training worker to measure the run as it is now. The worker answers in order, so
 * each reply settles the oldest request.
 * @param {TimingState} state
 * @returns {Promise<MeasuredTime>}
 */
export function measureTime(state) {
  if (!state.handlers?.timing) {
    state.handlers = {
      ...state.handlers,
      timing: (/** @type {{ timing?: MeasuredTime, error?: string }} */ reply) => {
        const request = waiting.shift();
        if (!request) return;
        if (reply.timing) request.resolve(reply.timing);
        else request.reject(new Error(reply.error || 'the worker could not measure the time'));
      },
    };
  }
  return new Promise((resolve, reject) => {
    waiting.push({ resolve, reject });
    state.worker.postMessage({ type: 'measure-time' });
  });
}
