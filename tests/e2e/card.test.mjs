// End-to-end: after a short run the results card shows every figure, dense vs pruned, with the
// times measured in this browser; its JSON and PNG exports download and parse. Screenshots of
// the card at laptop and phone sizes go to artifacts/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { axePath, shots, useSite } from './browser.mjs';

const site = useSite({ screenshots: true });

// Every figure the card must show (issue 15, item 3), as its row labels begin.
const FIELDS = [
  'Test accuracy', 'Parameters', 'Size, dense fp32', 'Size, sparse CSR', 'Size, compacted',
  'Inference MACs per image', 'Training MACs per image', 'Training MACs, this run',
  'Training energy', 'Time per training epoch', 'Time per 1,000-image inference',
];

/** The card's table as [label, dense, pruned, change] rows. */
const cardRows = (page) => page.$$eval('#card-table tbody tr', (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent)));

/** A finished short run with its card and measured times. */
async function finishedRun(viewport) {
  // The page's CSP refuses injected scripts: bypassed so axe-core can audit the card.
  const { context, page, problems } = await site.open('#pretrain=1&finetune=1&target=0.9&schedule=one-shot', { viewport, bypassCSP: true });
  await page.selectOption('#speed', '100000');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 120000 });
  // Play showed the Network view; the card is in Curves.
  await page.click('#tab-curves');
  await page.waitForSelector('#card:not([hidden])');
  // The times arrive from the worker after the run.
  await page.waitForFunction(() => document.querySelectorAll('#card-table tbody tr').length === 11, null, { timeout: 60000 });
  return { context, page, problems };
}

