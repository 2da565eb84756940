// Builds dist/prunelab.html: the whole playground in one HTML file that works double-clicked (file://),
// where browsers let a page fetch nothing and run no module script from another file. Run after
// scripts/build-web.sh (it reads www/pkg); `make single` does both.
//
// - The page's scripts are bundled by esbuild into one inline module; the training worker's into one
//   classic script, kept as a text block that the page turns into a Blob URL.
// - www/assets.js is swapped for scripts/build-single/assets.js: the wasm and the digits are read from
//   base64 data blocks in the file instead of being fetched.
// - The Content-Security-Policy stays strict: each inline script and style is allowed by its SHA-256,
//   plus 'wasm-unsafe-eval'; workers only from blob:, and no fetch at all (connect-src 'none').
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const started = performance.now();
const root = fileURLToPath(new URL('../', import.meta.url));
const out = `${root}dist/prunelab.html`;

/** esbuild plugin: every import of www/assets.js gets the single file's version. */
const embeddedAssets = {
  name: 'embedded-assets',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/assets\.js$/ }, () => ({ path: `${root}scripts/build-single/assets.js` }));
  },
};

/** @param {string} entry @param {'esm' | 'iife'} format */
async function bundle(entry, format) {
  const result = await build({
    entryPoints: [`${root}${entry}`], bundle: true, format, write: false, minify: true, target: 'es2022',
    charset: 'ascii', legalComments: 'none', plugins: [embeddedAssets],
    // wasm-bindgen's glue names import.meta.url only for a default wasm URL, which is never used here.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  return result.outputFiles[0].text.trim();
}

/** Text inside a <script> or <style> element must not end it early. */
function assertInlineSafe(name, text) {
  if (/<\/(script|style)|<!--/i.test(text)) throw new Error(`build-single: ${name} contains "</script", "</style" or "<!--"`);
  return text;
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Replaces exactly one occurrence of `from` in `html`, failing loudly when index.html changed shape. */
function replaceOnce(html, from, to) {
  const count = html.split(from).length - 1;
  if (count !== 1) throw new Error(`build-single: expected one ${JSON.stringify(from)} in index.html, found ${count}`);
  return html.replace(from, () => to);
}

const [app, worker, css, wasm, digits, index] = await Promise.all([
  bundle('www/app.js', 'esm'),
  bundle('www/worker.js', 'iife'),
  readFile(`${root}www/style.css`, 'utf8'),
  readFile(`${root}www/pkg/prunelab_bg.wasm`),
  readFile(`${root}www/data/mnist-10k.bin.gz`),
  readFile(`${root}index.html`, 'utf8'),
]);
// A module that loads a file beside itself (new URL('./…', import.meta.url)) cannot work from one file:
// such loads go through www/assets.js. (wasm-bindgen's own default wasm URL has no './' and is never used.)
for (const [name, code] of [['the page', app], ['the worker', worker]]) {
  const relative = code.match(/new URL\(\s*["']\.\.?\/[^"']*["']\s*,\s*import\.meta\.url\s*\)/);
  if (relative) throw new Error(`build-single: ${name} loads ${relative[0]}; load files through www/assets.js instead`);
}
const style = assertInlineSafe('www/style.css', `\n${css}`);
const script = assertInlineSafe('the page bundle', app);
const csp = [
  "default-src 'none'", `script-src ${sha256(script)} 'wasm-unsafe-eval'`, `style-src ${sha256(style)}`,
  "img-src data: blob:", "worker-src blob:", "connect-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');

let html = index;
html = html.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
if (!html.includes(csp)) throw new Error('build-single: index.html has no Content-Security-Policy meta to replace');
// What only the served folder needs: its file:// notice, the service worker and the manifest.
html = html.replace(/<script id="file-notice">[\s\S]*?<\/script>\n/, '');
html = html.replace(/<script type="module" src="www\/offline\.js"><\/script>\n/, '');
html = html.replace(/<link rel="manifest"[^>]*>\n/, '');
html = replaceOnce(html, '<link rel="stylesheet" href="www/style.css">', `<style>${style}</style>`);
html = replaceOnce(html, '<script type="module" src="www/app.js"></script>', `<script type="module">${script}</script>`);
// Data blocks: the browser runs none of them; www/assets.js's single-file version reads them.
const blocks = [
  // The wasm gzipped (2.4 times smaller; the page inflates it with DecompressionStream), the digits
  // as the data folder has them (gzipped already).
  `<script type="application/octet-stream" id="prunelab-wasm">${gzipSync(wasm, { level: 9 }).toString('base64')}</script>`,
  `<script type="application/octet-stream" id="prunelab-digits">${digits.toString('base64')}</script>`,
  `<script type="text/plain" id="prunelab-worker">${assertInlineSafe('the worker bundle', worker)}</script>`,
].join('\n');
html = replaceOnce(html, '</body>', `${blocks}\n</body>`);
// The CSP allows one script: the page bundle. Any other script element that runs would be blocked.
const running = html.match(/<script(?![^>]*type="(application\/octet-stream|text\/plain)")[^>]*>/g) ?? [];
if (running.length !== 1) throw new Error(`build-single: ${running.length} running scripts (${running.join(' ')}); the CSP allows only the page bundle`);

// The budget is a check, not a printout (as for the wasm in scripts/build-web.sh): e-mail and learning
// platforms take a file of a few MB; today the gzipped wasm and the digits, as base64, are 2.3 MB of it.
const budget = 4 * 1024 * 1024;
if (Buffer.byteLength(html) > budget) {
  throw new Error(`build-single: dist/prunelab.html would be ${Buffer.byteLength(html)} bytes, over its budget of ${budget} (4 MiB);`
    + ' shrink it, or raise the budget here and say why in the README');
}
await mkdir(`${root}dist`, { recursive: true });
await writeFile(out, html);
const megabytes = (Buffer.byteLength(html) / 1e6).toFixed(2);
console.log(`dist/prunelab.html is ready: ${Buffer.byteLength(html)} bytes (${megabytes} MB), built in ${((performance.now() - started) / 1000).toFixed(1)} s;`
  + ' double-click it, or send it as one file');
