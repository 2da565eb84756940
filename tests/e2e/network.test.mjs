// End-to-end: the Network view after a short run. It draws; the connections it says it shows
// equal the count computed here, independently, from the exported history (initial masks plus
// mask deltas: a kept dense weight, or a conv kernel with a kept tap) at three timeline
// positions; a click and the keyboard both drill down into the Weights view on the right tile.
// Screenshots at laptop and phone sizes go to artifacts/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axePath, shots, useSite } from './browser.mjs';

/** The short run the tests share, finished before them. */
let run;
const site = useSite({
  screenshots: true,
  async setUp() {
    // The page's CSP refuses injected scripts: bypassed so axe-core can audit the view.
    const { context, page, problems } = await site.open('#pretrain=1&finetune=1&target=0.9&schedule=gradual', { viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await page.selectOption('#speed', '100000');
    await page.click('#play');
    await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 240000 });
    run = { context, page, problems };
  },
  async tearDown() {
    await run?.context.close();
  },
});

/** The exported history (Export tab's "History (JSON)"), caught before it is saved. */
async function exportedHistory(page) {
  const text = await page.evaluate(async () => {
    let blob = null;
    const createObjectURL = URL.createObjectURL;
    const click = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (b) => { blob = b; return createObjectURL.call(URL, b); };
    HTMLAnchorElement.prototype.click = function () {};
    try {
      document.getElementById('export-json').click();
    } finally {
      URL.createObjectURL = createObjectURL;
      HTMLAnchorElement.prototype.click = click;
    }
    return blob ? blob.text() : null;
  });
  return JSON.parse(text).history;
}

/** Visible connections at `step`, counted from the recorded masks: [visible, possible]. */
function countConnections(history, step) {
  const masks = history.initial_masks.map((mask) => [...mask]);
  for (const delta of history.records.mask_deltas) {
    if (delta.step > step) break;
    for (const i of delta.removed) masks[delta.tensor][i] = false;
    for (const i of delta.regrown) masks[delta.tensor][i] = true;
  }
  let visible = 0;
  let possible = 0;
  history.tensors.forEach(({ shape }, t) => {
    if (shape.length === 2) {
      visible += masks[t].filter(Boolean).length;
      possible += masks[t].length;
    } else {
      const taps = shape[2] * shape[3];
      for (let kernel = 0; kernel < shape[0] * shape[1]; kernel++) {
        possible += 1;
        if (masks[t].slice(kernel * taps, (kernel + 1) * taps).some(Boolean)) visible += 1;
      }
    }
  });
  return [visible, possible];
}

/** Distinct colours on a canvas (a blank one has one or two). */
const colours = (page, id) => page.$eval(`#${id}`, (canvas) => {
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const seen = new Set();
  for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return seen.size;
});

/** Moves the timeline to `index` (the step of evaluation `index`) and waits for the network's counts of that step. */
async function scrubTo(page, index, step) {
  await page.$eval('#timeline', (slider, value) => { slider.value = String(value); slider.dispatchEvent(new Event('input')); }, index);
  await page.waitForFunction((expected) => document.getElementById('network-summary').dataset.step === expected, String(step));
  return page.textContent('#network-summary');
}

test('Play shows the network; it draws, and shows as many connections as the masks keep', async () => {
  const { page, problems } = run;
  assert.equal(await page.getAttribute('#tab-network', 'aria-selected'), 'true', 'Play switched to the Network view');
  assert.ok(await page.isVisible('#timeline'), 'the timeline is shown with the network');
  assert.ok((await colours(page, 'network')) > 20, 'the network canvas is drawn');
  const history = await exportedHistory(page);
  const last = Number(await page.$eval('#timeline', (s) => s.max));
  const seen = [];
  for (const index of [0, Math.round(last / 2), last]) {
    const step = history.records.evals[index].step;
    const text = await scrubTo(page, index, step);
    assert.equal(await page.textContent('#timeline-step'), step.toLocaleString('en-US'));
    const match = /^Connections shown: ([\d,]+) of ([\d,]+)/.exec(text);
    assert.ok(match, `the view says how many connections it shows: ${text}`);
    const shown = [Number(match[1].replace(/,/g, '')), Number(match[2].replace(/,/g, ''))];
    assert.deepEqual(shown, countConnections(history, step), `step ${step}: ${text}`);
    assert.match(await page.getAttribute('#network', 'aria-label'), /Connections shown/, 'the count is in the canvas label');
    seen.push(shown[0]);
  }
  // The default network: 10 + 200 kernels and 5,000 dense weights; pruning to 90% removes many.
  assert.equal(countConnections(history, 0)[1], 5210);
  assert.ok(seen[0] > seen[2], `fewer connections at the end: ${seen}`);
  await page.locator('#view-network').screenshot({ path: `${shots}/network-1280.png` });
  await page.addScriptTag({ path: axePath });
  const { violations } = await page.evaluate(() => window.axe.run('#view-network'));
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), [], 'axe-core on the Network view');
  assert.deepEqual(problems, []);
});

test('the keyboard and a click drill down into the Weights view', async () => {
  const { page, problems } = run;
  await page.click('#tab-network');
  await page.focus('#network');
  // The cursor starts on the input; → goes to conv1 (at the same height: its middle filter), ↑ to
  // its first filter (it stops there), ↓↓ to its third.
  await page.waitForFunction(() => document.getElementById('network-info').textContent.startsWith('Input'));
  await page.keyboard.press('ArrowRight');
  assert.match(await page.textContent('#network-announce'), /^conv1 filter 6 of 10/);
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.match(await page.textContent('#network-announce'), /^conv1 filter 3 of 10/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.getElementById('view-weights').hidden);
  assert.equal(await page.$eval('#tensor', (s) => s.options[s.selectedIndex].textContent), 'conv1.weight');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'heatmap', 'the focus moved to the weight map');
  await page.waitForFunction(() => document.getElementById('hover-info').textContent.startsWith('conv1.weight, filter 3,'));

  // A click on an output unit (a dark dot at the right) opens fc1's tile of that unit.
  await page.click('#tab-network');
  const dot = await page.$eval('#network', (canvas) => {
    const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const ratio = canvas.width / canvas.clientWidth;
    for (let y = Math.floor(height / 2); y < height; y++) {
      for (let x = width - 1; x > width * 0.8; x--) {
        const i = 4 * (y * width + x);
        if (data[i] === 0x44 && data[i + 1] === 0x44 && data[i + 2] === 0x44) return { x: x / ratio, y: y / ratio };
      }
    }
    return null;
  });
  assert.ok(dot, 'an output unit is drawn');
  await page.click('#network', { position: dot });
  await page.waitForFunction(() => !document.getElementById('view-weights').hidden);
  assert.equal(await page.$eval('#tensor', (s) => s.options[s.selectedIndex].textContent), 'fc1.weight');
  await page.waitForFunction(() => /^fc1\.weight, unit \d+,/.test(document.getElementById('hover-info').textContent));
  assert.deepEqual(problems, []);
});

test('the network view fits a phone screen', async () => {
  const { context, page, problems } = await site.open('#pretrain=1&finetune=1&target=0.9&schedule=one-shot&view=network', { viewport: { width: 390, height: 844 } });
  await page.selectOption('#speed', '100000');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 240000 });
  await page.waitForFunction(() => document.getElementById('network-summary').textContent.startsWith('Connections shown'));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
  assert.ok((await colours(page, 'network')) > 20, 'the network canvas is drawn');
  await page.locator('#view-network').screenshot({ path: `${shots}/network-390.png` });
  assert.deepEqual(problems, []);
  await context.close();
});
