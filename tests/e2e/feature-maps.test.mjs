// End-to-end: after a short run that prunes whole filters, "Inside the network" (Try it) draws
// the feature maps of a chosen test digit for the dense and the pruned network, announces both
// predictions, shows the hatched tiles of pruned filters, and shows a map's filter on keyboard
// focus. Screenshots at laptop and phone width go to artifacts/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axePath, shots, useSite } from './browser.mjs';

const site = useSite({ screenshots: true });

/** How many pixels of a canvas are neither white nor transparent. */
const inked = (page, id) => page.$eval(id, (canvas) => {
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i + 3] && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) count += 1;
  return count;
});

/** CSS pixels of one side drawn in the gone tiles' fill (#eeeeee) and in map colours. */
const tiles = (page, side) => page.$eval(`#fmap-side-${side}`, (canvas) => {
  const ratio = Number(canvas.dataset.pixelRatio) || 1;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let grey = 0;
  let coloured = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    if (r === 0xee && g === 0xee && b === 0xee) grey += 1;
    else if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured += 1;
  }
  return { grey: grey / (ratio * ratio), coloured: coloured / (ratio * ratio) };
});

for (const [name, viewport] of [['1280', { width: 1280, height: 900 }], ['390', { width: 390, height: 844 }]]) {
  test(`feature maps appear for a chosen digit, dense vs pruned (${name} px)`, async () => {
    const { context, page, problems } = await site.open('#pretrain=1&finetune=1&target=0.5&schedule=one-shot&granularity=filter', { viewport, bypassCSP: true });
    await page.selectOption('#speed', '100000');
    await page.click('#play');
    await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 180000 });
    await page.click('#tab-try');
    // Opening the view computes the first test digit's maps; then pick the next one.
    await page.waitForFunction(() => /says/.test(document.getElementById('fmap-summary').textContent), null, { timeout: 30000 });
    await page.click('#fmap-next');
    await page.waitForFunction(() => /test digit 2 of 2,000/.test(document.getElementById('fmap-summary').textContent), null, { timeout: 30000 });
    const summary = await page.textContent('#fmap-summary');
    assert.match(summary, /^For test digit 2 of 2,000 \(a \d\): Dense says \d \(\d+%\); Step [\d,]+ \(now\) says \d \(\d+%\)\.$/);
    assert.ok(await inked(page, '#fmap-side-0') > 5000, 'the dense maps are drawn');
    assert.ok(await inked(page, '#fmap-side-1') > 5000, 'the pruned maps are drawn');
    assert.ok(await inked(page, '#fmap-digit') > 50, 'the chosen digit is shown');
    // Half the filters were pruned: the pruned side has hatched tiles, the dense side none.
    const dense = await tiles(page, 0);
    const pruned = await tiles(page, 1);
    assert.ok(dense.grey < 50, `no gone tiles on the dense side (${dense.grey} px)`);
    assert.ok(pruned.grey > 500, `gone tiles on the pruned side (${pruned.grey} px)`);
    assert.ok(pruned.coloured < dense.coloured, 'fewer coloured maps after pruning');

    // Keyboard: focusing the pruned maps shows a filter; arrows move through them.
    await page.focus('#fmap-side-1');
    await page.keyboard.press('ArrowRight');
    const caption = await page.textContent('#fmap-filter-caption');
    assert.match(caption, /^Step [\d,]+ \(now\): conv1 filter 1/);
    assert.match(caption, /weights kept|pruned away/);
    assert.ok(await inked(page, '#fmap-filter') > 500, 'the filter is drawn');
    assert.equal(await page.textContent('#fmap-announce'), caption);
    await page.keyboard.press('ArrowDown');
    assert.match(await page.textContent('#fmap-filter-caption'), /conv2 filter 1/);

    // The drawn digit is a choice too.
    await page.click('#fmap-drawn');
    assert.match(await page.textContent('#fmap-summary'), /Draw a digit|the drawn digit/);

    if (name === '1280') {
      // The timeline's step: the second recorded step, rebuilt from the history's snapshot.
      await page.click('#tab-weights');
      await page.$eval('#timeline', (slider) => { slider.value = '1'; slider.dispatchEvent(new Event('input', { bubbles: true })); });
      await page.waitForFunction(() => document.getElementById('timeline-step').textContent !== '1,000');
      const scrubbed = await page.textContent('#timeline-step');
      await page.click('#tab-try');
      await page.click('#fmap-next'); // back to test digits after the drawn one
      await page.waitForFunction((step) => document.getElementById('fmap-summary').textContent.includes(`Step ${step} says`), scrubbed, { timeout: 30000 });
      assert.ok(await inked(page, '#fmap-side-1') > 5000, 'the maps at the scrubbed step are drawn');
      await page.$eval('#follow', (box) => { box.checked = true; });
    }

    await page.addScriptTag({ path: axePath });
    const { violations } = await page.evaluate(() => window.axe.run('#feature-maps'));
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), [], 'axe-core on the section');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `no sideways scrolling (${width} px)`);
    await page.locator('#feature-maps').screenshot({ path: `${shots}/feature-maps-${name}.png` });
    assert.deepEqual(problems, [], 'no console errors');
    await context.close();
  });
}

test('a run without a dense network (SET) shows only the sparse network and says why', async () => {
  const { context, page, problems } = await site.open('#pretrain=0&finetune=1&target=0.8&strategy=set&schedule=dynamic', { viewport: { width: 1280, height: 900 } });
  await page.selectOption('#speed', '100000');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 180000 });
  await page.click('#tab-try');
  await page.waitForFunction(() => /says/.test(document.getElementById('fmap-summary').textContent), null, { timeout: 30000 });
  assert.match(await page.textContent('#fmap-note'), /No dense network to compare with: SET and RigL train sparse from step 0\./);
  assert.equal(await page.isVisible('#fmap-note'), true);
  assert.equal(await page.isHidden('#fmap-side-1'), true, 'one network only');
  assert.match(await page.getAttribute('#fmap-side-0', 'aria-label'), /^Step [\d,]+ \(now\): feature maps/);
  assert.doesNotMatch(await page.textContent('#fmap-summary'), /Dense/);
  assert.ok(await inked(page, '#fmap-side-0') > 5000, 'the sparse network is drawn');
  assert.deepEqual(problems, [], 'no console errors');
  await context.close();
});

test('with Try it open through a run, the maps follow it to its last step', async () => {
  const { context, page, problems } = await site.open('#pretrain=1&finetune=1&target=0.5&schedule=one-shot&granularity=filter&view=try', { viewport: { width: 1280, height: 900 } });
  await page.waitForFunction(() => /says/.test(document.getElementById('fmap-summary').textContent), null, { timeout: 30000 });
  // Before pruning the dense network is the network now: one side.
  assert.match(await page.getAttribute('#fmap-side-0', 'aria-label'), /^Step 0 \(now\): feature maps/);
  assert.equal(await page.isHidden('#fmap-side-1'), true);
  await page.selectOption('#speed', '100000');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 180000 });
  assert.equal(await page.isVisible('#view-try'), true, 'the chosen view stays');
  const last = (await page.textContent('#step-counter')).trim();
  await page.waitForFunction((step) => document.getElementById('fmap-side-1').getAttribute('aria-label')?.startsWith(`Step ${step} (now)`), last, { timeout: 30000 });
  assert.match(await page.getAttribute('#fmap-side-0', 'aria-label'), /^Dense: feature maps/);
  assert.ok((await tiles(page, 1)).grey > 100, 'the pruned filters are hatched');
  assert.deepEqual(problems, [], 'no console errors');
  await context.close();
});
