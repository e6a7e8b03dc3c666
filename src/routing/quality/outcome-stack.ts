import { foldOfPrompt } from "./fold-of-prompt.js";
import { crossFitNumbers, fitStage1Model, trainStackedRouter, type StackSettings } from "./fit-stacked-router.js";
import { fitSmallLogistic, predictSmallLogistic } from "./small-logistic.js";
import { NESTED_WEIGHTS } from "./stacked-candidates.js";
import { createStackedScorer, createStage1Scorer } from "./stacked-router-model.js";
import type { LabelledRow, TrainRouterOptions } from "./train-router.js";

/**
 * router:compare candidates over version 3's stage 1 (stacked-router-model.ts).
 *
 * `outcomeStack`: version 3 exactly as router:train trains it, on the training folds only: stage 1
 * cross-fitted over `settings.choiceFolds` inner folds (another hash of the prompt), the second
 * stage's design chosen on a second inner split of those numbers and refitted on all of them,
 * stage 1 refitted on all training rows; scored raw (stage 2 on quiz prompts, z on the others).
 * The design chosen per outer fold is reported (NESTED_WEIGHTS).
 */
type Fit = (train: LabelledRow[]) => (row: LabelledRow) => number;

export function outcomeStack(name: string, options: TrainRouterOptions, settings: StackSettings): Fit {
  return (train) => {
    const model = trainStackedRouter(train, options, settings);
    NESTED_WEIGHTS.set(name, [...(NESTED_WEIGHTS.get(name) ?? []), model.secondStage.design]);
    const scorer = createStackedScorer(model);
    return (row) => scorer.raw(row.prompt);
  };
}

/**
 * P(strong right) − P(weak right) on every prompt: a small logistic model of each outcome over its
 * stage 1 logit and the classifier's expected accuracy of that model (0 on prompts without
 * options), fitted on cross-fitted stage 1 numbers, apart for multiple-choice prompts and the others.
 */
export function strongMinusWeak(options: TrainRouterOptions, inner = 4): Fit {
  return (train) => {
    const cross = crossFitNumbers(train, options, train.map((row) => foldOfPrompt(`inner\u0000${row.prompt}`, inner)), inner, true);
    const stage2 = [false, true].map((quiz) => {
      const at = train.flatMap((_, i) => (cross.multipleChoice[i] === quiz ? [i] : []));
      if (at.length === 0) return undefined;
      const numbers = at.map((i) => cross.numbers[i]!);
      return { strong: fitSmallLogistic(numbers, [6, 3], at.map((i) => train[i]!.strongCorrect)), weak: fitSmallLogistic(numbers, [7, 2], at.map((i) => train[i]!.weakCorrect)) };
    });
    const stage1 = createStage1Scorer(fitStage1Model(train, options), true);
    return (row) => {
      const model = stage2[stage1.score(row.prompt) ? 1 : 0];
      return model === undefined ? 0 : predictSmallLogistic(model.strong, stage1.numbers) - predictSmallLogistic(model.weak, stage1.numbers);
    };
  };
}