test('after a run the card shows every figure, measured times, and exports JSON and PNG', async () => {
  const { context, page, problems } = await finishedRun({ width: 1280, height: 800 });
  const rows = await cardRows(page);
  assert.deepEqual(rows.map((row) => FIELDS.find((field) => row[0].startsWith(field))), FIELDS, 'every field, in order');
  for (const [label, dense, pruned, change] of rows) {
    assert.ok(dense && pruned && change, `${label}: every cell is filled (${dense} | ${pruned} | ${change})`);
  }
  const row = (field) => rows.find((r) => r[0].startsWith(field));
  // The default network: 7,090 parameters, 4 bytes each as fp32.
  assert.deepEqual(row('Parameters').slice(1, 2), ['7,090']);
  assert.deepEqual(row('Size, dense fp32').slice(1, 3), ['28,360\u00a0B', '28,360\u00a0B']);
  // The kept count on the card is the page's kept counter.
  const kept = await page.$eval('#kept', (e) => e.textContent.split('/')[0].trim());
  assert.equal(row('Parameters')[2], kept);
  assert.match(row('Time per training epoch')[0], /\(8,000 images, measured\)/);
  assert.match(row('Time per training epoch')[1], /^\d[\d.,]*\u00a0ms$/);
  const verdict = await page.$$eval('#card-verdict li', (items) => items.map((li) => li.textContent));
  assert.ok(verdict.length >= 2, 'a sentence each for training and inference');
  for (const line of verdict.slice(0, 2)) assert.match(line, /^Pruning (saved|did not save) time/);
  const notes = await page.textContent('#card-notes');
  assert.match(notes, /CSR .*32-bit column indices/);
  assert.match(notes, /9\.6 pJ per multiply-accumulate/);
  await page.addScriptTag({ path: axePath });
  const { violations } = await page.evaluate(() => window.axe.run('#card'));
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), [], 'axe-core on the card');
  await page.locator('#card').screenshot({ path: `${shots}/card-1280.png` });
  await page.screenshot({ path: `${shots}/card-1280-page.png` });

  const jsonDownload = page.waitForEvent('download');
  await page.click('#card-json');
  const card = JSON.parse(await readFile(await (await jsonDownload).path(), 'utf8'));
  assert.equal(card.dense.params, 7090);
  assert.equal(card.dense.bytes_fp32, 28360);
  assert.ok(card.pruned.bytes_csr < card.dense.bytes_csr, 'at 90% the CSR model is smaller');
  assert.ok(card.pruned.inference_macs_per_image < card.dense.inference_macs_per_image);
  assert.ok(card.time.epoch_ms_dense > 0 && card.time.inference_1000_ms_pruned > 0);
  assert.equal(card.time.images_per_epoch, 8000);
  assert.equal(card.rows.length, 11);
  assert.deepEqual(card.rows.map((r) => r.pruned), rows.map((r) => r[2]), 'the JSON is what the page shows');

  const pngDownload = page.waitForEvent('download');
  await page.click('#card-png');
  await (await pngDownload).saveAs(`${shots}/card-export.png`);
  const png = await readFile(`${shots}/card-export.png`);
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
  assert.equal(png.subarray(12, 16).toString(), 'IHDR');
  assert.equal(png.readUInt32BE(16), 1720, 'the card is drawn 860 px wide at 2×');
  assert.ok(png.readUInt32BE(20) > 500, 'tall enough for the rows and notes');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the card fits a phone screen', async () => {
  const { context, page, problems } = await finishedRun({ width: 390, height: 844 });
  // The whole page at full height, cut to the card (an element shot would catch the sticky bar).
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.locator('#card').boundingBox();
  await page.screenshot({ path: `${shots}/card-390.png`, fullPage: true, clip: box ?? undefined });
  // The page does not scroll sideways; the table scrolls inside its own region if it must.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Compare shows a card per strategy, with its own measured times', async () => {
  const { context, page, problems } = await site.open('#pretrain=1&finetune=1&target=0.9&schedule=one_shot&view=compare');
  await page.click('#compare-run');
  await page.waitForFunction(() => document.getElementById('compare-status').textContent === 'All runs finished.', null, { timeout: 180000 });
  const strategies = await page.$$eval('#compare-strategies input:checked', (inputs) => inputs.length);
  await page.waitForFunction((count) => document.querySelectorAll('#compare-cards .card').length === count, strategies, { timeout: 60000 });
  const cards = await page.$$eval('#compare-cards .card', (sections) => sections.map((section) => ({
    title: section.querySelector('h3')?.textContent ?? '',
    rows: [...section.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((cell) => cell.textContent)),
    verdict: section.querySelector('.card-verdict')?.textContent ?? '',
  })));
  assert.equal(cards.length, strategies, 'one card per compared strategy');
  for (const card of cards) {
    assert.equal(card.rows.length, 11, `${card.title}: every field`);
    assert.notEqual(card.rows[0][1], '—', `${card.title}: the dense accuracy reached the comparison`);
    assert.match(card.verdict, /Pruning (saved|did not save) time/);
  }
  await page.locator('#compare-cards').screenshot({ path: `${shots}/card-compare.png` });
  // In Chinese the same cards are made again from the times already measured, not measured anew.
  // The two measured rows' figures (dense and pruned), digits only: the units are words.
  const times = () => page.$$eval('#compare-cards tbody tr:nth-last-child(-n+2) td:nth-child(n+2):nth-child(-n+3)',
    (cells) => cells.map((cell) => (cell.textContent ?? '').match(/[\d.]+/g)?.join(' ') ?? ''));
  const measured = await times();
  assert.equal(measured.length, 4 * strategies);
  await page.selectOption('#lang', 'zh');
  // Titled with the strategy's Chinese label.
  await page.waitForFunction(() => /^[^A-Za-z]+：已剪枝/.test(document.querySelector('#compare-cards .card h3')?.textContent ?? ''));
  assert.equal(await page.$$eval('#compare-cards .card', (sections) => sections.length), strategies);
  const zhCards = await page.$$eval('#compare-cards .card', (sections) => sections.map((section) => section.textContent ?? ''));
  for (const text of zhCards) assert.doesNotMatch(text, /Pruning (saved|did not save) time|Test accuracy/, text);
  assert.deepEqual(await times(), measured, 'the same measured times');
  assert.deepEqual(problems, []);
  await context.close();
});
