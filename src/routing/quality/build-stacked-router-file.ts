import { heldOutFigures, labelledRows, quantiles, QUANTILE_COUNT, trainingPromptsOf, type BuildRouterFileOptions } from "./build-router-file.js";
import { fitPlattScaling } from "./fit-platt-scaling.js";
import { crossFitNumbers, DEFAULT_STACK_SETTINGS, secondStageOf, trainStackedRouter, type StackSettings } from "./fit-stacked-router.js";
import { foldOfPrompt } from "./fold-of-prompt.js";
import { sigmoid } from "./linear-router-model.js";
import type { RoutingDataset } from "./read-routing-csv.js";
import type { RouterFile } from "./router-file.js";
import { SECOND_STAGE_DESIGNS, secondStageScore } from "./stacked-router-model.js";
import type { LabelledRow, TrainRouterOptions } from "./train-router.js";

/**
 * Version 3's held-out scores, calibrated: stage 1 cross-fitted over `folds` folds by prompt hash
 * (each row's numbers from a stage 1 that never saw it), and for each fold a second stage chosen
 * and fitted on the other folds' numbers, applied to the fold's. Platt scaling is fitted on these
 * scores, apart for multiple-choice prompts and the others (their raw scores are on other scales).
 * The stage 1 numbers of the other folds come from models that did see the held-out fold's prompts
 * (what makes this cost 5 stage 1 fits, not 25); the held-out prompt's own numbers never do.
 */
export function stackedHeldOutScores(rows: readonly LabelledRow[], options: TrainRouterOptions, settings: StackSettings, folds: number) {
  const foldIds = rows.map((row) => foldOfPrompt(row.prompt, folds));
  const cross = crossFitNumbers(rows, options, foldIds, folds);
  const raw = new Float64Array(rows.length);
  const designs: number[] = [];
  for (let f = 0; f < folds; f++) {
    const stage = secondStageOf(rows.flatMap((_, i) => (foldIds[i] !== f ? [i] : [])), rows, cross, options, settings);
    designs.push(stage.design);
    rows.forEach((_, i) => {
      if (foldIds[i] === f) raw[i] = cross.multipleChoice[i] ? secondStageScore(stage, cross.numbers[i]!) : cross.numbers[i]![0]!;
    });
  }
  const platt = (quiz: boolean) => {
    const at = rows.flatMap((_, i) => (cross.multipleChoice[i] === quiz ? [i] : []));
    if (at.length === 0) return { scale: 1, shift: 0 };
    const fitted = fitPlattScaling(at.map((i) => raw[i]!), at.map((i) => rows[i]!.strongCorrect && !rows[i]!.weakCorrect));
    // A model that ranks worse than chance on held-out prompts must still not have its ranking flipped.
    return { scale: Math.max(fitted.scale, 1e-3), shift: fitted.shift };
  };
  const output = platt(false);
  const quizOutput = platt(true);
  const scores = raw.map((s, i) => {
    const o = cross.multipleChoice[i] ? quizOutput : output;
    return sigmoid(o.scale * s + o.shift);
  });
  return { scores, cross, designs, output, quizOutput };
}

/**
 * Trains version 3 on every row (stage 1 on all rows, the second stage on the rows' cross-fitted
 * numbers) and, from the same cross-fitting, the held-out scores behind the output scalings, the
 * `strongShare` quantiles and the file's held-out figures (stackedHeldOutScores).
 */
export function buildStackedRouterFile(datasets: readonly RoutingDataset[], train: TrainRouterOptions, folds: number, options: BuildRouterFileOptions): RouterFile {
  const settings = options.stack ?? DEFAULT_STACK_SETTINGS;
  const rows = labelledRows(datasets);
  const held = stackedHeldOutScores(rows, train, settings, folds);
  const model = { ...trainStackedRouter(rows, train, settings, held.cross), output: held.output, quizOutput: held.quizOutput };
  return {
    version: 3,
    model,
    scoreQuantiles: quantiles(held.scores, QUANTILE_COUNT),
    trainingPrompts: trainingPromptsOf(rows),
    heldOut: heldOutFigures(datasets.map((d) => d.name), rows, held.scores, folds),
    training: {
      rows: rows.length,
      sources: options.sources ?? [],
      options: train,
      stack: settings,
      secondStage: { design: model.secondStage.design, name: SECOND_STAGE_DESIGNS[model.secondStage.design], heldOutFoldDesigns: held.designs },
      calibration: `quantiles of ${folds}-fold held-out scores`,
    },
  };
}
