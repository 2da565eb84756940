// Makes the built folder (dist/) work offline and installable: writes dist/sw.js from www/sw.js with this
// build's version (a hash of every file it caches) and file list, and puts the version into
// dist/index.html, which is what lets www/offline.js register the worker. Run by
// `scripts/build-web.sh dist` after it copies the site into dist/.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = `${root}dist/`;

/** Every file under `dir`, relative to dist/, sorted (the hash must not depend on directory order). */
async function files(dir) {
  const entries = await readdir(`${dist}${dir}`, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath.slice(dist.length)}/${entry.name}`.replace(/^\/+/, ''))
    .sort();
}

function replaceOnce(text, from, to, where) {
  if (text.split(from).length !== 2) throw new Error(`build-offline: expected one ${JSON.stringify(from)} in ${where}`);
  return text.replace(from, () => to);
}

await rm(`${dist}www/sw.js`, { force: true }); // it works from the site's root only (its scope)
// The single file is not part of the site it serves, and bench.html is a developer's page.
const cached = ['index.html', ...(await files('www')).filter((file) => !/\/bench[^/]*$/.test(file))];
const hash = createHash('sha256');
for (const file of cached) hash.update(file).update('\0').update(await readFile(`${dist}${file}`));
const version = hash.digest('hex').slice(0, 16);

let worker = await readFile(`${root}www/sw.js`, 'utf8');
worker = replaceOnce(worker, "const VERSION = 'dev';", `const VERSION = '${version}';`, 'www/sw.js');
worker = replaceOnce(worker, 'const FILES = [];', `const FILES = ${JSON.stringify(['./', ...cached], null, 1)};`, 'www/sw.js');
await writeFile(`${dist}sw.js`, worker);
const page = await readFile(`${dist}index.html`, 'utf8');
await writeFile(`${dist}index.html`, replaceOnce(page, '<meta name="prunelab-build" content="dev">', `<meta name="prunelab-build" content="${version}">`, 'dist/index.html'));
console.log(`dist/sw.js: offline copy of build ${version}, ${cached.length} files`);
