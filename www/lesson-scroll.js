// Keeping the lesson panel's parts in view: the panel is sticky under the sticky control bar on
// wide screens (with its own scroll) and in the page's flow on narrow ones.

const controlBar = () => {
  const bar = document.querySelector('.controls');
  return bar instanceof HTMLElement ? bar : null;
};

/**
 * The scroll that shows the span from `from` to `to` within `top`..`bottom` (all viewport y), the
 * smallest one; when the span is taller, its start wins.
 * @param {number} from
 * @param {number} to
 * @param {number} top
 * @param {number} bottom
 */
function shortestScroll(from, to, top, bottom) {
  const down = Math.max(0, to - bottom);
  return from - down < top ? from - top : down;
}

/**
 * Keeps the panel's `--bar` (the control bar's height, where the sticky panel starts) up to date.
 * @param {HTMLElement} panel
 */
export function followBarHeight(panel) {
  const bar = controlBar();
  const sync = () => { if (bar) panel.style.setProperty('--bar', `${bar.offsetHeight}px`); };
  if (bar) new ResizeObserver(sync).observe(bar);
  sync();
  return sync;
}

/**
 * Scrolls just enough (the panel's own scroll, then the page) that `first` to `last` show below
 * the sticky control bar; when they cannot all fit, `first` wins. Runs in the next frame, after
 * the layout of a view change (which may resize the control bar).
 * @param {HTMLElement} panel
 * @param {HTMLElement} first
 * @param {HTMLElement} last
 */
export function revealInPanel(panel, first, last) {
  requestAnimationFrame(() => {
    const bar = controlBar();
    if (bar) panel.style.setProperty('--bar', `${bar.offsetHeight}px`);
    const span = () => [first.getBoundingClientRect().top, last.getBoundingClientRect().bottom];
    const sticky = getComputedStyle(panel).position === 'sticky';
    if (sticky && panel.scrollHeight > panel.clientHeight) {
      const top = panel.getBoundingClientRect().top;
      const [from, to] = span();
      panel.scrollTop += shortestScroll(from, to, top + 8, top + panel.clientHeight - 8);
    }
    const barBottom = bar && getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().bottom : 0;
    const [from, to] = span();
    let move = shortestScroll(from, to, barBottom + 8, innerHeight - 8);
    // A sticky panel stops moving once stuck: scrolling the page further would only move the run's views away.
    if (sticky) move = Math.min(move, Math.max(0, panel.getBoundingClientRect().top - parseFloat(getComputedStyle(panel).top)));
    if (move !== 0) window.scrollBy(0, move);
  });
}

/**
 * Scrolls the panel's own scroll (when it has one) so `part` starts at its top; the page stays put.
 * @param {HTMLElement} panel
 * @param {HTMLElement} part
 */
export function scrollPanelTo(panel, part) {
  if (panel.scrollHeight > panel.clientHeight) panel.scrollTop += part.getBoundingClientRect().top - panel.getBoundingClientRect().top - 8;
}
