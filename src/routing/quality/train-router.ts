import { DENSE_COUNT, createFeatureBuffer, type FeatureOptions } from "./feature-buffer.js";
import { extractPromptFeatures } from "./extract-prompt-features.js";
import { denseInputs, type LinearRouterModel } from "./linear-router-model.js";
import type { RoutingRow } from "./read-routing-csv.js";
import { fitSubjectClassifier, type SubjectClassifierOptions } from "./fit-subject-classifier.js";
import { trainLogisticRegression, type TrainingExample } from "./train-logistic-regression.js";

/**
 * What the model learns to predict for a prompt, from the two models' outcomes on it:
 * - `gain`: the soft target (strong − weak + 1) / 2, so the ranking follows the expected gain of
 *   sending the prompt up (a prompt only the weak model gets right pulls the score down);
 * - `strongOnly`: only the strong model is right;
 * - `weakWrong`: the weak model is wrong.
 */
export type RouterLabel = "gain" | "strongOnly" | "weakWrong";

export interface TrainRouterOptions {
  features: FeatureOptions;
  label: RouterLabel;
  epochs: number;
  l2: number;
  learningRate: number;
  seed: number;
  /**
   * Weight of a second model that learns each prompt's subject difficulty (the mean target of the
   * prompts sharing its `domain` column) from the prompt's words; its logit is added with this
   * factor on multiple-choice prompts. 0: no subject model. Learned from the rows with a domain.
   */
  subjectWeight: number;
  /** Smoothing (pseudo-count) of the per-subject means towards the data set's mean. */
  subjectSmoothing: number;
  /**
   * Models trained in different orders (seeds seed, seed+1, …) and averaged: the average of
   * linear models is one linear model, so this costs training time only, never scoring time.
   */
  averageOf?: number;
  /** The weights at the end of each epoch from this one on (1-based) averaged (trainLogisticRegression's `averageFrom`); unset: the last. */
  averageFrom?: number;
  /** L2 penalty of the subject model when it differs from `l2`. */
  subjectL2?: number;
  /**
   * An explicit subject classifier over the rows that name a subject: its posterior's expected
   * subject difficulty is added (× its weight) to the logit of multiple-choice prompts.
   */
  subjectClassifier?: SubjectClassifierOptions;
  /**
   * More dense inputs of multiple-choice prompts (0 on the others), standardised over those prompts
   * and learned with the rest (comparison only: router files do not store them; the model returned
   * carries them as `extraDense`).
   */
  extraDense?: ExtraDenseInputs;
  /** Version 3 only (fitStage1Model): the largest integer of the quantised hashed tables (32767, int16, unless told). */
  hashedRange?: number;
  /** Version 3 only (fitStage1Model): extra dense inputs of its "strong right" and "weak right" models (comparison only). */
  outcomeExtraDense?: ExtraDenseInputs;
}

/** A function of the prompt's text giving `count` numbers (router-compare's word-vector candidates). */
export interface ExtraDenseInputs {
  count: number;
  of: (prompt: string) => Float64Array;
  /** Inputs of the router's logistic model (`logit`) or of its subject classifier (`subjects`). */
  into: "logit" | "subjects";
  /** Their learning rate in the logistic model, when not the model's. */
  learningRate?: number;
}

/** The extra inputs' standardisation and learned weights. */
export interface ExtraDenseWeights {
  inputs: ExtraDenseInputs;
  mean: Float64Array;
  scale: Float64Array;
  weights: Float64Array;
}

/** The extra inputs of a prompt, standardised. */
export function standardisedExtra(extra: ExtraDenseWeights, prompt: string): Float64Array {
  const x = extra.inputs.of(prompt);
  return x.map((v, j) => (v - extra.mean[j]!) * extra.scale[j]!);
}

/** The extra inputs' contribution to the logit of a multiple-choice prompt. */
export function extraDenseLogit(extra: ExtraDenseWeights, prompt: string): number {
  const x = extra.inputs.of(prompt);
  let z = 0;
  for (let j = 0; j < extra.inputs.count; j++) z += extra.weights[j]! * (x[j]! - extra.mean[j]!) * extra.scale[j]!;
  return z;
}

