// Sorts i18n/en.json and i18n/zh.json by key (2-space indent, one key per line), as CONTRACT and the
// catalog tests want them. A catalog left with git conflict markers by two branches that both added
// keys is resolved by taking every line of both sides (each line is one "key": "value" pair); a key
// that both sides give different values fails loudly. Usage: node scripts/sort-catalogs.mjs
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

for (const lang of ['en', 'zh']) {
  const path = `${root}i18n/${lang}.json`;
  const text = await readFile(path, 'utf8');
  /** @type {Record<string, string>} */
  const entries = {};
  const lines = text.split('\n').filter((line) => !/^(<{7}|={7}|>{7})/.test(line));
  for (const line of lines) {
    const match = line.match(/^\s*("(?:[^"\\]|\\.)*")\s*:\s*("(?:[^"\\]|\\.)*")\s*,?\s*$/);
    if (!match) continue;
    const [key, value] = [JSON.parse(match[1]), JSON.parse(match[2])];
    if (key in entries && entries[key] !== value) throw new Error(`${lang}.json: ${key} has two values: ${JSON.stringify(entries[key])} and ${JSON.stringify(value)}`);
    entries[key] = value;
  }
  const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFile(path, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`i18n/${lang}.json: ${Object.keys(sorted).length} keys, sorted`);
}
