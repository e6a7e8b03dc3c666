import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_TRAIN_OPTIONS } from "./build-router-file.js";
import { loadPromptScorer, loadRouter } from "./load-prompt-scorer.js";
import { mayContainPrompt } from "./prompt-bloom-filter.js";
import { parseRoutingCsv } from "./read-routing-csv.js";
import { RouterFileError } from "./router-file-error.js";
import { createTextScorer } from "./score-prompt-text.js";
import { syntheticRoutingCsv } from "./testing/synthetic-routing-csv.js";
import { trainedRouterFixture } from "./testing/trained-router-fixture.js";

// What every version of the file must do; each version's own fields are tested below and in stacked-router-file.test.ts.
describe.each([2, 3] as const)("version %i router files", (version) => {
  const router = trainedRouterFixture(version);
  afterAll(() => router.remove());

  it("trains byte-identical files from the same data", () => {
    expect(router.train(router.dataset)).toBe(router.trained);
  });

  it("trains a different file from different data", () => {
    const other = parseRoutingCsv("synthetic.csv", syntheticRoutingCsv(240, 8), { requireOutcomes: true });
    expect(router.train(other)).not.toBe(router.trained);
  });

  it("loads a trained file: the scores rank hard prompts above easy ones, the training prompts are remembered", () => {
    const { scorer, file } = loadRouter(router.path);
    expect(scorer.source).toBe(router.path);
    expect(scorer.version).toMatch(new RegExp(`^${version}:[0-9a-f]{12}$`));
    const hard = scorer.score([{ role: "user", content: "which theorem about the eigenvalue of the integral" }]);
    const easy = scorer.score([{ role: "user", content: "which city is the capital with the river" }]);
    expect(hard).toBeGreaterThan(easy);
    expect(router.dataset.rows.every((row) => mayContainPrompt(file.trainingPrompts, row.prompt))).toBe(true);
    expect(mayContainPrompt(file.trainingPrompts, "a prompt that was never in training")).toBe(false);
    expect(file.heldOut[0]).toMatchObject({ data: "synthetic", prompts: 240, folds: 3 });
    // Better than random (0.5) on the folds it did not see, from 160 training prompts.
    expect(file.heldOut[0]!.apgr).toBeGreaterThan(0.55);
  });

  it("scores any conversation in [0, 1]", () => {
    const { scorer } = loadRouter(router.path);
    const message = fc.record({ role: fc.constantFrom("system", "user", "assistant") as fc.Arbitrary<"system" | "user" | "assistant">, content: fc.option(fc.string({ unit: "binary", maxLength: 400 }), { nil: null }) });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 4 }), (messages) => {
        const score = scorer.score(messages);
        expect(score >= 0 && score <= 1).toBe(true);
      }),
    );
  });

  it("calibrates thresholdForStrongShare: non-increasing in the share, 1 at 0 and 0 at 1", () => {
    const { scorer } = loadRouter(router.path);
    expect(scorer.thresholdForStrongShare(0)).toBe(1);
    expect(scorer.thresholdForStrongShare(1)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(scorer.thresholdForStrongShare(hi)).toBeLessThanOrEqual(scorer.thresholdForStrongShare(lo));
      }),
    );
  });

  it("sends about the asked share of the training prompts up at the calibrated threshold", () => {
    const { scorer } = loadRouter(router.path);
    const scores = router.dataset.rows.map((row) => scorer.score([{ role: "user", content: row.prompt }]));
    for (const share of [0.2, 0.5]) {
      const up = scores.filter((s) => s >= scorer.thresholdForStrongShare(share)).length / scores.length;
      expect(Math.abs(up - share)).toBeLessThan(0.2);
    }
  });

  it("stores the subject classifier, and refuses one out of shape", () => {
    const json = JSON.parse(router.trained) as { model: { subjectClassifier: Record<string, unknown> } };
    const classifier = json.model.subjectClassifier;
    expect(classifier).toMatchObject({ subjects: ["algebra", "trivia"], bits: 10, maxFeatures: DEFAULT_TRAIN_OPTIONS.subjectClassifier!.maxFeatures });
    const bad = (change: Record<string, unknown>): string => router.loadError(JSON.stringify({ ...json, model: { ...json.model, subjectClassifier: { ...classifier, ...change } } })).reason;
    expect(bad({ weights: (classifier.weights as string).slice(0, 40) })).toMatch(/model\.subjectClassifier\.weights holds 30 bytes, expected 2048/);
    expect(bad({ bits: 11 })).toMatch(/model\.subjectClassifier\.bits must be an integer in 4\.\.10/);
    expect(bad({ subjects: ["algebra", "algebra"] })).toMatch(/subjects must be an array of at least 2 distinct names/);
    expect(bad({ bias: [0] })).toMatch(/model\.subjectClassifier\.bias must be an array of 2 numbers/);
    expect(bad({ difficulty: [0, "hard"] })).toMatch(/model\.subjectClassifier\.difficulty\[1\] must be a finite number/);
    expect(bad({ scale: 0 })).toMatch(/model\.subjectClassifier\.scale must be positive/);
    expect(bad({ maxFeatures: 0 })).toMatch(/maxFeatures must be an integer in 1\.\.514/);
    expect(bad({ maxFeatures: 515 })).toMatch(/maxFeatures must be an integer in 1\.\.514/);
    expect(router.loadError(JSON.stringify({ ...json, model: { ...json.model, subjectClassifier: [] } })).reason).toMatch(/model\.subjectClassifier must be an object/);
  });

});

