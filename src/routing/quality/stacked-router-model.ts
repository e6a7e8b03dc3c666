import { predictBoostedTrees, type BoostedTrees } from "./boosted-trees.js";
import { denseInputs, sigmoid } from "./linear-router-model.js";
import { createFeatureBuffer, DENSE_COUNT, type FeatureOptions } from "./feature-buffer.js";
import { extractPromptFeaturesStacked } from "./extract-prompt-features-stacked.js";
import { predictSmallLogistic, type SmallLogistic } from "./small-logistic.js";
import { createSubjectScorer } from "./create-subject-scorer.js";
import { shiftPosterior } from "./shift-posterior.js";
import type { SubjectClassifier } from "./subject-classifier.js";
import { extraDenseLogit, standardisedExtra, type ExtraDenseWeights } from "./train-router.js";

/**
 * The version 3 router ("the outcome stack", docs/quality-router.md). Stage 1: three logistic
 * models over the same hashed and dense prompt features — the gain (strong − weak), "the strong
 * model is right" and "the weak model is right" — and, on multiple-choice prompts, the subject
 * classifier. They give eight numbers per prompt (STAGE1_NUMBERS). Stage 2, on multiple-choice
 * prompts only, turns them into the score (SecondStage); other prompts are scored by the gain
 * model's logit z alone. Each kind has its own Platt scaling into the chance that only the strong
 * model answers right.
 */
export const STAGE1_NUMBERS = ["z", "expectedDifficulty", "expectedWeakAccuracy", "expectedStrongAccuracy", "topSubjectProbability", "subjectEntropy", "zStrong", "zWeak"] as const;
export const STAGE1_COUNT = STAGE1_NUMBERS.length;

/** One hashed logistic model: its hashed weights are int16 × scale; dense weights as in LinearRouterModel (2 × DENSE_COUNT). */
export interface HashedLinear {
  bias: number;
  dense: Float64Array;
  hashed: Int16Array;
  scale: number;
}

export interface Stage1Model {
  features: FeatureOptions;
  /** The dense features' training mean and scale, shared by the three models. */
  denseMean: Float64Array;
  denseScale: Float64Array;
  gain: HashedLinear;
  strong: HashedLinear;
  weak: HashedLinear;
  /** Absent when the training data named fewer than two subjects: its five numbers are then 0. */
  subjectClassifier?: SubjectClassifier;
  /** Per subject (the classifier's order): the strong and the weak model's accuracy in training. */
  strongAccuracy: Float64Array;
  weakAccuracy: Float64Array;
  /** Dense inputs of the subject classifier (comparison only: word vectors; router files have none). */
  subjectDense?: ExtraDenseWeights;
  /** Dense inputs of the "strong right" and "weak right" models (comparison only: word vectors). */
  outcomeDense?: { strong: ExtraDenseWeights; weak: ExtraDenseWeights };
}

/** The designs stage 2 chooses from (by cross-validation inside the training rows: fit-stacked-router.ts). */
export const SECOND_STAGE_DESIGNS = ["z + weight · expected difficulty (version 2)", "P(strong right) − P(weak right)", "boosted trees on the gain", "mean of 1 and 2"] as const;

export interface SecondStage {
  design: number;
  /** Design 0's weight of the expected subject difficulty. */
  weight: number;
  /** Designs 1 and 3: P(strong right) over (zStrong, expectedStrongAccuracy), P(weak right) over (zWeak, expectedWeakAccuracy). */
  strong: SmallLogistic | null;
  weak: SmallLogistic | null;
  /** Designs 2 and 3: trees on the gain over the eight numbers. */
  trees: BoostedTrees | null;
}

export interface StackedRouterModel extends Stage1Model {
  secondStage: SecondStage;
  /** Platt scaling of z for prompts without options, and of the stage 2 score for multiple-choice prompts. */
  output: { scale: number; shift: number };
  quizOutput: { scale: number; shift: number };
}

/** Stage 2's score for a multiple-choice prompt's eight numbers (no allocation). */
export function secondStageScore(stage: SecondStage, x: ArrayLike<number>): number {
  const difference = stage.strong !== null && stage.weak !== null ? predictSmallLogistic(stage.strong, x) - predictSmallLogistic(stage.weak, x) : 0;
  const trees = stage.trees !== null ? predictBoostedTrees(stage.trees, x) : 0;
  if (stage.design === 1) return difference;
  if (stage.design === 2) return trees;
  if (stage.design === 3) return 0.5 * difference + 0.5 * trees;
  return x[0]! + stage.weight * x[1]!;
}

export interface Stage1Scorer {
  /** The last text's eight numbers (STAGE1_NUMBERS order), overwritten by the next call. */
  readonly numbers: Float64Array;
  /** Fills `numbers` for `text`; true when the text is a multiple-choice prompt. */
  score(text: string): boolean;
  /** Bytes of the hashed tables the scorer reads (the interleaved table and the gain table alone): what must stay in the CPU cache. */
  readonly tableBytes: number;
}

