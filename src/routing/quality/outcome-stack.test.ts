import { describe, expect, it } from "vitest";
import { DEFAULT_TRAIN_OPTIONS, labelledRows } from "./build-router-file.js";
import { computeRoutingCurve } from "./compute-routing-curve.js";
import { foldOfPrompt } from "./fold-of-prompt.js";
import { outcomeStack } from "./outcome-stack.js";
import { parseRoutingCsv } from "./read-routing-csv.js";
import { NESTED_WEIGHTS } from "./stacked-candidates.js";
import { fitStage1 } from "./strong-minus-weak.js";
import { syntheticRoutingCsv } from "./testing/synthetic-routing-csv.js";

const { subjectClassifier, ...rest } = DEFAULT_TRAIN_OPTIONS;
const options = { ...rest, features: { ...rest.features, hashBits: 10 } };
const classifier = { ...subjectClassifier!, bits: 10 };
const rows = labelledRows([parseRoutingCsv("synthetic.csv", syntheticRoutingCsv(320), { requireOutcomes: true })]);
const trees = { trees: 20, depth: 2, learningRate: 0.1, minLeaf: 10, cuts: 15 };

describe("the outcome stack (a router:compare candidate)", () => {
  it("gives stage 1's eight numbers, the classifier's five only on prompts with options", () => {
    const stage1 = fitStage1(rows, options, classifier);
    const quiz = stage1(rows.find((row) => row.prompt.includes("\nA. "))!);
    const plain = stage1(rows.find((row) => !row.prompt.includes("\nA. "))!);
    expect(quiz.multipleChoice).toBe(true);
    expect(quiz.numbers).toHaveLength(8);
    expect(quiz.numbers.every(Number.isFinite)).toBe(true);
    expect(quiz.numbers[4]).toBeGreaterThan(0.5); // top subject probability of two subjects
    expect(plain.multipleChoice).toBe(false);
    expect(plain.numbers.slice(1, 6)).toEqual([0, 0, 0, 0, 0]);
  });

  it("chooses a second stage inside the training rows and ranks held-out prompts better than chance", () => {
    const name = "outcome stack (test)";
    const fit = outcomeStack(name, options, classifier, 8, trees);
    const held = rows.filter((row) => foldOfPrompt(row.prompt, 4) === 0);
    const score = fit(rows.filter((row) => foldOfPrompt(row.prompt, 4) !== 0));
    const chosen = NESTED_WEIGHTS.get(name)!;
    expect(chosen).toHaveLength(1);
    expect([0, 1, 2, 3]).toContain(chosen[0]);
    const scores = held.map(score);
    expect(scores.every(Number.isFinite)).toBe(true);
    expect(computeRoutingCurve(scores, held).apgr).toBeGreaterThan(0.6);
    // Deterministic: the same rows give the same scores.
    expect(held.map(outcomeStack(name, options, classifier, 8, trees)(rows.filter((row) => foldOfPrompt(row.prompt, 4) !== 0)))).toEqual(scores);
  });
});
