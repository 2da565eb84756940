// End-to-end: every lesson, as a student takes it. Opened by its `lesson=` link, set up (its
// steps and the control they lead to stay in view), predicted, run at the fastest speed, its
// "What happened" read (lines, the verdict on the prediction, the checked claims), then the next
// lesson. Also: the link survives a reload, a lesson runs with the keyboard alone, axe-core finds
// nothing on the panel, and screenshots at 1280×800 and 390×844, mid-run and finished.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axePath, shots, useSite, waitReady } from './browser.mjs';

// A lesson's runs (one run or a comparison) at the fastest speed; the slowest lessons take about a minute.
const RUN_TIMEOUT_MS = 240000;
const site = useSite({ screenshots: true });
// Claims the walk saw not hold on the page (each was checked natively on three seeds).
const claimsNotHolding = [];
const walked = { listed: 0, read: 0 };

/**
 * A page in its own context (so no saved session carries over), at `viewport`.
 * @param {string} hash
 * @param {{ width: number, height: number }} [viewport]
 * @param {boolean} [audited] whether axe-core is added (the page's CSP is bypassed for it)
 */
async function open(hash, viewport = { width: 1280, height: 800 }, audited = false) {
  const opened = await site.open(hash, { viewport, bypassCSP: audited });
  await opened.page.setViewportSize(viewport);
  if (audited) await opened.page.addScriptTag({ path: axePath });
  return opened;
}

// The lessons as the Lessons tab lists them (ids from the cards' headings), in teaching order.
const lessonIds = (page) => page.$$eval('#lessons h3', (titles) => titles.map((title) => title.id.replace(/^lesson-card-/, '')));

// Whether the element is wholly on screen and not under the sticky control bar.
function inView(page, selector) {
  return page.$eval(selector, (element) => {
    const box = element.getBoundingClientRect();
    const bar = document.querySelector('.controls');
    const covered = getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().bottom : 0;
    return box.width > 0 && box.height > 0 && box.top >= covered - 1 && box.bottom <= innerHeight + 1;
  });
}

const panelText = (page, selector) => page.$eval(selector, (element) => element.textContent.trim());
const playing = (page) => page.$eval('#play', (b) => b.getAttribute('aria-pressed') === 'true');
const finished = (page) => page.waitForFunction(() => !document.getElementById('lesson-outcome').hidden
  && !document.getElementById('lesson-status').textContent.startsWith('Measuring'), null, { timeout: RUN_TIMEOUT_MS });

/** Sets the lesson up and checks its steps, question and Run button are in view, focus on the first step. */
async function setUp(page, label) {
  await page.click('#lesson-setup');
  await page.waitForFunction(() => document.getElementById('lesson-setup').textContent === 'Set it up again');
  // The panel scrolls into place in the next frame, after the view change's layout.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  for (const selector of ['#lesson-steps li:first-child', '#lesson-question', '#lesson-run']) {
    assert.ok(await inView(page, selector), `${label}: ${selector} is out of view after "Set it up"`);
  }
  assert.equal(await page.evaluate(() => document.activeElement === document.querySelector('#lesson-steps li')), true,
    `${label}: focus is not on the first step`);
}

/** The "What happened" panel, checked: lines, the verdict, the claims (✓/✗ each). */
async function readOutcome(page, label, chosen, runs) {
  const outcome = await page.evaluate(() => ({
    lines: [...document.querySelectorAll('#lesson-outcome .lesson-lines li')].map((li) => li.textContent.trim()),
    verdict: document.getElementById('lesson-verdict')?.textContent.trim() ?? '',
    claims: [...document.querySelectorAll('#lesson-outcome .lesson-claim')].map((li) => li.textContent.trim()),
    timing: document.querySelectorAll('#lesson-outcome .lesson-timing td').length,
    status: document.getElementById('lesson-status').textContent,
    measures: document.getElementById('lesson-panel').dataset.measureTime === 'true',
  }));
  assert.ok(outcome.lines.length > 0 && outcome.lines.every((line) => line.length > 0), `${label}: no lines in What happened`);
  assert.match(outcome.verdict, /^[✓✗] Your prediction was (right|wrong)\./, `${label}: verdict`);
  assert.ok(outcome.verdict.includes(chosen), `${label}: the verdict does not name the chosen “${chosen}”: ${outcome.verdict}`);
  assert.ok(outcome.claims.length > 0, `${label}: no claims shown`);
  for (const claim of outcome.claims) assert.match(claim, /^[✓✗] .+\((holds|does not hold): .+\)$/, `${label}: claim`);
  // Dense and pruned, per epoch and per 1,000 images: four times for each run.
  if (outcome.measures) assert.equal(outcome.timing, 4 * runs, `${label}: measured times (${outcome.status})`);
  assert.ok(await inView(page, '#lesson-outcome-title'), `${label}: What happened is out of view`);
  return outcome;
}

