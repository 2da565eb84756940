// Typed element look-ups. The page's markup is fixed, so a missing element (or one of another
// kind) is a bug in index.html or the JS: it fails here with the id, not later as "null has no
// property", and the type checker knows what each look-up returns.

/**
 * The element with this `id`, checked to be a `type` (any HTML element when omitted).
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{ new (): T, prototype: T }} [type]
 * @returns {T}
 */
export function byId(id, type) {
  const element = document.getElementById(id);
  const kind = type || HTMLElement;
  if (!(element instanceof kind)) throw new Error(`the page has no ${kind.name} #${id}`);
  return /** @type {T} */ (element);
}

/** A form control with a string `value`: an input, a select or a text area. */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Field */

/**
 * The form control with this `id`.
 * @param {string} id
 * @returns {Field}
 */
export function field(id) {
  const element = document.getElementById(id);
  if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement) return element;
  throw new Error(`the page has no input, select or text area #${id}`);
}

/**
 * The first element under `root` matching `selector` (markup the page ships, so it is there).
 * @param {ParentNode} root
 * @param {string} selector
 * @returns {HTMLElement}
 */
export function inside(root, selector) {
  const element = root.querySelector(selector);
  if (!(element instanceof HTMLElement)) throw new Error(`the page has no ${selector} there`);
  return element;
}

/**
 * What went wrong, in words: an Error's message (wasm-bindgen throws Errors), or the value itself.
 * @param {unknown} error
 * @returns {string}
 */
export function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Every element matching `selector` that is a `type` (any HTML element when omitted).
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} selector
 * @param {{ new (): T, prototype: T }} [type]
 * @param {ParentNode} [root]
 * @returns {T[]}
 */
export function all(selector, type, root = document) {
  const kind = type || HTMLElement;
  return /** @type {T[]} */ ([...root.querySelectorAll(selector)].filter((element) => element instanceof kind));
}
