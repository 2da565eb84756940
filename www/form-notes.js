// What the page cannot do in the form it was opened in (served, a folder or the single file from
// file://), said on the page instead of failing quietly: a page opened as a file makes links and embed
// snippets that point at this computer's file, and some browsers block storage (in private windows,
// sandboxed frames, or under file://), so autosave cannot keep the session.
import { byId as $ } from './dom.js';

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

const AS_FILE = {
  link: 'This page was opened as a file, so the link points at the file on this computer: it works here, '
    + 'or for someone who keeps the same file at the same place. The part after # is the whole configuration: '
    + 'added to any copy of PruneLab (a file or a web address), it gives the same run.',
  embed: 'This page was opened as a file, and a web page cannot embed a file on someone’s computer. '
    + 'Put the dist/ folder (or prunelab.html) on a web server and copy the snippet from there.',
};

/** Shows the notes that apply here, now and when a link or snippet is copied. */
export function setupFormNotes() {
  if (!storageWorks()) {
    const box = $('form-note');
    box.textContent = 'This browser does not let the page keep data here, so your session is not saved as you go: '
      + 'a reload starts over. To keep a run, use “Save session file” under Export & share.';
    box.hidden = false;
  }
  const shareNote = $('share-note');
  for (const kind of /** @type {const} */ (['link', 'embed'])) {
    $(`copy-${kind}`).addEventListener('click', () => {
      shareNote.textContent = location.protocol === 'file:' ? AS_FILE[kind] : '';
      shareNote.hidden = !shareNote.textContent;
    });
  }
}
