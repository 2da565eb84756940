// Plain-language explanations of every strategy and schedule, shown next to their controls.
// Data only: adding a strategy to the engine means adding an entry here.
/** @typedef {{ label: string, formula: string, text: string }} Explanation */
/** @type {Record<string, Explanation>} */
export const STRATEGIES = {
  magnitude: { label: 'Weight magnitude', formula: 'score = |w|',
    text: 'Small weights change the output least, so they go first (Han et al. 2015). The classic baseline that is hard to beat.' },
  random: { label: 'Random (baseline)', formula: 'score ~ U(0, 1), seeded',
    text: 'Removes weights at random. Every real criterion must beat it; the gap shows what the criterion knows.' },
  gradient: { label: 'Gradient magnitude', formula: 'score = mean over k batches of |∂L/∂w|',
    text: 'Keeps weights whose gradient is large right now. That says where learning is happening, not what matters: alone it prunes badly — a growth score, and a lesson.' },
  l1: { label: 'L1 regularisation', formula: 'train with λ·Σ|w| (λ = 0.002 unless set), then score = |w|',
    text: 'The penalty pushes useless weights to exactly zero (soft-threshold step), so magnitude pruning afterwards removes little that matters.' },
  l2: { label: 'L2 regularisation', formula: 'train with λ·Σw² (λ = 0.01 unless set), then score = |w|',
    text: 'Weight decay shrinks all weights; the ones the data does not support shrink most.' },
  cosine: { label: 'Cosine similarity (structured)', formula: 'remove one of the pair with max cos(wᵢ, wⱼ)',
    text: 'Two filters that point the same way compute nearly the same thing; one of them is redundant.' },
  taylor: { label: 'Taylor first order', formula: 'score = |w · ∂L/∂w|',
    text: 'Estimates how much the loss changes if the weight is set to zero (Molchanov et al. 2017).' },
  snip: { label: 'SNIP (at initialisation)', formula: 'score = |w · ∂L/∂w| / Σ, one batch',
    text: 'Prunes before training, from one batch of data (Lee et al. 2019).' },
  synflow: { label: 'SynFlow (data-free)', formula: 'score = |θ · ∂R/∂θ|, R = 1ᵀ(∏|W|)1',
    text: 'Keeps the paths that carry the most signal through the network, without looking at data (Tanaka et al. 2020).' },
  movement: { label: 'Movement', formula: 'score = −Σₜ w · ∂L/∂w',
    text: 'Keeps weights that training is moving away from zero (Sanh et al. 2020).' },
  'filter-l1': { label: 'Filter L1 norm (structured)', formula: 'score(filter) = Σ|w|',
    text: 'Removes whole filters with the smallest L1 norm (Li et al. 2017): the network really shrinks.' },
  'filter-l2': { label: 'Filter L2 norm (structured)', formula: 'score(filter) = √Σw²',
    text: 'As filter L1, with the Euclidean norm.' },
  set: { label: 'SET (dynamic sparse)', formula: 'drop smallest |w|, regrow at random',
    text: 'Sparse from step 0 for all the epochs (dense + fine-tune), so the schedule setting does not apply: every 100 steps the smallest weights are dropped and as many regrown at random, the sparsity staying fixed (Mocanu et al. 2018).' },
  rigl: { label: 'RigL (dynamic sparse)', formula: 'drop smallest |w|, regrow largest |∂L/∂w|',
    text: 'Sparse from step 0 for all the epochs (the schedule setting does not apply): every 100 steps the smallest weights are dropped and regrown where the dense gradient is largest, the drop fraction decaying to 0 at 75% of training (Evci et al. 2020).' },
};

/** @type {Record<string, Explanation>} */
export const SCHEDULES = {
  'one_shot': { label: 'One-shot', formula: 's = s_f at the first fine-tuning step',
    text: 'Prune everything at once after dense training, then fine-tune.' },
  iterative: { label: 'Iterative', formula: 's_k = 1 − (1 − p)^k',
    text: 'Prune a fraction p of what remains at regular intervals, training in between (Han et al. 2015).' },
  gradual: { label: 'Gradual (cubic)', formula: 's_t = s_f + (s_i − s_f)(1 − (t − t₀)/(nΔt))³',
    text: 'Prune fast at first and slowly near the end, when each weight matters more (Zhu & Gupta 2017).' },
  lottery: { label: 'Lottery ticket (rewinding)', formula: 'train → prune p% → rewind kept w to θ₀ → repeat',
    text: 'Iterative magnitude pruning that resets the surviving weights to their initial values after each round (Frankle & Carbin 2019). Set “Rewind” to “fresh random weights” for the control: the same procedure without the winning initialisation.' },
  rollback: { label: 'Prune – check – roll back', formula: 'undo if Δloss / loss > tolerance',
    text: 'The source document\'s loop: prune a chunk, measure the loss on held-out training images, undo the step and try half the chunk if the loss rose more than the tolerance.' },
};

