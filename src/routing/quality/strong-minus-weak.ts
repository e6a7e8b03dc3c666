import { createFeatureBuffer, DENSE_COUNT, extractPromptFeatures } from "./prompt-features.js";
import { createSubjectScorer, type TrainSubjectClassifierOptions } from "./subject-classifier.js";
import { foldOfPrompt } from "./fold-of-prompt.js";
import { createLogitScorer } from "./score-prompt-text.js";
import { trainRouter, type LabelledRow, type TrainRouterOptions } from "./train-router.js";

/**
 * A comparison-only design (scripts/router-compare.ts): instead of one model of the gain, two
 * models, one of "the strong model is right" and one of "the weak model is right", and the score
 * P(strong right) − P(weak right). The difference of two probabilities is not monotone in either
 * logit: a prompt both models surely fail (or surely pass) scores near 0 whatever its difficulty,
 * which one logistic model of the gain cannot express.
 *
 * Each outcome's probability is a small logistic regression (stage 2) over two inputs: the logit of
 * a hashed-feature logistic router trained on that outcome, and, on multiple-choice prompts, the
 * subject classifier's expected accuracy of that model (Σ p(subject | prompt) · accuracy(subject)
 * in training). Stage 2 is fitted on logits cross-fitted inside the training rows (`inner` folds by
 * another hash of the prompt: a model's own training prompts score too confidently), separately
 * for multiple-choice prompts and the others; then the stage 1 models are refitted on all rows.
 */
type Fit = (train: LabelledRow[]) => (row: LabelledRow) => number;

/**
 * Stage 1 on some rows: each prompt's inputs for the two stage 2 models, and `numbers`, eight
 * numbers per prompt for other second stages (outcome-stack.ts): the version 2 logit without the
 * classifier (z), the classifier's expected subject difficulty (ed), expected weak and strong
 * accuracy (ew, es), top probability and entropy, and the two outcome logits (zs, zw); the
 * classifier's five are 0 on prompts without options.
 */
export type Stage1 = (row: LabelledRow) => { strong: number[]; weak: number[]; multipleChoice: boolean; numbers: number[] };

export function fitStage1(train: LabelledRow[], options: TrainRouterOptions, classifier: TrainSubjectClassifierOptions): Stage1 {
  const plain: TrainRouterOptions = { ...options, subjectClassifier: undefined, label: "weakWrong" };
  // "weakWrong" learns 1 − weak_correct: with weak_correct replaced by the strong outcome it learns the strong one.
  const strong = createLogitScorer(trainRouter(train.map((row) => ({ ...row, weakCorrect: !row.strongCorrect })), plain));
  const weakWrong = createLogitScorer(trainRouter(train, plain));
  const { subjectClassifier: model, ...linear } = trainRouter(train, { ...options, subjectClassifier: { ...classifier, weight: 1 } });
  if (model === undefined) throw new RangeError("no subjects to train the subject classifier on");
  const logit = createLogitScorer(linear);
  const index = new Map(model.subjects.map((s, i) => [s, i]));
  const count = new Float64Array(model.subjects.length);
  const strongRight = new Float64Array(model.subjects.length);
  const weakRight = new Float64Array(model.subjects.length);
  let total = 0;
  let strongTotal = 0;
  let weakTotal = 0;
  for (const row of train) {
    const s = row.domain ? index.get(row.domain) : undefined;
    if (s === undefined) continue;
    count[s] = count[s]! + 1;
    strongRight[s] = strongRight[s]! + (row.strongCorrect ? 1 : 0);
    weakRight[s] = weakRight[s]! + (row.weakCorrect ? 1 : 0);
    total++;
    strongTotal += row.strongCorrect ? 1 : 0;
    weakTotal += row.weakCorrect ? 1 : 0;
  }
  // Each subject's accuracy, shrunk towards the overall one by two pseudo-rows.
  const strongAccuracy = strongRight.map((r, s) => (r + (2 * strongTotal) / total) / (count[s]! + 2));
  const weakAccuracy = weakRight.map((r, s) => (r + (2 * weakTotal) / total) / (count[s]! + 2));
  const subjects = createSubjectScorer(model);
  const buffer = createFeatureBuffer();
  return (row) => {
    extractPromptFeatures(row.prompt, options.features, buffer);
    const zs = strong(row.prompt);
    const zw = -weakWrong(row.prompt);
    const z = logit(row.prompt);
    if (buffer.dense[DENSE_COUNT - 1]! <= 0.5) return { strong: [zs, 0], weak: [zw, 0], multipleChoice: false, numbers: [z, 0, 0, 0, 0, 0, zs, zw] };
    const p = subjects.posterior(buffer);
    let es = 0;
    let ew = 0;
    let ed = 0;
    let top = 0;
    let entropy = 0;
    for (let s = 0; s < p.length; s++) {
      es += p[s]! * strongAccuracy[s]!;
      ew += p[s]! * weakAccuracy[s]!;
      ed += p[s]! * model.difficulty[s]!;
      top = Math.max(top, p[s]!);
      if (p[s]! > 0) entropy -= p[s]! * Math.log(p[s]!);
    }
    return { strong: [zs, es], weak: [zw, ew], multipleChoice: true, numbers: [z, ed, ew, es, top, entropy, zs, zw] };
  };
}

