// WebKit (Safari's engine) through Debian's WebKitGTK: WebKitWebDriver drives MiniBrowser, which needs an
// X display, so a private Xvfb runs beside it. Classic W3C WebDriver: JSON over HTTP, one request per
// command. Classic WebDriver has no console log, so the page's errors are caught by listeners this
// module adds after each navigation (earlier ones reach the page's own status line, which the test reads).
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, start } from './processes.mjs';

// Debian ships MiniBrowser with libwebkit2gtk-4.1-0 (a dependency of webkit2gtk-driver), under the
// multiarch directory, e.g. /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser.
async function findMiniBrowser() {
  for (const dir of await readdir('/usr/lib')) {
    const path = join('/usr/lib', dir, 'webkit2gtk-4.1', 'MiniBrowser');
    if (existsSync(path)) return path;
  }
  throw new Error('MiniBrowser not found under /usr/lib/*/webkit2gtk-4.1/ (scripts/setup.sh test installs webkit2gtk-driver)');
}
const COMMAND_MS = 30000;

/** Records uncaught errors, unhandled rejections and console.error calls in `window.__problems`. */
const CATCH_PROBLEMS = `
  if (!window.__problems) {
    const problems = window.__problems = [];
    window.addEventListener('error', (e) => problems.push('page error: ' + e.message));
    window.addEventListener('unhandledrejection', (e) => problems.push('page error: ' + (e.reason && e.reason.message || e.reason)));
    const error = console.error.bind(console);
    console.error = (...args) => { problems.push('console: ' + args.join(' ')); error(...args); };
  }`;

/**
 * Starts Xvfb, WebKitWebDriver and a MiniBrowser session; every piece has a private temp dir.
 * @param {{ driver?: string, browser?: string }} [options]
 */
export async function launchWebKit({ driver = process.env.WEBKIT_DRIVER || 'WebKitWebDriver', browser = process.env.WEBKIT_BROWSER } = {}) {
  browser ||= await findMiniBrowser();
  const home = await mkdtemp(join(tmpdir(), 'prunelab-webkit-'));
  // -displayfd: Xvfb picks a free display number and writes it to stdout when ready.
  const xvfb = start('Xvfb', ['-displayfd', '1', '-nolisten', 'tcp', '-screen', '0', '1280x800x24']);
  let webdriver;
  let closing;
  const stop = async () => {
    await webdriver?.stop();
    await xvfb.stop();
    await rm(home, { recursive: true, force: true });
  };
  try {
    const [, display] = await xvfb.waitFor(/^(\d+)\s*$/m, 30000, 'display number');
    const port = await freePort();
    const env = { ...process.env, DISPLAY: `:${display}`, HOME: home, XDG_CACHE_HOME: join(home, 'cache'),
      XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_RUNTIME_DIR: home,
      // WebKitGTK takes navigator.language from LANG: under Debian's default C.UTF-8 it is "C", and
      // toLocaleString() then prints 7090, not 7,090. The other engines' default is en-US.
      LANG: 'en_US.UTF-8' };
    delete env.LC_ALL;
    delete env.LANGUAGE;
    webdriver = start(driver, [`--port=${port}`, '--host=127.0.0.1'], { env });
    const base = `http://127.0.0.1:${port}`;
    await waitForDriver(base, webdriver);
    const created = await command(base, 'POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: browser, args: ['--automation'] } } },
    });
    const sessionUrl = `${base}/session/${created.sessionId}`;
    return {
      name: `WebKitGTK ${created.capabilities.browserVersion}`,
      /** Errors recorded in the page since the last navigation (call after the page's work is done). */
      problems: async () => command(sessionUrl, 'POST', '/execute/sync', { script: 'return window.__problems || ["the error listeners were not installed"]', args: [] }),
      /** @param {string} url */
      async navigate(url) {
        await command(sessionUrl, 'POST', '/url', { url });
        await command(sessionUrl, 'POST', '/execute/sync', { script: CATCH_PROBLEMS, args: [] });
      },
      /** Evaluates `expression` (awaiting a promise) in the page; the result must survive JSON. */
      async evaluate(expression) {
        const text = await command(sessionUrl, 'POST', '/execute/async', {
          script: `const done = arguments[0]; Promise.resolve().then(async () => JSON.stringify(await (${expression})))
            .then(done, (e) => done(JSON.stringify({ __error: String(e) })));`,
          args: [],
        });
        const value = text === undefined || text === null ? undefined : JSON.parse(text);
        if (value && value.__error) throw new Error(`WebKit: ${value.__error}`);
        return value;
      },
      /** Ends the session, the driver and Xvfb, and removes the temp dir; safe to call twice. */
      close() {
        closing ||= command(sessionUrl, 'DELETE', '', undefined, 10000).catch(() => {}).then(stop);
        return closing;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls the driver's /status until it is ready, failing if it exits or takes over 30 s. */
async function waitForDriver(base, webdriver) {
  const until = Date.now() + 30000;
  for (;;) {
    try {
      if ((await command(base, 'GET', '/status', undefined, 2000)).ready) return;
    } catch (error) {
      if (webdriver.child.exitCode !== null || Date.now() > until) {
        throw new Error(`WebKitWebDriver did not start: ${error.message}. Output:\n${webdriver.output()}`, { cause: error });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * One WebDriver command; returns its `value`, or throws the driver's error message.
 * @param {string} base @param {string} method @param {string} path @param {object} [body] @param {number} [ms]
 */
async function command(base, method, path, body, ms = COMMAND_MS) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(ms),
  });
  const { value } = await response.json();
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.error}: ${value?.message}`);
  return value;
}
