// End-to-end: the served site in headless Chromium (Debian's), driven by playwright-core.
// Screenshots of each main view go to artifacts/screenshots/ for a human to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { shots, useSite } from './browser.mjs';
import { readNpz, readZip, pngSize } from './npz.mjs';

// site.open gives each test a fresh browser context (no saved session from another test).
const site = useSite({ screenshots: true });

// A cheap fingerprint of a canvas's pixels, and whether it has more than one colour.
function pixels(page, id) {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId);
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) {
      hash = (hash * 31 + data[i] + 3 * data[i + 1] + 7 * data[i + 2]) >>> 0;
      if (colours.size < 10) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    }
    return { hash, colours: colours.size };
  }, id);
}

const accuracy = (page) => page.$eval('#accuracy', (e) => parseFloat(e.textContent));

test('train past 90%, prune to 75%, scrub the timeline, visit every view', async () => {
  const { page, problems } = await site.open('#pretrain=1&finetune=1&target=0.75&schedule=gradual');
  await page.screenshot({ path: `${shots}/0-loaded.png` });
  await page.selectOption('#speed', '100000');
  await page.click('#play');
  await page.waitForFunction(() => parseFloat(document.getElementById('accuracy').textContent) > 90, null, { timeout: 60000 });
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 120000 });
  assert.ok((await accuracy(page)) > 90, 'test accuracy after pruning');
  const kept = await page.$eval('#kept', (e) => Number(e.textContent.split('/')[0].replace(/\D/g, '')));
  // 75% of the 7,050 prunable weights removed; the 40 biases stay.
  assert.equal(kept, 7050 - 5288 + 40);
  // Play showed the Network view; the curves are a tab away.
  await page.click('#tab-curves');
  await page.waitForFunction(() => !document.getElementById('view-curves').hidden);
  for (const id of ['chart-accuracy', 'chart-loss', 'chart-kept', 'chart-tradeoff']) {
    assert.ok((await pixels(page, id)).colours > 3, `${id} is blank`);
  }
  await page.screenshot({ path: `${shots}/1-curves.png` });

  // The weights view draws the heatmap, then names the step it shows (#timeline-step) and the
  // per-layer sparsity (#layer-summary), in one task: once the text is there, so is the picture.
  await page.click('#tab-weights');
  await page.waitForFunction(() => document.getElementById('layer-summary').textContent.startsWith('Sparsity per layer'));
  const endStep = await page.textContent('#timeline-step');
  const end = await pixels(page, 'heatmap');
  await page.$eval('#timeline', (slider) => { slider.value = '1'; slider.dispatchEvent(new Event('input')); });
  await page.waitForFunction((step) => document.getElementById('timeline-step').textContent !== step, endStep);
  const early = await pixels(page, 'heatmap');
  assert.notEqual(early.hash, end.hash, 'scrubbing the timeline redraws the heatmap');
  await page.$eval('#timeline', (slider) => { slider.value = slider.max; slider.dispatchEvent(new Event('input')); });
  await page.waitForFunction((step) => document.getElementById('timeline-step').textContent === step, endStep);
  assert.equal((await pixels(page, 'heatmap')).hash, end.hash, 'scrubbing back gives the same picture');
  // Hovering a cell names the weight and its value: find a kept and a pruned one on a grid of
  // points (some fall between cells), then check them below against the exported weights.
  const hovered = new Map();
  const size = await page.$eval('#heatmap', (c) => ({ width: c.clientWidth, height: c.clientHeight }));
  for (let y = 10; y < size.height && hovered.size < 2; y += 23) {
    for (let x = 10; x < size.width && hovered.size < 2; x += 17) {
      await page.hover('#heatmap', { position: { x, y } });
      const text = await page.textContent('#hover-info');
      const match = text.match(/^(\w+)\.weight, filter (\d+), row (\d+), column (\d+): value (\S+), (kept|pruned at step \d+)/);
      if (!match) continue;
      const [, layer, filter, row, column, value, fate] = match;
      const kept = fate === 'kept';
      if (!hovered.has(kept)) hovered.set(kept, { layer, filter: Number(filter), row: Number(row), column: Number(column), value: Number(value), kept });
    }
  }
  assert.equal(hovered.size, 2, 'hovering the heatmap found a kept and a pruned weight');
  await page.screenshot({ path: `${shots}/2-weights.png` });

  await page.click('#tab-compute');
  await page.waitForFunction(() => document.getElementById('compute-summary').textContent.includes('multiply-accumulates'));
  assert.ok((await pixels(page, 'chart-compute')).colours > 3);
  assert.match(await page.textContent('#compute-summary'), /pJ per multiply-accumulate/);
  await page.screenshot({ path: `${shots}/3-compute.png` });

  // Export: the history as CSV (the CLI's columns) and the weights as a PyTorch-named .npz.
  await page.click('#tab-export');
  const csvDownload = page.waitForEvent('download');
  await page.click('#export-csv');
  const csv = await (await csvDownload).createReadStream();
  const csvText = await new Promise((resolve) => { let t = ''; csv.on('data', (d) => { t += d; }); csv.on('end', () => resolve(t)); });
  assert.match(csvText.split('\n')[0], /^step,phase,loss,test_accuracy,kept_params,sparsity,train_macs_actual,train_macs_dense/);
  const npzDownload = page.waitForEvent('download');
  await page.click('#export-npz');
  const npz = await readFile(await (await npzDownload).path());
  assert.equal(npz.subarray(0, 2).toString(), 'PK', 'an .npz is a zip file');
  // The hovered values are the exported weights (conv1 is 10 filters of 1×5×5, PyTorch order).
  const weights = readNpz(npz);
  for (const { layer, filter, row, column, value, kept } of hovered.values()) {
    const { shape, data } = weights.get(`${layer}.weight`);
    assert.deepEqual(shape, [10, 1, 5, 5], `${layer}.weight shape`);
    const exported = data[(filter - 1) * 25 + (row - 1) * 5 + (column - 1)];
    // The page prints 4 significant digits.
    assert.ok(Math.abs(value - exported) <= 5e-4 * Math.abs(exported), `${layer} filter ${filter} row ${row} column ${column}: shown ${value}, exported ${exported}`);
    assert.equal(kept, exported !== 0, 'a pruned weight is zero in the export');
  }
  const jsonDownload = page.waitForEvent('download');
  await page.click('#export-json');
  const saved = JSON.parse(await readFile(await (await jsonDownload).path(), 'utf8'));
  assert.ok(saved.config && saved.history.records.steps.length > 0, 'the JSON history parses and has steps');
  // All charts: one zip of PNGs (6 line charts, then weights and pruned-at maps of 3 layers).
  const zipDownload = page.waitForEvent('download');
  await page.click('#export-png');
  const charts = readZip(await readFile(await (await zipDownload).path()));
  assert.equal(charts.size, 12, [...charts.keys()].join(', '));
  for (const [name, png] of charts) {
    const { width, height } = pngSize(png);
    assert.ok(width >= 600 && height >= 250, `${name} is ${width}×${height}`);
  }
  assert.ok([...charts.keys()].some((n) => n.endsWith('conv2-weights.png')));
  assert.match(await page.textContent('#status'), /^Saved 12 charts as of step [\d,]+ \(PNG files in one zip\)\.$/);
  // Shared links open on the run's view, not on Export.
  await page.click('#copy-link');
  const link = await page.inputValue('#share-text');
  assert.match(link, /#.*target=0\.75/);
  assert.doesNotMatch(link, /view=/);
  await page.click('#copy-embed');
  const embed = await page.inputValue('#share-text');
  assert.match(embed, /^<iframe src="[^"]*embed=1"/);
  assert.doesNotMatch(embed, /view=/);

  for (const view of ['lessons', 'export', 'try', 'curves']) {
    await page.click(`#tab-${view}`);
    assert.equal(await page.isVisible(`#view-${view}`), true, view);
  }
  await page.click('#tab-lessons');
  await page.screenshot({ path: `${shots}/5-lessons.png` });

  // Try it: draw a "1" and get both networks' probabilities.
  await page.click('#tab-try');
  const box = await page.$eval('#draw', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y }; });
  await page.mouse.move(box.x + 140, box.y + 40);
  await page.mouse.down();
  for (let y = 40; y <= 240; y += 20) await page.mouse.move(box.x + 140, box.y + y);
  await page.mouse.up();
  // The chart is drawn when the worker's answer arrives: wait for more than three colours on it.
  await page.waitForFunction(() => {
    const canvas = document.getElementById('prediction');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set();
    for (let i = 0; i < data.length && colours.size <= 3; i += 4 * 7) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return colours.size > 3;
  }, null, { timeout: 10000 });
  assert.ok((await pixels(page, 'prediction')).colours > 3, 'prediction chart is blank');
  await page.click('#gallery-refresh');
  await page.waitForFunction(() => document.getElementById('gallery').childNodes.length > 0, null, { timeout: 10000 });
  await page.screenshot({ path: `${shots}/4-try.png` });
  // In Chinese the predictions are asked for again and the chart's words (and data) follow.
  await page.selectOption('#lang', 'zh');
  await page.click('.chart-box:has(#prediction) .chart-data summary');
  await page.waitForFunction(() => /^图表“网络看到了什么”的数据/.test(document.querySelector('.chart-box:has(#prediction) .chart-data caption')?.textContent ?? ''), null, { timeout: 10000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('compare two strategies from the same initial weights, with the edited settings', async () => {
  const { page, problems } = await site.open('#pretrain=1&finetune=1&target=0.9&schedule=one_shot&view=compare');
  assert.equal(await page.isVisible('#view-compare'), true, 'the hash opened the compare view');
  // No empty chart boxes before a run; the checkboxes carry the catalog's labels.
  assert.equal(await page.isVisible('#compare-accuracy'), false, 'no empty charts before a run');
  const labels = await page.$$eval('#compare-strategies label', (ls) => ls.map((l) => l.textContent.trim()));
  assert.ok(labels.includes('Weight magnitude') && labels.includes('Random (baseline)'), labels.join(', '));
  // Edit the target without Reset: the comparison uses the edited settings and says so.
  await page.fill('#target', '0.5');
  await page.dispatchEvent('#target', 'change');
  assert.match(await page.textContent('#compare-settings'), /your edited settings.*to 50% sparsity, 1 dense \+ 1 fine-tune epochs/);
  await page.click('#compare-run');
  // While Compare is shown, the header shows the comparison's progress, not the main run's.
  assert.equal(await page.isVisible('#step-counter'), false, 'the main run’s counters are hidden');
  assert.match(await page.textContent('#compare-counters'), /^Comparison: \d of 2 runs finished/);
  await page.waitForFunction(() => document.getElementById('compare-status').textContent === 'All runs finished.', null, { timeout: 180000 });
  assert.equal((await page.$$('#compare-progress li')).length, 2);
  assert.match(await page.textContent('#compare-progress'), /Weight magnitude: +step ([\d,]+) of \1, done, kept [\d,]+ of 7,090 — finished/);
  const rows = await page.$$eval('#compare-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => r[0]), ['Weight magnitude', 'Random (baseline)']);
  assert.deepEqual(rows.map((r) => r[4]), ['50.0%', '50.0%'], 'the edited target, not the last Reset’s 90%');
  assert.match(rows[0][5], /^\d+(\.\d)? [kMGT]$/, `training MACs as people write them: ${rows[0][5]}`);
  const acc = rows.map((r) => parseFloat(r[2]));
  assert.ok(acc[0] > acc[1], `magnitude (${acc[0]}) should beat random (${acc[1]}) at 50%`);
  assert.ok((await pixels(page, 'compare-accuracy')).colours > 3);
  // The table fits at 1280 px: its energy column is not clipped.
  const fits = await page.$eval('.table-scroll', (e) => e.scrollWidth <= e.clientWidth);
  assert.ok(fits, 'the comparison table fits without scrolling');
  // Every prunable layer has a map, one per run.
  const layers = await page.$$eval('#compare-tensor option', (os) => os.map((o) => o.textContent));
  assert.deepEqual(layers, ['conv1', 'conv2', 'fc1']);
  assert.deepEqual(rows.map((r) => r[1]), ['1,000', '1,000'], 'the table shows the final records');
  await page.selectOption('#compare-tensor', '2');
  assert.equal(await page.$$eval('#compare-heatmaps canvas:not([hidden])', (cs) => cs.length), 2);
  // Each run's map offers its data as a table: one row per fc1 unit (the 10 outputs).
  assert.equal(await page.$$eval('#compare-heatmaps details.chart-data', (ds) => ds.length), 2);
  await page.click('#compare-heatmaps details.chart-data:nth-of-type(1) summary >> nth=1');
  await page.waitForFunction(() => document.querySelectorAll('#compare-heatmaps details.chart-data')[1].querySelectorAll('tbody tr').length > 0);
  assert.equal(await page.$$eval('#compare-heatmaps details.chart-data', (ds) => ds[1].querySelectorAll('tbody tr').length), 10);
  await page.screenshot({ path: `${shots}/6-compare.png`, fullPage: true });
  // In Chinese the maps' tiles (and the charts' words) are the catalog's; the open table follows.
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => document.querySelectorAll('#compare-heatmaps details.chart-data')[1].querySelector('tbody tr')?.firstElementChild?.textContent === '神经元 1');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a shared link reproduces the configuration; a broken one lists its bad fields', async () => {
  const { page, problems } = await site.open('#strategy=random&target=0.5&seed=7&schedule=iterative&lr=0.01');
  assert.equal(await page.inputValue('#strategy'), 'random');
  assert.equal(await page.inputValue('#target'), '0.5');
  assert.equal(await page.inputValue('#seed'), '7');
  assert.equal(await page.inputValue('#schedule'), 'iterative');
  assert.equal(await page.inputValue('#lr'), '0.01');
  assert.equal(await page.isVisible('#notice'), false);
  // Changing a setting rewrites the hash in place, and says it needs a reset.
  await page.fill('#target', '0.6');
  await page.dispatchEvent('#target', 'change');
  assert.match(page.url(), /target=0\.6/);
  assert.equal(await page.isVisible('#restart-hint'), true);
  await page.close();

  // Embed / classroom mode: compact layout, chosen parts hidden.
  const embed = await site.open('#embed=1&hide=settings,tab-try');
  assert.equal(await embed.page.isVisible('#settings'), false);
  assert.equal(await embed.page.isVisible('#tab-try'), false);
  assert.equal(await embed.page.isVisible('.top'), false);
  assert.equal(await embed.page.isVisible('#tab-curves'), true);
  await embed.page.setViewportSize({ width: 800, height: 600 });
  await embed.page.screenshot({ path: `${shots}/10-embed.png` });
  await embed.page.close();

  const broken = await site.open('#target=abc&bogus=1&lr=-5&seed=3');
  const text = await broken.page.textContent('#notice');
  assert.equal(await broken.page.isVisible('#notice'), true);
  for (const field of ['target', 'bogus', 'lr']) assert.match(text, new RegExp(field));
  assert.equal(await broken.page.inputValue('#seed'), '3', 'good fields still apply');
  assert.equal(await broken.page.inputValue('#target'), '0.75', 'bad fields fall back to defaults');
  await broken.page.screenshot({ path: `${shots}/7-broken-link.png` });
  assert.deepEqual([...problems, ...broken.problems, ...embed.problems], []);
  await broken.page.close();
});

test('every lesson is a valid configuration and sets itself up', async () => {
  const { page, problems } = await site.open();
  // The lessons the page shows are the core's (lessons_json); every run of each decodes cleanly.
  const notices = await page.evaluate(async () => {
    const core = await import('./www/pkg/prunelab.js');
    return JSON.parse(core.lessons_json()).flatMap((lesson) => lesson.runs.map((run) => [`${lesson.id}/${run.id}`, JSON.parse(core.decode_hash_json(run.hash)).notices]));
  });
  assert.ok(notices.length >= 6, `${notices.length} lesson runs`);
  for (const [id, list] of notices) assert.deepEqual(list, [], id);
  await page.click('#tab-lessons');
  const lottery = page.locator('.lesson', { hasText: 'Lottery tickets' });
  await lottery.getByRole('button', { name: 'Open' }).click();
  await page.click('#lesson-setup');
  assert.equal(await page.inputValue('#schedule'), 'lottery');
  assert.equal(await page.inputValue('#rewind'), 'init');
  assert.match(page.url(), /lesson=lottery/);
  assert.deepEqual(problems, []);
  await page.close();
});

// Each layer's sparsity as the weights view reports it under its chart, in percent.
async function layerSparsity(page) {
  const text = await page.textContent('#layer-summary');
  return Object.fromEntries([...text.matchAll(/(\w+) ([\d.]+)%/g)].map((m) => [m[1], Number(m[2])]));
}

test('per-layer sparsity: conv1 set to 0.3 in the panel is pruned to 30%; a bad layers= link falls back', async () => {
  const { page, problems } = await site.open('#pretrain=0&finetune=1&target=0.75&schedule=one_shot');
  const rows = await page.$$eval('#layer-target-rows input', (inputs) => inputs.map((i) => [i.dataset.layer, i.value]));
  assert.deepEqual(rows, [['conv1', ''], ['conv2', ''], ['fc1', '']], 'one empty row per prunable layer');
  await page.click('#layer-targets-explain summary');
  assert.match(await page.textContent('#layer-targets-explain p'), /global scope the others make up the rest of the target/);

  // A value out of range is refused with the core's message, and the link keeps the last good settings.
  await page.fill('#layer-target-conv1', '1.5');
  await page.dispatchEvent('#layer-target-conv1', 'change');
  assert.equal(await page.isVisible('#settings-error'), true);
  assert.match(await page.textContent('#settings-error'), /conv1.*out of range/);
  assert.doesNotMatch(page.url(), /layers=/);
  await page.fill('#layer-target-conv1', '0.3');
  await page.dispatchEvent('#layer-target-conv1', 'change');
  assert.equal(await page.isVisible('#settings-error'), false);
  assert.match(page.url(), /layers=conv1:0\.3(&|$)/);
  assert.equal(await page.isVisible('#restart-hint'), true, 'an override applies on Reset');

  // No <span> is added to the page while the charts draw (text is measured on the canvas).
  await page.evaluate(() => {
    window.spansAdded = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n.nodeName === 'SPAN') window.spansAdded += 1;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.click('#reset');
  assert.equal(await page.isVisible('#restart-hint'), false);
  await page.selectOption('#speed', '100000');
  // Play is ignored until the restarted run is ready: press it until it takes.
  await page.waitForFunction(() => {
    const play = document.getElementById('play');
    play.click();
    return play.getAttribute('aria-pressed') === 'true';
  }, null, { polling: 250, timeout: 30000 });
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 120000 });
  await page.click('#tab-weights');
  await page.waitForFunction(() => document.getElementById('layer-summary').textContent.includes('conv1'), null, { timeout: 10000 });
  const sparsity = await layerSparsity(page);
  assert.ok(Math.abs(sparsity.conv1 - 30) < 1, `conv1 at ${sparsity.conv1}% (override 0.3)`);
  assert.ok(Math.abs(sparsity.conv2 - 75) < 1, `conv2 at ${sparsity.conv2}% (follows the 0.75 target)`);
  assert.ok(Math.abs(sparsity.fc1 - 75) < 1, `fc1 at ${sparsity.fc1}%`);
  assert.equal(await page.evaluate(() => window.spansAdded), 0, 'drawing added <span>s to the page');
  await page.screenshot({ path: `${shots}/8-layer-override.png`, fullPage: true });
  const shared = new URL(page.url()).hash;
  await page.close();

  // The link carries the override: a new visitor sees it in the panel.
  const again = await site.open(shared);
  assert.equal(await again.page.inputValue('#layer-target-conv1'), '0.3');
  assert.equal(await again.page.inputValue('#layer-target-conv2'), '');
  assert.equal(await again.page.isVisible('#notice'), false);
  await again.page.close();

  // Unknown layer and unreadable value: listed in the notice, no override applied, other options kept.
  for (const [bad, expected] of [['conv9:0.5', /unknown layer `conv9`.*conv1, conv2, fc1/], ['conv1', /layer:sparsity pairs/]]) {
    const broken = await site.open(`#layers=${bad}&seed=3`);
    assert.equal(await broken.page.isVisible('#notice'), true, bad);
    assert.match(await broken.page.textContent('#notice'), expected);
    assert.equal(await broken.page.inputValue('#seed'), '3');
    const values = await broken.page.$$eval('#layer-target-rows input', (inputs) => inputs.map((i) => i.value));
    assert.deepEqual(values, ['', '', ''], `${bad}: falls back to no overrides`);
    assert.doesNotMatch(broken.page.url(), /layers=/);
    problems.push(...broken.problems);
    await broken.page.close();
  }
  assert.deepEqual([...problems, ...again.problems], []);
});

// Phones and tablets open on the run's view: a chart in the first screen, settings folded, and a
// control bar that leaves room for it.
for (const [device, width, height] of [['phone', 390, 844], ['tablet', 820, 1180]]) {
  test(`on a ${device} (${width}×${height}) a chart is in the first screen`, async () => {
    const context = await site.browser.newContext({ viewport: { width, height }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${site.url}`);
    await page.waitForFunction(() => document.getElementById('status').hidden, null, { timeout: 60000 });
    const layout = await page.evaluate(() => {
      const chart = document.getElementById('chart-accuracy').getBoundingClientRect();
      const bar = document.querySelector('.controls').getBoundingClientRect();
      return { chartTop: chart.top, chartBottom: chart.bottom, bar: bar.height, inner: innerHeight, width: document.documentElement.scrollWidth, settingsOpen: document.getElementById('settings-fold').open };
    });
    assert.ok(layout.chartBottom <= layout.inner, `the accuracy chart (${layout.chartTop}–${layout.chartBottom}) is within the first ${layout.inner} px`);
    assert.ok(layout.bar <= 0.15 * layout.inner, `the control bar is ${layout.bar} px of ${layout.inner}`);
    assert.equal(layout.settingsOpen, false, 'the settings start folded');
    assert.ok(layout.width <= width, `no sideways scrolling (${layout.width} px wide)`);
    await page.screenshot({ path: `${shots}/${device}-first-screen.png` });
    // Tapping the settings open shows them.
    await page.tap('#settings-fold > summary');
    assert.equal(await page.isVisible('#target'), true);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('presenter mode: large type, no footer, settings folded under the view', async () => {
  const { page, problems } = await site.open('#present=1');
  const look = await page.evaluate(() => ({
    font: parseFloat(getComputedStyle(document.body).fontSize),
    footer: getComputedStyle(document.querySelector('footer')).display,
    settingsOpen: document.getElementById('settings-fold').open,
    chartTop: document.getElementById('chart-accuracy').getBoundingClientRect().top,
  }));
  assert.ok(look.font >= 20, `body text ${look.font}px`);
  assert.equal(look.footer, 'none');
  assert.equal(look.settingsOpen, false);
  assert.ok(look.chartTop < 300, `the first chart starts at ${look.chartTop}px`);
  await page.screenshot({ path: `${shots}/presenter.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the default speed is a teaching pace that holds each pruning step', async () => {
  const { page, problems } = await site.open('#pretrain=1&finetune=1&target=0.75&schedule=gradual');
  assert.equal(await page.inputValue('#speed'), '0', 'teaching pace by default');
  await page.click('#tab-weights');
  await page.click('#play');
  const started = Date.now();
  await page.waitForTimeout(3000);
  const early = await page.$eval('#step-counter', (e) => Number(e.textContent.replace(/\D/g, '')));
  const planned = await page.$eval('#planned-steps', (e) => Number(e.textContent.replace(/\D/g, '')));
  // About planned / 22 steps a second: 3 s is some steps, far from the end.
  assert.ok(early > 0 && early < planned * 0.25, `${early} of ${planned} steps after 3 s`);
  // The first pruning step is held with the removed weights named and highlighted.
  await page.waitForSelector('#prune-flash:not([hidden])', { timeout: 60000 });
  assert.match(await page.textContent('#prune-flash'), /^✂ Pruning step: [\d,]+ weights removed at step [\d,]+$/);
  // The maps redraw at the held step within a chart interval (250 ms).
  const orange = await page.waitForFunction(() => {
    const c = document.getElementById('heatmap');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === 255 && data[i + 1] === 140 && data[i + 2] === 0) count += 1;
    return count;
  }, null, { timeout: 1200, polling: 50 });
  assert.ok((await orange.jsonValue()) > 0, 'the removed weights are highlighted on the heatmap');
  await page.screenshot({ path: `${shots}/pace-pruning-step.png` });
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 90000 });
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds > 15 && seconds < 60, `the run took ${seconds.toFixed(1)} s at teaching pace`);
  assert.deepEqual(problems, []);
  await page.close();
});
