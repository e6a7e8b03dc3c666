import { fitBoostedTrees, predictBoostedTrees, type BoostedTreesOptions } from "./boosted-trees.js";
import { computeRoutingCurve } from "./compute-routing-curve.js";
import { foldOfPrompt } from "./fold-of-prompt.js";
import { NESTED_WEIGHTS } from "./stacked-candidates.js";
import { crossFitStage1, fitSmallLogistic, fitStage1 } from "./strong-minus-weak.js";
import type { TrainSubjectClassifierOptions } from "./subject-classifier.js";
import type { LabelledRow, TrainRouterOptions } from "./train-router.js";

/**
 * A comparison-only design (scripts/router-compare.ts): second stages over the eight stage 1
 * numbers of strong-minus-weak.ts (z, ed, ew, es, top p, entropy, zs, zw), on multiple-choice
 * prompts; other prompts keep the version 2 logit z. The second stage is one of
 *   0. version 2 as shipped: z + weight · ed;
 *   1. P(strong right) − P(weak right): logistic on (zs, es) minus logistic on (zw, ew);
 *   2. boosted trees on the gain (strong − weak) over the eight numbers;
 *   3. the mean of 1 and 2 (both estimate the gain, so they share a scale);
 * chosen inside the training rows only: stage 1 is cross-fitted over `inner` folds (another hash
 * of the prompt), and each design is judged by its APGR over the rows naming a subject on a
 * second inner split of those cross-fitted numbers. The chosen design is refitted on all the
 * cross-fitted numbers, stage 1 on all training rows. The choice per outer fold is reported
 * (NESTED_WEIGHTS: the design's number above).
 */
type Fit = (train: LabelledRow[]) => (row: LabelledRow) => number;
type SecondStage = (numbers: readonly number[][], rows: readonly LabelledRow[]) => (x: readonly number[]) => number;

export function outcomeStack(name: string, options: TrainRouterOptions, classifier: TrainSubjectClassifierOptions, weight: number, trees: BoostedTreesOptions, inner = 4): Fit {
  const shipped: SecondStage = () => (x) => x[0]! + weight * x[1]!;
  const difference: SecondStage = (numbers, rows) => {
    const strong = fitSmallLogistic(numbers.map((x) => [x[6]!, x[3]!]), rows.map((row) => row.strongCorrect));
    const weak = fitSmallLogistic(numbers.map((x) => [x[7]!, x[2]!]), rows.map((row) => row.weakCorrect));
    return (x) => strong([x[6]!, x[3]!]) - weak([x[7]!, x[2]!]);
  };
  const boosted: SecondStage = (numbers, rows) => {
    const model = fitBoostedTrees(numbers, rows.map((row) => (row.strongCorrect ? 1 : 0) - (row.weakCorrect ? 1 : 0)), trees);
    return (x) => predictBoostedTrees(model, x);
  };
  const mean: SecondStage = (numbers, rows) => {
    const a = difference(numbers, rows);
    const b = boosted(numbers, rows);
    return (x) => 0.5 * a(x) + 0.5 * b(x);
  };
  const designs = [shipped, difference, boosted, mean];
  return (train) => {
    const held = crossFitStage1(train, options, classifier, inner);
    const quiz = train.flatMap((_, i) => (held[i]!.multipleChoice ? [i] : []));
    const second = quiz.map((i) => foldOfPrompt(`stage2\u0000${train[i]!.prompt}`, inner));
    const named = quiz.flatMap((i, q) => (train[i]!.domain ? [q] : []));
    let best = 0;
    let bestApgr = -Infinity;
    designs.forEach((design, d) => {
      const scores = new Float64Array(quiz.length);
      for (let f = 0; f < inner; f++) {
        const fitAt = quiz.filter((_, q) => second[q] !== f);
        const score = design(fitAt.map((i) => held[i]!.numbers), fitAt.map((i) => train[i]!));
        quiz.forEach((i, q) => {
          if (second[q] === f) scores[q] = score(held[i]!.numbers);
        });
      }
      const apgr = computeRoutingCurve(named.map((q) => scores[q]!), named.map((q) => train[quiz[q]!]!)).apgr;
      if (apgr > bestApgr) [best, bestApgr] = [d, apgr];
    });
    NESTED_WEIGHTS.set(name, [...(NESTED_WEIGHTS.get(name) ?? []), best]);
    const score = designs[best]!(quiz.map((i) => held[i]!.numbers), quiz.map((i) => train[i]!));
    const stage1 = fitStage1(train, options, classifier);
    return (row) => {
      const x = stage1(row);
      return x.multipleChoice ? score(x.numbers) : x.numbers[0]!;
    };
  };
}
