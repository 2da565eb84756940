// End-to-end: the cosine lesson shows its two most similar filters under "What happened", drawn,
// with a caption computed from the run (cosine in [−1, 1]) that is also the canvas's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shots, useSite } from './browser.mjs';

const site = useSite({ screenshots: true });

test('the cosine lesson shows the most similar pair of filters', async () => {
  const { page, problems } = await site.open('#lesson=cosine-filters', { viewport: { width: 1280, height: 800 } });
  await page.selectOption('#speed', '100000');
  await page.click('#lesson-setup');
  await page.waitForFunction(() => document.getElementById('lesson-setup').textContent === 'Set it up again');
  await (await page.$$('#lesson-choices input'))[0].check();
  await page.click('#lesson-run');
  await page.waitForSelector('#lesson-outcome figure.similar-filters figcaption', { timeout: 240000 });
  const figure = await page.$eval('#lesson-outcome figure.similar-filters', (element) => ({
    caption: element.querySelector('figcaption')?.textContent ?? '',
    label: element.querySelector('canvas')?.getAttribute('aria-label') ?? null,
    cosine: Number(element.dataset.cosine),
    drawn: element.querySelector('canvas')?.toDataURL().length ?? 0,
  }));
  assert.match(figure.caption, /^conv1 filters \d+ and \d+: cosine -?\d\.\d\d at step \d+/, figure.caption);
  assert.equal(figure.label, figure.caption);
  assert.ok(figure.cosine >= -1 && figure.cosine <= 1, `cosine ${figure.cosine}`);
  assert.ok(figure.drawn > 5000, 'the canvas is blank');
  await page.$eval('#lesson-outcome figure.similar-filters', (element) => element.scrollIntoView());
  await page.screenshot({ path: `${shots}/lesson-similar-filters.png` });
  assert.deepEqual(problems, []);
});
