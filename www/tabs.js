// The view tabs, as the WAI-ARIA tabs pattern has them: one tab in the Tab order (the selected
// one), ←/→ move to the previous/next tab and Home/End to the first/last, and moving selects
// (automatic activation: showing a view is cheap). Tabs hidden by `hide=` are skipped.

/** @param {HTMLElement} list the role=tablist element */
function visibleTabs(list) {
  return [...list.querySelectorAll('[role=tab]')].filter((tab) => tab instanceof HTMLElement && !tab.hidden).map((tab) => /** @type {HTMLElement} */ (tab));
}

/**
 * Wires clicks and the arrow keys of the tab list to `select(view)`, which shows the view
 * (and calls markSelectedTab).
 * @param {HTMLElement} list
 * @param {(view: string) => void} select
 */
export function setupTabs(list, select) {
  list.addEventListener('click', (event) => {
    const tab = event.target instanceof Element ? event.target.closest('[role=tab]') : null;
    if (tab instanceof HTMLElement && tab.dataset.view) select(tab.dataset.view);
  });
  list.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || !(event.target instanceof HTMLElement)) return;
    const tabs = visibleTabs(list);
    const here = tabs.indexOf(event.target);
    if (here < 0) return;
    /** @type {Record<string, number>} */
    const moves = { ArrowLeft: here - 1, ArrowRight: here + 1, Home: 0, End: tabs.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = tabs[(moves[event.key] + tabs.length) % tabs.length];
    next.focus();
    if (next.dataset.view) select(next.dataset.view);
  });
}

/**
 * Marks the tab of `view` selected and makes it the tab list's one stop in the Tab order.
 * @param {HTMLElement} list
 * @param {string} view
 */
export function markSelectedTab(list, view) {
  for (const tab of list.querySelectorAll('[role=tab]')) {
    if (!(tab instanceof HTMLElement)) continue;
    const selected = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  // If `hide=` hid the selected tab, the list still needs a way in from the keyboard.
  const tabs = visibleTabs(list);
  if (tabs.length && !tabs.some((tab) => tab.tabIndex === 0)) tabs[0].tabIndex = 0;
}
