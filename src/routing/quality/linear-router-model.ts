import { DENSE_COUNT, type FeatureBuffer, type FeatureOptions } from "./feature-buffer.js";
import type { SubjectClassifier } from "./subject-classifier.js";

/**
 * The learned router: a logistic model over the hashed prompt features and the standardised dense
 * features. Each dense feature has two weights, one for multiple-choice prompts and one for the
 * others (a longer word problem means something else than a longer quiz question).
 */
export interface LinearRouterModel {
  features: FeatureOptions;
  bias: number;
  /** One weight per hash bucket: 2^hashBits. */
  hashed: Float32Array;
  denseMean: Float64Array;
  denseScale: Float64Array;
  /** 2 × DENSE_COUNT: multiple-choice weights, then the others. */
  dense: Float64Array;
  /**
   * The subject model: how hard the prompt's subject is for the weak model, learned from the
   * training rows that name a subject (the MMLU `domain` column). Added, times `weight`, to the
   * logit of multiple-choice prompts only: word problems have no subject label to learn from.
   */
  subject?: { weight: number; bias: number; hashed: Float32Array; dense: Float64Array };
  /**
   * An explicit subject classifier (subject-classifier.ts): the subject difficulty its posterior
   * expects is added, times its weight, to the logit of multiple-choice prompts only.
   */
  subjectClassifier?: SubjectClassifier;
  /**
   * Platt scaling of the logit into the published score, σ(scale · logit + shift): fitted on
   * held-out logits so that the score estimates the chance that only the strong model answers
   * the prompt right (the ranking is the logit's; the scale makes `threshold` mean something).
   */
  output: { scale: number; shift: number };
}

/** The model's inputs for one prompt beyond the hashed features: 2 × DENSE_COUNT values. */
export function denseInputs(buffer: FeatureBuffer, mean: Float64Array, scale: Float64Array, out: Float64Array): Float64Array {
  const multipleChoice = buffer.dense[DENSE_COUNT - 1]! > 0.5;
  for (let j = 0; j < DENSE_COUNT; j++) {
    const x = (buffer.dense[j]! - mean[j]!) * scale[j]!;
    out[j] = multipleChoice ? x : 0;
    out[DENSE_COUNT + j] = multipleChoice ? 0 : x;
  }
  return out;
}

/** The logit (log-odds) of the model for features already extracted into `buffer`. */
export function linearLogit(model: LinearRouterModel, buffer: FeatureBuffer, scratch: Float64Array): number {
  const weights = model.hashed;
  const { indices, length } = buffer;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += weights[indices[i]!]!;
  return linearLogitOfSum(model, buffer, sum, scratch);
}

/**
 * The same, given the sum of the hashed weights over the buffer's indices (in index order), as
 * extractPromptFeatures returns it when given the weights.
 */
export function linearLogitOfSum(model: LinearRouterModel, buffer: FeatureBuffer, sum: number, scratch: Float64Array): number {
  const { indices, length } = buffer;
  // Every hashed feature carries the same value (1/√n): multiply once.
  let z = model.bias + sum * buffer.value;
  const dense = denseInputs(buffer, model.denseMean, model.denseScale, scratch);
  for (let j = 0; j < dense.length; j++) z += model.dense[j]! * dense[j]!;
  const subject = model.subject;
  if (subject !== undefined && buffer.dense[DENSE_COUNT - 1]! > 0.5) {
    let s = 0;
    for (let i = 0; i < length; i++) s += subject.hashed[indices[i]!]!;
    s = subject.bias + s * buffer.value;
    for (let j = 0; j < dense.length; j++) s += subject.dense[j]! * dense[j]!;
    z += subject.weight * s;
  }
  return z;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
