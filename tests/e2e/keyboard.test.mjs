// End-to-end, keyboard only: Tab reaches every control with a visible focus ring, a focused
// control owns its keys (Space presses it instead of toggling training), the arrow keys move
// along the tab list, and the Space shortcut still works with focus on the page itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shots, useSite } from './browser.mjs';

const site = useSite({ screenshots: true });

// The focused element: its id (or text), whether it is a tab, and its focus ring: the outline's
// or box-shadow's width in CSS px and the outline's colour.
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth);
    const shadows = style.boxShadow === 'none' ? [] : style.boxShadow.split(/,(?![^(]*\))/);
    const spread = Math.max(0, ...shadows.map((shadow) => parseFloat((shadow.match(/-?[\d.]+px/g) || [])[3] || '0')));
    return {
      key: element.getAttribute('data-keyboard-test'),
      id: element.id,
      text: element.textContent.trim(),
      isTab: element.getAttribute('role') === 'tab',
      ring: Math.max(outline, spread),
      ringColour: style.outlineColor,
      background: style.backgroundColor,
    };
  });
}

// WCAG relative luminance and contrast of two computed `rgb(...)` colours.
function contrast(a, b) {
  const luminance = (colour) => {
    const [r, g, bl] = colour.match(/[\d.]+/g).slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

// A screenshot's clip: the element's box and a margin, so the ring outside it shows.
async function around(page, selector) {
  const box = await page.locator(selector).boundingBox();
  return { x: Math.max(0, box.x - 10), y: Math.max(0, box.y - 10), width: box.width + 20, height: box.height + 20 };
}

const playing = (page) => page.$eval('#play', (b) => b.getAttribute('aria-pressed') === 'true');
const stepCounter = (page) => page.$eval('#step-counter', (b) => Number(b.textContent.replace(/\D/g, '')));
const blur = (page) => page.evaluate(() => { if (document.activeElement instanceof HTMLElement) document.activeElement.blur(); });

test('Tab reaches every control of the control bar and the settings, each with a visible ring', async () => {
  const { page, problems } = await site.open();
  // Every visible, enabled control there, numbered so the walk below can name what it reached.
  const expected = await page.evaluate(() => {
    const controls = [...document.querySelectorAll('.controls, #settings')].flatMap((part) => [
      ...part.querySelectorAll('button, input, select, textarea, summary, a[href], [tabindex]'),
    ]).filter((element) => !element.disabled && element.tabIndex >= 0 && element.getClientRects().length > 0
      && getComputedStyle(element).visibility !== 'hidden');
    return controls.map((element, index) => {
      element.setAttribute('data-keyboard-test', String(index));
      return element.id || element.textContent.trim();
    });
  });
  assert.ok(expected.length >= 20, `only ${expected.length} controls found`);
  await blur(page);
  const reached = new Map();
  let afterControls = null;
  for (let press = 0; press < expected.length + 20; press++) {
    await page.keyboard.press('Tab');
    const here = await focused(page);
    if (here && here.key !== null) reached.set(Number(here.key), here);
    else if (reached.size > 0) { afterControls = here; break; }
  }
  const missed = expected.filter((_, index) => !reached.has(index));
  assert.deepEqual(missed, [], 'controls Tab never reached');
  for (const [index, here] of reached) assert.ok(here.ring >= 2, `${expected[index]}: focus ring ${here.ring}px`);
  // No trap: Tab goes on from the settings to the tab list, whose only stop is the selected tab.
  assert.equal(afterControls?.id, 'tab-curves', 'Tab after the settings');
  assert.ok(afterControls.ring >= 2, `selected tab's focus ring is ${afterControls.ring}px`);
  const pageBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  for (const against of [afterControls.background, pageBackground]) {
    assert.ok(contrast(afterControls.ringColour, against) >= 3, `focus ring ${afterControls.ringColour} against ${against}`);
  }
  await page.screenshot({ path: `${shots}/keyboard-focused-tab.png`, clip: await around(page, '#tabs') });
  await page.keyboard.press('Tab');
  assert.notEqual((await focused(page))?.isTab, true, 'a second tab in the Tab order');
  await page.focus('#reset');
  await page.screenshot({ path: `${shots}/keyboard-focused-button.png`, clip: await around(page, '.controls') });
  assert.deepEqual(problems, []);
});

test('Space on a focused button presses it and leaves training alone', async () => {
  const { page, problems } = await site.open('#pretrain=1&finetune=1&target=0.5&schedule=gradual');
  const stepWithSpace = async () => {
    await page.focus('#step');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.getElementById('step-counter').textContent.replace(/\D/g, '')) > 0);
    assert.equal(await playing(page), false, 'Space on Step started training');
  };
  // Space on Step takes one step (a frame's worth) without starting to play; Space on Reset
  // brings the run back to step 0, still paused.
  await stepWithSpace();
  await page.focus('#reset');
  await page.keyboard.press('Space');
  assert.equal(await playing(page), false, 'Space on Reset started training');
  await page.waitForFunction(() => document.getElementById('step-counter').textContent === '0');
  await stepWithSpace();
  const stepped = await stepCounter(page);

  // Space on a tab keeps it selected and leaves training alone; → on it moves to the next tab
  // instead of taking a step.
  await page.focus('#tab-curves');
  await page.keyboard.press('Space');
  assert.equal(await playing(page), false, 'Space on a tab started training');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.getElementById('tab-weights').getAttribute('aria-selected') === 'true');
  assert.equal(await stepCounter(page), stepped, '→ on a tab took a step');
  // The timeline slider names the step it shows, not its index.
  await page.waitForFunction(() => /^step [\d,]+ of [\d,]+$/.test(document.getElementById('timeline').getAttribute('aria-valuetext') || ''));
  const valueText = await page.$eval('#timeline', (s) => s.getAttribute('aria-valuetext'));
  assert.equal(valueText.split(' ')[1], await page.textContent('#timeline-step'));

  // A lesson's "Open": Tab from the Lessons tab into its panel, then Space.
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => !document.getElementById('view-lessons').hidden);
  let here = null;
  for (let press = 0; press < 10 && here?.text !== 'Open'; press++) {
    await page.keyboard.press('Tab');
    here = await focused(page);
  }
  assert.equal(here?.text, 'Open', 'Tab reaches the first lesson');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => location.hash.includes('lesson='));
  assert.equal(await playing(page), false, 'Space on a lesson’s "Open" started training');
  assert.deepEqual(problems, []);
});

