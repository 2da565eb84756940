// Shapes of the values that cross between the page, its workers and the wasm core: the JSON the
// core's `*_json` functions return, and the workers' messages. For the type checker only (the
// JSDoc in www/*.js refers to them); the browser never loads this file. The wasm functions
// themselves are typed by wasm-bindgen's www/pkg/prunelab.d.ts.

/** A run configuration (the core's `RunConfig`): the fields the page reads and edits. */
export interface RunConfig {
  architecture: unknown;
  prune: {
    strategy: string;
    scope: string;
    granularity: string;
    schedule: string;
    rewind: string;
    target_sparsity: number;
    pretrain_epochs: number;
    finetune_epochs: number;
    tolerance: number;
    /** Targeted dropout's γ and α (absent in configs saved before they existed). */
    td_gamma: number;
    td_alpha: number;
    layer_targets?: LayerTarget[];
  };
  train: { optimizer: string; learning_rate: number; batch_size: number; seed: number };
}

/** One per-layer sparsity override (`prune.layer_targets`). */
export interface LayerTarget {
  layer: string;
  sparsity: number;
}

/** One lesson as `lessons_json(lang)` gives it (lessons/lessons.json, checked by the core; its texts in `lang` from lessons/lessons.zh.json). */
export interface Lesson {
  id: string;
  title: string;
  summary: string;
  /** One run: the page's main run. Two or more: a comparison. */
  runs: LessonRun[];
  question: { text: string; choices: { label: string }[] };
  /** What to press and what to watch; they assert no result. */
  steps: string[];
  claims: { text: string }[];
  /** Whether the page measures time per epoch and per inference, dense vs pruned, afterwards. */
  measure_time: boolean;
  /** An extra figure under "What happened" (core `Show`). */
  show?: 'similar_filters';
}

/** A lesson's run: a full configuration as a URL hash, applied on top of the defaults. */
export interface LessonRun {
  id: string;
  label: string;
  hash: string;
}

/** `Viewer::lesson_outcome_json` / `Comparison::lesson_outcome_json`: what happened, from the runs' numbers. */
/** `Comparison::draw_similar_filters` (core `SimilarFilters`, its grid's tiles left out). */
export interface SimilarFilters {
  tensor: string;
  step: number;
  cosine: number;
  first: { index: number; pruned_by_end: boolean };
  second: { index: number; pruned_by_end: boolean };
  caption: string;
}

export interface LessonOutcome {
  /** False until every run has finished (the lines then say what is still running). */
  complete: boolean;
  lines: string[];
  /** Null when no prediction was given. */
  prediction: { chosen: number; right: boolean; text: string } | null;
  claims: { text: string; holds: boolean; detail: string }[];
  targets: { run: string; label: string; reached: boolean; reason?: string | null }[];
}

/** A session's progress (`Session::progress_json`, `run_steps`), plus the worker's memory. */
export interface Progress {
  step: number;
  planned_steps: number;
  epoch: number;
  phase: string;
  finished: boolean;
  kept: number;
  total: number;
  wasm_memory_bytes?: number | null;
  /** The dense reference's test accuracy once recorded. */
  dense_test_accuracy?: number | null;
}

/** `Viewer::summary_json`: headline figures as of a step. */
export interface Summary {
  test_accuracy: number | null;
  layers: { layer: string; sparsity: number }[];
  macs_actual: number;
  macs_dense: number;
  energy_joules: number;
  energy_joules_dense: number;
  energy_model: string;
  /** The run's target sparsity, and why it ended below it (null while running or when reached). */
  target_sparsity?: number;
  target_missed?: string | null;
}

/** `Viewer::hover_json`: the weight under the pointer (null between cells). */
export interface HoverInfo {
  tensor: string;
  tile: string;
  index: number;
  row: number;
  col: number;
  value: number;
  kept: boolean;
  pruned_at: number | null;
  regrown: boolean;
  score: number | null;
  /** Why there is no score, in words (null when there is one). */
  score_note: string | null;
  /** The strategy's name, and its label in the page's language. */
  criterion: string;
  criterion_label: string;
}

/** A test digit the dense and the pruned network classify differently. */
export interface ChangedPrediction {
  index: number;
  label: number;
  dense: number;
  pruned: number;
  pixels: number[];
}

/** `Comparison::table_json`: one row per compared run at its latest record. */
/** A chart's data as a table ("show data"), from Rust's `views::DataTable`. */
export interface DataTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

export interface CompareRow {
  label: string;
  step: number;
  test_accuracy: number | null;
  kept: number | null;
  sparsity: number | null;
  macs_actual: number;
  energy_joules: number;
}

/** A compared run given as a full configuration: `hash` decoded on top of the defaults. */
export interface CompareRunSpec {
  id: string;
  label: string;
  hash: string;
}

