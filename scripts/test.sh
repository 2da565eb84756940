#!/usr/bin/env bash
# Runs every check, fastest first. This is exactly what CI runs (.ci/run calls `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test

step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "clippy (native)"
cargo clippy --all-targets --locked -- -D warnings

step "clippy (wasm32)"
cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings

step "native tests"
cargo test --locked

if [[ -d tests/e2e ]]; then
  step "wasm tests in headless Chromium"
  cargo test --locked --target wasm32-unknown-unknown --test 'web_*'
  step "build the site (www/pkg, dist/ and dist/prunelab.html: the e2e tests open all three)"
  scripts/build-web.sh dist
  # After the build: the type check reads the .d.ts wasm-bindgen just wrote into www/pkg.
  step "type-check the JavaScript (tsc, JSDoc types)"
  node_modules/.bin/tsc -p tsconfig.json
  node_modules/.bin/tsc -p tsconfig.worker.json
  step "lint the JavaScript (ESLint)"
  node_modules/.bin/eslint 'www/*.js' 'tests/e2e/*.mjs' 'scripts/build-single.mjs' 'scripts/build-single/*.js' 'scripts/build-offline.mjs' 'scripts/make-icons.mjs' 'scripts/sort-catalogs.mjs'
  step "end-to-end tests (Chromium via Playwright; Firefox ESR and WebKitGTK smokes)"
  node --test tests/e2e/
fi
