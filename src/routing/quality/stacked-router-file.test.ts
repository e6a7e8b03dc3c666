import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { buildRouterFile, DEFAULT_TRAIN_OPTIONS } from "./build-router-file.js";
import { loadPromptScorer, loadRouter } from "./load-prompt-scorer.js";
import { mayContainPrompt } from "./prompt-bloom-filter.js";
import { parseRoutingCsv } from "./read-routing-csv.js";
import { RouterFileError } from "./router-file-error.js";
import { serializeRouterFile } from "./router-file.js";
import { createStackedScorer } from "./stacked-router-model.js";
import { syntheticRoutingCsv } from "./testing/synthetic-routing-csv.js";

const dir = mkdtempSync(join(tmpdir(), "stacked-router-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = { ...DEFAULT_TRAIN_OPTIONS, features: { ...DEFAULT_TRAIN_OPTIONS.features, hashBits: 10 } };
const dataset = parseRoutingCsv("synthetic.csv", syntheticRoutingCsv(240), { requireOutcomes: true });
const trained = serializeRouterFile(buildRouterFile([dataset], { train: small, folds: 3, version: 3 }));
const path = join(dir, "router.json");
writeFileSync(path, trained);

function stacked() {
  const { file } = loadRouter(path);
  if (file.version !== 3) throw new Error("trained a version 3 file");
  return file;
}

function loadError(text: string): RouterFileError {
  const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, text);
  try {
    loadPromptScorer(file);
  } catch (error) {
    if (RouterFileError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("loaded a bad router file");
}

describe("version 3 router files (the outcome stack)", () => {
  it("trains byte-identical files from the same data", () => {
    expect(serializeRouterFile(buildRouterFile([dataset], { train: small, folds: 3, version: 3 }))).toBe(trained);
  });

  it("trains a different file from different data", () => {
    const other = parseRoutingCsv("synthetic.csv", syntheticRoutingCsv(240, 8), { requireOutcomes: true });
    expect(serializeRouterFile(buildRouterFile([other], { train: small, folds: 3, version: 3 }))).not.toBe(trained);
  });

  it("loads a trained file: the scores rank hard prompts above easy ones, the training prompts are remembered", () => {
    const { scorer, file } = loadRouter(path);
    expect(scorer.source).toBe(path);
    expect(scorer.version).toMatch(/^3:[0-9a-f]{12}$/);
    const hard = scorer.score([{ role: "user", content: "which theorem about the eigenvalue of the integral" }]);
    const easy = scorer.score([{ role: "user", content: "which city is the capital with the river" }]);
    expect(hard).toBeGreaterThan(easy);
    expect(dataset.rows.every((row) => mayContainPrompt(file.trainingPrompts, row.prompt))).toBe(true);
    expect(mayContainPrompt(file.trainingPrompts, "a prompt that was never in training")).toBe(false);
    expect(file.heldOut[0]).toMatchObject({ data: "synthetic", prompts: 240, folds: 3 });
    // Better than random (0.5) on the folds it did not see, from 160 training prompts.
    expect(file.heldOut[0]!.apgr).toBeGreaterThan(0.55);
  });

  it("scores any conversation in [0, 1]", () => {
    const { scorer } = loadRouter(path);
    const message = fc.record({ role: fc.constantFrom("system", "user", "assistant") as fc.Arbitrary<"system" | "user" | "assistant">, content: fc.option(fc.string({ unit: "binary", maxLength: 400 }), { nil: null }) });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 4 }), (messages) => {
        const score = scorer.score(messages);
        expect(score >= 0 && score <= 1).toBe(true);
      }),
    );
  });

  it("calibrates thresholdForStrongShare: non-increasing in the share, 1 at 0 and 0 at 1", () => {
    const { scorer } = loadRouter(path);
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
    const { scorer } = loadRouter(path);
    const scores = dataset.rows.map((row) => scorer.score([{ role: "user", content: row.prompt }]));
    for (const share of [0.2, 0.5]) {
      const up = scores.filter((s) => s >= scorer.thresholdForStrongShare(share)).length / scores.length;
      expect(Math.abs(up - share)).toBeLessThan(0.2);
    }
  });

  it("refuses a file that is not JSON, another format, or another version", () => {
    expect(loadError(trained.slice(0, 1000)).reason).toMatch(/^not JSON/);
    expect(loadError('{"format":"something-else"}').reason).toMatch(/not a router file/);
    expect(loadError(trained.replace('"version": 3', '"version": 4')).reason).toMatch(/format version 4, this Switchyard reads versions 2 and 3: retrain it/);
    // A version 3 file labelled 2 is read as version 2 and refused for its missing fields, never misread.
    expect(loadError(trained.replace('"version": 3', '"version": 2')).reason).toMatch(/model\.bias must be a finite number/);
  });

  it("refuses a file whose weights or calibration are out of shape", () => {
    const json = JSON.parse(trained) as { model: Record<string, Record<string, unknown>>; scoreQuantiles: number[] };
    const bad = (field: string, change: Record<string, unknown> | null): string =>
      loadError(JSON.stringify({ ...json, model: { ...json.model, [field]: change === null ? undefined : { ...json.model[field], ...change } } })).reason;
    expect(bad("gain", { hashed: (json.model.gain!.hashed as string).slice(0, 40) })).toMatch(/model\.gain\.hashed holds 30 bytes, expected 2048 \(2\^hashBits int16 weights\)/);
    expect(bad("strong", { hashed: 7 })).toMatch(/model\.strong\.hashed must be base64 text/);
    expect(bad("weak", null)).toMatch(/model\.weak must be an object/);
    expect(bad("gain", { dense: [1, 2] })).toMatch(/model\.gain\.dense must be an array of 18 numbers/);
    expect(bad("strong", { scale: 0 })).toMatch(/model\.strong\.scale must be positive/);
    expect(bad("weak", { bias: "x" })).toMatch(/model\.weak\.bias must be a finite number/);
    expect(bad("quizOutput", { scale: -1 })).toMatch(/model\.quizOutput\.scale must be positive/);
    expect(bad("output", null)).toMatch(/model\.output must be an object/);
    expect(loadError(JSON.stringify({ ...json, model: { ...json.model, strongAccuracy: [0.5] } })).reason).toMatch(/model\.strongAccuracy must be an array of 2 numbers/);
    expect(loadError(JSON.stringify({ ...json, model: { ...json.model, weakAccuracy: [0.5, 2] } })).reason).toMatch(/model\.weakAccuracy\[1\] must be in \[0, 1\]/);
    expect(loadError(JSON.stringify({ ...json, scoreQuantiles: [0.9, 0.1] })).reason).toMatch(/scoreQuantiles\[1\] is out of order/);
  });

  it("stores the second stage, and refuses one whose parts do not fit its design", () => {
    const json = JSON.parse(trained) as { model: { secondStage: Record<string, unknown> } };
    const stage = json.model.secondStage;
    expect([0, 1, 2, 3]).toContain(stage.design);
    const withStage = (change: Record<string, unknown>): string => JSON.stringify({ ...json, model: { ...json.model, secondStage: { ...stage, ...change } } });
    const logistic = { inputs: [6, 3], mean: [0, 0.5], scale: [1, 2], weights: [0.1, 1, 0.5] };
    const trees = { inputs: 8, depth: 1, base: 0, feature: [6, -1], threshold: [0.5, 0], leaf: [-0.1, 0.2, 0, 0] };
    // Every design loads with exactly its parts…
    for (const [design, parts] of [
      [0, { strong: null, weak: null, trees: null }],
      [1, { strong: logistic, weak: { ...logistic, inputs: [7, 2] }, trees: null }],
      [2, { strong: null, weak: null, trees }],
      [3, { strong: logistic, weak: logistic, trees }],
    ] as const) {
      writeFileSync(path.replace(".json", `-design-${design}.json`), withStage({ design, ...parts }));
      const scorer = loadPromptScorer(path.replace(".json", `-design-${design}.json`));
      expect(scorer.score([{ role: "user", content: "which theorem?\nA. one\nB. two" }])).toBeGreaterThan(0);
    }
    // …and is refused with a missing or an extra one.
    expect(loadError(withStage({ design: 3, strong: logistic, weak: logistic, trees: null })).reason).toMatch(/model\.secondStage\.trees must be an object/);
    expect(loadError(withStage({ design: 0, strong: logistic, weak: null, trees: null })).reason).toMatch(/model\.secondStage\.strong must be null for design 0/);
    expect(loadError(withStage({ design: 4 })).reason).toMatch(/model\.secondStage\.design must be an integer in 0\.\.3/);
    expect(loadError(withStage({ design: 1, strong: { ...logistic, inputs: [8, 3] }, weak: logistic, trees: null })).reason).toMatch(/strong\.inputs\[0\] must be an integer in 0\.\.7/);
    expect(loadError(withStage({ design: 1, strong: { ...logistic, weights: [1, 2] }, weak: logistic, trees: null })).reason).toMatch(/strong\.weights must be an array of 3 numbers/);
    const badTrees = (change: Record<string, unknown>): string => loadError(withStage({ design: 2, strong: null, weak: null, trees: { ...trees, ...change } })).reason;
    expect(badTrees({ feature: [8, -1] })).toMatch(/trees\.feature\[0\] must be an integer in -1\.\.7/);
    expect(badTrees({ leaf: [1, 2, 3] })).toMatch(/trees\.leaf must hold 2\^depth leaves per tree/);
    expect(badTrees({ threshold: [0.5] })).toMatch(/trees\.threshold must be an array of 2 numbers/);
    expect(badTrees({ depth: 0 })).toMatch(/trees\.depth must be an integer in 1\.\.8/);
    expect(badTrees({ inputs: 9 })).toMatch(/trees\.inputs must be 8/);
  });

  it("stores the subject classifier, and refuses one out of shape", () => {
    const json = JSON.parse(trained) as { model: { subjectClassifier: Record<string, unknown> } };
    const classifier = json.model.subjectClassifier;
    expect(classifier).toMatchObject({ subjects: ["algebra", "trivia"], bits: 10, maxFeatures: DEFAULT_TRAIN_OPTIONS.subjectClassifier!.maxFeatures });
    const bad = (change: Record<string, unknown>): string => loadError(JSON.stringify({ ...json, model: { ...json.model, subjectClassifier: { ...classifier, ...change } } })).reason;
    expect(bad({ weights: (classifier.weights as string).slice(0, 40) })).toMatch(/model\.subjectClassifier\.weights holds 30 bytes, expected 2048/);
    expect(bad({ bits: 11 })).toMatch(/model\.subjectClassifier\.bits must be an integer in 4\.\.10/);
    expect(bad({ subjects: ["algebra", "algebra"] })).toMatch(/subjects must be an array of at least 2 distinct names/);
    expect(bad({ bias: [0] })).toMatch(/model\.subjectClassifier\.bias must be an array of 2 numbers/);
    expect(bad({ difficulty: [0, "hard"] })).toMatch(/model\.subjectClassifier\.difficulty\[1\] must be a finite number/);
    expect(bad({ scale: 0 })).toMatch(/model\.subjectClassifier\.scale must be positive/);
    expect(bad({ maxFeatures: 0 })).toMatch(/maxFeatures must be an integer in 1\.\.514/);
    expect(bad({ maxFeatures: 515 })).toMatch(/maxFeatures must be an integer in 1\.\.514/);
    expect(loadError(JSON.stringify({ ...json, model: { ...json.model, subjectClassifier: [] } })).reason).toMatch(/model\.subjectClassifier must be an object/);
  });

  it("scores deterministically, whatever was scored before (buffers reused, no state carried over)", () => {
    const file = stacked();
    const a = createStackedScorer(file.model);
    const b = createStackedScorer(file.model);
    const quiz = "which theorem about the eigenvalue?\nA. one\nB. two\nAnswer:";
    const plain = "which city is the capital with the river";
    const long = `${"the integral of the lemma, 42 + 7 = 49. ".repeat(500)}\nA. x\nB. y`;
    const first = [a.score(quiz), a.score(plain), a.score(long)];
    const again = [a.score(long), a.score(plain), a.score(quiz)].reverse();
    expect(again).toEqual(first);
    expect([b.score(quiz), b.score(plain), b.score(long)]).toEqual(first);
  });

  it("runs the second stage on multiple-choice prompts only", () => {
    const file = stacked();
    const shipped = createStackedScorer(file.model);
    const other = createStackedScorer({ ...file.model, secondStage: { design: 0, weight: 100, strong: null, weak: null, trees: null } });
    const quiz = "which theorem about the eigenvalue?\nA. one\nB. two\nAnswer:";
    const plain = "which theorem about the eigenvalue?";
    expect(other.score(plain)).toBe(shipped.score(plain));
    expect(other.score(quiz)).not.toBe(shipped.score(quiz));
  });
});
