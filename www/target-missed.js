// The header's note when the run ended below its target sparsity, with the core's reason
// (Summary.target_missed, which names the sparsity reached and the target), for any run.
import { t } from './i18n.js';

/**
 * @param {HTMLElement} box
 * @param {import('./types.js').Summary} summary
 */
export function showTargetMissed(box, summary) {
  const reason = summary.target_missed;
  box.hidden = !reason;
  if (!reason || box.dataset.reason === reason) return;
  box.dataset.reason = reason;
  const title = document.createElement('strong');
  title.textContent = t('page.target_missed', { reason: '' });
  box.replaceChildren(title, reason);
  box.title = t('page.target_missed', { reason });
}
