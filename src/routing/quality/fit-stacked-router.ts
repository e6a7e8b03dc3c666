import { fitBoostedTrees, type BoostedTreesOptions } from "./boosted-trees.js";
import { computeRoutingCurve } from "./compute-routing-curve.js";
import { foldOfPrompt } from "./fold-of-prompt.js";
import type { LinearRouterModel } from "./linear-router-model.js";
import { quantiseInt16 } from "./quantise-int16.js";
import { fitSmallLogistic } from "./small-logistic.js";
import { createStage1Scorer, SECOND_STAGE_DESIGNS, secondStageScore, type HashedLinear, type SecondStage, type Stage1Model, type StackedRouterModel } from "./stacked-router-model.js";
import { trainRouter, type LabelledRow, type TrainRouterOptions } from "./train-router.js";

/** Settings of version 3's second stage, fixed before any held-out figure was seen (docs/quality-router.md). */
export interface StackSettings {
  trees: BoostedTreesOptions;
  /** Folds (by another hash of the prompt) of the split that chooses the second stage's design. */
  choiceFolds: number;
  /** Splits (each by its own hash of the prompt) whose APGRs are averaged to choose the design; 1 unless told. */
  choiceRepeats?: number;
}

export const DEFAULT_STACK_SETTINGS: StackSettings = { trees: { trees: 100, depth: 2, learningRate: 0.05, minLeaf: 50, cuts: 31 }, choiceFolds: 4 };

/** Fewer multiple-choice training rows than this: no choice, the version 2 design (z + weight · ed). */
const MIN_QUIZ_ROWS = 40;

/** Stage 1 numbers of some rows: eight per row, and whether the row is a multiple-choice prompt. */
export interface Stage1Numbers {
  numbers: Float64Array[];
  multipleChoice: boolean[];
}

const hashedLinear = (model: LinearRouterModel, sign: 1 | -1, range?: number): HashedLinear => {
  const { values, scale } = quantiseInt16(model.hashed, range);
  // Negation is exact (the table is symmetric around 0): the "weak right" model is the "weak wrong" one negated.
  return { bias: sign * model.bias, dense: model.dense.map((w) => sign * w), hashed: sign === 1 ? values : values.map((v) => -v), scale };
};

/**
 * Stage 1 on some rows: the gain model (with the subject classifier, when the rows name two or
 * more subjects), a model of "strong right" and one of "weak right" (trained on "weak wrong" and
 * negated), all three over the same features; the tables quantised to int16. Deterministic.
 */
export function fitStage1Model(rows: readonly LabelledRow[], options: TrainRouterOptions): Stage1Model {
  if (options.subjectWeight > 0) throw new RangeError("version 3 has no subject model (subjectWeight must be 0)");
  const { outcomeExtraDense, ...rest } = options;
  const plain: TrainRouterOptions = { ...rest, subjectClassifier: undefined, extraDense: outcomeExtraDense, label: "weakWrong" };
  // "weakWrong" learns 1 − weak_correct: with weak_correct replaced by the strong outcome it learns the strong one.
  const strong = trainRouter(rows.map((row) => ({ ...row, weakCorrect: !row.strongCorrect })), plain);
  const weakWrong = trainRouter(rows, plain);
  const gain = trainRouter(rows, rest);
  const classifier = gain.subjectClassifier;
  const subjects = classifier?.subjects ?? [];
  const index = new Map(subjects.map((s, i) => [s, i]));
  const count = new Float64Array(subjects.length);
  const strongRight = new Float64Array(subjects.length);
  const weakRight = new Float64Array(subjects.length);
  let total = 0;
  let strongTotal = 0;
  let weakTotal = 0;
  for (const row of rows) {
    const s = row.domain ? index.get(row.domain) : undefined;
    if (s === undefined) continue;
    count[s] = count[s]! + 1;
    strongRight[s] = strongRight[s]! + (row.strongCorrect ? 1 : 0);
    weakRight[s] = weakRight[s]! + (row.weakCorrect ? 1 : 0);
    total++;
    strongTotal += row.strongCorrect ? 1 : 0;
    weakTotal += row.weakCorrect ? 1 : 0;
  }
  return {
    features: { ...options.features },
    denseMean: gain.denseMean,
    denseScale: gain.denseScale,
    gain: hashedLinear(gain, 1, options.hashedRange),
    strong: hashedLinear(strong, 1, options.hashedRange),
    weak: hashedLinear(weakWrong, -1, options.hashedRange),
    ...(classifier ? { subjectClassifier: classifier } : {}),
    ...(classifier?.dense && gain.extraDense ? { subjectDense: gain.extraDense } : {}),
    ...(strong.extraDense && weakWrong.extraDense
      ? { outcomeDense: { strong: strong.extraDense, weak: { ...weakWrong.extraDense, weights: weakWrong.extraDense.weights.map((w) => -w) } } }
      : {}),
    // Each subject's accuracy, shrunk towards the overall one by two pseudo-rows.
    strongAccuracy: strongRight.map((r, s) => (r + (2 * strongTotal) / total) / (count[s]! + 2)),
    weakAccuracy: weakRight.map((r, s) => (r + (2 * weakTotal) / total) / (count[s]! + 2)),
  };
}

