// ESLint (flat config): the recommended rules for the site's scripts and the end-to-end tests.
// `make test` runs it through scripts/test.sh; the type checker (tsconfig*.json) covers the rest.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  { files: ['www/*.js'], languageOptions: { globals: globals.browser } },
  { files: ['www/worker.js', 'www/bench-worker.js'], languageOptions: { globals: globals.worker } },
  { files: ['www/sw.js'], languageOptions: { globals: globals.serviceworker } },
  // The single file's assets module runs in the page and in its Blob worker.
  { files: ['scripts/build-single/*.js'], languageOptions: { globals: { ...globals.browser, ...globals.worker } } },
  { files: ['scripts/build-single.mjs', 'scripts/build-offline.mjs', 'scripts/make-icons.mjs', 'scripts/sort-catalogs.mjs'], languageOptions: { globals: globals.node } },
  // The tests run in node; the callbacks they pass to page.evaluate run in the page.
  { files: ['tests/e2e/*.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
];
