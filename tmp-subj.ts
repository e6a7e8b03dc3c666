import { readRoutingCsv } from "./src/routing/quality/read-routing-csv.js";
import { readWordVectors, wordVectorFeatures } from "./src/routing/quality/word-vector-features.js";
import { fitSubjectClassifier } from "./src/routing/quality/fit-subject-classifier.js";
import { createFeatureBuffer, DENSE_COUNT, extractPromptFeatures } from "./src/routing/quality/prompt-features.js";
import { foldOfPrompt } from "./src/routing/quality/fold-of-prompt.js";
import { createSubjectScorer, softmaxInPlace } from "./src/routing/quality/subject-classifier.js";
import { topSubject } from "./src/routing/quality/fit-subject-classifier.js";
const v = readWordVectors("/tmp/wv", 50000);
const rows = readRoutingCsv("../shared/data/routellm/mmlu_dev.csv", { requireOutcomes: true }).rows.map((r) => ({ ...r, weakCorrect: r.weakCorrect!, strongCorrect: r.strongCorrect! }));
const features = { hashBits: 18, wordBigrams: true, charNgram: 0, separateKinds: true };
const buffer = createFeatureBuffer();
const ex = rows.map((r) => { extractPromptFeatures(r.prompt, features, buffer); return { indices: buffer.indices.slice(0, buffer.length), mc: buffer.dense[DENSE_COUNT - 1]! > 0.5, wv: wordVectorFeatures(r.prompt, v).slice(0, 200) }; });
const folds = rows.map((r) => foldOfPrompt(r.prompt, 5));
const heldFold = Number(process.argv[2] ?? 1);
const train = rows.flatMap((_, i) => (folds[i] !== heldFold && folds[i] !== 0 ? [i] : []));
const test = rows.flatMap((_, i) => (folds[i] === heldFold ? [i] : []));
const mean = new Float64Array(200), scale = new Float64Array(200);
for (const i of train) for (let j = 0; j < 200; j++) mean[j] += ex[i]!.wv[j]! / train.length;
for (let j = 0; j < 200; j++) { let s = 0; for (const i of train) s += (ex[i]!.wv[j]! - mean[j]!) ** 2 / train.length; scale[j] = s > 1e-12 ? 1 / Math.sqrt(s) : 0; }
const std = (i: number) => ex[i]!.wv.map((x, j) => (x - mean[j]!) * scale[j]!);
const configs: [string, number | undefined, number, boolean][] = [["hashed only", undefined, 1e-5, false], ["dense rate 0.5", 0.5, 1e-5, true], ["dense rate 0.1", 0.1, 1e-5, true], ["dense rate 0.03", 0.03, 1e-5, true], ["dense rate 0.01", 0.01, 1e-5, true]];
for (const [label, rate, l2, withDense] of configs) {
  const c = fitSubjectClassifier(train.map((i) => ({ ...rows[i]!, indices: ex[i]!.indices, multipleChoice: ex[i]!.mc, ...(withDense ? { dense: std(i) } : {}) })), { bits: 15, maxFeatures: 128, epochs: 2, l2, learningRate: 0.5, seed: 1, weight: 8, ...(rate !== undefined ? { denseLearningRate: rate } : {}) })!;
  const scorer = createSubjectScorer(c);
  let correct = 0, n = 0;
  const z = new Float64Array(c.bias.length);
  for (const i of test) {
    if (!ex[i]!.mc) continue;
    extractPromptFeatures(rows[i]!.prompt, features, buffer);
    const p = scorer.posterior(buffer);
    const x = std(i);
    for (let s = 0; s < z.length; s++) { let sum = Math.log(p[s]! + 1e-300); if (c.dense) for (let j = 0; j < 200; j++) sum += c.dense[j * z.length + s]! * x[j]!; z[s] = sum; }
    softmaxInPlace(z);
    n++; if (topSubject(c, z) === rows[i]!.domain) correct++;
  }
  console.log(label, (correct / n).toFixed(3), n);
}
