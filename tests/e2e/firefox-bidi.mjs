// Debian's Firefox ESR driven through the WebDriver BiDi server built into it (Playwright's Firefox
// mode needs Mozilla builds patched by Playwright, which cannot be downloaded here). The protocol is
// JSON commands and events over one WebSocket: session.new, browsingContext.navigate,
// script.evaluate, and log.entryAdded for console messages and uncaught errors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { deadline, start } from './processes.mjs';

const COMMAND_MS = 30000;

/**
 * Starts a headless Firefox with a fresh profile and opens a BiDi session on its one tab.
 * @param {{ binary?: string }} [options]
 */
export async function launchFirefox({ binary = process.env.FIREFOX || 'firefox-esr' } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'prunelab-firefox-'));
  // The same page language as the other engines (it decides how toLocaleString() groups digits).
  await writeFile(join(profile, 'user.js'), 'user_pref("intl.accept_languages", "en-US");\nuser_pref("intl.locale.requested", "en-US");\n');
  // Port 0: Firefox picks a free port and prints the address it listens on.
  const firefox = start(binary, ['--headless', '--no-remote', '--remote-debugging-port=0', '-profile', profile, 'about:blank'],
    { env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
  let socket;
  let closing;
  try {
    const [, address] = await firefox.waitFor(/WebDriver BiDi listening on (ws:\/\/\S+)/, 60000, 'BiDi address');
    socket = new WebSocket(`${address}/session`);
    await deadline(new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); }), COMMAND_MS, 'BiDi connect');
    const bidi = new BidiClient(socket);
    const { capabilities } = await bidi.send('session.new', { capabilities: {} });
    await bidi.send('session.subscribe', { events: ['log.entryAdded'] });
    const { contexts } = await bidi.send('browsingContext.getTree', {});
    const context = contexts[0].context;
    return {
      name: `Firefox ${capabilities.browserVersion}`,
      /** Console errors and uncaught exceptions seen so far. */
      problems: async () => [...bidi.problems],
      /** @param {string} url */
      navigate: (url) => bidi.send('browsingContext.navigate', { context, url, wait: 'complete' }),
      /** Evaluates `expression` (awaiting a promise) in the page; the result must survive JSON. */
      async evaluate(expression) {
        const reply = await bidi.send('script.evaluate', {
          expression: `(async () => JSON.stringify(await (${expression})))()`,
          target: { context }, awaitPromise: true, resultOwnership: 'none',
        });
        if (reply.type === 'exception') throw new Error(`Firefox: ${reply.exceptionDetails.text}`);
        return reply.result.type === 'string' ? JSON.parse(reply.result.value) : undefined;
      },
      /** Ends the session and Firefox, and removes the profile; safe to call twice. */
      close() {
        closing ||= (async () => {
          await deadline(bidi.send('session.end', {}), 5000, 'session.end').catch(() => {});
          socket.terminate();
          await firefox.stop();
          await rm(profile, { recursive: true, force: true });
        })();
        return closing;
      },
    };
  } catch (error) {
    socket?.terminate();
    await firefox.stop();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

/** Numbered commands over the socket; answers matched by id; log events collected as problems. */
class BidiClient {
  /** @param {WebSocket} socket */
  constructor(socket) {
    this.socket = socket;
    this.next = 1;
    /** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>} */
    this.waiting = new Map();
    /** @type {string[]} */
    this.problems = [];
    socket.on('message', (data) => this.receive(JSON.parse(String(data))));
    socket.on('close', () => {
      for (const { reject } of this.waiting.values()) reject(new Error('the BiDi connection closed'));
      this.waiting.clear();
    });
  }

  /** @param {any} message */
  receive(message) {
    if (message.type === 'event' && message.method === 'log.entryAdded') {
      const entry = message.params;
      if (entry.level === 'error') this.problems.push(`${entry.type === 'javascript' ? 'page error' : 'console'}: ${entry.text}`);
      return;
    }
    const waiter = this.waiting.get(message.id);
    if (!waiter) return;
    this.waiting.delete(message.id);
    if (message.type === 'error') waiter.reject(new Error(`BiDi ${message.error}: ${message.message}`));
    else waiter.resolve(message.result);
  }

  /** @param {string} method @param {object} params */
  send(method, params) {
    const id = this.next++;
    const answer = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.socket.send(JSON.stringify({ id, method, params }));
    return deadline(answer, COMMAND_MS, `BiDi ${method}`).finally(() => this.waiting.delete(id));
  }
}
