import { DEFAULT_STACK_SETTINGS } from "./fit-stacked-router.js";
import { outcomeStack } from "./outcome-stack.js";
import { createFeatureBuffer, DENSE_COUNT } from "./feature-buffer.js";
import { extractPromptFeatures } from "./extract-prompt-features.js";
import { createLogitScorer } from "./score-prompt-text.js";
import { countSubjectGuess } from "./stacked-candidates.js";
import { createSubjectScorer } from "./create-subject-scorer.js";
import { shiftPosterior } from "./shift-posterior.js";
import { type ExtraDenseInputs, extraDenseLogit, standardisedExtra, trainRouter, type LabelledRow, type TrainRouterOptions } from "./train-router.js";
import { readWordVectors, wordVectorFeatureCount, wordVectorFeatures, type WordVectors } from "./word-vector-features.js";

/**
 * router:compare candidates that add pretrained word vectors (word-vector-features.ts) to the
 * linear router as dense inputs of multiple-choice prompts, learned with its other weights. The
 * vectors are read from the folder in ROUTER_WORD_VECTORS (scripts/router-word-vectors.ts writes it).
 */
type Fit = (train: LabelledRow[]) => (row: LabelledRow) => number;

/** Which of the features: the stem's and options' mean vectors, the rarity and cosine numbers, or both. */
export type WordVectorSelection = "vectors" | "scalars" | "both";

const loaded = new Map<number, WordVectors>();
const cached = new Map<string, Float64Array>();

function vectorsOf(top: number): WordVectors {
  const folder = process.env.ROUTER_WORD_VECTORS;
  if (!folder) throw new Error("ROUTER_WORD_VECTORS must name the folder scripts/router-word-vectors.ts wrote");
  const have = loaded.get(top) ?? readWordVectors(folder, top);
  loaded.set(top, have);
  return have;
}

/**
 * `into: "logit"`: the features are dense inputs of the router's logistic model; `"subjects"`:
 * dense inputs of its subject classifier (trained with its hashed features; the posterior then
 * gives the expected subject difficulty as in version 2).
 */
/** The word-vector features as extra dense inputs (loaded on first use). */
export function wordVectorInputs(selection: WordVectorSelection, top: number, into: "logit" | "subjects", learningRate?: number): ExtraDenseInputs {
  const count = selection === "vectors" ? 200 : selection === "scalars" ? 8 : 208;
  const from = selection === "scalars" ? 200 : 0;
  const of = (prompt: string): Float64Array => {
    const key = `${top}\u0000${prompt}`;
    const x = cached.get(key) ?? wordVectorFeatures(prompt, vectorsOf(top));
    cached.set(key, x);
    return x.subarray(from, from + count);
  };
  return { count, of, into, ...(learningRate !== undefined ? { learningRate } : {}) };
}

export function linearPlusWordVectors(name: string, options: TrainRouterOptions, selection: WordVectorSelection, top: number, into: "logit" | "subjects", learningRate?: number): Fit {
  return (train) => {
    const vectors = vectorsOf(top);
    const d = vectors.dimensions;
    const all = wordVectorFeatureCount(vectors);
    const [from, to] = selection === "vectors" ? [0, 2 * d] : selection === "scalars" ? [2 * d, all] : [0, all];
    const of = (prompt: string): Float64Array => {
      const key = `${top}\u0000${prompt}`;
      const x = cached.get(key) ?? wordVectorFeatures(prompt, vectors);
      cached.set(key, x);
      return x.subarray(from, to);
    };
    const model = trainRouter(train, { ...options, extraDense: { count: to - from, of, into, ...(learningRate !== undefined ? { learningRate } : {}) } });
    const buffer = createFeatureBuffer();
    const classifier = model.subjectClassifier;
    if (into === "subjects" && classifier !== undefined) {
      const { subjectClassifier: _, ...linear } = model;
      const logit = createLogitScorer(linear);
      const subjects = createSubjectScorer(classifier);
      const extra = model.extraDense!;
      const z = new Float64Array(classifier.bias.length);
      return (row) => {
        const base = logit(row.prompt);
        extractPromptFeatures(row.prompt, model.features, buffer);
        if (buffer.dense[DENSE_COUNT - 1]! <= 0.5) return base;
        z.set(subjects.posterior(buffer));
        shiftPosterior(z, classifier.dense!, standardisedExtra(extra, row.prompt));
        countSubjectGuess(name, classifier, z, row.domain);
        let expected = 0;
        for (let s = 0; s < z.length; s++) expected += z[s]! * classifier.difficulty[s]!;
        return base + classifier.weight * expected;
      };
    }
    const logit = createLogitScorer(model);
    return (row) => {
      const z = logit(row.prompt);
      extractPromptFeatures(row.prompt, model.features, buffer);
      return buffer.dense[DENSE_COUNT - 1]! > 0.5 && model.extraDense ? z + extraDenseLogit(model.extraDense, row.prompt) : z;
    };
  };
}

/**
 * A ceiling, not a router (it reads the `domain` column, which scoring never has): the outcome
 * stack whose subject classifier also gets the prompt's true subject as a one-hot dense input, so
 * its posterior is (nearly) the label. It bounds what any better subject guess could add to the stack.
 */
export function outcomeStackWithSubjectLabel(name: string, options: TrainRouterOptions): Fit {
  return (train) => {
    const subjects = [...new Set(train.flatMap((row) => (row.domain ? [row.domain] : [])))].sort();
    const index = new Map(subjects.map((s, i) => [s, i]));
    const domains = new Map(train.map((row) => [row.prompt, row.domain]));
    let current: string | undefined;
    const of = (prompt: string): Float64Array => {
      const x = new Float64Array(subjects.length);
      const s = index.get((domains.has(prompt) ? domains.get(prompt) : current) ?? "");
      if (s !== undefined) x[s] = 1;
      return x;
    };
    const score = outcomeStack(name, { ...options, extraDense: { count: subjects.length, of, into: "subjects" } }, DEFAULT_STACK_SETTINGS)(train);
    return (row) => {
      current = row.domain;
      return score(row);
    };
  };
}