/**
 * Stage 1 for one text, reusing its buffers (no allocation per prompt after the first long one).
 * The three hashed tables are interleaved, four integers per bucket, so a feature costs one read of
 * one cell for all three models; their integer sums are exact. The integers are int8 when every
 * weight of the three tables fits in a byte (files trained with `hashedRange` 127, the builtin),
 * int16 otherwise: the same sums, in half the memory. Prompts without options
 * only need z (their score): unless `outcomesEverywhere`, they read the gain table alone (a
 * quarter of the memory) and their zStrong and zWeak are 0. With `zOnQuiz` false (a second stage
 * that never reads z: stageReadsZ), multiple-choice prompts read the two outcome tables alone,
 * two int16 per bucket (half the memory), and their z is NaN.
 */
export function createStage1Scorer(model: Stage1Model, outcomesEverywhere = false, zOnQuiz = true): Stage1Scorer {
  const size = model.gain.hashed.length;
  const lanes = zOnQuiz || outcomesEverywhere ? 4 : 2;
  const narrow = [model.gain, model.strong, model.weak].every((m) => fitsInt8(m.hashed));
  const table = narrow ? new Int8Array(lanes * size) : new Int16Array(lanes * size);
  for (let i = 0; i < size; i++) {
    if (lanes === 2) {
      table[2 * i] = model.strong.hashed[i]!;
      table[2 * i + 1] = model.weak.hashed[i]!;
      continue;
    }
    table[4 * i] = model.gain.hashed[i]!;
    table[4 * i + 1] = model.strong.hashed[i]!;
    table[4 * i + 2] = model.weak.hashed[i]!;
  }
  const first = outcomesEverywhere ? undefined : narrow ? Int8Array.from(model.gain.hashed) : model.gain.hashed;
  const buffer = createFeatureBuffer(4096);
  const sums = new Float64Array(3);
  const dense = new Float64Array(2 * DENSE_COUNT);
  const numbers = new Float64Array(STAGE1_COUNT);
  const classifier = model.subjectClassifier;
  const subjects = classifier && createSubjectScorer(classifier);
  const linear = (m: HashedLinear, sum: number): number => {
    let z = m.bias + sum * m.scale * buffer.value;
    for (let j = 0; j < dense.length; j++) z += m.dense[j]! * dense[j]!;
    return z;
  };
  return {
    numbers,
    tableBytes: table.byteLength + (first?.byteLength ?? 0),
    score(text) {
      extractPromptFeaturesStacked(text, model.features, buffer, table, sums, first);
      denseInputs(buffer, model.denseMean, model.denseScale, dense);
      numbers.fill(0);
      const multipleChoice = buffer.dense[DENSE_COUNT - 1]! > 0.5;
      numbers[0] = multipleChoice && lanes === 2 ? Number.NaN : linear(model.gain, sums[0]!);
      if (!multipleChoice && first !== undefined) return false;
      numbers[6] = linear(model.strong, sums[1]!);
      numbers[7] = linear(model.weak, sums[2]!);
      if (model.outcomeDense !== undefined && multipleChoice) {
        numbers[6] += extraDenseLogit(model.outcomeDense.strong, text);
        numbers[7] += extraDenseLogit(model.outcomeDense.weak, text);
      }
      if (!multipleChoice || subjects === undefined) return multipleChoice;
      const p = subjects.posterior(buffer);
      if (model.subjectDense !== undefined && classifier!.dense !== undefined) shiftPosterior(p, classifier!.dense, standardisedExtra(model.subjectDense, text));
      let ed = 0;
      let ew = 0;
      let es = 0;
      let top = 0;
      let entropy = 0;
      for (let s = 0; s < p.length; s++) {
        const q = p[s]!;
        ed += q * classifier!.difficulty[s]!;
        ew += q * model.weakAccuracy[s]!;
        es += q * model.strongAccuracy[s]!;
        if (q > top) top = q;
        if (q > 0) entropy -= q * Math.log(q);
      }
      numbers[1] = ed;
      numbers[2] = ew;
      numbers[3] = es;
      numbers[4] = top;
      numbers[5] = entropy;
      return true;
    },
  };
}

/** Whether every value fits in an int8 (a file trained with hashedRange 127: the builtin). */
function fitsInt8(values: Int16Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i]! < -128 || values[i]! > 127) return false;
  return true;
}

/** Whether stage 2 reads z (stage 1 number 0): design 0 and the trees do, design 1 only if a small model takes it as an input. */
export function stageReadsZ(stage: SecondStage): boolean {
  if (stage.design === 0 || stage.trees !== null) return true;
  return [stage.strong, stage.weak].some((m) => m !== null && m.inputs.includes(0));
}

/** The version 3 score of a text: raw (stage 2 on quiz prompts, z on others; what ranks) and calibrated into [0, 1]. */
export function createStackedScorer(model: StackedRouterModel): { raw(text: string): number; score(text: string): number } {
  const stage1 = createStage1Scorer(model, false, stageReadsZ(model.secondStage));
  let quiz = false;
  const raw = (text: string): number => {
    quiz = stage1.score(text);
    return quiz ? secondStageScore(model.secondStage, stage1.numbers) : stage1.numbers[0]!;
  };
  return {
    raw,
    score(text) {
      const s = raw(text);
      const o = quiz ? model.quizOutput : model.output;
      return sigmoid(o.scale * s + o.shift);
    },
  };
}