test('the arrow keys, Home and End move along the tab list and select', async () => {
  const { page, problems } = await site.open();
  const selected = () => page.evaluate(() => {
    const tabs = [...document.querySelectorAll('[role=tab]')];
    const chosen = tabs.filter((tab) => tab.getAttribute('aria-selected') === 'true');
    const shown = [...document.querySelectorAll('[role=tabpanel]')].filter((panel) => !panel.hidden);
    return {
      tabs: chosen.map((tab) => tab.id),
      focused: document.activeElement.id,
      panels: shown.map((panel) => panel.id),
      inTabOrder: tabs.filter((tab) => tab.tabIndex === 0).map((tab) => tab.id),
      controls: chosen.map((tab) => tab.getAttribute('aria-controls')),
      labelledBy: shown.map((panel) => panel.getAttribute('aria-labelledby')),
    };
  });
  const expectSelected = async (view) => {
    await page.waitForFunction((id) => document.getElementById(`tab-${id}`).getAttribute('aria-selected') === 'true', view);
    assert.deepEqual(await selected(), {
      tabs: [`tab-${view}`], focused: `tab-${view}`, panels: [`view-${view}`], inTabOrder: [`tab-${view}`],
      controls: [`view-${view}`], labelledBy: [`tab-${view}`],
    });
  };
  await page.focus('#tab-curves');
  await page.keyboard.press('ArrowRight');
  await expectSelected('weights');
  assert.match(await page.evaluate(() => location.hash), /view=weights/);
  await page.keyboard.press('ArrowRight');
  await expectSelected('compute');
  await page.keyboard.press('ArrowLeft');
  await expectSelected('weights');
  await page.keyboard.press('End');
  await expectSelected('export');
  // The Network tab comes first: → from the last tab wraps to it.
  await page.keyboard.press('ArrowRight');
  await expectSelected('network');
  await page.keyboard.press('ArrowLeft');
  await expectSelected('export');
  await page.keyboard.press('Home');
  await expectSelected('network');
  await page.keyboard.press('ArrowRight');
  await expectSelected('curves');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /view=/);
  assert.equal(await stepCounter(page), 0, 'the arrow keys took a step');
  assert.deepEqual(problems, []);
});

