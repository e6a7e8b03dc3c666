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

const fitLinear = (options: TrainRouterOptions) => (train: LabelledRow[]) => {
  const scorer = createTextScorer(trainRouter(train, options));
  return (row: LabelledRow) => scorer(row.prompt);
};

const firstPerFold = new Map<string, number[]>();
console.log(`${rows.length} prompts, ${folds}-fold held-out APGR (CPT50 / CPT80 / share at 95%)`);
for (const candidate of candidates as Candidate[]) {
  const started = performance.now();
  const scores = heldOutScores(candidate.options ? fitLinear(candidate.options) : candidate.fit!);
  const cells = datasets.map((name) => {
    const at = rows.flatMap((r, i) => (r.dataset === name ? [i] : []));
    const curve = computeRoutingCurve(at.map((i) => scores[i]!), at.map((i) => rows[i]!));
    // The spread of APGR across the held-out folds: a difference between candidates smaller than it is noise.
    const perFold = Array.from({ length: folds }, (_, f) => {
      const inFold = at.filter((i) => foldIds[i] === f);
      return computeRoutingCurve(inFold.map((i) => scores[i]!), inFold.map((i) => rows[i]!)).apgr;
    });
    const mean = perFold.reduce((a, b) => a + b, 0) / folds;
    const sd = Math.sqrt(perFold.reduce((a, b) => a + (b - mean) ** 2, 0) / (folds - 1));
    // Against the first candidate listed, fold by fold (paired: the fold's own difficulty cancels out).
    const first = firstPerFold.get(name) ?? perFold;
    firstPerFold.set(name, first);
    const diff = perFold.map((a, f) => a - first[f]!);
    const diffMean = diff.reduce((a, b) => a + b, 0) / folds;
    const diffSd = Math.sqrt(diff.reduce((a, b) => a + (b - diffMean) ** 2, 0) / (folds - 1));
    return `${name} ${curve.apgr.toFixed(3)} (${curve.cpt50.toFixed(2)}/${curve.cpt80.toFixed(2)}/${curve.share95.toFixed(2)}) folds ${mean.toFixed(3)}±${sd.toFixed(3)} vs first ${diffMean >= 0 ? "+" : ""}${diffMean.toFixed(3)}±${diffSd.toFixed(3)}`;
  });
  console.log(`${candidate.name.padEnd(34)} ${cells.join("  ")}  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
