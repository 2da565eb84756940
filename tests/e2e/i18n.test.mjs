// End-to-end: the page in Simplified Chinese (issue 17). With lang=zh the page says <html lang="zh-CN">
// and every part of it (header, controls, settings, tabs, every view, the results card) is Chinese:
// no visible text or label there equals an English text of the page catalog, and a lesson's own texts
// (title, question, steps, what happened) are Chinese, none the English of lessons/lessons.json. A Chinese browser opens
// in Chinese; switching language mid-run keeps the step and the history; axe-core stays clean.
// The catalogs themselves are checked first (no browser): both have the same keys and placeholders,
// every key the page names exists, including the explanations' keys in www/explain.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { axePath, root, shots, useSite } from './browser.mjs';
import { STRATEGIES, SCHEDULES } from '../../www/explain.js';

const catalogs = {
  en: JSON.parse(await readFile(`${root}i18n/en.json`, 'utf8')),
  zh: JSON.parse(await readFile(`${root}i18n/zh.json`, 'utf8')),
};
/** The lessons as authored (English) and their Chinese texts, by lesson id. */
const englishLessons = JSON.parse(await readFile(`${root}lessons/lessons.json`, 'utf8'));
const chineseLessons = JSON.parse(await readFile(`${root}lessons/lessons.zh.json`, 'utf8'));
const CJK = /[\u4e00-\u9fff]/;
/**
 * The words of an English `what_happened` line between its placeholders ("Right after pruning:"),
 * which a Chinese line must not contain.
 * @param {string} line
 */
const englishWords = (line) => line.split(/\{[^}]*\}/).map((part) => part.trim()).filter((part) => /[A-Za-z]{3}/.test(part));
/** The page's own prefixes (the core's keys are checked by the core's tests). */
const PAGE_KEY = /^(page|explain|glossary|a11y)\./;
const site = useSite({ screenshots: true });

const placeholders = (text) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

