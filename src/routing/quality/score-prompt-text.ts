import { createFeatureBuffer, DENSE_COUNT, type FeatureBuffer, type FeatureOptions } from "./feature-buffer.js";
import { extractPromptFeatures } from "./extract-prompt-features.js";
import { denseInputs, linearLogitOfSum, sigmoid, type LinearRouterModel } from "./linear-router-model.js";
import { createSubjectScorer } from "./create-subject-scorer.js";

/**
 * A scoring function over one model that reuses its buffers (no allocation per prompt after the
 * first long one). With a subject model, its weights are interleaved with the main ones so that
 * each feature costs one cache line, not two: the weight tables are larger than the L2 cache.
 */
export function createTextScorer(model: LinearRouterModel): (text: string) => number {
  const logit = createLogitScorer(model);
  const { scale, shift } = model.output;
  return (text) => sigmoid(scale * logit(text) + shift);
}

/**
 * The model's logit for a text, before the output scaling (what cross-validation ranks and
 * calibrates). `extract` is replaceable so a benchmark can time another feature loop.
 */
export function createLogitScorer(
  model: LinearRouterModel,
  extract: (text: string, options: FeatureOptions, buffer: FeatureBuffer, weights?: Float32Array) => number = extractPromptFeatures,
): (text: string) => number {
  const buffer = createFeatureBuffer(4096);
  const classifier = model.subjectClassifier;
  let linear: (text: string) => number;
  const subjectModel = model.subject;
  if (subjectModel === undefined) {
    // The extraction sums the hashed weights as it makes the indices (one pass instead of two).
    const scratch = new Float64Array(2 * DENSE_COUNT);
    linear = (text) => linearLogitOfSum(model, buffer, extract(text, model.features, buffer, model.hashed), scratch);
  } else {
    const subjectLogit = createLinearLogit(model, subjectModel, buffer);
    linear = (text) => {
      extract(text, model.features, buffer);
      return subjectLogit();
    };
  }
  if (classifier === undefined) return linear;
  const subjects = createSubjectScorer(classifier);
  return (text) => {
    const z = linear(text);
    if (buffer.dense[DENSE_COUNT - 1]! <= 0.5) return z;
    return z + classifier.weight * subjects.expectedDifficulty(buffer);
  };
}

/** The linear part of the logit with a (version 1) subject model, for the features in `buffer`. */
function createLinearLogit(model: LinearRouterModel, subject: NonNullable<LinearRouterModel["subject"]>, buffer: FeatureBuffer): () => number {
  const scratch = new Float64Array(2 * DENSE_COUNT);
  const pairs = new Float32Array(2 * model.hashed.length);
  for (let i = 0; i < model.hashed.length; i++) {
    pairs[2 * i] = model.hashed[i]!;
    pairs[2 * i + 1] = subject.hashed[i]!;
  }
  return () => {
    const { indices, length } = buffer;
    let main = 0;
    let bySubject = 0;
    for (let i = 0; i < length; i++) {
      const at = indices[i]! << 1;
      main += pairs[at]!;
      bySubject += pairs[at + 1]!;
    }
    // Every hashed feature carries the same value (1/√n): multiply once.
    const value = buffer.value;
    let z = model.bias + main * value;
    const dense = denseInputs(buffer, model.denseMean, model.denseScale, scratch);
    for (let j = 0; j < dense.length; j++) z += model.dense[j]! * dense[j]!;
    if (buffer.dense[DENSE_COUNT - 1]! > 0.5) {
      let s = subject.bias + bySubject * value;
      for (let j = 0; j < dense.length; j++) s += subject.dense[j]! * dense[j]!;
      z += subject.weight * s;
    }
    return z;
  };
}
