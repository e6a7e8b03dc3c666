/**
 * `npm run -s router:compare -- --data A.csv --data B.csv [--folds 5]`: the model comparison behind
 * docs/quality-router.md. Every candidate is scored by k-fold cross-validation split by prompt
 * hash (train on K−1 folds, score the held-out fold), and the held-out APGR is reported per file:
 * pooled over the folds, per fold as mean ± standard deviation, and the per-fold difference to the
 * first candidate run (mean ± standard deviation): a gain smaller than its spread is noise.
 */
import { parseArgs } from "node:util";
import { computeRoutingCurve } from "../src/routing/quality/compute-routing-curve.js";
import { foldOfPrompt } from "../src/routing/quality/fold-of-prompt.js";
import { readRoutingCsv } from "../src/routing/quality/read-routing-csv.js";
import { createTextScorer } from "../src/routing/quality/score-prompt-text.js";
import { trainRouter, type LabelledRow, type TrainRouterOptions } from "../src/routing/quality/train-router.js";
import { ROUTER_CANDIDATES, type Candidate } from "../src/routing/quality/router-candidates.js";
import { countSubjectGuess, NESTED_WEIGHTS, SUBJECT_ACCURACY } from "../src/routing/quality/stacked-candidates.js";
import { createFeatureBuffer, DENSE_COUNT } from "../src/routing/quality/feature-buffer.js";
import { extractPromptFeatures } from "../src/routing/quality/extract-prompt-features.js";
import { createSubjectScorer } from "../src/routing/quality/create-subject-scorer.js";

const { values } = parseArgs({ options: { data: { type: "string", multiple: true }, folds: { type: "string", default: "5" }, only: { type: "string" } } });
const folds = Number(values.folds);
const rows: LabelledRow[] = (values.data ?? []).flatMap((file) => {
  const dataset = readRoutingCsv(file, { requireOutcomes: true });
  return dataset.rows.map((row) => ({ ...row, weakCorrect: row.weakCorrect!, strongCorrect: row.strongCorrect!, dataset: dataset.name }));
});
const datasets = [...new Set(rows.map((r) => r.dataset))];
// --only takes a list separated by "|"; the first candidate left is the one the others are compared with.
const wanted = values.only?.split("|");
const candidates = ROUTER_CANDIDATES.filter((c) => wanted === undefined || wanted.some((w) => c.name.includes(w)));

const foldIds = rows.map((r) => foldOfPrompt(r.prompt, folds));

function heldOutScores(fit: (train: LabelledRow[]) => (row: LabelledRow) => number): Float64Array {
  const scores = new Float64Array(rows.length);
  for (let f = 0; f < folds; f++) {
    const score = fit(rows.filter((_, i) => foldIds[i] !== f));
    rows.forEach((row, i) => {
      if (foldIds[i] === f) scores[i] = score(row);
    });
  }
  return scores;
}

// A router with a subject classifier also reports the classifier's held-out top-1 accuracy.
const fitLinear = (name: string, options: TrainRouterOptions) => (train: LabelledRow[]) => {
  const model = trainRouter(train, options);
  const scorer = createTextScorer(model);
  const classifier = model.subjectClassifier;
  if (classifier === undefined) return (row: LabelledRow) => scorer(row.prompt);
  const buffer = createFeatureBuffer();
  const subjects = createSubjectScorer(classifier);
  return (row: LabelledRow) => {
    extractPromptFeatures(row.prompt, model.features, buffer);
    if (buffer.dense[DENSE_COUNT - 1]! > 0.5) countSubjectGuess(name, classifier, subjects.posterior(buffer), row.domain);
    return scorer(row.prompt);
  };
};

const firstPerFold = new Map<string, number[]>();
console.log(`${rows.length} prompts, ${folds}-fold held-out APGR (CPT50 / CPT80 / share at 95%)`);
for (const candidate of candidates as Candidate[]) {
  const started = performance.now();
  const scores = heldOutScores(candidate.options ? fitLinear(candidate.name, candidate.options) : candidate.fit!);
  const cells = datasets.map((name) => {
    const at = rows.flatMap((r, i) => (r.dataset === name ? [i] : []));
    const curve = computeRoutingCurve(at.map((i) => scores[i]!), at.map((i) => rows[i]!));
    // The spread of APGR across the held-out folds: a difference between candidates smaller than it is noise.
    const curves = Array.from({ length: folds }, (_, f) => {
      const inFold = at.filter((i) => foldIds[i] === f);
      return computeRoutingCurve(inFold.map((i) => scores[i]!), inFold.map((i) => rows[i]!));
    });
    const perFold = curves.map((c) => c.apgr);
    // The other figures per fold too (mean ± sd): CPT(50%), CPT(80%), share at 95%.
    const spread = (values: number[]): string => {
      const m = values.reduce((a, b) => a + b, 0) / folds;
      return `${m.toFixed(2)}±${Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (folds - 1)).toFixed(2)}`;
    };
    const otherFigures = `${spread(curves.map((c) => c.cpt50))}/${spread(curves.map((c) => c.cpt80))}/${spread(curves.map((c) => c.share95))}`;
    const mean = perFold.reduce((a, b) => a + b, 0) / folds;
    const sd = Math.sqrt(perFold.reduce((a, b) => a + (b - mean) ** 2, 0) / (folds - 1));
    // Against the first candidate listed, fold by fold (paired: the fold's own difficulty cancels out).
    const first = firstPerFold.get(name) ?? perFold;
    firstPerFold.set(name, first);
    const diff = perFold.map((a, f) => a - first[f]!);
    const diffMean = diff.reduce((a, b) => a + b, 0) / folds;
    const diffSd = Math.sqrt(diff.reduce((a, b) => a + (b - diffMean) ** 2, 0) / (folds - 1));
    return `${name} ${curve.apgr.toFixed(3)} (${curve.cpt50.toFixed(2)}/${curve.cpt80.toFixed(2)}/${curve.share95.toFixed(2)}) folds ${mean.toFixed(3)}±${sd.toFixed(3)} (${otherFigures}) vs first ${diffMean >= 0 ? "+" : ""}${diffMean.toFixed(3)}±${diffSd.toFixed(3)} (per fold ${perFold.map((a) => a.toFixed(3)).join(" ")}; better in ${diff.filter((d) => d > 0).length} of ${folds})`;
  });
  const accuracy = SUBJECT_ACCURACY.get(candidate.name);
  const nested = NESTED_WEIGHTS.get(candidate.name);
  const subjects = (accuracy ? `  subject top-1 ${(accuracy.correct / accuracy.total).toFixed(3)} of ${accuracy.total}` : "") + (nested ? `  weights chosen ${nested.join(", ")}` : "");
  console.log(`${candidate.name.padEnd(34)} ${cells.join("  ")}${subjects}  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