test('the catalogs agree: same keys, same placeholders, sorted, every key the page names exists', async () => {
  assert.deepEqual(Object.keys(catalogs.zh), Object.keys(catalogs.en), 'the same keys in both');
  for (const lang of ['en', 'zh']) {
    const keys = Object.keys(catalogs[lang]);
    assert.deepEqual(keys, [...keys].sort(), `${lang}.json is sorted`);
  }
  for (const [key, english] of Object.entries(catalogs.en)) {
    assert.deepEqual(placeholders(catalogs.zh[key]), placeholders(english), `${key}: placeholders`);
    assert.ok(catalogs.zh[key].trim(), `${key}: has Chinese`);
  }
  // Keys named in the markup (data-i18n…="key") and the scripts (t('key'), data-i18n = 'key').
  const sources = [await readFile(`${root}index.html`, 'utf8')];
  for (const file of (await readdir(`${root}www`)).filter((name) => name.endsWith('.js'))) sources.push(await readFile(`${root}www/${file}`, 'utf8'));
  const named = new Set();
  for (const source of sources) {
    for (const [, key] of source.matchAll(/data-i18n[\w-]*="([\w.-]+)"/g)) named.add(key);
    for (const [, key] of source.matchAll(/\b(?:t|say|status)\('([\w.-]+)'/g)) named.add(key);
    for (const [, key] of source.matchAll(/i18n = '([\w.-]+)'/g)) named.add(key);
  }
  const missing = [...named].filter((key) => PAGE_KEY.test(key) && !(key in catalogs.en));
  assert.deepEqual(missing, [], 'keys the page names but no catalog has');
  // And every page key is named somewhere, as a quoted literal (a table of keys counts).
  const text = sources.join('\n');
  const unused = Object.keys(catalogs.en).filter((key) => PAGE_KEY.test(key) && !['"', "'", '`'].some((q) => text.includes(`${q}${key}${q}`)));
  assert.deepEqual(unused, [], 'page keys nothing uses');
  // The explanations (explain.js names their keys): every strategy and schedule has both texts.
  for (const table of [STRATEGIES, SCHEDULES]) {
    for (const [name, { text, formula }] of Object.entries(table)) {
      assert.ok(text in catalogs.en && formula in catalogs.en, `${name}: ${text} and ${formula} are in the catalogs`);
    }
  }
});

test('the installed app (www/manifest.json) is named in both languages: one name, a bilingual description', async () => {
  // A manifest has one language; the app keeps its name and describes itself in English and Chinese.
  const manifest = JSON.parse(await readFile(`${root}www/manifest.json`, 'utf8'));
  assert.equal(manifest.name, 'PruneLab');
  assert.equal(manifest.short_name, 'PruneLab');
  const [english, chinese] = manifest.description.split(' / ');
  assert.match(english, /^Train a tiny CNN/);
  assert.doesNotMatch(english, CJK);
  assert.match(chinese ?? '', CJK);
});

/**
 * The English texts of the page catalog that differ in Chinese (names like "PruneLab" or "L1" are
 * the same in both, so they never count as English left over).
 */
const englishOnly = new Set(Object.entries(catalogs.en)
  .filter(([key, english]) => PAGE_KEY.test(key) && catalogs.zh[key] !== english)
  .map(([, english]) => english.trim()));

// The parts of the page this test holds to Chinese: all of it. Text from the core (option labels, chart text, card rows, lessons, messages) is not in
// the page catalog, so it does not count here; the core's own catalog keys cover it.
const CONVERTED = ['header.top', 'section.controls', '#settings', '#lesson-panel', '#tabs', '#view-network', '#view-curves',
  '#view-weights', '#view-compute', '#view-compare', '#view-try', '#view-lessons', '#view-export', 'footer'];

/** Visible text nodes and labels (aria-label, title, placeholder) inside the converted parts. */
function visibleTexts(page) {
  return page.evaluate((selectors) => {
    const found = [];
    const shown = (element) => !element.closest('[hidden]') && (element.closest('option') ? true : element.checkVisibility());
    for (const part of selectors.flatMap((selector) => [...document.querySelectorAll(selector)])) {
      const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        if (text && node.parentElement && shown(node.parentElement)) found.push(text);
      }
      for (const element of [part, ...part.querySelectorAll('*')]) {
        if (element.closest('[hidden]')) continue;
        for (const name of ['aria-label', 'title', 'placeholder', 'aria-roledescription']) {
          const value = element.getAttribute(name);
          if (value) found.push(value.trim());
        }
      }
    }
    return found;
  }, CONVERTED);
}

const tabTexts = (page) => page.$$eval('#tabs [role=tab]', (tabs) => tabs.map((tab) => tab.textContent));

