/**
 * Gradient-boosted regression trees over a few dense inputs (squared loss), small and exact enough
 * to ship in a router file and evaluate in well under a microsecond: every tree is complete and of
 * the same depth, stored flat (node j's children are 2j + 1 and 2j + 2; a node that did not split
 * sends every input left, and its right subtree is never reached).
 */
export interface BoostedTrees {
  /** How many inputs each prediction reads. */
  inputs: number;
  depth: number;
  /** The prediction before any tree: the training targets' mean. */
  base: number;
  /** Per tree, its 2^depth − 1 inner nodes: the input read (−1: no split, go left) and its threshold (input > threshold: right). */
  feature: Int32Array;
  threshold: Float64Array;
  /** Per tree, its 2^depth leaves' values (already times the learning rate). */
  leaf: Float64Array;
}

export interface BoostedTreesOptions {
  trees: number;
  depth: number;
  learningRate: number;
  /** No leaf holds fewer training rows. */
  minLeaf: number;
  /** Candidate thresholds per input: this many quantiles of its training values. */
  cuts: number;
}

export const treeCount = (model: BoostedTrees): number => model.leaf.length >> model.depth;

/** The model's prediction for one input vector. */
export function predictBoostedTrees(model: BoostedTrees, x: ArrayLike<number>): number {
  const { depth, feature, threshold, leaf } = model;
  const inner = (1 << depth) - 1;
  const trees = leaf.length >> depth;
  let sum = model.base;
  for (let t = 0; t < trees; t++) {
    const at = t * inner;
    let node = 0;
    for (let level = 0; level < depth; level++) {
      const f = feature[at + node]!;
      node = 2 * node + (f >= 0 && x[f]! > threshold[at + node]! ? 2 : 1);
    }
    sum += leaf[(t << depth) + node - inner]!;
  }
  return sum;
}

/**
 * Fits the trees to `targets` (least squares), greedily level by level over histograms of the
 * inputs binned at their quantiles. Deterministic: no sampling, ties go to the first input and the
 * lowest threshold.
 */
export function fitBoostedTrees(inputs: readonly ArrayLike<number>[], targets: ArrayLike<number>, options: BoostedTreesOptions): BoostedTrees {
  const n = inputs.length;
  if (n === 0) throw new RangeError("no rows to fit the trees on");
  const d = inputs[0]!.length;
  const { depth, trees, learningRate, minLeaf } = options;
  const inner = (1 << depth) - 1;
  // Each input's candidate thresholds and every row's bin (bin b: value ≤ cut b, above cut b − 1).
  const cuts: Float64Array[] = [];
  const bins: Uint8Array[] = [];
  for (let j = 0; j < d; j++) {
    const sorted = Float64Array.from(inputs, (x) => x[j]!).sort();
    const distinct: number[] = [];
    for (let q = 1; q <= Math.min(options.cuts, 255); q++) {
      const v = sorted[Math.min(n - 1, Math.floor((q / (options.cuts + 1)) * n))]!;
      if (distinct.length === 0 || v > distinct[distinct.length - 1]!) distinct.push(v);
    }
    const c = Float64Array.from(distinct);
    cuts.push(c);
    bins.push(Uint8Array.from(inputs, (x) => lowerBound(c, x[j]!)));
  }
  let base = 0;
  for (let i = 0; i < n; i++) base += targets[i]! / n;
  const prediction = new Float64Array(n).fill(base);
  const residual = new Float64Array(n);
  const node = new Int32Array(n);
  const feature = new Int32Array(trees * inner).fill(-1);
  const threshold = new Float64Array(trees * inner);
  const leaf = new Float64Array(trees << depth);
  const sums = new Float64Array(256);
  const counts = new Float64Array(256);
  for (let t = 0; t < trees; t++) {
    for (let i = 0; i < n; i++) residual[i] = targets[i]! - prediction[i]!;
    node.fill(0);
    for (let level = 0; level < depth; level++) {
      const first = (1 << level) - 1;
      for (let k = first; k < 2 * first + 1; k++) {
        let total = 0;
        let count = 0;
        for (let i = 0; i < n; i++) {
          if (node[i] !== k) continue;
          total += residual[i]!;
          count++;
        }
        let bestGain = 1e-12;
        let bestFeature = -1;
        let bestBin = 0;
        for (let j = 0; j < d; j++) {
          const c = cuts[j]!.length;
          sums.fill(0, 0, c + 1);
          counts.fill(0, 0, c + 1);
          const b = bins[j]!;
          for (let i = 0; i < n; i++) {
            if (node[i] !== k) continue;
            sums[b[i]!] = sums[b[i]!]! + residual[i]!;
            counts[b[i]!] = counts[b[i]!]! + 1;
          }
          let left = 0;
          let leftCount = 0;
          for (let bin = 0; bin < c; bin++) {
            left += sums[bin]!;
            leftCount += counts[bin]!;
            const rightCount = count - leftCount;
            if (leftCount < minLeaf || rightCount < minLeaf) continue;
            const gain = (left * left) / leftCount + ((total - left) * (total - left)) / rightCount - (total * total) / count;
            if (gain > bestGain) [bestGain, bestFeature, bestBin] = [gain, j, bin];
          }
        }
        if (bestFeature < 0) {
          // No split: every row goes left, as predictBoostedTrees sends every input.
          for (let i = 0; i < n; i++) if (node[i] === k) node[i] = 2 * k + 1;
          continue;
        }
        feature[t * inner + k] = bestFeature;
        threshold[t * inner + k] = cuts[bestFeature]![bestBin]!;
        const b = bins[bestFeature]!;
        for (let i = 0; i < n; i++) if (node[i] === k) node[i] = 2 * k + (b[i]! > bestBin ? 2 : 1);
      }
    }
    const leafSums = new Float64Array(1 << depth);
    const leafCounts = new Float64Array(1 << depth);
    for (let i = 0; i < n; i++) {
      const l = node[i]! - inner;
      leafSums[l] = leafSums[l]! + residual[i]!;
      leafCounts[l] = leafCounts[l]! + 1;
    }
    for (let l = 0; l < 1 << depth; l++) leaf[(t << depth) + l] = leafCounts[l]! > 0 ? (learningRate * leafSums[l]!) / leafCounts[l]! : 0;
    for (let i = 0; i < n; i++) prediction[i] = prediction[i]! + leaf[(t << depth) + node[i]! - inner]!;
  }
  return { inputs: d, depth, base, feature, threshold, leaf };
}

/** The first index whose cut is ≥ value (cuts sorted ascending): the value's bin. */
function lowerBound(cuts: Float64Array, value: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
