import { createFeatureBuffer, extractPromptFeatures, type FeatureOptions } from "./prompt-features.js";
import { createLogitScorer } from "./score-prompt-text.js";
import { trainRouter, type LabelledRow, type TrainRouterOptions } from "./train-router.js";

/**
 * Comparison-only designs (scripts/router-compare.ts) that measure how much a signal could add to
 * the linear router before anyone pays for shipping it: the true subject label (a ceiling: scoring
 * cannot read it) and the outcomes of the nearest training prompts (kNN, cosine over hashed words).
 */
type Fit = (train: LabelledRow[]) => (row: LabelledRow) => number;

const gainOf = (row: LabelledRow): number => (row.strongCorrect ? 1 : 0) - (row.weakCorrect ? 1 : 0);

/** The linear router's logit plus `weight` × the mean gain of the prompt's labelled subject in training. */
export function linearPlusSubjectLabel(options: TrainRouterOptions, weight: number): Fit {
  return (train) => {
    const logit = createLogitScorer(trainRouter(train, options));
    const sums = new Map<string, [number, number]>();
    for (const row of train) {
      const key = `${row.dataset}/${row.domain ?? ""}`;
      const s = sums.get(key) ?? [0, 0];
      s[0] += gainOf(row);
      s[1]++;
      sums.set(key, s);
    }
    return (row) => {
      const s = sums.get(`${row.dataset}/${row.domain ?? ""}`);
      return logit(row.prompt) + weight * (s ? s[0] / (s[1] + 1) : 0);
    };
  };
}

/**
 * The linear router's logit plus `weight` × the mean gain of the k training prompts most similar
 * to the prompt (cosine over hashed words, IDF-weighted, words in over 5% of the prompts skipped).
 */
export function linearPlusNeighbours(options: TrainRouterOptions, k: number, weight: number): Fit {
  const words: FeatureOptions = { hashBits: 18, wordBigrams: false, charNgram: 0 };
  return (train) => {
    const logit = createLogitScorer(trainRouter(train, options));
    const buffer = createFeatureBuffer();
    const bags = train.map((row) => {
      extractPromptFeatures(row.prompt, words, buffer);
      return [...new Set(buffer.indices.subarray(0, buffer.length))];
    });
    const postings = new Map<number, number[]>();
    bags.forEach((bag, d) => bag.forEach((w) => (postings.get(w) ?? postings.set(w, []).get(w)!).push(d)));
    const idf = (w: number): number => Math.log(train.length / (postings.get(w)?.length ?? train.length));
    const norms = bags.map((bag) => Math.sqrt(bag.reduce((a, w) => a + idf(w) ** 2, 0)) || 1);
    const gains = train.map(gainOf);
    const dot = new Float64Array(train.length);
    return (row) => {
      extractPromptFeatures(row.prompt, words, buffer);
      const bag = [...new Set(buffer.indices.subarray(0, buffer.length))];
      dot.fill(0);
      for (const w of bag) {
        const list = postings.get(w);
        if (list === undefined || list.length > 0.05 * train.length) continue;
        const x = idf(w) ** 2;
        for (const d of list) dot[d] = dot[d]! + x;
      }
      const best = Array.from(dot.keys()).filter((d) => dot[d]! > 0).sort((a, b) => dot[b]! / norms[b]! - dot[a]! / norms[a]! || a - b).slice(0, k);
      const mean = best.length > 0 ? best.reduce((a, d) => a + gains[d]!, 0) / best.length : 0;
      return logit(row.prompt) + weight * mean;
    };
  };
}
