// The header's note when the run ended below its target sparsity, with the core's reason
// (Summary.target_missed), for any run, lesson or not.

/**
 * @param {HTMLElement} box
 * @param {import('./types.js').Summary} summary
 */
export function showTargetMissed(box, summary) {
  const reason = summary.target_missed;
  box.hidden = !reason;
  if (!reason) return;
  const target = summary.target_sparsity == null ? 'its target' : `its target of ${(100 * summary.target_sparsity).toFixed(0)}% sparsity`;
  box.textContent = `This run ended below ${target}: ${reason}`;
}
