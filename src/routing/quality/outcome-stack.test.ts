import { describe, expect, it } from "vitest";
import { DEFAULT_TRAIN_OPTIONS, labelledRows } from "./build-router-file.js";
import { computeRoutingCurve } from "./compute-routing-curve.js";
import { fitStage1Model } from "./fit-stacked-router.js";
import { foldOfPrompt } from "./fold-of-prompt.js";
import { outcomeStack } from "./outcome-stack.js";
import { parseRoutingCsv } from "./read-routing-csv.js";
import { NESTED_WEIGHTS } from "./stacked-candidates.js";
import { createStage1Scorer } from "./stacked-router-model.js";
import { syntheticRoutingCsv } from "./testing/synthetic-routing-csv.js";

const options = { ...DEFAULT_TRAIN_OPTIONS, features: { ...DEFAULT_TRAIN_OPTIONS.features, hashBits: 10 }, subjectClassifier: { ...DEFAULT_TRAIN_OPTIONS.subjectClassifier!, bits: 10 } };
const rows = labelledRows([parseRoutingCsv("synthetic.csv", syntheticRoutingCsv(320), { requireOutcomes: true })]);
const settings = { trees: { trees: 20, depth: 2, learningRate: 0.1, minLeaf: 10, cuts: 15 }, choiceFolds: 4 };

describe("version 3's stage 1 and the outcome stack (a router:compare candidate)", () => {
  it("gives stage 1's eight numbers, the classifier's five only on prompts with options", () => {
    const stage1 = createStage1Scorer(fitStage1Model(rows, options));
    expect(stage1.score(rows.find((row) => row.prompt.includes("\nA. "))!.prompt)).toBe(true);
    const quiz = [...stage1.numbers];
    expect(stage1.score(rows.find((row) => !row.prompt.includes("\nA. "))!.prompt)).toBe(false);
    const plain = [...stage1.numbers];
    expect(quiz).toHaveLength(8);
    expect(quiz.every(Number.isFinite)).toBe(true);
    expect(quiz[4]).toBeGreaterThan(0.5); // top subject probability of two subjects
    expect(plain.slice(1, 6)).toEqual([0, 0, 0, 0, 0]);
  });

  it("learns the outcomes: hard prompts score higher on 'strong right − weak right' than easy ones", () => {
    const model = fitStage1Model(rows, options);
    // Prompts without options read the outcome tables only when asked (their score is z alone).
    const shipped = createStage1Scorer(model);
    shipped.score("which theorem about the eigenvalue of the integral");
    expect([shipped.numbers[6], shipped.numbers[7]]).toEqual([0, 0]);
    const stage1 = createStage1Scorer(model, true);
    expect(stage1.numbers[0]).toBe(0);
    stage1.score("which theorem about the eigenvalue of the integral");
    const hard = stage1.numbers[6]! - stage1.numbers[7]!;
    stage1.score("which city is the capital with the river");
    const easy = stage1.numbers[6]! - stage1.numbers[7]!;
    expect(hard).toBeGreaterThan(easy);
    // z is the same number whichever tables are read.
    shipped.score("which city is the capital with the river");
    expect(shipped.numbers[0]).toBe(stage1.numbers[0]);
  });

  it("chooses a second stage inside the training rows and ranks held-out prompts better than chance", () => {
    const name = "outcome stack (test)";
    const fit = outcomeStack(name, options, settings);
    const held = rows.filter((row) => foldOfPrompt(row.prompt, 4) === 0);
    const score = fit(rows.filter((row) => foldOfPrompt(row.prompt, 4) !== 0));
    const chosen = NESTED_WEIGHTS.get(name)!;
    expect(chosen).toHaveLength(1);
    expect([0, 1, 2, 3]).toContain(chosen[0]);
    const scores = held.map(score);
    expect(scores.every(Number.isFinite)).toBe(true);
    expect(computeRoutingCurve(scores, held).apgr).toBeGreaterThan(0.6);
    // Deterministic: the same rows give the same scores.
    expect(held.map(outcomeStack(name, options, settings)(rows.filter((row) => foldOfPrompt(row.prompt, 4) !== 0)))).toEqual(scores);
  });
});
