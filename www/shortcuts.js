// Which key presses the page's shortcuts (Space: play/pause, →: one step) may take. A control
// with focus owns its keys: Space presses a focused button, → moves between tabs or along a
// slider. The shortcuts act only when focus is on no control (the page itself).

// Controls, and anything made focusable on purpose (tabindex), which then handles its own keys.
const CONTROLS = [
  'button', 'input', 'select', 'textarea', 'a[href]', 'summary', 'audio[controls]', 'video[controls]',
  '[contenteditable]:not([contenteditable=false])', '[tabindex]',
  '[role=tab]', '[role=button]', '[role=slider]', '[role=checkbox]', '[role=radio]', '[role=link]', '[role=menuitem]', '[role=option]',
].join(', ');

/**
 * Whether a key event belongs to a control rather than to the page's shortcuts.
 * @param {KeyboardEvent} event
 * @returns {boolean}
 */
export function keyBelongsToControl(event) {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return true;
  return event.target instanceof Element && event.target.closest(CONTROLS) !== null;
}
