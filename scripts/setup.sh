#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently, on a fresh Debian machine.
#   scripts/setup.sh build   -> wasm32 target, wasm-bindgen-cli pinned to Cargo.lock, npm packages (package-lock.json)
#   scripts/setup.sh test    -> the above, plus Debian's chromium + chromium-driver, and the two other
#                               engines of the e2e smoke: firefox-esr, webkit2gtk-driver (WebKitWebDriver) + xvfb,
#                               and fonts-noto-cjk (Chinese glyphs for the zh page's screenshots)
# Fails loudly (non-zero exit, a message saying what is missing) when something cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-build}

say() { printf 'setup: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

command -v cargo >/dev/null || die "cargo is not installed (install Rust with rustup first)"

if command -v rustup >/dev/null; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
else
  say "no rustup: assuming the wasm32-unknown-unknown target is installed"
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate version in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[[ -n $wb_version ]] || die "cannot read the wasm-bindgen version from Cargo.lock"
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb_version" ]]; then
  say "installing wasm-bindgen-cli $wb_version (about 5 minutes, once)"
  cargo install wasm-bindgen-cli --version "$wb_version" --locked \
    || cargo install wasm-bindgen-cli --version "$wb_version"
fi
[[ "$(wasm-bindgen --version)" == "wasm-bindgen $wb_version" ]] || die "wasm-bindgen $wb_version is not on PATH"

# npm packages (versions in package-lock.json): binaryen (wasm-opt shrinks the site's wasm),
# esbuild (bundles the single-file page), playwright-core (end-to-end tests), ws (the WebSocket of the Firefox smoke's WebDriver BiDi client),
# typescript and eslint (check the site's JavaScript), axe-core (accessibility audit in the e2e tests).
command -v node >/dev/null || die "node is not installed (Node.js 20.19+ builds the site and runs the checks)"
if ! npm ls --depth=0 >/dev/null 2>&1; then
  say "installing npm packages (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [[ $what == test ]]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  command -v chromium >/dev/null || die "chromium is missing"
  command -v chromedriver >/dev/null || die "chromedriver is missing"
  # Firefox (WebDriver BiDi is built in) and WebKit (WebKitWebDriver needs an X display: Xvfb).
  if ! command -v firefox-esr >/dev/null || ! command -v WebKitWebDriver >/dev/null || ! command -v Xvfb >/dev/null; then
    say "installing Debian's firefox-esr, webkit2gtk-driver and xvfb"
    sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb >/dev/null
  fi
  command -v firefox-esr >/dev/null || die "firefox-esr is missing"
  command -v WebKitWebDriver >/dev/null || die "WebKitWebDriver (webkit2gtk-driver) is missing"
  command -v Xvfb >/dev/null || die "Xvfb (xvfb) is missing"
  # CJK glyphs for the Chinese page's screenshots and tests (the site itself ships no fonts).
  if ! fc-list :lang=zh-cn family 2>/dev/null | grep -q .; then
    say "installing Debian's fonts-noto-cjk"
    sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-noto-cjk >/dev/null
  fi
  fc-list :lang=zh-cn family | grep -q . || die "no font with Chinese glyphs (fonts-noto-cjk) is installed"
fi
say "ready ($what)"
