// Child processes of the engine smokes (browsers, drivers, Xvfb): each is started in its own process
// group, so stopping it also ends the helpers it spawns (content processes, MiniBrowser), and every
// wait has a deadline, so a hung browser fails the test instead of hanging CI.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** Processes started and not yet stopped; `stopAll` is the safety net of a test file's `after`. */
const running = new Set();

/**
 * Starts `command`; its stdout and stderr are kept (the last 64 kB) for error messages.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 */
export function start(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set();
  const keep = (chunk) => {
    output = (output + chunk).slice(-65536);
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal || code)));
  child.on('error', (error) => keep(`\n${command}: ${error.message}\n`));
  const handle = {
    child,
    exited,
    output: () => output,
    /** Resolves with the first match of `pattern` in the output; rejects on exit or after `ms`. */
    waitFor(pattern, ms, what = String(pattern)) {
      return new Promise((resolve, reject) => {
        const done = (fn, value) => { clearTimeout(timer); listeners.delete(check); fn(value); };
        const check = () => {
          const match = output.match(pattern);
          if (match) done(resolve, match);
        };
        const timer = setTimeout(() => done(reject, new Error(`${command}: no ${what} after ${ms} ms. Output:\n${output}`)), ms);
        exited.then((code) => done(reject, new Error(`${command} exited (${code}) before ${what}. Output:\n${output}`)));
        listeners.add(check);
        check();
      });
    },
    /** Ends the process group: SIGTERM, then SIGKILL if it is still there after 5 s. */
    async stop() {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      // The leader may go first; its children are in the same group.
      signalGroup(child.pid, 'SIGKILL');
    },
  };
  running.add(handle);
  return handle;
}

/** @param {number} pid @param {NodeJS.Signals} signal */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Stops every process this module started that is still running. */
export async function stopAll() {
  await Promise.all([...running].map((p) => p.stop()));
}

/** A TCP port that was free a moment ago on 127.0.0.1 (for programs that cannot pick one themselves). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Waits for `promise`, failing with `what` if it takes longer than `ms`.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export function deadline(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