export interface LabelledRow extends RoutingRow {
  weakCorrect: boolean;
  strongCorrect: boolean;
  /** Which data set the row came from: subject means never mix data sets. */
  dataset: string;
}

export function targetOf(label: RouterLabel, row: { weakCorrect: boolean; strongCorrect: boolean }): number {
  const weak = row.weakCorrect ? 1 : 0;
  const strong = row.strongCorrect ? 1 : 0;
  if (label === "gain") return (strong - weak + 1) / 2;
  if (label === "strongOnly") return strong === 1 && weak === 0 ? 1 : 0;
  return 1 - weak;
}

/** Trains the router on labelled rows; deterministic for the same rows (in the same order) and options. */
export function trainRouter(rows: readonly LabelledRow[], options: TrainRouterOptions): LinearRouterModel & { extraDense?: ExtraDenseWeights } {
  if (rows.length === 0) throw new RangeError("no rows to train on");
  const buffer = createFeatureBuffer();
  const extracted = rows.map((row) => {
    extractPromptFeatures(row.prompt, options.features, buffer);
    return { indices: buffer.indices.slice(0, buffer.length), values: new Float32Array(buffer.length).fill(buffer.value), raw: Float64Array.from(buffer.dense), dense: buffer.dense };
  });
  const denseMean = new Float64Array(DENSE_COUNT);
  const denseScale = new Float64Array(DENSE_COUNT);
  for (const e of extracted) for (let j = 0; j < DENSE_COUNT; j++) denseMean[j] = denseMean[j]! + e.raw[j]! / extracted.length;
  for (let j = 0; j < DENSE_COUNT; j++) {
    let variance = 0;
    for (const e of extracted) variance += (e.raw[j]! - denseMean[j]!) ** 2 / extracted.length;
    denseScale[j] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 0;
  }
  const allExtra = options.extraDense?.count ?? 0;
  const extraCount = options.extraDense?.into === "logit" ? allExtra : 0;
  const extraRaw = extracted.map((e, i) => (options.extraDense && e.raw[DENSE_COUNT - 1]! > 0.5 ? options.extraDense.of(rows[i]!.prompt) : undefined));
  const extraMean = new Float64Array(allExtra);
  const extraScale = new Float64Array(allExtra);
  const withExtra = extraRaw.filter((x): x is Float64Array => x !== undefined);
  for (const x of withExtra) for (let j = 0; j < allExtra; j++) extraMean[j] = extraMean[j]! + x[j]! / withExtra.length;
  for (let j = 0; j < allExtra; j++) {
    let variance = 0;
    for (const x of withExtra) variance += (x[j]! - extraMean[j]!) ** 2 / withExtra.length;
    extraScale[j] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 0;
  }
  const inputs = extracted.map((e, i) => {
    const view = { ...createFeatureBuffer(1), dense: e.raw };
    const dense = denseInputs(view, denseMean, denseScale, new Float64Array(2 * DENSE_COUNT + extraCount));
    const x = extraRaw[i];
    if (x !== undefined) for (let j = 0; j < extraCount; j++) dense[2 * DENSE_COUNT + j] = (x[j]! - extraMean[j]!) * extraScale[j]!;
    return { indices: e.indices, values: e.values, dense };
  });
  const train = (at: readonly number[], targets: readonly number[], l2 = options.l2) => {
    const examples = at.map((i, k): TrainingExample => ({ ...inputs[i]!, target: targets[k]!, weight: 1 }));
    const runs = options.averageOf ?? 1;
    const sum = trainLogisticRegression(examples, lrOptions(options, options.seed, l2));
    for (let r = 1; r < runs; r++) {
      const next = trainLogisticRegression(examples, lrOptions(options, options.seed + r, l2));
      sum.bias += next.bias;
      for (let i = 0; i < sum.hashed.length; i++) sum.hashed[i] = sum.hashed[i]! + next.hashed[i]!;
      for (let i = 0; i < sum.dense.length; i++) sum.dense[i] = sum.dense[i]! + next.dense[i]!;
    }
    if (runs > 1) {
      sum.bias /= runs;
      for (let i = 0; i < sum.hashed.length; i++) sum.hashed[i] = sum.hashed[i]! / runs;
      for (let i = 0; i < sum.dense.length; i++) sum.dense[i] = sum.dense[i]! / runs;
    }
    return sum;
  };
  const targets = rows.map((row) => targetOf(options.label, row));
  const main = train(Array.from(rows.keys()), targets);
  const withSubject = rows.flatMap((row, i) => (row.domain !== undefined && row.domain !== "" ? [i] : []));
  let subject: LinearRouterModel["subject"];
  if (options.subjectWeight > 0 && withSubject.length > 0) {
    const fit = train(withSubject, subjectTargets(withSubject.map((i) => rows[i]!), withSubject.map((i) => targets[i]!), options.subjectSmoothing), options.subjectL2 ?? options.l2);
    subject = { weight: options.subjectWeight, bias: fit.bias, hashed: Float32Array.from(fit.hashed), dense: fit.dense };
  }
  const subjectClassifier =
    options.subjectClassifier &&
    fitSubjectClassifier(
      rows.map((row, i) => {
        const x = options.extraDense?.into === "subjects" ? extraRaw[i] : undefined;
        const dense = x && x.map((v, j) => (v - extraMean[j]!) * extraScale[j]!);
        return { ...row, indices: extracted[i]!.indices, multipleChoice: extracted[i]!.raw[DENSE_COUNT - 1]! > 0.5, ...(dense ? { dense } : {}) };
      }),
      // Its buckets are the low bits of the router's: never more of them than the router has.
      { ...options.subjectClassifier, bits: Math.min(options.subjectClassifier.bits, options.features.hashBits) },
    );
  return {
    features: { ...options.features },
    bias: main.bias,
    hashed: Float32Array.from(main.hashed),
    denseMean,
    denseScale,
    dense: main.dense.slice(0, 2 * DENSE_COUNT),
    ...(options.extraDense ? { extraDense: { inputs: options.extraDense, mean: extraMean, scale: extraScale, weights: main.dense.slice(2 * DENSE_COUNT) } } : {}),
    ...(subject ? { subject } : {}),
    ...(subjectClassifier ? { subjectClassifier } : {}),
    output: { scale: 1, shift: 0 },
  };
}

