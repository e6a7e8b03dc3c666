import { createFeatureBuffer, DENSE_COUNT, type FeatureOptions } from "./feature-buffer.js";
import { extractPromptFeatures } from "./extract-prompt-features.js";
import { topSubject } from "./fit-subject-classifier.js";
import { createSubjectScorer } from "./create-subject-scorer.js";
import type { SubjectClassifier } from "./subject-classifier.js";
import type { TrainSubjectClassifierOptions } from "./train-subject-classifier.js";
import { computeRoutingCurve } from "./compute-routing-curve.js";
import { foldOfPrompt } from "./fold-of-prompt.js";
import { createLogitScorer } from "./score-prompt-text.js";
import { trainRouter, type LabelledRow, type TrainRouterOptions } from "./train-router.js";

/**
 * Comparison-only designs (scripts/router-compare.ts) that measure how much a signal could add to
 * the linear router before anyone pays for shipping it: the true subject label (a ceiling: scoring
 * cannot read it) and the outcomes of the nearest training prompts (kNN, cosine over hashed words).
 */
type Fit = (train: LabelledRow[]) => (row: LabelledRow) => number;

const gainOf = (row: LabelledRow): number => (row.strongCorrect ? 1 : 0) - (row.weakCorrect ? 1 : 0);

/** The linear router's logit plus `weight` × the mean gain of the prompt's labelled subject in training. */
export function linearPlusSubjectLabel(options: TrainRouterOptions, weight: number): Fit {
  return (train) => {
    const logit = createLogitScorer(trainRouter(train, options));
    const sums = new Map<string, [number, number]>();
    for (const row of train) {
      const key = `${row.dataset}/${row.domain ?? ""}`;
      const s = sums.get(key) ?? [0, 0];
      s[0] += gainOf(row);
      s[1]++;
      sums.set(key, s);
    }
    return (row) => {
      const s = sums.get(`${row.dataset}/${row.domain ?? ""}`);
      return logit(row.prompt) + weight * (s ? s[0] / (s[1] + 1) : 0);
    };
  };
}

/**
 * The linear router's logit plus `weight` × the mean gain of the k training prompts most similar
 * to the prompt (cosine over hashed words, IDF-weighted, words in over 5% of the prompts skipped).
 */
export function linearPlusNeighbours(options: TrainRouterOptions, k: number, weight: number): Fit {
  const words: FeatureOptions = { hashBits: 18, wordBigrams: false, charNgram: 0 };
  return (train) => {
    const logit = createLogitScorer(trainRouter(train, options));
    const buffer = createFeatureBuffer();
    const bags = train.map((row) => {
      extractPromptFeatures(row.prompt, words, buffer);
      return [...new Set(buffer.indices.subarray(0, buffer.length))];
    });
    const postings = new Map<number, number[]>();
    bags.forEach((bag, d) => bag.forEach((w) => (postings.get(w) ?? postings.set(w, []).get(w)!).push(d)));
    const idf = (w: number): number => Math.log(train.length / (postings.get(w)?.length ?? train.length));
    const norms = bags.map((bag) => Math.sqrt(bag.reduce((a, w) => a + idf(w) ** 2, 0)) || 1);
    const gains = train.map(gainOf);
    const dot = new Float64Array(train.length);
    return (row) => {
      extractPromptFeatures(row.prompt, words, buffer);
      const bag = [...new Set(buffer.indices.subarray(0, buffer.length))];
      dot.fill(0);
      for (const w of bag) {
        const list = postings.get(w);
        if (list === undefined || list.length > 0.05 * train.length) continue;
        const x = idf(w) ** 2;
        for (const d of list) dot[d] = dot[d]! + x;
      }
      const best = Array.from(dot.keys()).filter((d) => dot[d]! > 0).sort((a, b) => dot[b]! / norms[b]! - dot[a]! / norms[a]! || a - b).slice(0, k);
      const mean = best.length > 0 ? best.reduce((a, d) => a + gains[d]!, 0) / best.length : 0;
      return logit(row.prompt) + weight * mean;
    };
  };
}

/** Held-out top-1 accuracy of the subject classifiers, per candidate (printed by router:compare). */
export const SUBJECT_ACCURACY = new Map<string, { correct: number; total: number }>();

