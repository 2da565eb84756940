// Shared set-up of the end-to-end tests: the served site, Debian's Chromium, and a page that
// records console errors and any request leaving 127.0.0.1. `useSite` is what a test file calls.
import { before, after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

/** The checkout (what the site serves by default), with a trailing slash. */
export const root = fileURLToPath(new URL('../../', import.meta.url));
/** Where the tests put their screenshots, for a human to look at. */
export const shots = `${root}artifacts/screenshots`;
/** axe-core, for the tests that audit a page (the page's CSP must be bypassed to add it). */
export const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Registers the node:test hooks of a test file that drives the served site in Chromium: before its
 * tests, serve the site and launch the browser; after them, close both. What a file sets up on top
 * goes in `setUp`, not in a `before` of its own: node 20 starts a file's top-level `before` hooks
 * as they are registered, without waiting for the one before. Its `after` hooks do run in turn, so a
 * file's own `after`, registered after this call, runs once the browser and the server are closed.
 * @param {object} [options]
 * @param {string | (() => Promise<string>)} [options.root] the folder to serve (the checkout by
 *   default); a function is called in `before`, so it can make the folder first
 * @param {boolean} [options.screenshots] make the screenshots folder (`shots`) first
 * @param {(site: any) => Promise<void>} [options.setUp] runs once the site is up, before the tests
 * @param {() => Promise<void>} [options.tearDown] runs after the tests, before the browser closes
 */
export function useSite({ root: folder = root, screenshots = false, setUp, tearDown } = {}) {
  /** @type {{ server: import('node:http').Server, url: string } | undefined} */
  let served;
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  const up = () => {
    if (!served || !browser) throw new Error('the site is not up yet: use it in a test, or in useSite\'s setUp');
    return { served, browser };
  };
  const site = {
    /** The site's address, `http://127.0.0.1:<port>/`. */
    get url() { return up().served.url; },
    /** The Chromium all of the file's tests share. */
    get browser() { return up().browser; },
    /**
     * Opens the site at `hash` in a new browser context made with `contextOptions` (so no saved session
     * carries over) and waits until the page is ready.
     * @param {string} [hash]
     * @param {import('playwright-core').BrowserContextOptions} [contextOptions]
     */
    async open(hash = '', contextOptions = {}) {
      const context = await up().browser.newContext(contextOptions);
      return { context, ...(await open(up().browser, site, hash, context)) };
    },
    /**
     * Opens the site at `hash` in `context` (one the test made, or shares between pages).
     * @param {import('playwright-core').BrowserContext} context
     * @param {string} [hash]
     */
    openIn: (context, hash = '') => open(up().browser, site, hash, context),
  };
  before(async () => {
    if (screenshots) await mkdir(shots, { recursive: true });
    ({ site: served, browser } = await launch(typeof folder === 'function' ? await folder() : folder));
    await setUp?.(site);
  });
  after(async () => {
    await tearDown?.();
    await browser?.close();
    served?.server.close();
  });
  return site;
}

export async function launch(root) {
  const site = await serve(root);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { site, browser };
}

export async function open(browser, site, hash = '', context = null) {
  const page = await (context || browser).newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(site.url) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`request left 127.0.0.1: ${url}`);
  });
  await page.goto(`${site.url}${hash}`);
  await waitReady(page);
  return { page, problems };
}

export async function waitReady(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('status');
    return status.hidden || status.textContent === '' || status.textContent.startsWith('Restored');
  }, null, { timeout: 60000 });
}