test('with lang=zh the page is Chinese: <html lang>, header, controls, tabs, no English text left there', async () => {
  const { context, page, problems } = await site.open('#lang=zh', { locale: 'en-US' });
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.$eval('#lang', (select) => select.value), 'zh');
  assert.deepEqual(await tabTexts(page), ['网络', '曲线', '权重与掩码', '计算量与能耗', '比较', '试一试', '课程', '导出与分享']);
  assert.equal(await page.textContent('#play'), '▶ 播放');
  assert.equal(await page.textContent('.settings-title'), '设置');
  assert.match(await page.textContent('#param-count'), /^7,090 个参数/);
  assert.equal(await page.textContent('#phase'), '训练');
  // The explanation of the chosen strategy, with its formula, and the option lists' labels (the core's).
  assert.match(await page.textContent('#strategy-explain p'), /权重大小剪枝/);
  assert.equal(await page.$eval('#strategy', (select) => select.selectedOptions[0].textContent), '权重大小剪枝');
  assert.equal(await page.$eval('#schedule', (select) => select.selectedOptions[0].textContent), '逐步（三次）');
  // The link keeps the language.
  assert.match(await page.evaluate(() => location.hash), /(^#|&)lang=zh(&|$)/);
  for (const view of ['network', 'curves', 'weights', 'compute', 'compare', 'try', 'lessons', 'export']) {
    await page.click(`#tab-${view}`);
    const left = (await visibleTexts(page)).filter((text) => englishOnly.has(text));
    assert.deepEqual(left, [], `English left on the ${view} view`);
  }
  // Compare's other mode, the sweep, has its own form.
  await page.click('#tab-compare');
  await page.check('input[name="compare-mode"][value="sweep"]');
  const left = (await visibleTexts(page)).filter((text) => englishOnly.has(text));
  assert.deepEqual(left, [], 'English left on the sweep form');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a lesson in Chinese: the panel, its hints and status, and what happened after the run', { timeout: 300000 }, async () => {
  const { context, page, problems } = await site.open('#lesson=magnitude-vs-random&lang=zh', { locale: 'en-US' });
  await page.waitForSelector('#lesson-panel:not([hidden])');
  assert.match(await page.textContent('#lesson-count'), /^第 \d+ 课，共 \d+ 课$/);
  // The lesson's own texts are its Chinese ones (lessons/lessons.zh.json), none the English.
  const english = englishLessons.find((lesson) => lesson.id === 'magnitude-vs-random');
  const chinese = chineseLessons['magnitude-vs-random'];
  const labels = { en: english.runs.map((run) => run.label), zh: english.runs.map((run) => chinese.runs[run.id]) };
  // Compare's settings line names the runs the lesson set up, by their labels in `lang` only.
  const compareNames = async (lang) => {
    const line = await page.textContent('#compare-settings');
    assert.ok(line.startsWith(catalogs[lang]['page.compare.runs_these'].split('{list}')[0]), line);
    for (const label of labels[lang]) assert.ok(line.includes(label), `${label} in ${line}`);
    for (const label of labels[lang === 'en' ? 'zh' : 'en']) assert.ok(!line.includes(label), `${label} in ${line}`);
  };
  const lessonTexts = () => page.evaluate(() => ({
    title: document.getElementById('lesson-title').textContent,
    summary: document.getElementById('lesson-summary').textContent,
    question: document.getElementById('lesson-question-text').textContent,
    steps: [...document.querySelectorAll('#lesson-steps li')].map((item) => item.textContent),
    choices: [...document.querySelectorAll('#lesson-choices label')].map((label) => label.textContent.trim()),
  }));
  const shown = await lessonTexts();
  assert.deepEqual(shown, { title: chinese.title, summary: chinese.summary, question: chinese.question.text, steps: chinese.steps, choices: chinese.question.choices });
  for (const text of [shown.title, shown.summary, shown.question, ...shown.steps, ...shown.choices]) assert.match(text, CJK, text);
  assert.notEqual(shown.title, english.title);
  assert.notEqual(shown.question, english.question.text);
  for (const [at, step] of shown.steps.entries()) assert.notEqual(step, english.steps[at]);
  // A step that names a button names it as the page does.
  assert.ok(shown.steps[0].includes(`“${catalogs.zh['page.compare.run']}”`), shown.steps[0]);
  // The Lessons view's list is Chinese too.
  assert.equal(await page.textContent('#lesson-card-magnitude-vs-random'), `1. ${chinese.title}`);
  assert.equal(await page.textContent(`#lessons .lesson:first-child p`), chinese.summary);
  assert.equal(await page.textContent('#lesson-setup'), '按课程设置');
  assert.equal(await page.textContent('#lesson-run-hint'), '请先按“按课程设置”。');
  await page.click('#lesson-setup');
  assert.equal(await page.textContent('#lesson-setup'), '重新设置');
  assert.match(await page.textContent('#lesson-step-count'), /^（第 1 步，共 \d+ 步）$/);
  assert.match(await page.textContent('#lesson-status'), /^已设置/);
  await compareNames('zh');
  // Switching language re-reads the lessons and keeps the lesson, its step and its state.
  await page.click('#lesson-step-next');
  await page.selectOption('#lang', 'en');
  assert.equal(await page.textContent('#lesson-title'), english.title);
  assert.deepEqual((await lessonTexts()).steps, english.steps);
  assert.equal(await page.textContent('#lesson-card-magnitude-vs-random'), `1. ${english.title}`);
  assert.match(await page.textContent('#lesson-step-count'), /^\(step 2 of \d+\)$/i);
  assert.equal(await page.textContent('#lesson-setup'), 'Set it up again');
  // The status line already shown is said again, in English, with the runs' English labels.
  const setUpLine = (lang) => catalogs[lang]['page.lesson.set_up_comparison'].replace('{runs}', labels[lang].join(catalogs[lang]['page.lesson.versus']));
  assert.equal(await page.textContent('#lesson-status'), setUpLine('en'));
  await compareNames('en');
  await page.selectOption('#lang', 'zh');
  assert.equal(await page.textContent('#lesson-status'), setUpLine('zh'));
  await compareNames('zh');
  assert.equal(await page.textContent('#lesson-title'), chinese.title);
  assert.match(await page.textContent('#lesson-step-count'), /^（第 2 步，共 \d+ 步）$/);
  let left = (await visibleTexts(page)).filter((text) => englishOnly.has(text));
  assert.deepEqual(left, [], 'English left with the lesson panel open');
  // Predict, run at full speed, read what happened: the panel's own words are Chinese.
  await page.selectOption('#speed', '100000');
  await page.check('#lesson-choices input >> nth=0');
  await page.click('#lesson-run');
  await page.waitForFunction(() => !document.getElementById('lesson-outcome').hidden
    && document.getElementById('lesson-status').textContent.startsWith('已完成'), null, { timeout: 240000 });
  assert.equal(await page.textContent('#lesson-outcome-title'), '发生了什么');
  assert.match(await page.textContent('#lesson-verdict'), /^[✓✗] 你的预测是(对|错)的。/);
  const claims = await page.$$eval('#lesson-outcome .lesson-claim', (items) => items.map((item) => item.textContent.trim()));
  assert.ok(claims.length > 0 && claims.every((claim) => /（(成立|不成立)：.+）$/.test(claim)), claims.join(' | '));
  // The claims' texts and what happened are the lesson's Chinese ones, filled from the runs.
  for (const [at, claim] of claims.entries()) {
    assert.ok(claim.includes(chinese.claims[at]), claim);
    assert.ok(!claim.includes(english.claims[at].text), claim);
  }
  const lines = await page.$$eval('#lesson-outcome .lesson-lines li', (items) => items.map((item) => item.textContent));
  assert.equal(lines.length, english.what_happened.length);
  for (const [at, line] of lines.entries()) {
    assert.match(line, CJK, line);
    assert.doesNotMatch(line, /\{/, line);
    for (const words of englishWords(english.what_happened[at])) assert.ok(!line.includes(words), `“${words}” in ${line}`);
  }
  assert.match(await page.textContent('#lesson-verdict'), /你预测的是“/);
  left = (await visibleTexts(page)).filter((text) => englishOnly.has(text));
  assert.deepEqual(left, [], 'English left in what happened');
  // Compare's results table: one row per run, by its Chinese label.
  const table = () => page.$$eval('#compare-table tbody tr', (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent)));
  const rows = await table();
  assert.deepEqual(rows.map((row) => row[0]), labels.zh);
  // Its progress lines are Chinese too, each by its run's label.
  const progress = () => page.$$eval('#compare-progress li', (items) => items.map((item) => item.textContent));
  for (const [at, text] of (await progress()).entries()) assert.ok(text.startsWith(`${labels.zh[at]}: `) && / 第 [\d,]+ 步，共 [\d,]+ 步，完成，保留 [\d,]+ \/ [\d,]+——已完成$/.test(text), text);
  // In English again, what happened is written again from the same runs, in English.
  await page.selectOption('#lang', 'en');
  const englishLines = await page.$$eval('#lesson-outcome .lesson-lines li', (items) => items.map((item) => item.textContent));
  assert.equal(englishLines.length, lines.length);
  assert.ok(englishLines[0].startsWith('Right after pruning: Magnitude |w| '), englishLines[0]);
  assert.match(await page.textContent('#lesson-verdict'), /You predicted “Magnitude/);
  assert.equal(await page.textContent('#lesson-status'), catalogs.en['page.lesson.finished']);
  // Compare names the runs in English too, and keeps the comparison and its results.
  await compareNames('en');
  const englishRows = await table();
  assert.deepEqual(englishRows.map((row) => row[0]), labels.en);
  assert.deepEqual(englishRows.map((row) => row.slice(1)), rows.map((row) => row.slice(1)), 'the results are kept');
  assert.equal(await page.textContent('#compare-status'), catalogs.en['page.compare.all_finished']);
  for (const [at, text] of (await progress()).entries()) assert.ok(text.startsWith(`${labels.en[at]}: `) && / step [\d,]+ of [\d,]+, done, kept [\d,]+ of [\d,]+ — finished$/.test(text), text);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Chinese browser opens in Chinese; an English one in English, without lang in the link', async () => {
  for (const [locale, lang, tab] of [['zh-CN', 'zh-CN', '曲线'], ['en-US', 'en', 'Curves']]) {
    const { context, page, problems } = await site.open('', { locale });
    assert.equal(await page.getAttribute('html', 'lang'), lang, locale);
    assert.equal(await page.textContent('#tab-curves'), tab, locale);
    if (lang === 'en') {
      assert.doesNotMatch(await page.evaluate(() => location.hash), /lang=/);
      // The check of the Chinese page would see the English one: it finds the English texts here.
      const english = (await visibleTexts(page)).filter((text) => englishOnly.has(text));
      assert.ok(english.length > 60, `only ${english.length} English texts found on the English page`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('switching language mid-run keeps the step, the history and the charts; the results card follows', async () => {
  const { context, page, problems } = await site.open('#pretrain=1&finetune=1&target=0.9&schedule=one-shot', { locale: 'en-US', viewport: { width: 1280, height: 900 } });
  await page.selectOption('#speed', '100000');
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done', null, { timeout: 120000 });
  // The run ends in the Network view, which points to the card (in Curves).
  await page.click('#network-see-card');
  await page.waitForSelector('#card:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'card-title');
  await page.waitForFunction(() => document.querySelectorAll('#card-table tbody tr').length === 11, null, { timeout: 60000 });
  const chartData = () => page.evaluate(() => {
    const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById('chart-accuracy'));
    return canvas.toDataURL().length;
  });
  const history = () => page.evaluate(async () => {
    // The accuracy chart's data table, as "Show data" offers it: the run's recorded history.
    const details = document.querySelector('#view-curves .chart-data');
    details.open = true;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const rows = [...details.querySelectorAll('tbody tr')].map((row) => [...row.children].map((cell) => cell.textContent).join('|'));
    details.open = false;
    return rows;
  });
  const before = { step: await page.textContent('#step-counter'), rows: await history(), drawn: await chartData() };
  assert.ok(before.rows.length > 2, 'the accuracy chart has data');
  const strategy = await page.$eval('#strategy', (select) => select.value);
  // Play on a finished run says so on the status line, which is said again after the switch.
  await page.click('#play');
  assert.equal(await page.textContent('#status'), 'The run has finished: press Reset to start again.');
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await page.waitForFunction(() => document.getElementById('phase').textContent === '完成');
  // The option lists are relabelled and keep their values.
  assert.equal(await page.$eval('#strategy', (select) => select.value), strategy);
  assert.match(await page.$eval('#strategy', (select) => select.selectedOptions[0].textContent), /[\u4e00-\u9fff]/);
  assert.equal(await page.textContent('#step-counter'), before.step, 'the step is kept');
  assert.equal(await page.textContent('#status'), '运行已结束：按“重置”重新开始。');
  assert.deepEqual(await history(), before.rows, 'the history is kept');
  // The data tables' captions and column names are the catalog's too.
  const caption = await page.evaluate(async () => {
    const details = document.querySelector('#view-curves .chart-data');
    details.open = true;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = details.querySelector('caption')?.textContent ?? '';
    details.open = false;
    return text;
  });
  assert.match(caption, /^图表“.+”的数据/);
  assert.ok(await chartData() > 1000, 'the chart is drawn');
  assert.match(await page.textContent('#card-title'), /^结果：/);
  assert.deepEqual(await page.$$eval('#card-table thead th', (cells) => cells.map((cell) => cell.textContent)), ['指标', '稠密', '剪枝后', '变化']);
  assert.match(await page.evaluate(() => location.hash), /lang=zh/);
  await page.screenshot({ path: `${shots}/i18n-zh-card.png` });
  // The Network view's counts and the cursor's description come from the core, in Chinese.
  await page.click('#tab-network');
  await page.waitForFunction(() => document.getElementById('network-summary').textContent.startsWith('显示的连接：'));
  assert.match(await page.getAttribute('#network', 'aria-label'), /显示的连接：/);
  await page.focus('#network');
  await page.waitForFunction(() => document.getElementById('network-info').textContent.startsWith('输入：'));
  // So do the feature maps' summary and their data table (Try it).
  await page.click('#tab-try');
  await page.waitForFunction(() => /^第 1 个测试数字.*：稠密网络预测为 \d/.test(document.getElementById('fmap-summary').textContent), null, { timeout: 30000 });
  // And back: the English page is as it was.
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.getElementById('phase').textContent === 'done');
  await page.waitForFunction(() => /^For test digit 1 of [\d,]+ \(a \d\): Dense says/.test(document.getElementById('fmap-summary').textContent), null, { timeout: 30000 });
  await page.click('#tab-network');
  await page.waitForFunction(() => document.getElementById('network-summary').textContent.startsWith('Connections shown: '));
  await page.waitForFunction(() => document.getElementById('network-info').textContent.startsWith('Input: '));
  assert.equal(await page.textContent('#tab-curves'), 'Curves');
  assert.equal(await page.textContent('#step-counter'), before.step);
  assert.match(await page.textContent('#card-title'), /^Results: /);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the glossary lists the terms of issue 17 in Chinese and English, opened from the header', async () => {
  const { context, page, problems } = await site.open('', { locale: 'zh-CN' });
  await page.click('#glossary-open');
  await page.waitForSelector('#glossary[open]');
  const terms = await page.$$eval('#glossary dt', (items) => items.map((item) => item.textContent));
  for (const term of ['剪枝', '权重大小剪枝', '梯度大小剪枝', 'L1正则剪枝', 'L2正则剪枝', 'Dropout', 'Cosine相似性剪枝', '稀疏度', '微调',
    '彩票假设', '动态稀疏训练', '结构化/非结构化剪枝', '乘加运算', '能耗']) {
    assert.ok(terms.some((text) => text.startsWith(term)), `the glossary names ${term}`);
  }
  assert.ok(terms.includes('彩票假设（lottery ticket hypothesis）'), 'each term with its English name');
  assert.equal(await page.$$eval('#glossary dd', (items) => items.filter((item) => item.textContent.trim()).length), terms.length, 'each term explained');
  // Switching language while it is open re-labels it.
  await page.keyboard.press('Escape');
  await page.selectOption('#lang', 'en');
  await page.click('#glossary-open');
  assert.equal(await page.textContent('#glossary-title'), 'Glossary: the terms of pruning');
  assert.ok((await page.$$eval('#glossary dt', (items) => items.map((item) => item.textContent))).includes('lottery ticket hypothesis (彩票假设)'));
  await page.click('#glossary-close');
  assert.equal(await page.$eval('#glossary', (dialog) => dialog.open), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the single file (dist/prunelab.html, from file://) is Chinese too: its catalogs are in the file', async () => {
  const context = await site.browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => { if (!/^(file|blob|data):/.test(request.url())) problems.push(`request: ${request.url()}`); });
  await page.goto(`${pathToFileURL(`${root}dist/prunelab.html`).href}#lang=zh`);
  await page.waitForFunction(() => document.getElementById('status').hidden, null, { timeout: 60000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.deepEqual((await tabTexts(page)).slice(0, 2), ['网络', '曲线']);
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.getElementById('tab-curves').textContent === 'Curves');
  assert.deepEqual(problems, []);
  await context.close();
});

test('axe-core finds no violations in Chinese on any view', async () => {
  const { context, page, problems } = await site.open('#lang=zh', { bypassCSP: true, locale: 'en-US' });
  await page.addScriptTag({ path: axePath });
  const found = [];
  for (const view of await page.$$eval('[role=tab]', (tabs) => tabs.map((tab) => tab.dataset.view))) {
    await page.click(`#tab-${view}`);
    await page.waitForFunction((id) => !document.getElementById(`view-${id}`).hidden, view);
    const { violations } = await page.evaluate(() => window.axe.run());
    found.push(...violations.map((v) => `${view}: ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  }
  await page.click('#glossary-open');
  const { violations } = await page.evaluate(() => window.axe.run());
  found.push(...violations.map((v) => `glossary: ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(found, []);
  assert.deepEqual(problems, []);
  await context.close();
});