test('every lesson: open by link, set up, predict, run, read what happened, next', async (t) => {
  const started = Date.now();
  const { page: list } = await open('');
  const ids = await lessonIds(list);
  assert.ok(ids.length >= 1, 'no lessons listed');
  walked.listed = ids.length;
  await list.close();
  const { page, problems } = await open(`#lesson=${ids[0]}`);
  await page.selectOption('#speed', '100000');
  const times = [];
  for (const [index, id] of ids.entries()) {
    const label = `lesson ${index + 1} (${id})`;
    const lessonStarted = Date.now();
    assert.equal(await panelText(page, '#lesson-count'), `Lesson ${index + 1} of ${ids.length}`, label);
    assert.match(await page.evaluate(() => location.hash), new RegExp(`lesson=${id}(&|$)`), `${label}: the link`);
    await setUp(page, label);
    // Predict: a different answer from lesson to lesson, so right and wrong verdicts both show up.
    const choices = await page.$$('#lesson-choices input');
    assert.ok(choices.length >= 2, `${label}: a question with ${choices.length} choices`);
    const choice = choices[index % choices.length];
    await choice.check();
    const chosen = await choice.evaluate((input) => input.parentElement.textContent.trim());
    await page.click('#lesson-run');
    await finished(page);
    const runs = await page.$$eval('#lessons article', (cards, at) => Number(cards[at].dataset.runs), index);
    const outcome = await readOutcome(page, label, chosen, runs);
    walked.read += 1;
    claimsNotHolding.push(...outcome.claims.filter((claim) => claim.startsWith('✗')).map((claim) => `${id}: ${claim}`));
    times.push(`${id} ${((Date.now() - lessonStarted) / 1000).toFixed(1)} s`);
    if (index < ids.length - 1) {
      await page.click('#lesson-next-after');
      await page.waitForFunction((next) => location.hash.includes(`lesson=${next}`), ids[index + 1]);
    }
  }
  t.diagnostic(`${ids.length} lessons in ${((Date.now() - started) / 1000).toFixed(0)} s: ${times.join(', ')}`);
  assert.deepEqual(problems, []);
});

// The page's outcome comes from the same core as the native check, so every claim should hold here too.
test('every claim holds on the page, as it does natively', () => {
  assert.ok(walked.listed > 0 && walked.read === walked.listed, `the walk read ${walked.read} of ${walked.listed} lessons`);
  assert.deepEqual(claimsNotHolding, []);
});

test('a lesson link opens the lesson, and it survives a reload', async () => {
  const { page: list } = await open('');
  const ids = await lessonIds(list);
  const id = ids[ids.length > 2 ? 2 : ids.length - 1];
  const { page, problems } = await open(`#lesson=${id}`);
  const title = await panelText(page, '#lesson-title');
  assert.equal(await page.isVisible('#lesson-panel'), true);
  await setUp(page, id);
  await page.reload();
  await waitReady(page);
  assert.equal(await panelText(page, '#lesson-title'), title);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`lesson=${id}(&|$)`));
  // Closing the lesson takes it out of the link.
  await page.click('#lesson-close');
  assert.equal(await page.isVisible('#lesson-panel'), false);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /lesson=/);
  assert.deepEqual(problems, []);
});

test('a lesson link keeps its lesson when the page brings back a saved run', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page: first } = await site.openIn(context, '');
  const ids = await lessonIds(first);
  // A saved session of the default run at step 5, as a reload would find it.
  await first.evaluate(() => localStorage.setItem('prunelab.session.v1', JSON.stringify({ version: 1, hash: '#', step: 5, compare: null })));
  const { page, problems } = await site.openIn(context, `#lesson=${ids[0]}`);
  await page.waitForFunction(() => document.getElementById('step-counter').textContent === '5');
  assert.equal(await page.isVisible('#lesson-panel'), true);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`lesson=${ids[0]}(&|$)`));
  assert.deepEqual(problems, []);
});

