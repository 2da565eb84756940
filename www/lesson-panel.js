// The lesson panel: the open lesson stays beside the run (above the run's views on narrow
// screens, collapsed to the current step). A lesson is an experiment: "Set it up" applies its
// configuration(s), the student answers its question, the panel's Play / Run comparison starts
// the main run (one run) or the comparison (several), and when they finish the core writes "What
// happened" from the runs' numbers. The lessons come from the core (`lessons_json`), their texts in
// the page's language (lessons/lessons.zh.json for Chinese): this module only shows them.
import { byId as $, all, messageOf } from './dom.js';
import { fillLessonList, lessonListFailed } from './lesson-list.js';
import { outcomeParts, timingNote, timingParts } from './lesson-outcome.js';
import { appendSimilarFilters } from './lesson-similar.js';
import { followBarHeight, revealInPanel, scrollPanelTo } from './lesson-scroll.js';
import { t, language, messageLine, onLanguageChange } from './i18n.js';

/** @typedef {import('./app.js').PageState} PageState */
/** @typedef {import('./types.js').Lesson} Lesson */
/** @typedef {import('./types.js').RunConfig} RunConfig */
/** @typedef {import('./lesson-outcome.js').MeasuredTime} MeasuredTime */

/**
 * What the panel needs from the page (app.js).
 * @typedef {object} LessonPage
 * @property {(config: RunConfig) => void} startConfig shows `config` in the form and the link and restarts the main run on it
 * @property {(view: string) => void} showView
 * @property {() => void} play starts the main run, as Play does
 * @property {() => void} writeHash
 * @property {() => Promise<MeasuredTime>} measureTime times dense vs pruned in the main worker
 */

// Timing a few epochs takes seconds; a worker that never answers must not leave the panel waiting.
const MEASURE_TIMEOUT_MS = 60000;

/**
 * The promise's value, or an error when it takes longer than MEASURE_TIMEOUT_MS.
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
function withTimeout(promise) {
  return Promise.race([promise, new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`no answer within ${MEASURE_TIMEOUT_MS / 1000} s`)), MEASURE_TIMEOUT_MS);
  })]);
}

/**
 * Asks a compared run's worker to time its dense snapshot and its pruned network (the worker's
 * 'measure-time' message, as www/timing.js asks the main worker).
 * @param {Worker} worker
 * @returns {Promise<MeasuredTime>}
 */
function timeWorker(worker) {
  return new Promise((resolve, reject) => {
    /** @param {MessageEvent} event */
    const listen = ({ data }) => {
      // A worker without 'measure-time' answers with an error: say so at once.
      if (data?.type !== 'timing' && data?.type !== 'error') return;
      worker.removeEventListener('message', listen);
      if (data.timing) resolve(data.timing);
      else reject(new Error(data.error || data.message || 'the worker could not measure the time'));
    };
    worker.addEventListener('message', listen);
    worker.postMessage({ type: 'measure-time' });
  });
}

/**
 * A run's measured times: `run` is the compared run's id (its label is the lesson's, in the
 * language shown), null for the main run.
 * @typedef {{ run: string | null, timing: MeasuredTime }} Measured
 */

/**
 * Where a lesson is: opened (read it), ready (set up: answer, then run), running, finished.
 * @typedef {'opened' | 'ready' | 'running' | 'finished'} Phase
 */

/**
 * @param {PageState} state
 * @param {typeof import('./pkg/prunelab.js')} core
 * @param {LessonPage} page
 */