/** `Session::measure_time_json` (core `MeasuredTime`): dense snapshot vs pruned network, in ms. */
export interface MeasuredTime {
  epoch_ms_dense: number;
  epoch_ms_pruned: number;
  inference_1000_ms_dense: number;
  inference_1000_ms_pruned: number;
  images_per_epoch: number;
}

/** `Viewer::card_json`: the results card, dense vs pruned (numbers, the rows they read as, notes). */
export interface ResultsCard {
  title: string;
  step: number;
  sparsity: number;
  dense: CardSide;
  pruned: CardSide;
  compacted: { units_removed: number; params: number; bytes_fp32: number } | null;
  time: MeasuredTime | null;
  rows: { label: string; dense: string; pruned: string; change: string }[];
  time_verdict: string[];
  sparse_format: string;
  energy_model: string;
  notes: string[];
}

/** One side of the results card. */
export interface CardSide {
  test_accuracy: number | null;
  params: number;
  bytes_fp32: number;
  bytes_csr: number;
  inference_macs_per_image: number;
  training_macs_per_image: number;
  training_macs: number;
  training_energy_joules: number;
}

/** Messages the page sends to a training worker (www/worker.js). */
export type WorkerRequest =
  // lang: the language of the run's own errors (a diverging loss), `en` when left out
  | { type: 'start'; config: string; until?: number; lang?: string }
  | { type: 'language'; lang: string }
  | { type: 'play' | 'pause' | 'step' | 'export_npz' }
  // steps: per slice; 0 is the teaching pace (see www/worker.js)
  | { type: 'speed'; steps: number }
  | { type: 'predict'; id: number; input: Float32Array; lang?: string }
  | { type: 'changed'; limit?: number; lang?: string }
  // test: a position among the test digits, or input: the drawn digit; step: undefined = now
  | { type: 'feature-maps'; id: number; test?: number; input?: Float32Array; step?: number; lang?: string }
  // The pixels of test digit `position` (the Network view's input).
  | { type: 'test-digit'; position: number }
  | { type: 'measure-time' }
  // Compare's sweep mode: train these runs (a JSON array of configurations; see www/sweep.js).
  | { type: 'sweep'; configs: string; lang?: string };

/** Messages a training worker sends back. */
export type WorkerReply =
  | { type: 'meta'; meta: string; progress: Progress }
  | { type: 'chunk'; chunk: string; progress: Progress }
  | { type: 'restoring'; step: number; target: number }
  | { type: 'paused'; finished: boolean }
  | { type: 'error' | 'crashed'; message: string }
  // noDense: why there is no dense network to compare with (SET / RigL), or null.
  | { type: 'prediction'; id: number; probabilities: number[]; noDense: string | null }
  | { type: 'changed'; items: ChangedPrediction[]; noDense: string | null }
  | { type: 'npz'; bytes: Uint8Array }
  // answer: Session.feature_maps_json's JSON, or error: why it could not be computed
  | { type: 'feature-maps'; id: number; answer?: string; error?: string }
  // At teaching pace: pruning at steps `from` to `step` removed `removed` weights; training
  // resumes after `ms`.
  | { type: 'pruning-pause'; from: number; step: number; removed: number; ms: number }
  // The answer to 'measure-time': the times, or why they could not be measured.
  | { type: 'timing'; timing?: MeasuredTime; error?: string }
  // Sweep mode: one finished run (SweepWorker.next_run's numbers), then 'sweep-done' when the
  // worker's share is done.
  | { type: 'sweep-run'; run: number[] }
  | { type: 'sweep-done' }
  // The answer to 'test-digit'.
  | { type: 'test-digit'; pixels: number[] };

/** Where the network's nodes are (`Viewer::network_layout`, core `charts::NetworkLayout`). */
export interface NetworkLayout {
  /** nodes[c][n]: node n of column c, in the canvas's layout (CSS) pixels. */
  nodes: NetworkNodeRect[][];
}

export interface NetworkNodeRect {
  column: number;
  node: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A finished sweep point (the page's copy of run::views::SweepRow); `strategy` is its name. */
export interface SweepRow {
  strategy: string;
  target_sparsity: number;
  test_accuracy: number;
  sparsity: number;
  kept_params: number;
  train_macs: number;
}

declare global {
  interface Window {
    /** For the memory benchmark (scripts/bench-web.mjs): the page's and the workers' memory. */
    /** What www/bench.js measured, or why it failed (read by scripts/bench-web.mjs). */
    benchResults?: object;
    prunelabMemory?: () => { page_wasm_bytes: number; js_heap_bytes: number | null; worker_wasm_bytes: (number | null)[] };
  }
  interface Performance {
    /** Chromium only: the JS heap. */
    memory?: { usedJSHeapSize: number };
  }
}
