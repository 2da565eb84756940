// Shared set-up of the end-to-end tests: the served site, Debian's Chromium, and a page that
// records console errors and any request leaving 127.0.0.1.
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

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
