// End-to-end: axe-core's automated WCAG checks on every view: as the page loads, after a
// comparison and during a run.
// The page's CSP refuses injected scripts, so this browser context bypasses it to add axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axePath, useSite } from './browser.mjs';

const site = useSite();

// Every view's axe violations, one line each (rule, impact, help, where).
async function audit(page) {
  const views = await page.$$eval('[role=tab]', (tabs) => tabs.map((tab) => tab.dataset.view));
  assert.equal(views.length, 8);
  const found = [];
  for (const view of views) {
    await page.click(`#tab-${view}`);
    await page.waitForFunction((id) => !document.getElementById(`view-${id}`).hidden, view);
    const { violations, passes } = await page.evaluate(() => window.axe.run());
    assert.ok(passes.length > 30, `axe ran only ${passes.length} passing checks on ${view}`);
    found.push(...violations.map((v) => `${view}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  }
  return found;
}

async function openAudited(hash) {
  const opened = await site.open(hash, { bypassCSP: true });
  await opened.page.addScriptTag({ path: axePath });
  return opened;
}

test('axe-core finds no violations on any view of the loaded page', async () => {
  const { page, problems } = await openAudited();
  assert.deepEqual(await audit(page), []);
  assert.deepEqual(problems, []);
});

test('axe-core finds no violations after a comparison and during a run', async () => {
  const { page, problems } = await openAudited('#pretrain=1&finetune=1&target=0.9&schedule=one_shot&view=compare');
  await page.click('#compare-run');
  await page.waitForFunction(() => document.getElementById('compare-status').textContent === 'All runs finished.', null, { timeout: 180000 });
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('step-counter').textContent.replace(/\D/g, '')) > 100);
  assert.deepEqual(await audit(page), []);
  assert.deepEqual(problems, []);
});