test('a lesson runs with the keyboard alone, and the page shortcuts leave its controls alone', async () => {
  const { page: list } = await open('');
  const ids = await lessonIds(list);
  const { page, problems } = await open(`#lesson=${ids[0]}`);
  await page.selectOption('#speed', '100000');
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  const focusedId = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('name') || '');
  /** Presses Tab until the element passes `test` (at most 60 presses). */
  const tabTo = async (wanted) => {
    for (let press = 0; press < 60; press++) {
      await page.keyboard.press('Tab');
      if (await focusedId() === wanted) return;
    }
    assert.fail(`Tab never reached ${wanted}`);
  };
  await tabTo('lesson-setup');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement === document.querySelector('#lesson-steps li'));
  // Into the radio group: the arrow keys choose (and take no training step), Space keeps the choice.
  await tabTo('lesson-choice');
  const stepBefore = await panelText(page, '#step-counter');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  const checked = await page.$$eval('#lesson-choices input', (inputs) => inputs.findIndex((input) => input.checked));
  assert.equal(checked, 1, 'ArrowDown in the radio group chose the second answer');
  assert.equal(await panelText(page, '#step-counter'), stepBefore, 'an arrow key or Space in the radio group took a training step');
  assert.equal(await playing(page), false, 'Space in the radio group started training');
  await tabTo('lesson-run');
  await page.keyboard.press('Space');
  await finished(page);
  const verdict = await panelText(page, '#lesson-verdict');
  assert.match(verdict, /Your prediction was (right|wrong)/);
  // On to the next lesson from the outcome, with Enter.
  if (ids.length > 1) {
    await tabTo('lesson-next-after');
    await page.keyboard.press('Enter');
    await page.waitForFunction((next) => location.hash.includes(`lesson=${next}`), ids[1]);
    assert.equal(await focusedId(), 'lesson-title');
  }
  assert.deepEqual(problems, []);
});

test('axe-core finds no violations on the lesson panel and list; screenshots mid-run and finished', async () => {
  const { page: list } = await open('');
  // A lesson that measures no time (the walk checks the timing), one-run if there is one: its run
  // follows the page's speed, so the mid-run picture is taken at a watchable pace.
  const ids = await list.$$eval('#lessons article', (cards) => cards.filter((card) => card.dataset.measureTime !== 'true')
    .sort((a, b) => Number(a.dataset.runs !== '1') - Number(b.dataset.runs !== '1'))
    .map((card) => card.querySelector('h3').id.replace(/^lesson-card-/, '')));
  assert.ok(ids.length >= 1, 'no lesson without timing');
  const found = [];
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const size = `${viewport.width}x${viewport.height}`;
    const { page, problems } = await open(`#lesson=${ids[0]}&view=lessons`, viewport, true);
    const audit = async (when) => {
      const { violations } = await page.evaluate(() => window.axe.run({ include: [['#lesson-panel'], ['#view-lessons']] }));
      found.push(...violations.map((v) => `${size} ${when}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
    };
    await audit('opened');
    await setUp(page, `${ids[0]} at ${size}`);
    await audit('set up');
    await page.check('#lesson-choices input >> nth=0');
    // A watchable pace for the mid-run picture, then the fastest to finish.
    await page.selectOption('#speed', '10');
    await page.click('#lesson-run');
    await page.waitForFunction(() => document.getElementById('lesson-status').textContent.startsWith('Running'));
    // A comparison runs at full speed: picture it while its workers are under way (or, for one run,
    // once the main run has taken some steps).
    await page.waitForFunction(() => {
      const compared = (document.getElementById('compare-counters')?.textContent || '').match(/(\d+)% of all steps/);
      const steps = Number(document.getElementById('step-counter').textContent.replace(/\D/g, ''));
      return (compared && Number(compared[1]) >= 15) || steps >= 100 || !document.getElementById('lesson-outcome').hidden;
    }, null, { timeout: RUN_TIMEOUT_MS });
    await page.screenshot({ path: `${shots}/lesson-running-${size}.png` });
    await audit('running');
    await page.selectOption('#speed', '100000');
    await finished(page);
    await audit('finished');
    await page.screenshot({ path: `${shots}/lesson-finished-${size}.png` });
    assert.deepEqual(problems, [], size);
  }
  assert.deepEqual(found, []);
});
