/**
 * A logistic regression over a few of a prompt's stage 1 numbers (version 3's second stage):
 * `inputs` names which numbers it reads, standardised with the training mean and scale.
 */
export interface SmallLogistic {
  /** Indices into the stage 1 numbers. */
  inputs: number[];
  mean: Float64Array;
  scale: Float64Array;
  /** The bias, then one weight per input. */
  weights: Float64Array;
}

/** The model's probability for the stage 1 numbers `x` (reads x[inputs[j]]; no allocation). */
export function predictSmallLogistic(model: SmallLogistic, x: ArrayLike<number>): number {
  const { inputs, mean, scale, weights } = model;
  let t = weights[0]!;
  for (let j = 0; j < inputs.length; j++) t += weights[j + 1]! * (x[inputs[j]!]! - mean[j]!) * scale[j]!;
  return 1 / (1 + Math.exp(-t));
}

/** Fits it by Newton's method with a small ridge on standardised inputs; deterministic. */
export function fitSmallLogistic(numbers: readonly ArrayLike<number>[], inputs: readonly number[], labels: readonly boolean[], ridge = 1e-4): SmallLogistic {
  const n = numbers.length;
  const d = inputs.length;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const x of numbers) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[inputs[j]!]! / n;
  for (const x of numbers) for (let j = 0; j < d; j++) scale[j] = scale[j]! + (x[inputs[j]!]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = scale[j]! > 1e-12 ? 1 / Math.sqrt(scale[j]!) : 0;
  const z = numbers.map((x) => [1, ...inputs.map((at, j) => (x[at]! - mean[j]!) * scale[j]!)]);
  const w = new Float64Array(d + 1);
  for (let step = 0; step < 50; step++) {
    const g = new Float64Array(d + 1);
    const h = Array.from({ length: d + 1 }, () => new Float64Array(d + 1));
    for (let i = 0; i < n; i++) {
      const x = z[i]!;
      let t = 0;
      for (let j = 0; j <= d; j++) t += w[j]! * x[j]!;
      const p = 1 / (1 + Math.exp(-t));
      const e = p - (labels[i] ? 1 : 0);
      for (let j = 0; j <= d; j++) {
        g[j] = g[j]! + e * x[j]!;
        for (let k = 0; k <= d; k++) h[j]![k] = h[j]![k]! + p * (1 - p) * x[j]! * x[k]!;
      }
    }
    for (let j = 1; j <= d; j++) {
      g[j] = g[j]! + ridge * n * w[j]!;
      h[j]![j] = h[j]![j]! + ridge * n;
    }
    // Damping only (no penalty on the bias): on separable rows every p(1 − p) underflows to 0 and
    // the bias's curvature with it; the step then stays finite. The converged weights are the same.
    h[0]![0] = h[0]![0]! + 1e-9 * n;
    const delta = solveLinear(h, g);
    if (!delta.every(Number.isFinite)) break;
    let largest = 0;
    for (let j = 0; j <= d; j++) {
      w[j] = w[j]! - delta[j]!;
      largest = Math.max(largest, Math.abs(delta[j]!));
    }
    if (largest < 1e-9) break;
  }
  return { inputs: [...inputs], mean, scale, weights: w };
}

/** Solves a x = b (Gauss–Jordan with partial pivoting; a is small and positive definite here). */
function solveLinear(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k] = m[r]![k]! - f * m[c]![k]!;
    }
  }
  return Float64Array.from(m, (row, i) => row[n]! / row[i]!);
}
