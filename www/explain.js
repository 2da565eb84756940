// Plain-language explanations of every strategy and schedule, shown next to their controls, keyed
// by the engine's names (the labels and option lists come from the wasm module's catalog_json).
// Data only: adding a strategy or schedule to the engine means adding an entry here; the native
// test tests/names.rs fails until it is. A default's name in braces, e.g. {regrow_interval}, quotes
// the catalog's value (fillDefaults). This English is copied into i18n/en.json (explain.* keys, beside
// their Chinese in i18n/zh.json), which is what the page shows; tests/e2e/i18n.test.mjs keeps them equal.
/** @typedef {{ formula: string, text: string }} Explanation */
/** @type {Record<string, Explanation>} */
export const STRATEGIES = {
  magnitude: { formula: 'score = |w|',
    text: 'Small weights change the output least, so they go first (Han et al. 2015). The classic baseline that is hard to beat.' },
  random: { formula: 'score ~ U(0, 1), seeded',
    text: 'Removes weights at random. Every real criterion must beat it; the gap shows what the criterion knows.' },
  gradient: { formula: 'score = mean over k batches of |∂L/∂w|',
    text: 'Keeps weights whose gradient is large right now. That says where learning is happening, not what matters: alone it prunes badly — a growth score, and a lesson.' },
  l1: { formula: 'train with λ·Σ|w| (λ = {l1_penalty} unless set), then score = |w|',
    text: 'The penalty pushes useless weights to exactly zero (soft-threshold step), so magnitude pruning afterwards removes little that matters.' },
  l2: { formula: 'train with λ·Σw² (λ = {l2_penalty} unless set), then score = |w|',
    text: 'Weight decay shrinks all weights; the ones the data does not support shrink most.' },
  cosine: { formula: 'remove one of the pair with max cos(wᵢ, wⱼ)',
    text: 'Two filters that point the same way compute nearly the same thing; one of them is redundant.' },
  taylor: { formula: 'score = |w · ∂L/∂w|',
    text: 'Estimates how much the loss changes if the weight is set to zero (Molchanov et al. 2017).' },
  snip: { formula: 'score = |w · ∂L/∂w| / Σ, one batch',
    text: 'Prunes before training, from one batch of data (Lee et al. 2019).' },
  synflow: { formula: 'score = |θ · ∂R/∂θ|, R = 1ᵀ(∏|W|)1',
    text: 'Keeps the paths that carry the most signal through the network, without looking at data (Tanaka et al. 2020).' },
  movement: { formula: 'score = −Σₜ w · ∂L/∂w',
    text: 'Keeps weights that training is moving away from zero (Sanh et al. 2020).' },
  'filter-l1': { formula: 'score(filter) = Σ|w|',
    text: 'Removes whole filters with the smallest L1 norm (Li et al. 2017): the network really shrinks.' },
  'filter-l2': { formula: 'score(filter) = √Σw²',
    text: 'As filter L1, with the Euclidean norm.' },
  set: { formula: 'drop smallest |w|, regrow at random',
    text: 'Sparse from step 0 for all the epochs (dense + fine-tune), so the schedule setting does not apply: every {regrow_interval} steps the smallest weights are dropped and as many regrown at random, the sparsity staying fixed (Mocanu et al. 2018).' },
  rigl: { formula: 'drop smallest |w|, regrow largest |∂L/∂w|',
    text: 'Sparse from step 0 for all the epochs (the schedule setting does not apply): every {regrow_interval} steps the smallest weights are dropped and regrown where the dense gradient is largest, the drop fraction decaying to 0 at {regrow_end_percent}% of training (Evci et al. 2020).' },
  'targeted-dropout': { formula: 'each step: drop w with P = α if |w| is among the γ·n smallest of its layer; then score = |w|',
    text: 'Trains the network to do without the weights magnitude pruning will remove (Gomez et al. 2019): at every training step, in each layer the fraction γ (default {td_gamma}) of weights with the smallest |w| are each dropped with probability α (default {td_alpha}) — set to zero for that step and not updated. Then it prunes by magnitude, like the magnitude strategy.' },
  'largest-magnitude': { formula: 'score = −|w| (the largest |w| go first)',
    text: 'The source document\'s literal instruction: “选取最大的权值进行剪枝” — select the largest weights for pruning. This does exactly that, the reverse of magnitude pruning: the weights with the largest |w| are removed first. Try it against magnitude at the same target and watch the accuracy right after the pruning step.' },
};

/** @type {Record<string, Explanation>} */
export const SCHEDULES = {
  'one-shot': { formula: 's = s_f at the first fine-tuning step',
    text: 'Prune everything at once after dense training, then fine-tune.' },
  iterative: { formula: 's_k = 1 − (1 − p)^k',
    text: 'Prune a fraction p of what remains at regular intervals, training in between (Han et al. 2015).' },
  gradual: { formula: 's_t = s_f + (s_i − s_f)(1 − (t − t₀)/(nΔt))³',
    text: 'Prune fast at first and slowly near the end, when each weight matters more (Zhu & Gupta 2017).' },
  lottery: { formula: 'train → prune p% → rewind kept w to θ₀ → repeat',
    text: 'Iterative magnitude pruning that resets the surviving weights to their initial values after each round (Frankle & Carbin 2019). Set “Rewind” to “fresh random weights” for the control: the same procedure without the winning initialisation.' },
  rollback: { formula: 'undo if Δloss / loss > tolerance',
    text: 'The source document\'s loop: prune a chunk, measure the loss on held-out training images, undo the step and try half the chunk if the loss rose more than the tolerance.' },
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
