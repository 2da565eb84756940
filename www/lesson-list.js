// The Lessons tab: the list of lessons, one card each with its summary and an "Open" button.
// Opening one shows it in the lesson panel beside the run (www/lesson-panel.js).
import { t } from './i18n.js';

/** @typedef {import('./types.js').Lesson} Lesson */

/**
 * Fills `box` with one card per lesson.
 * @param {HTMLElement} box
 * @param {Lesson[]} lessons
 * @param {(index: number) => void} open
 */
export function fillLessonList(box, lessons, open) {
  const cards = lessons.map((lesson, index) => {
    const card = document.createElement('article');
    card.className = 'lesson';
    card.dataset.runs = String(lesson.runs.length);
    card.dataset.measureTime = String(lesson.measure_time);
    const title = document.createElement('h3');
    title.id = `lesson-card-${lesson.id}`;
    title.textContent = `${index + 1}. ${lesson.title}`;
    const summary = document.createElement('p');
    summary.textContent = lesson.summary;
    const kind = document.createElement('p');
    kind.className = 'hint';
    kind.textContent = lesson.runs.length > 1
      ? t('page.lessons.comparison_of', { count: lesson.runs.length, runs: lesson.runs.map((run) => run.label).join(t('page.list_separator')) })
      : t('page.lessons.one_run');
    const button = document.createElement('button');
    button.textContent = t('page.lessons.open');
    button.setAttribute('aria-describedby', title.id);
    button.addEventListener('click', () => open(index));
    card.append(title, summary, kind, button);
    return card;
  });
  box.replaceChildren(...cards);
}

/**
 * Says in the Lessons tab why there are no lessons (the embedded lesson file did not load).
 * @param {HTMLElement} box
 * @param {string} message
 */
export function lessonListFailed(box, message) {
  const line = document.createElement('p');
  line.className = 'error';
  line.textContent = t('page.lessons.failed', { reason: message });
  box.replaceChildren(line);
}