describe("version 2 router files (kept for comparison: router:train --version 2)", () => {
  const router = trainedRouterFixture(2);
  afterAll(() => router.remove());
  const { trained, path, dir, loadError } = router;

  it("refuses a missing file, naming it", () => {
    const missing = join(dir, "nope.json");
    expect(() => loadPromptScorer(missing)).toThrow(RouterFileError);
    expect(() => loadPromptScorer(missing)).toThrow(`router file ${missing}: no such file`);
  });

  it("refuses a file that is not JSON, another format, or another version", () => {
    expect(loadError(trained.slice(0, 1000)).reason).toMatch(/^not JSON/);
    expect(loadError('{"format":"something-else"}').reason).toMatch(/not a router file/);
    // Version 1 files (a subject regression, no subject classifier) are refused, not misread.
    expect(loadError(trained.replace('"version": 2', '"version": 1')).reason).toMatch(/format version 1, this Switchyard reads versions 2 and 3: retrain it/);
  });

  it("refuses a file whose weights or calibration are out of shape", () => {
    const json = JSON.parse(trained) as { model: { hashed: string; dense: number[] }; scoreQuantiles: number[] };
    const cut = { ...json, model: { ...json.model, hashed: json.model.hashed.slice(0, 40) } };
    expect(loadError(JSON.stringify(cut)).reason).toMatch(/model\.hashed holds \d+ bytes, expected 4096/);
    expect(loadError(JSON.stringify({ ...json, model: { ...json.model, dense: [1, 2] } })).reason).toMatch(/model\.dense must be an array of 18 numbers/);
    expect(loadError(JSON.stringify({ ...json, scoreQuantiles: [0.9, 0.1] })).reason).toMatch(/scoreQuantiles\[1\] is out of order/);
  });

  it("adds the subject classifier's expected difficulty to multiple-choice prompts only", () => {
    const { file } = loadRouter(path);
    if (file.version !== 2) throw new Error("trained a version 2 file");
    const without = createTextScorer({ ...file.model, subjectClassifier: undefined });
    const withIt = createTextScorer(file.model);
    const quiz = "which theorem about the eigenvalue?\nA. one\nB. two\nAnswer:";
    const plain = "which theorem about the eigenvalue?";
    expect(withIt(plain)).toBe(without(plain));
    expect(withIt(quiz)).not.toBe(without(quiz));
  });
});
