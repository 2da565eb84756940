// The page's language: English or Simplified Chinese. Catalogs are flat JSON objects of keys to texts
// with {name} placeholders (i18n/en.json, i18n/zh.json). `t` looks a key up, `applyTranslations`
// fills the markup's data-i18n attributes, and the number formatters follow the language, so the
// same run prints the same digits in every browser (no locale of the machine leaks in).
import * as core from './pkg/prunelab.js';

/** @typedef {'en' | 'zh'} Lang */
export const LANGS = /** @type {const} */ (['en', 'zh']);
/** The BCP 47 tags of each language: for Intl (numbers), and for <html lang>. */
const LOCALES = { en: 'en-US', zh: 'zh-CN' };
const HTML_LANGS = { en: 'en', zh: 'zh-CN' };
const STORAGE_KEY = 'prunelab.lang';

/** @type {Lang} */
let current = 'en';
/** @type {Record<string, string>} */
let texts = {};
/** @type {Record<string, string>} English, for a key a catalog lacks (never shown as a raw key) */
let english = {};
/** @type {((lang: Lang) => void)[]} */
const listeners = [];
/** @type {() => void} */
let markLoaded = () => {};
/** Resolves once the first catalog is loaded (for modules that write text before the page is set up). */
export const loaded = new Promise((resolve) => { markLoaded = () => resolve(undefined); });

/**
 * The catalog of `lang` as an object, from the wasm core (which embeds i18n/*.json and draws its
 * own text from the same files), so the served site and the single file read the same data. The
 * page calls setLanguage only after the wasm module is initialised.
 * @param {Lang} lang
 * @returns {Record<string, string>}
 */
function loadCatalog(lang) {
  return JSON.parse(core.i18n_catalog_json(lang));
}

/** @param {unknown} value @returns {value is Lang} */
export const isLang = (value) => value === 'en' || value === 'zh';

/** The language shown now. */
export const language = () => current;

/** The locale tag of the language shown now ('en-US' or 'zh-CN'). */
export const locale = () => LOCALES[current];

/**
 * The language to start in: the link's `lang=`, else the one chosen before on this browser, else
 * the browser's own preference (any Chinese → zh, anything else → en).
 * @param {string | undefined} fromHash
 * @returns {Lang}
 */
export function initialLanguage(fromHash) {
  if (isLang(fromHash)) return fromHash;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // Storage disabled: follow the browser.
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  return preferred.some((tag) => /^zh\b/i.test(tag || '')) ? 'zh' : 'en';
}

/**
 * Loads `lang`'s catalog, makes it current, marks <html lang>, fills the page's markup and tells
 * the listeners (which redraw what they wrote). `remember`: the user chose it.
 * @param {Lang} lang
 * @param {boolean} [remember]
 */
export async function setLanguage(lang, remember = false) {
  const en = Object.keys(english).length ? english : loadCatalog('en');
  const chosen = lang === 'en' ? null : loadCatalog(lang);
  english = en;
  texts = chosen ?? en;
  current = lang;
  document.documentElement.lang = HTML_LANGS[lang];
  if (remember) {
    try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* not remembered: the link still says it */ }
  }
  applyTranslations(document);
  markLoaded();
  for (const listener of listeners) listener(lang);
}

/** @param {(lang: Lang) => void} listener called after each change of language */
export function onLanguageChange(listener) {
  listeners.push(listener);
}

/**
 * The text of `key` in the current language, with each {name} replaced by `args[name]`
 * (numbers formatted for the language). A key no catalog has is a bug: it shows as the key.
 * @param {string} key
 * @param {Record<string, string | number>} [args]
 * @returns {string}
 */
export function t(key, args = {}) {
  const text = texts[key] ?? english[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = args[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** @typedef {Record<string, string | number>} Args */
/** @typedef {{ error?: boolean, after?: () => Node[] }} MessageOptions */

/**
 * A message line (a panel's status) that can be written again in another language. `show(key,
 * args)` writes t(key, args) into the line and remembers the key and the arguments, not the text;
 * `again()` writes it anew, for the owner to call when the language changes (after it has
 * relabelled whatever the arguments name). `args` may be a function, for arguments that are words
 * too (a lesson's run labels); an empty key empties the line. Options: `error` marks the line as
 * an error; `after` adds elements after the text (a button), made again each time.
 * @param {() => HTMLElement} line
 */
export function messageLine(line) {
  /** @type {{ key: string, args: Args | (() => Args), options: MessageOptions } | null} */
  let said = null;
  function write() {
    const element = line();
    element.textContent = said ? t(said.key, typeof said.args === 'function' ? said.args() : said.args) : '';
    if (said?.options.after) element.append(' ', ...said.options.after());
    element.classList.toggle('error', Boolean(said?.options.error));
  }
  return {
    /**
     * @param {string} key
     * @param {Args | (() => Args)} [args]
     * @param {MessageOptions} [options]
     */
    show(key, args = {}, options = {}) {
      said = key ? { key, args, options } : null;
      write();
    },
    // Text written into the line by other means since the last `show('')` is left as it is.
    again() {
      if (said) write();
    },
  };
}

/**
 * Fills `root`'s marked elements: data-i18n="key" sets the text, data-i18n-<attribute>="key" (e.g.
 * data-i18n-aria-label, data-i18n-title, data-i18n-placeholder) sets that attribute.
 * @param {ParentNode} root
 */
export function applyTranslations(root) {
  for (const element of root.querySelectorAll('*')) {
    if (!(element instanceof HTMLElement) || !hasMarker(element)) continue;
    for (const [name, key] of Object.entries(element.dataset)) {
      if (!key || !name.startsWith('i18n')) continue;
      if (name === 'i18n') element.textContent = t(key);
      else element.setAttribute(attributeName(name.slice(4)), t(key));
    }
  }
}

/** @param {HTMLElement} element */
function hasMarker(element) {
  for (const attribute of element.attributes) if (attribute.name.startsWith('data-i18n')) return true;
  return false;
}

/**
 * dataset's camel case back to the attribute: 'AriaLabel' → 'aria-label'.
 * @param {string} camel
 */
const attributeName = (camel) => camel.replace(/^[A-Z]/, (c) => c.toLowerCase()).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * A number for the current language (grouping: 7,090).
 * @param {number} value
 * @param {Intl.NumberFormatOptions} [options]
 */
export function formatNumber(value, options) {
  return new Intl.NumberFormat(locale(), options).format(value);
}

/**
 * A fraction as a percentage with `digits` decimals: 0.9712 → "97.12%". Both languages write
 * decimals with a point and % without a space, so this rounds exactly as the page always has.
 * @param {number} fraction
 * @param {number} [digits]
 */
export function formatPercent(fraction, digits = 2) {
  return `${(100 * fraction).toFixed(digits)}%`;
}

/** The page's font stack (style.css --font-stack), for text drawn on a canvas. */
export function fontStack() {
  return getComputedStyle(document.documentElement).getPropertyValue('--font-stack').trim().replace(/\s+/g, ' ') || 'sans-serif';
}
