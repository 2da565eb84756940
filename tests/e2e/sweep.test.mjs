// End-to-end: Compare's sweep mode. A sweep of 2 strategies × 3 sparsities draws one curve per
// strategy in sparsity order (read from the chart's "Show data" table) and fills a 2 × 3 table;
// a bad sparsity list says what is wrong and starts nothing; the mode fits a phone screen and
// passes axe-core. Screenshots go to artifacts/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axePath, shots, useSite } from './browser.mjs';

const site = useSite({ screenshots: true });

/** The page in Compare's sweep mode with magnitude and random ticked. */
async function sweepPage(viewport) {
  // The page's CSP refuses injected scripts: bypassed so axe-core can audit the view.
  const { context, page, problems } = await site.open('#pretrain=1&view=compare', { viewport, bypassCSP: true });
  await page.check('#compare-mode input[value="sweep"]');
  await page.waitForSelector('#sweep-mode:not([hidden])');
  for (const name of ['magnitude', 'random']) await page.check(`#compare-strategies input[value="${name}"]`);
  return { context, page, problems };
}

const tableRows = (page) => page.$$eval('#sweep-table tbody tr', (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent)));

test('a sweep of 2 strategies × 3 sparsities draws curves in sparsity order and a 2 × 3 table', async () => {
  const { context, page, problems } = await sweepPage({ width: 1280, height: 900 });
  assert.equal(await page.isHidden('#compare-side'), true, 'the side-by-side controls are put away');
  // Typed out of order: the sweep runs and lists them in increasing sparsity.
  await page.fill('#sweep-sparsities', '90, 0, 50');
  await page.fill('#sweep-finetune', '1');
  await page.click('#sweep-run');
  await page.waitForFunction(() => document.getElementById('sweep-status').textContent.startsWith('Done'), null, { timeout: 180000 });
  assert.match(await page.textContent('#sweep-status'), /^Done: 6 points in \d+\.\d s\.$/);
  const rows = await tableRows(page);
  assert.equal(rows.length, 6, '2 strategies × 3 sparsities');
  assert.deepEqual(rows.map((r) => [r[0].split(' ')[0], r[1]]), [
    ['Weight', '0%'], ['Weight', '50%'], ['Weight', '90%'],
    ['Random', '0%'], ['Random', '50%'], ['Random', '90%'],
  ]);
  for (const row of rows) assert.match(row[2], /^\d+\.\d\d%$/, `${row}: an accuracy`);
  assert.match(rows[3][5], /^shared with Weight magnitude/, 'sparsity 0: one run for both strategies');
  assert.equal(rows[3][2], rows[0][2], 'the shared run has one accuracy');
  assert.equal(rows[0][5], 'own');
  const kept = rows.map((r) => Number(r[3].split(' of ')[0].replace(/,/g, '')));
  assert.ok(kept[0] > kept[1] && kept[1] > kept[2], `fewer weights kept as sparsity rises: ${kept}`);
  assert.match(await page.textContent('#sweep-note'), /6 points, 5 runs .* shared dense pre-trainings: 1;/);

  // The chart's data: one curve per strategy, x increasing along each. ("Show data" lists a chart
  // whose curves all go forward in x as one row per x with a column per curve; a curve that went
  // back would be listed point by point instead.)
  await page.click('#sweep-results .chart-data summary');
  await page.waitForSelector('#sweep-results .chart-data table');
  const data = await page.$eval('#sweep-results .chart-data table', (table) => ({
    head: [...table.querySelectorAll('thead th')].map((th) => th.textContent),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((cell) => cell.textContent)),
  }));
  assert.equal(data.head.length, 3, `x and one column per strategy: ${data.head}`);
  assert.match(data.head[0], /target sparsity/);
  assert.match(data.head[1], /^Weight magnitude/);
  assert.match(data.head[2], /^Random/);
  const xs = data.rows.map((r) => parseFloat(r[0]));
  assert.equal(xs.length, 3, `three sparsities: ${JSON.stringify(data.rows)}`);
  assert.ok(xs[0] < xs[1] && xs[1] < xs[2], `x increasing: ${xs}`);
  for (const row of data.rows) assert.ok(row.slice(1).every((y) => /\d/.test(y)), `a value for each curve at x = ${row[0]}`);
  await page.addScriptTag({ path: axePath });
  const { violations } = await page.evaluate(() => window.axe.run('#view-compare'));
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), [], 'axe-core on the sweep mode');
  await page.locator('#view-compare').screenshot({ path: `${shots}/sweep-1280.png` });
  // In Chinese the chart's words are the catalog's, and so are its data's (the open table follows).
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => /^目标稀疏度/.test(document.querySelector('#sweep-results .chart-data thead th')?.textContent ?? ''));
  // The curves keep their points under the strategies' Chinese names; the lines around say it in Chinese.
  const zhData = await page.$eval('#sweep-results .chart-data table', (table) => ({
    head: [...table.querySelectorAll('thead th')].map((th) => th.textContent),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((cell) => cell.textContent)),
  }));
  assert.match(zhData.head[1], /^权重大小剪枝/);
  assert.deepEqual(zhData.rows.map((r) => r.slice(1)), data.rows.map((r) => r.slice(1)), 'the same points');
  assert.match(await page.textContent('#sweep-status'), /^完成：6 个点，用时 \d+\.\d 秒。$/);
  assert.match(await page.textContent('#sweep-note'), /^6 个点，5 次运行/);
  assert.match(await page.textContent('#sweep-settings'), /逐层/);
  assert.match(await page.getAttribute('#sweep-results .chart-data summary', 'aria-label'), /^显示数据：/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a bad sparsity list says what is wrong and starts nothing', async () => {
  const { context, page, problems } = await sweepPage({ width: 390, height: 844 });
  for (const [text, reason] of [['', /empty/], ['50, 100', /outside 0 to below 100%/], ['20, 20', /listed twice/], ['ten', /not a number/]]) {
    await page.fill('#sweep-sparsities', text);
    await page.click('#sweep-run');
    const status = await page.textContent('#sweep-status');
    assert.match(status, reason, `${JSON.stringify(text)}: ${status}`);
    assert.equal(await page.getAttribute('#sweep-sparsities', 'aria-invalid'), 'true');
    assert.equal(await page.isHidden('#sweep-results'), true, 'nothing started');
    assert.equal(await page.isHidden('#sweep-progress'), true, 'no progress shown');
  }
  // A started sweep can be cancelled: its workers stop and it says how far it got.
  await page.fill('#sweep-sparsities', '0, 50, 90');
  await page.click('#sweep-run');
  await page.waitForSelector('#sweep-cancel:not([hidden])');
  await page.click('#sweep-cancel');
  assert.match(await page.textContent('#sweep-status'), /^Cancelled after \d of 6 points/);
  assert.equal(await page.isHidden('#sweep-cancel'), true);
  const after = await page.textContent('#sweep-status');
  await page.waitForTimeout(1500);
  assert.equal(await page.textContent('#sweep-status'), after, 'nothing arrives after cancelling');
  await page.uncheck('#compare-strategies input[value="magnitude"]');
  await page.uncheck('#compare-strategies input[value="random"]');
  await page.fill('#sweep-sparsities', '0, 50');
  await page.click('#sweep-run');
  assert.match(await page.textContent('#sweep-status'), /Pick 1 to 4 strategies/);
  // The mode fits a phone: no sideways scrolling of the page.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
  await page.locator('#view-compare').screenshot({ path: `${shots}/sweep-390-error.png` });
  assert.deepEqual(problems, []);
  await context.close();
});
