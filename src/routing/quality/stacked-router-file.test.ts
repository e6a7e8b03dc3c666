import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadPromptScorer, loadRouter } from "./load-prompt-scorer.js";
import type { SmallLogistic } from "./small-logistic.js";
import { createFeatureBuffer } from "./feature-buffer.js";
import { extractPromptFeatures } from "./extract-prompt-features.js";
import { createStackedScorer, createStage1Scorer, secondStageScore, stageReadsZ, type HashedLinear, type SecondStage } from "./stacked-router-model.js";
import { trainedRouterFixture } from "./testing/trained-router-fixture.js";

const router = trainedRouterFixture(3);
afterAll(() => router.remove());
const { trained, path, loadError } = router;

function stacked() {
  const { file } = loadRouter(path);
  if (file.version !== 3) throw new Error("trained a version 3 file");
  return file;
}

describe("version 3 router files (the outcome stack, the builtin's format)", () => {
  it("loads the shipped builtin router, a version 3 file", () => {
    const builtin = loadRouter("builtin");
    expect(builtin.file.version).toBe(3);
    expect(builtin.scorer.source).toBe("builtin");
    expect(builtin.scorer.version).toMatch(/^3:[0-9a-f]{12}$/);
    for (const content of ["What is 2 + 2?", "Which is a prime?\nA. 4\nB. 6\nC. 7\nD. 9"]) {
      const score = builtin.scorer.score([{ role: "user", content }]);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
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

  it("scores a second stage that never reads z from the two outcome tables alone, as from all three", () => {
    const file = stacked();
    const logistic: SmallLogistic = { inputs: [6, 3], mean: Float64Array.of(0, 0.5), scale: Float64Array.of(1, 2), weights: Float64Array.of(0.1, 1, 0.5) };
    const designOne: SecondStage = { design: 1, weight: 8, strong: logistic, weak: { ...logistic, inputs: [7, 2] }, trees: null };
    expect(stageReadsZ(designOne)).toBe(false);
    expect(stageReadsZ({ ...designOne, strong: { ...logistic, inputs: [0, 3] } })).toBe(true);
    expect(stageReadsZ({ design: 0, weight: 8, strong: null, weak: null, trees: null })).toBe(true);
    const model = { ...file.model, secondStage: designOne };
    const lean = createStackedScorer(model);
    const full = createStage1Scorer(model);
    const quiz = ["which theorem about the eigenvalue?\nA. one\nB. two\nAnswer:", `${"the integral of the lemma, 42 + 7 = 49. ".repeat(500)}\nA. x\nB. y`];
    for (const text of [...quiz, "which city is the capital with the river"]) {
      const multipleChoice = full.score(text);
      expect(lean.raw(text)).toBe(multipleChoice ? secondStageScore(designOne, full.numbers) : full.numbers[0]!);
    }
  });

  it("reads int8 tables when every hashed weight fits in a byte, with the same scores as int16 tables", () => {
    const file = stacked();
    const designOne: SecondStage = { ...file.model.secondStage, design: 1, trees: null };
    // The weights of a file trained with hashedRange 127 (the builtin's): within a byte.
    const narrow = (m: HashedLinear): HashedLinear => ({ ...m, hashed: m.hashed.map((v) => Math.round(v / 258)) });
    const model = { ...file.model, gain: narrow(file.model.gain), strong: narrow(file.model.strong), weak: narrow(file.model.weak), secondStage: designOne };
    const size = model.gain.hashed.length;
    // One weight out of a byte's range in a bucket no text below reaches keeps the tables int16 (the same sums).
    const buffer = createFeatureBuffer();
    const texts = ["which theorem about the eigenvalue?\nA. one\nB. two\nAnswer:", "which city is the capital with the river", `${"the integral of the lemma, 42 + 7 = 49. ".repeat(500)}\nA. x\nB. y`];
    const used = new Set(texts.flatMap((t) => (extractPromptFeatures(t, model.features, buffer), [...buffer.indices.subarray(0, buffer.length)])));
    const spare = Array.from({ length: size }, (_, i) => i).find((i) => !used.has(i))!;
    const wide = { ...model, weak: { ...model.weak, hashed: Int16Array.from(model.weak.hashed, (v, i) => (i === spare ? 1000 : v)) } };
    expect(createStage1Scorer(model, false, false).tableBytes).toBe(2 * size + size);
    expect(createStage1Scorer(model).tableBytes).toBe(4 * size + size);
    expect(createStage1Scorer(wide, false, false).tableBytes).toBe(2 * (2 * size + size));
    const int8 = createStackedScorer(model);
    const int16 = createStackedScorer(wide);
    for (const text of texts) expect(int8.score(text)).toBe(int16.score(text));
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