/** Counts a held-out prompt's top subject against its label, for the candidate `name`. */
export function countSubjectGuess(name: string, classifier: SubjectClassifier, posterior: Float64Array, domain: string | undefined): void {
  if (!domain) return;
  const stats = SUBJECT_ACCURACY.get(name) ?? { correct: 0, total: 0 };
  SUBJECT_ACCURACY.set(name, stats);
  stats.total++;
  if (topSubject(classifier, posterior) === domain) stats.correct++;
}

/** The linear router's logit and, on multiple-choice prompts, the subject classifier's expected and top-subject difficulty. */
type LogitAndSubject = (row: LabelledRow) => { logit: number; expected: number; top: number };

function fitLogitAndSubject(name: string, train: LabelledRow[], options: TrainRouterOptions, classifier: TrainSubjectClassifierOptions): LogitAndSubject {
  const { subjectClassifier: model, ...linear } = trainRouter(train, { ...options, subjectClassifier: { ...classifier, weight: 1 } });
  if (model === undefined) throw new RangeError("no subjects to train the subject classifier on");
  const logit = createLogitScorer(linear);
  const buffer = createFeatureBuffer();
  const subjects = createSubjectScorer(model);
  return (row) => {
    const z = logit(row.prompt);
    extractPromptFeatures(row.prompt, options.features, buffer);
    if (buffer.dense[DENSE_COUNT - 1]! <= 0.5) return { logit: z, expected: 0, top: 0 };
    const expected = subjects.expectedDifficulty(buffer);
    const posterior = subjects.posterior(buffer);
    countSubjectGuess(name, model, posterior, row.domain);
    return { logit: z, expected, top: model.difficulty[model.subjects.indexOf(topSubject(model, posterior))]! };
  };
}

/**
 * The linear router's logit plus, on multiple-choice prompts, `weight` × the difficulty of the
 * subject classifier's top subject (the shipped design uses the posterior's expected difficulty:
 * trainRouter's `subjectClassifier` option).
 */
export function linearPlusTopSubject(name: string, options: TrainRouterOptions, classifier: TrainSubjectClassifierOptions, weight: number): Fit {
  return (train) => {
    const score = fitLogitAndSubject(name, train, options, classifier);
    return (row) => {
      const s = score(row);
      return s.logit + weight * s.top;
    };
  };
}

/**
 * The same with the weight chosen by nested cross-validation: on the training rows only, split
 * into `inner` folds by prompt hash, the weight of `grid` with the best held-out APGR over the rows
 * that name a subject; then fitted on all training rows with that weight.
 */
export function linearPlusSubjectClassifierNested(name: string, options: TrainRouterOptions, classifier: TrainSubjectClassifierOptions, grid: readonly number[], inner = 4): Fit {
  return (train) => {
    const folds = train.map((row) => foldOfPrompt(`inner\u0000${row.prompt}`, inner));
    const held: { logit: number; expected: number }[] = new Array(train.length);
    for (let f = 0; f < inner; f++) {
      const score = fitLogitAndSubject(`${name} (inner)`, train.filter((_, i) => folds[i] !== f), options, classifier);
      train.forEach((row, i) => {
        if (folds[i] === f) held[i] = score(row);
      });
    }
    const at = train.flatMap((row, i) => (row.domain ? [i] : []));
    let best = grid[0]!;
    let bestApgr = -Infinity;
    for (const w of grid) {
      const apgr = computeRoutingCurve(at.map((i) => held[i]!.logit + w * held[i]!.expected), at.map((i) => train[i]!)).apgr;
      if (apgr > bestApgr) [best, bestApgr] = [w, apgr];
    }
    NESTED_WEIGHTS.set(name, [...(NESTED_WEIGHTS.get(name) ?? []), best]);
    const score = fitLogitAndSubject(name, train, options, classifier);
    return (row) => {
      const s = score(row);
      return s.logit + best * s.expected;
    };
  };
}

/** The weights nested cross-validation chose, per candidate and outer fold (printed by router:compare). */
export const NESTED_WEIGHTS = new Map<string, number[]>();
