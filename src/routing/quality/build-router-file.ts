import { computeRoutingCurve } from "./compute-routing-curve.js";
import { foldOfPrompt } from "./fold-of-prompt.js";
import { addPrompt, createPromptBloomFilter, type PromptBloomFilter } from "./prompt-bloom-filter.js";
import type { RoutingDataset } from "./read-routing-csv.js";
import type { HeldOutFigures, RouterFile } from "./router-file.js";
import { fitPlattScaling } from "./fit-platt-scaling.js";
import { sigmoid } from "./linear-router-model.js";
import type { StackSettings } from "./fit-stacked-router.js";
import { buildStackedRouterFile } from "./build-stacked-router-file.js";
import { createLogitScorer } from "./score-prompt-text.js";
import { trainRouter, type LabelledRow, type TrainRouterOptions } from "./train-router.js";

/** The shipped router's design, chosen by cross-validation (docs/quality-router.md, scripts/router-compare.ts). */
export const DEFAULT_TRAIN_OPTIONS: TrainRouterOptions = {
  features: { hashBits: 18, wordBigrams: true, charNgram: 0, separateKinds: true },
  label: "gain",
  epochs: 8,
  l2: 3e-3,
  learningRate: 0.1,
  seed: 1,
  subjectWeight: 0,
  subjectSmoothing: 20,
  subjectClassifier: { bits: 15, maxFeatures: 128, epochs: 2, l2: 1e-5, learningRate: 0.5, seed: 1, weight: 8 },
  // Version 3's hashed tables within a byte: the scorer reads them as int8, half the memory of int16
  // (docs/quality-router.md, "Int8 tables"); held-out figures unchanged within noise.
  hashedRange: 127,
  // Version 3's three hashed models return the mean of their weights at the end of epochs 5–8
  // (docs/quality-router.md, "Stage 1 weights averaged over the last epochs"): the same tables when
  // scoring; version 2 (`version2Options`) trains without it, as before.
  averageFrom: 5,
};

/** The options of a version 2 file: without version 3's settings (its int16 tables, its averaged epochs). */
export function version2Options(train: TrainRouterOptions): TrainRouterOptions {
  const { hashedRange: _range, averageFrom: _average, ...linear } = train;
  return linear;
}

export const QUANTILE_COUNT = 1001;

/**
 * The format `router:train` writes unless told (`--version`), and the builtin router's: version 3
 * (the outcome stack). Version 2 (one logistic model and the subject classifier) stays available
 * for comparison: docs/quality-router.md ("Version 3") says how the two were measured.
 */
export const SHIPPED_ROUTER_VERSION: 2 | 3 = 3;

export interface BuildRouterFileOptions {
  train?: TrainRouterOptions;
  /** Folds for the held-out scores behind calibration and the held-out figures (≥ 2). */
  folds?: number;
  /** The file format to train: 3 (the outcome stack; the default, SHIPPED_ROUTER_VERSION) or 2. */
  version?: 2 | 3;
  /** Version 3's second stage settings. */
  stack?: StackSettings;
  /** Provenance to store (file names, hashes): never absolute paths, so the bytes do not depend on the checkout. */
  sources?: Record<string, unknown>[];
}

export function labelledRows(datasets: readonly RoutingDataset[]): LabelledRow[] {
  return datasets.flatMap((dataset) =>
    dataset.rows.map((row) => {
      if (row.weakCorrect === undefined || row.strongCorrect === undefined) throw new RangeError(`${dataset.name}: a row without outcomes`);
      return { ...row, weakCorrect: row.weakCorrect, strongCorrect: row.strongCorrect, dataset: dataset.name };
    }),
  );
}

/** Held-out logits: each prompt scored by a model trained on the other folds (ranks like the score). */
export function crossValidatedScores(rows: readonly LabelledRow[], options: TrainRouterOptions, folds: number): Float64Array {
  const scores = new Float64Array(rows.length);
  const foldIds = rows.map((row) => foldOfPrompt(row.prompt, folds));
  for (let f = 0; f < folds; f++) {
    const score = createLogitScorer(trainRouter(rows.filter((_, i) => foldIds[i] !== f), options));
    rows.forEach((row, i) => {
      if (foldIds[i] === f) scores[i] = score(row.prompt);
    });
  }
  return scores;
}

export function heldOutFigures(datasetNames: readonly string[], rows: readonly LabelledRow[], scores: ArrayLike<number>, folds: number): HeldOutFigures[] {
  return datasetNames.map((name) => {
    const at = rows.flatMap((row, i) => (row.dataset === name ? [i] : []));
    const curve = computeRoutingCurve(at.map((i) => scores[i]!), at.map((i) => rows[i]!));
    return { data: name, prompts: at.length, folds, apgr: curve.apgr, cpt50: curve.cpt50, cpt80: curve.cpt80, share95: curve.share95 };
  });
}

/** n evenly spaced quantiles of `values` (linear between order statistics). */
export function quantiles(values: ArrayLike<number>, n: number): number[] {
  const sorted = Float64Array.from(values).sort();
  return Array.from({ length: n }, (_, k) => {
    const at = (k / (n - 1)) * (sorted.length - 1);
    const lo = Math.floor(at);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
  });
}

/**
 * Trains the router on every row, and k models on k−1 folds each for held-out logits (a model's
 * own training prompts score more extreme than prompts it has not seen, so calibration uses
 * these): Platt scaling on them turns the logit into the chance that only the strong model is
 * right, their quantiles calibrate `strongShare`, and their APGR per file is the file's own report.
 * Version 3 (`version: 3`): buildStackedRouterFile.
 */
export function buildRouterFile(datasets: readonly RoutingDataset[], options: BuildRouterFileOptions = {}): RouterFile {
  const train = options.train ?? DEFAULT_TRAIN_OPTIONS;
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer ≥ 2, not ${folds}`);
  if ((options.version ?? SHIPPED_ROUTER_VERSION) === 3) return buildStackedRouterFile(datasets, train, folds, options);
  const linear = version2Options(train);
  const rows = labelledRows(datasets);
  const model = trainRouter(rows, linear);
  const logits = crossValidatedScores(rows, linear, folds);
  const output = fitPlattScaling(logits, rows.map((row) => row.strongCorrect && !row.weakCorrect));
  // A model that ranks worse than chance on held-out prompts must still not have its ranking flipped.
  model.output = { scale: Math.max(output.scale, 1e-3), shift: output.shift };
  const scores = logits.map((z) => sigmoid(model.output.scale * z + model.output.shift));
  return {
    version: 2,
    model,
    scoreQuantiles: quantiles(scores, QUANTILE_COUNT),
    trainingPrompts: trainingPromptsOf(rows),
    heldOut: heldOutFigures(datasets.map((d) => d.name), rows, logits, folds),
    training: { rows: rows.length, sources: options.sources ?? [], options: linear, calibration: `quantiles of ${folds}-fold held-out scores` },
  };
}

export function trainingPromptsOf(rows: readonly LabelledRow[]): PromptBloomFilter {
  const filter = createPromptBloomFilter(rows.length);
  for (const row of rows) addPrompt(filter, row.prompt);
  return filter;
}
