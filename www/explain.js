// Plain-language explanations of every strategy and schedule, shown next to their controls, keyed
// by the engine's names (the labels and option lists come from the wasm module's catalog_json).
// Data only: adding a strategy or schedule to the engine means adding an entry here and its two texts
// to both catalogs (i18n/en.json, i18n/zh.json); the native test tests/names.rs fails until it is. A
// default's name in braces in a text, e.g. {regrow_interval}, quotes the catalog's value (fillDefaults).
/** @typedef {{ formula: string, text: string }} Explanation the catalog keys of its formula and text */
/** @type {Record<string, Explanation>} */
export const STRATEGIES = {
  magnitude: { formula: 'explain.strategy.magnitude.formula', text: 'explain.strategy.magnitude.text' },
  random: { formula: 'explain.strategy.random.formula', text: 'explain.strategy.random.text' },
  gradient: { formula: 'explain.strategy.gradient.formula', text: 'explain.strategy.gradient.text' },
  l1: { formula: 'explain.strategy.l1.formula', text: 'explain.strategy.l1.text' },
  l2: { formula: 'explain.strategy.l2.formula', text: 'explain.strategy.l2.text' },
  cosine: { formula: 'explain.strategy.cosine.formula', text: 'explain.strategy.cosine.text' },
  taylor: { formula: 'explain.strategy.taylor.formula', text: 'explain.strategy.taylor.text' },
  snip: { formula: 'explain.strategy.snip.formula', text: 'explain.strategy.snip.text' },
  synflow: { formula: 'explain.strategy.synflow.formula', text: 'explain.strategy.synflow.text' },
  movement: { formula: 'explain.strategy.movement.formula', text: 'explain.strategy.movement.text' },
  'filter-l1': { formula: 'explain.strategy.filter-l1.formula', text: 'explain.strategy.filter-l1.text' },
  'filter-l2': { formula: 'explain.strategy.filter-l2.formula', text: 'explain.strategy.filter-l2.text' },
  set: { formula: 'explain.strategy.set.formula', text: 'explain.strategy.set.text' },
  rigl: { formula: 'explain.strategy.rigl.formula', text: 'explain.strategy.rigl.text' },
  'targeted-dropout': { formula: 'explain.strategy.targeted-dropout.formula', text: 'explain.strategy.targeted-dropout.text' },
  'largest-magnitude': { formula: 'explain.strategy.largest-magnitude.formula', text: 'explain.strategy.largest-magnitude.text' },
};

/** @type {Record<string, Explanation>} */
export const SCHEDULES = {
  'one-shot': { formula: 'explain.schedule.one-shot.formula', text: 'explain.schedule.one-shot.text' },
  iterative: { formula: 'explain.schedule.iterative.formula', text: 'explain.schedule.iterative.text' },
  gradual: { formula: 'explain.schedule.gradual.formula', text: 'explain.schedule.gradual.text' },
  lottery: { formula: 'explain.schedule.lottery.formula', text: 'explain.schedule.lottery.text' },
  rollback: { formula: 'explain.schedule.rollback.formula', text: 'explain.schedule.rollback.text' },
};

// A text with each default's name in braces replaced by its catalog value (unknown names stay as typed).
/**
 * @param {string} text
 * @param {Record<string, number | string>} defaults
 * @returns {string}
 */
export function fillDefaults(text, defaults) {
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in defaults ? String(defaults[key]) : whole));
}