/** Logistic regression over a few dense inputs (standardised), Newton's method with a small ridge; deterministic. */
export function fitSmallLogistic(inputs: readonly number[][], labels: readonly boolean[], ridge = 1e-4): (x: readonly number[]) => number {
  const n = inputs.length;
  const d = inputs[0]?.length ?? 0;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const x of inputs) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[j]! / n;
  for (const x of inputs) for (let j = 0; j < d; j++) scale[j] = scale[j]! + (x[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = scale[j]! > 1e-12 ? 1 / Math.sqrt(scale[j]!) : 0;
  const z = inputs.map((x) => [1, ...x.map((v, j) => (v - mean[j]!) * scale[j]!)]);
  const w = new Float64Array(d + 1);
  for (let step = 0; step < 50; step++) {
    const g = new Float64Array(d + 1);
    const h = Array.from({ length: d + 1 }, () => new Float64Array(d + 1));
    for (let i = 0; i < n; i++) {
      const x = z[i]!;
      let t = 0;
      for (let j = 0; j <= d; j++) t += w[j]! * x[j]!;
      const p = 1 / (1 + Math.exp(-t));
      const e = p - (labels[i] ? 1 : 0);
      for (let j = 0; j <= d; j++) {
        g[j] = g[j]! + e * x[j]!;
        for (let k = 0; k <= d; k++) h[j]![k] = h[j]![k]! + p * (1 - p) * x[j]! * x[k]!;
      }
    }
    for (let j = 1; j <= d; j++) {
      g[j] = g[j]! + ridge * n * w[j]!;
      h[j]![j] = h[j]![j]! + ridge * n;
    }
    const delta = solveLinear(h, g);
    let largest = 0;
    for (let j = 0; j <= d; j++) {
      w[j] = w[j]! - delta[j]!;
      largest = Math.max(largest, Math.abs(delta[j]!));
    }
    if (largest < 1e-9) break;
  }
  return (x) => {
    let t = w[0]!;
    for (let j = 0; j < d; j++) t += w[j + 1]! * (x[j]! - mean[j]!) * scale[j]!;
    return 1 / (1 + Math.exp(-t));
  };
}

/** Solves a x = b (Gauss–Jordan with partial pivoting; a is small and positive definite here). */
function solveLinear(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k] = m[r]![k]! - f * m[c]![k]!;
    }
  }
  return Float64Array.from(m, (row, i) => row[n]! / row[i]!);
}

/** Stage 1's numbers for every training row, each from a stage 1 fitted on the inner folds that leave its row out. */
export function crossFitStage1(train: LabelledRow[], options: TrainRouterOptions, classifier: TrainSubjectClassifierOptions, inner: number): ReturnType<Stage1>[] {
  const folds = train.map((row) => foldOfPrompt(`inner\u0000${row.prompt}`, inner));
  const held: ReturnType<Stage1>[] = new Array(train.length);
  for (let f = 0; f < inner; f++) {
    const stage1 = fitStage1(train.filter((_, i) => folds[i] !== f), options, classifier);
    train.forEach((row, i) => {
      if (folds[i] === f) held[i] = stage1(row);
    });
  }
  return held;
}

export function strongMinusWeak(options: TrainRouterOptions, classifier: TrainSubjectClassifierOptions, inner = 4): Fit {
  return (train) => {
    const held = crossFitStage1(train, options, classifier, inner);
    const stage2 = [false, true].map((multipleChoice) => {
      const at = train.flatMap((_, i) => (held[i]!.multipleChoice === multipleChoice ? [i] : []));
      if (at.length === 0) return undefined;
      return {
        strong: fitSmallLogistic(at.map((i) => held[i]!.strong), at.map((i) => train[i]!.strongCorrect)),
        weak: fitSmallLogistic(at.map((i) => held[i]!.weak), at.map((i) => train[i]!.weakCorrect)),
      };
    });
    const stage1 = fitStage1(train, options, classifier);
    return (row) => {
      const x = stage1(row);
      const model = stage2[x.multipleChoice ? 1 : 0];
      return model === undefined ? 0 : model.strong(x.strong) - model.weak(x.weak);
    };
  };
}
