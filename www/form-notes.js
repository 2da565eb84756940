// What the page cannot do in the form it was opened in (served, a folder or the single file from
// file://), said on the page instead of failing quietly: a page opened as a file makes links and embed
// snippets that point at this computer's file, and some browsers block storage (in private windows,
// sandboxed frames, or under file://), so autosave cannot keep the session.
import { byId as $ } from './dom.js';
import { t } from './i18n.js';

/** Whether this page may keep data in localStorage (where autosave puts the session). */
function storageWorks() {
  try {
    const key = 'prunelab.storage-check';
    localStorage.setItem(key, '1');
    localStorage.removeItem(key);
    return true;
  } catch {
    return false;
  }
}

/** @type {Record<'link' | 'embed', string>} catalog keys */
const AS_FILE = { link: 'page.export.file_link_note', embed: 'page.export.file_embed_note' };

/** Shows the notes that apply here, now and when a link or snippet is copied. */
export function setupFormNotes() {
  if (!storageWorks()) {
    const box = $('form-note');
    box.textContent = t('page.notice.no_storage');
    box.hidden = false;
  }
  const shareNote = $('share-note');
  for (const kind of /** @type {const} */ (['link', 'embed'])) {
    $(`copy-${kind}`).addEventListener('click', () => {
      shareNote.textContent = location.protocol === 'file:' ? t(AS_FILE[kind]) : '';
      shareNote.hidden = !shareNote.textContent;
    });
  }
}