/** Stage 1's numbers for every row, each from a stage 1 fitted on the other folds (`foldIds`: each row's fold in 0..folds−1). */
export function crossFitNumbers(rows: readonly LabelledRow[], options: TrainRouterOptions, foldIds: readonly number[], folds: number, outcomesEverywhere = false): Stage1Numbers {
  const numbers: Float64Array[] = new Array(rows.length);
  const multipleChoice: boolean[] = new Array(rows.length);
  for (let f = 0; f < folds; f++) {
    if (!foldIds.includes(f)) continue;
    const scorer = createStage1Scorer(fitStage1Model(rows.filter((_, i) => foldIds[i] !== f), options), outcomesEverywhere);
    rows.forEach((row, i) => {
      if (foldIds[i] !== f) return;
      multipleChoice[i] = scorer.score(row.prompt);
      numbers[i] = Float64Array.from(scorer.numbers);
    });
  }
  return { numbers, multipleChoice };
}

/** Fits one design of the second stage on the cross-fitted numbers of some multiple-choice rows. */
export function fitSecondStage(design: number, numbers: readonly Float64Array[], rows: readonly LabelledRow[], weight: number, settings: StackSettings): SecondStage {
  const outcomes = design === 1 || design === 3;
  const trees = design === 2 || design === 3;
  return {
    design,
    weight,
    strong: outcomes ? fitSmallLogistic(numbers, [6, 3], rows.map((row) => row.strongCorrect)) : null,
    weak: outcomes ? fitSmallLogistic(numbers, [7, 2], rows.map((row) => row.weakCorrect)) : null,
    trees: trees ? fitBoostedTrees(numbers, rows.map((row) => (row.strongCorrect ? 1 : 0) - (row.weakCorrect ? 1 : 0)), settings.trees) : null,
  };
}

/**
 * The design with the best APGR on a split of the given multiple-choice rows (`choiceFolds` folds
 * by another hash of the prompt), judged on the rows that name a subject (all, if none does).
 * Designs 1 and 2 are fitted once per fold; 3 is their mean, as fitSecondStage makes it.
 */
export function chooseSecondStage(numbers: readonly Float64Array[], rows: readonly LabelledRow[], weight: number, settings: StackSettings): { design: number; apgr: number[] } {
  if (rows.length < MIN_QUIZ_ROWS) return { design: 0, apgr: [] };
  const k = settings.choiceFolds;
  const repeats = settings.choiceRepeats ?? 1;
  const named = rows.some((row) => row.domain) ? rows.flatMap((row, i) => (row.domain ? [i] : [])) : Array.from(rows.keys());
  const apgr = SECOND_STAGE_DESIGNS.map(() => 0);
  for (let r = 0; r < repeats; r++) {
    // The first split is the one a single choice uses; the others each hash the prompt with their own salt.
    const split = rows.map((row) => foldOfPrompt(`stage2${r === 0 ? "" : `:${r}`}\u0000${row.prompt}`, k));
    const scores = SECOND_STAGE_DESIGNS.map(() => new Float64Array(rows.length));
    for (let f = 0; f < k; f++) {
      const fitAt = rows.flatMap((_, i) => (split[i] !== f ? [i] : []));
      if (fitAt.length === 0 || fitAt.length === rows.length) continue;
      const stage = fitSecondStage(3, fitAt.map((i) => numbers[i]!), fitAt.map((i) => rows[i]!), weight, settings);
      const parts = [0, 1, 2, 3].map((design) => ({ ...stage, design }));
      rows.forEach((_, i) => {
        if (split[i] === f) parts.forEach((part, d) => (scores[d]![i] = secondStageScore(part, numbers[i]!)));
      });
    }
    scores.forEach((s, d) => (apgr[d] = apgr[d]! + computeRoutingCurve(named.map((i) => s[i]!), named.map((i) => rows[i]!)).apgr / repeats));
  }
  let design = 0;
  for (let d = 1; d < apgr.length; d++) if (apgr[d]! > apgr[design]!) design = d;
  return { design, apgr };
}

/** Chooses and fits the second stage on the multiple-choice rows among `at`. */
export function secondStageOf(at: readonly number[], rows: readonly LabelledRow[], cross: Stage1Numbers, options: TrainRouterOptions, settings: StackSettings): SecondStage {
  const quiz = at.filter((i) => cross.multipleChoice[i]);
  const numbers = quiz.map((i) => cross.numbers[i]!);
  const quizRows = quiz.map((i) => rows[i]!);
  const weight = options.subjectClassifier?.weight ?? 0;
  const { design } = chooseSecondStage(numbers, quizRows, weight, settings);
  return quiz.length === 0 ? { design: 0, weight, strong: null, weak: null, trees: null } : fitSecondStage(design, numbers, quizRows, weight, settings);
}

/**
 * Version 3 on some rows: stage 1 on all of them, the second stage chosen and fitted on stage 1
 * numbers cross-fitted inside the rows (`cross`, or `choiceFolds`… folds by another hash of the
 * prompt when not given). The output scalings are left at identity (buildRouterFile fits them).
 */
export function trainStackedRouter(rows: readonly LabelledRow[], options: TrainRouterOptions, settings: StackSettings, cross?: Stage1Numbers): StackedRouterModel {
  const inner = settings.choiceFolds;
  const numbers = cross ?? crossFitNumbers(rows, options, rows.map((row) => foldOfPrompt(`inner\u0000${row.prompt}`, inner)), inner);
  return {
    ...fitStage1Model(rows, options),
    secondStage: secondStageOf(Array.from(rows.keys()), rows, numbers, options, settings),
    output: { scale: 1, shift: 0 },
    quizOutput: { scale: 1, shift: 0 },
  };
}