export function setupLessonPanel(state, core, page) {
  /** @type {Lesson[]} */
  let lessons;
  try {
    lessons = JSON.parse(core.lessons_json(language()));
  } catch (error) {
    lessonListFailed($('lessons'), messageOf(error));
    return;
  }
  const panel = $('lesson-panel');
  const bringIntoView = (/** @type {HTMLElement} */ first, /** @type {HTMLElement} */ last) => revealInPanel(panel, first, last);
  let index = -1;
  /** @type {Phase} */
  let phase = 'opened';
  let step = 0;
  /** The lesson's first run as a config, to tell whether the finished main run is the lesson's. */
  let lessonConfig = '';
  /**
   * What "What happened" shows, to write it again in another language: the core's outcome (asked
   * again: its lines and verdict are in the language asked for) and the times measured.
   * @type {{ outcomeJson: () => string, measured: Measured[] } | null}
   */
  let shown = null;

  const lesson = () => lessons[index];
  const choices = () => all('#lesson-choices input', HTMLInputElement);
  /** @returns {number | null} the chosen answer's index */
  const prediction = () => {
    const checked = choices().find((input) => input.checked);
    return checked ? Number(checked.value) : null;
  };

  // The status line remembers its message (key and arguments), to say it again in a new language.
  const status = messageLine(() => $('lesson-status'));
  const say = status.show;

  /**
   * A button that stays focusable while it cannot act (so keyboard focus is never dropped).
   * @param {string} id
   * @param {boolean} enabled
   */
  function enable(id, enabled) {
    $(id).setAttribute('aria-disabled', String(!enabled));
  }
  const enabled = (/** @type {string} */ id) => $(id).getAttribute('aria-disabled') !== 'true';

  function showStep() {
    const items = all('#lesson-steps li');
    items.forEach((item, at) => {
      if (at === step) item.setAttribute('aria-current', 'step');
      else item.removeAttribute('aria-current');
    });
    $('lesson-step-count').textContent = t('page.lesson.step_count', { step: step + 1, steps: items.length });
    enable('lesson-step-prev', step > 0);
    enable('lesson-step-next', step < items.length - 1);
  }

  // The buttons and texts that depend on the phase.
  function render() {
    const current = lesson();
    const several = current.runs.length > 1;
    const answer = prediction();
    $('lesson-setup').textContent = t(phase === 'opened' ? 'page.lesson.setup' : 'page.lesson.setup_again');
    enable('lesson-run', phase === 'ready' && answer !== null);
    // Named as the steps name them: the comparison's button and the main run's Play.
    $('lesson-run').textContent = t(several ? 'page.lesson.run_comparison' : 'page.controls.play');
    /** @type {Record<Phase, string>} */
    const hints = {
      opened: t('page.lesson.hint_setup'),
      ready: answer === null ? t('page.lesson.hint_answer') : '',
      running: '',
      finished: t('page.lesson.hint_again'),
    };
    $('lesson-run-hint').textContent = hints[phase];
    const locked = phase === 'running' || phase === 'finished';
    $('lesson-question').hidden = locked;
    const told = $('lesson-prediction');
    told.hidden = !locked;
    told.textContent = answer === null ? t('page.lesson.no_prediction') : t('page.lesson.your_prediction', { choice: current.question.choices[answer].label });
    enable('lesson-prev', index > 0);
    enable('lesson-next', index < lessons.length - 1);
    const next = lessons[index + 1];
    $('lesson-next-after').hidden = !next;
    if (next) $('lesson-next-after').textContent = t('page.lesson.next_after', { title: next.title });
  }

  /**
   * Writes the open lesson's texts into the panel's elements in place (focus, the chosen answer
   * and the current step stay as they are): on opening it and in a new language.
   */
  function showTexts() {
    const current = lesson();
    $('lesson-count').textContent = t('page.lesson.count', { lesson: index + 1, lessons: lessons.length });
    $('lesson-title').textContent = current.title;
    $('lesson-summary').textContent = current.summary;
    all('#lesson-steps li').forEach((item, at) => { item.textContent = current.steps[at]; });
    $('lesson-question-text').textContent = current.question.text;
    all('#lesson-choices label').forEach((label, at) => {
      if (label.lastChild) label.lastChild.textContent = ` ${current.question.choices[at].label}`;
    });
  }

  /**
   * Shows lesson `at` in the panel (not set up yet) and names it in the link.
   * @param {number} at
   */
  function open(at) {
    index = at;
    phase = 'opened';
    step = 0;
    state.onCompareFinished = null;
    const current = lesson();
    panel.dataset.measureTime = String(current.measure_time);
    $('lesson-steps').replaceChildren(...current.steps.map((_, at) => {
      const item = document.createElement('li');
      item.value = at + 1; // numbered right when narrow screens show the current step alone
      item.tabIndex = -1;
      return item;
    }));
    $('lesson-choices').replaceChildren(...current.question.choices.map((_, at) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      Object.assign(input, { type: 'radio', name: 'lesson-choice', value: String(at) });
      label.append(input, '');
      return label;
    }));
    showTexts();
    shown = null;
    $('lesson-outcome').hidden = true;
    $('lesson-outcome-body').replaceChildren();
    say('');
    panel.hidden = false;
    document.body.classList.add('with-lesson');
    showStep();
    render();
    state.ui.lesson = current.id;
    page.writeHash();
  }

  function close() {
    index = -1;
    state.onCompareFinished = null;
    panel.hidden = true;
    document.body.classList.remove('with-lesson');
    state.ui.lesson = undefined;
    page.writeHash();
  }

  /** @param {number} at */
  function openAndShow(at) {
    open(at);
    page.showView(lesson().runs.length > 1 ? 'compare' : 'curves');
    $('lesson-title').focus({ preventScroll: true });
    bringIntoView($('lesson-title'), $('lesson-title'));
  }

  function setUp() {
    const current = lesson();
    /** @type {RunConfig[]} */
    let configs;
    try {
      configs = current.runs.map((run) => JSON.parse(core.decode_hash_json(run.hash)).config);
    } catch (error) {
      say('page.lesson.bad_settings', { reason: messageOf(error) }, { error: true });
      return;
    }
    page.startConfig(configs[0]);
    lessonConfig = JSON.stringify(configs[0]);
    if (current.runs.length > 1) {
      state.setCompare?.(current.runs);
      const id = current.id;
      state.onCompareFinished = (comparison) => {
        if (lesson()?.id !== id) return;
        // Only the lesson's own runs answer its question (Compare may have run chosen strategies instead).
        const ran = state.compareNames || [];
        const own = ran.length === current.runs.length
          && ran.every((run, at) => typeof run !== 'string' && run.hash === current.runs[at].hash);
        if (!own) say('page.lesson.not_own_comparison');
        else finish(() => comparison.lesson_outcome_json(id, prediction() ?? undefined, language()), false,
          // The first run's first prunable tensor: conv1 in every lesson network.
          current.show === 'similar_filters' ? (canvas) => comparison.draw_similar_filters(canvas, 0, 0, language()) : undefined);
      };
      page.showView('compare');
    } else {
      state.onCompareFinished = null;
      page.showView('curves');
    }
    phase = 'ready';
    step = 0;
    shown = null;
    $('lesson-outcome').hidden = true;
    $('lesson-outcome-body').replaceChildren();
    if (current.runs.length > 1) {
      // The runs by their labels in the language shown at the time (the lessons are read again in a new one).
      const id = current.id;
      const runs = () => (lessons.find((l) => l.id === id) ?? current).runs.map((run) => run.label).join(t('page.lesson.versus'));
      say('page.lesson.set_up_comparison', () => ({ runs: runs() }));
    } else {
      say('page.lesson.set_up');
    }
    showStep();
    render();
    // The first step and the controls it leads to stay in view; focus goes to the first step.
    const first = /** @type {HTMLElement} */ ($('lesson-steps').firstElementChild);
    bringIntoView($('lesson-steps-title'), $('lesson-run'));
    first.focus({ preventScroll: true });
  }

  function run() {
    if (!enabled('lesson-run')) return;
    const current = lesson();
    phase = 'running';
    render();
    if (current.runs.length > 1) {
      if (!state.startCompare) {
        say('page.lesson.no_comparison', {}, { error: true });
        return;
      }
      state.startCompare();
      say('page.lesson.running_comparison');
    } else {
      playWhenReady(current);
      say('page.lesson.running');
    }
  }

  /**
   * Presses Play once the restarted main run has answered (its viewer exists).
   * @param {Lesson} current
   */
  function playWhenReady(current) {
    if (lesson() !== current || phase !== 'running') return;
    if (state.viewer && !state.restoring) page.play();
    else setTimeout(() => playWhenReady(current), 50);
  }

  /**
   * Shows what happened, from the core's outcome of the finished run(s).
   * @param {() => string} outcomeJson
   * @param {boolean} mainRun whether the outcome is the main run's (which may be measured)
   * @param {(canvas: HTMLCanvasElement) => string} [drawSimilar] the lesson's similar-filters figure
   */
  async function finish(outcomeJson, mainRun, drawSimilar) {
    const current = lesson();
    phase = 'finished';
    render();
    /** @type {import('./types.js').LessonOutcome} */
    let outcome;
    try {
      outcome = JSON.parse(outcomeJson());
    } catch (error) {
      say('page.lesson.outcome_failed', { reason: messageOf(error) }, { error: true });
      return;
    }
    const body = $('lesson-outcome-body');
    const written = document.createElement('div');
    written.id = 'lesson-outcome-written';
    written.append(...outcomeParts(outcome));
    const times = document.createElement('div');
    times.id = 'lesson-outcome-times';
    body.replaceChildren(written, times);
    shown = { outcomeJson, measured: [] };
    if (mainRun && JSON.stringify(state.runConfig) !== lessonConfig) {
      const note = document.createElement('p');
      note.className = 'hint';
      note.id = 'lesson-settings-differ';
      note.textContent = t('page.lesson.settings_differ');
      body.prepend(note);
    }
    $('lesson-outcome').hidden = false;
    if (drawSimilar) appendSimilarFilters(drawSimilar, written);
    say('page.lesson.finished');
    scrollPanelTo(panel, $('lesson-outcome'));
    if (!current.measure_time) return;
    say('page.lesson.measuring');
    try {
      // One run: the main worker (www/timing.js). A comparison: each compared run's worker, in turn
      // (timing them at once would have them compete for the same cores).
      /** @type {Measured[]} */
      const measured = [];
      if (mainRun) {
        measured.push({ run: null, timing: await withTimeout(page.measureTime()) });
      } else {
        for (const run of state.compareWorkers?.() ?? []) measured.push({ run: run.id, timing: await withTimeout(timeWorker(run.worker)) });
      }
      if (lesson() !== current || phase !== 'finished' || !shown) return;
      shown.measured = measured;
      showTimes(measured);
      say('page.lesson.finished_timed');
      scrollPanelTo(panel, $('lesson-outcome'));
    } catch (error) {
      say('page.lesson.time_failed', { reason: messageOf(error) }, { error: true });
    }
  }

  /**
   * The measured times under "What happened", in the page's language (the runs by the lesson's labels).
   * @param {Measured[]} measured
   */
  function showTimes(measured) {
    const times = document.getElementById('lesson-outcome-times');
    if (!times || !measured.length) return;
    const label = (/** @type {string | null} */ run) => (run === null ? null : lesson()?.runs.find((r) => r.id === run)?.label ?? run);
    times.replaceChildren(...measured.flatMap(({ run, timing }) => timingParts(timing, label(run))), timingNote());
  }

  // A new language: the lessons' texts in it (from the core) and the panel's own labels; the open
  // lesson keeps its step, its phase and the chosen answer, and its status line and "What
  // happened" are written again.
  onLanguageChange(() => {
    try {
      lessons = JSON.parse(core.lessons_json(language()));
    } catch (error) {
      lessonListFailed($('lessons'), messageOf(error));
      return;
    }
    fillLessonList($('lessons'), lessons, openAndShow);
    // A comparison set up from a lesson names its runs as the lesson now does (its results stay).
    const lessonRuns = lessons.flatMap((l) => l.runs);
    state.relabelCompare?.((spec) => lessonRuns.find((run) => run.id === spec.id && run.hash === spec.hash)?.label);
    if (index < 0 || panel.hidden) return;
    showTexts();
    showStep();
    render();
    status.again();
    if (phase !== 'finished' || !shown) return;
    const note = document.getElementById('lesson-settings-differ');
    if (note) note.textContent = t('page.lesson.settings_differ');
    try {
      const written = document.getElementById('lesson-outcome-written');
      // Only the lines, verdict and claims: the similar-filters figure (if any) stays as drawn.
      const figure = written?.querySelector('figure');
      written?.replaceChildren(...outcomeParts(JSON.parse(shown.outcomeJson())), ...(figure ? [figure] : []));
    } catch {
      // The run's viewer or comparison is gone (a new run started): the outcome stays as written.
    }
    showTimes(shown.measured);
  });

  // The main run finished: a one-run lesson's outcome comes from the page's viewer.
  state.onRunFinished = () => {
    if (index < 0 || lesson().runs.length !== 1 || (phase !== 'ready' && phase !== 'running') || !state.viewer) return;
    const viewer = state.viewer;
    const id = lesson().id;
    finish(() => viewer.lesson_outcome_json(id, prediction() ?? undefined, language()), true);
  };

  /** @param {string} id */
  const indexOf = (id) => lessons.findIndex((candidate) => candidate.id === id);
  // A link or a hand-edited hash names a lesson: open it (or close the panel when it names none).
  function followHash() {
    const wanted = state.ui.lesson;
    if (wanted === (index >= 0 ? lesson().id : undefined)) return;
    const at = wanted ? indexOf(wanted) : -1;
    if (at >= 0) open(at);
    else if (index >= 0) close();
  }

  followBarHeight(panel);
  fillLessonList($('lessons'), lessons, openAndShow);
  $('lesson-setup').addEventListener('click', setUp);
  $('lesson-run').addEventListener('click', run);
  $('lesson-close').addEventListener('click', close);
  $('lesson-prev').addEventListener('click', () => enabled('lesson-prev') && open(index - 1));
  $('lesson-next').addEventListener('click', () => enabled('lesson-next') && open(index + 1));
  $('lesson-next-after').addEventListener('click', () => {
    if (index >= lessons.length - 1) return;
    open(index + 1);
    $('lesson-title').focus({ preventScroll: true });
    bringIntoView($('lesson-title'), $('lesson-title'));
  });
  $('lesson-step-prev').addEventListener('click', () => { if (enabled('lesson-step-prev')) { step -= 1; showStep(); } });
  $('lesson-step-next').addEventListener('click', () => { if (enabled('lesson-step-next')) { step += 1; showStep(); } });
  $('lesson-choices').addEventListener('change', render);
  window.addEventListener('hashchange', followHash);
  if (state.ui.lesson) {
    const at = indexOf(state.ui.lesson);
    if (at >= 0) open(at);
  }
}