function lrOptions(options: TrainRouterOptions, seed: number, l2: number) {
  return { hashBits: options.features.hashBits, denseCount: 2 * DENSE_COUNT + (options.extraDense?.into === "logit" ? options.extraDense.count : 0), epochs: options.epochs, l2, learningRate: options.learningRate, seed,
    ...(options.averageFrom !== undefined ? { averageFrom: options.averageFrom } : {}),
    ...(options.extraDense?.learningRate !== undefined ? { extraFrom: 2 * DENSE_COUNT, extraRate: options.extraDense.learningRate } : {}) };
}

/** Each row's target replaced by its subject's mean target, smoothed towards its data set's mean. */
function subjectTargets(rows: readonly LabelledRow[], targets: readonly number[], smoothing: number): number[] {
  const sums = new Map<string, [number, number]>();
  const add = (key: string, value: number): void => {
    const s = sums.get(key) ?? [0, 0];
    s[0] += value;
    s[1]++;
    sums.set(key, s);
  };
  rows.forEach((row, i) => {
    add(row.dataset, targets[i]!);
    add(`${row.dataset}\u0000${row.domain ?? ""}`, targets[i]!);
  });
  return rows.map((row) => {
    const [sum, count] = sums.get(row.dataset)!;
    const [s, c] = sums.get(`${row.dataset}\u0000${row.domain ?? ""}`)!;
    return (s + (smoothing * sum) / count) / (c + smoothing);
  });
}