test('Space with focus on the page still plays and pauses', async () => {
  const { page, problems } = await site.open('#pretrain=1&finetune=1&target=0.5&schedule=gradual');
  await blur(page);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.getElementById('play').getAttribute('aria-pressed') === 'true');
  await page.waitForFunction(() => Number(document.getElementById('step-counter').textContent.replace(/\D/g, '')) > 0);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.getElementById('play').getAttribute('aria-pressed') === 'false');
  assert.deepEqual(problems, []);
});

test('a heatmap cell is inspected with the keyboard; switching layer clears the text', async () => {
  const { page, problems } = await site.open('#pretrain=1&finetune=1&target=0.75&schedule=one_shot&speed=max');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 120000 });
  await page.focus('#tab-weights');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('layer-summary').textContent.startsWith('Sparsity per layer'));
  // From the layer menu, Tab reaches the heatmap; focusing it puts the cursor on the first weight.
  await page.focus('#tensor');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.id, 'heatmap');
  const info = () => page.textContent('#hover-info');
  assert.match(await info(), /^conv1\.weight, filter 1, row 1, column 1: value \S+, (kept|pruned at step \d+)/);
  await page.keyboard.press('ArrowRight');
  assert.match(await info(), /^conv1\.weight, filter 1, row 1, column 2: /);
  await page.keyboard.press('ArrowDown');
  assert.match(await info(), /^conv1\.weight, filter 1, row 2, column 2: /);
  // What is shown is what a screen reader hears.
  await page.waitForFunction(() => document.getElementById('inspect-announce').textContent === document.getElementById('hover-info').textContent);
  await page.keyboard.press('PageDown');
  assert.match(await info(), /^conv1\.weight, filter 2, row 2, column 2: /);
  // Walk the filter until a pruned weight: its text says it is pruned, with no score.
  let text = await info();
  for (let press = 0; press < 50 && !/pruned at step/.test(text); press++) {
    await page.keyboard.press('ArrowRight');
    text = await info();
  }
  assert.match(text, /pruned at step \d+; score under “Weight magnitude”: none, the weight is pruned\./);
  assert.equal(await stepCounter(page), 1000, 'the arrow keys on the map did not step training');
  await page.screenshot({ path: `${shots}/keyboard-heatmap-cell.png`, clip: await around(page, '#heatmap') });
  // Another layer: the old weight's text goes.
  await page.selectOption('#tensor', '1');
  assert.match(await info(), /^Point at a weight/);
  await page.focus('#heatmap');
  await page.keyboard.press('Home');
  assert.match(await info(), /^conv2\.weight, filter 1, row 1, column 1: /);
  assert.deepEqual(problems, []);
});

test('the drawing pad draws with the keyboard and reads the digit', async () => {
  const { page, problems } = await site.open('#pretrain=1&finetune=0&target=0.5&schedule=one_shot&speed=max');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 120000 });
  await page.click('#tab-try');
  await page.focus('#draw');
  // A vertical stroke: a "1".
  await page.keyboard.press('Space');
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  assert.match(await page.textContent('#pen-state'), /^Pen up at 50% across/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => {
    const canvas = document.getElementById('prediction');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set();
    for (let i = 0; i < data.length && colours.size <= 3; i += 4 * 7) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return colours.size > 3;
  }, null, { timeout: 10000 });
  const ink = await page.$eval('#draw', (c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 0 && v > 128).length);
  assert.ok(ink > 2000, `the pen drew (${ink} bright pixels)`);
  await page.keyboard.press('Delete');
  const left = await page.$eval('#draw', (c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 3 && v > 0).length);
  assert.equal(left, 0, 'Delete clears the pad');
  assert.deepEqual(problems, []);
});

test('pointing at a weight finds the same weight at device pixel ratio 1 and 2', async () => {
  // The maps are laid out in CSS pixels at any ratio, so one CSS point is one weight.
  const hash = '#pretrain=1&finetune=0&target=0.5&schedule=one_shot&speed=max&view=weights';
  /** @type {string[]} */
  const texts = [];
  for (const deviceScaleFactor of [1, 2]) {
    const { context, page, problems } = await site.open(hash, { deviceScaleFactor, viewport: { width: 1280, height: 800 } });
    await page.click('#play');
    await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 120000 });
    const box = await page.$eval('#heatmap', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; });
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.45);
    await page.waitForFunction(() => /^conv1\.weight, filter/.test(document.getElementById('hover-info').textContent));
    texts.push(await page.textContent('#hover-info'));
    assert.deepEqual(problems, []);
    await context.close();
  }
  assert.equal(texts[1], texts[0]);
});
