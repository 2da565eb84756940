// The glossary (issue 17): the pruning terms of the source document, each with its Chinese and English
// name and a one-line explanation in the page's language, in a dialog opened from the header. A
// dialog, not a page of its own, so the single-file build has it too.
import { byId as $ } from './dom.js';
import { t, onLanguageChange } from './i18n.js';

/** The terms, in the order a reader meets them; glossary.<id>.term and glossary.<id>.text in the catalogs. */
const TERMS = ['pruning', 'magnitude', 'gradient', 'l1', 'l2', 'dropout', 'cosine', 'sparsity', 'fine_tuning',
  'lottery', 'dynamic_sparse', 'structured', 'mac', 'energy'];

function fill() {
  $('glossary-terms').replaceChildren(...TERMS.flatMap((id) => {
    const term = document.createElement('dt');
    term.textContent = t(`glossary.${id}.term`);
    const text = document.createElement('dd');
    text.textContent = t(`glossary.${id}.text`);
    return [term, text];
  }));
}

export function setupGlossary() {
  const dialog = $('glossary', HTMLDialogElement);
  $('glossary-open').addEventListener('click', () => { fill(); dialog.showModal(); });
  $('glossary-close').addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener('click', (event) => { if (event.target === dialog) dialog.close(); });
  onLanguageChange(() => { if (dialog.open) fill(); });
}
