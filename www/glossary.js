// The glossary (issue 17): the pruning terms of the source document, each with its Chinese and English
// name and a one-line explanation in the page's language, in a dialog opened from the header. A
// dialog, not a page of its own, so the single-file build has it too.
import { byId as $ } from './dom.js';
import { t, onLanguageChange } from './i18n.js';

/** The terms, in the order a reader meets them: the catalog keys of each name and explanation. */
const TERMS = [
  ['glossary.pruning.term', 'glossary.pruning.text'],
  ['glossary.magnitude.term', 'glossary.magnitude.text'],
  ['glossary.gradient.term', 'glossary.gradient.text'],
  ['glossary.l1.term', 'glossary.l1.text'],
  ['glossary.l2.term', 'glossary.l2.text'],
  ['glossary.dropout.term', 'glossary.dropout.text'],
  ['glossary.cosine.term', 'glossary.cosine.text'],
  ['glossary.sparsity.term', 'glossary.sparsity.text'],
  ['glossary.fine_tuning.term', 'glossary.fine_tuning.text'],
  ['glossary.lottery.term', 'glossary.lottery.text'],
  ['glossary.dynamic_sparse.term', 'glossary.dynamic_sparse.text'],
  ['glossary.structured.term', 'glossary.structured.text'],
  ['glossary.mac.term', 'glossary.mac.text'],
  ['glossary.energy.term', 'glossary.energy.text'],
];

function fill() {
  $('glossary-terms').replaceChildren(...TERMS.flatMap(([termKey, textKey]) => {
    const term = document.createElement('dt');
    term.textContent = t(termKey);
    const text = document.createElement('dd');
    text.textContent = t(textKey);
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
