/**
 * Platt scaling: the a, b that make σ(a·z + b) the best (log-loss) estimate of the binary labels.
 * Newton's method on standardised logits (the raw ones can be tens of units wide, where an
 * undamped step from a = 1 diverges), starting from the base rate, halving any step that does
 * not lower the loss; a fixed number of steps, so the result is deterministic.
 */
export function fitPlattScaling(logits: ArrayLike<number>, labels: ArrayLike<boolean>): { scale: number; shift: number } {
  const n = logits.length;
  let mean = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    mean += logits[i]! / n;
    positives += labels[i] ? 1 : 0;
  }
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (logits[i]! - mean) ** 2 / n;
  const sd = variance > 1e-24 ? Math.sqrt(variance) : 1;
  const rate = Math.min(Math.max(positives / Math.max(n, 1), 1e-6), 1 - 1e-6);
  const x = Float64Array.from({ length: n }, (_, i) => (logits[i]! - mean) / sd);
  const loss = (a: number, b: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const t = a * x[i]! + b;
      // log(1 + e^t) − y·t, written to stay finite for large |t|.
      sum += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - (labels[i] ? t : 0);
    }
    return sum;
  };
  let a = 0;
  let b = Math.log(rate / (1 - rate));
  let current = loss(a, b);
  for (let step = 0; step < 100; step++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const t = a * x[i]! + b;
      const p = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
      const e = p - (labels[i] ? 1 : 0);
      const w = p * (1 - p);
      ga += e * x[i]!;
      gb += e;
      haa += w * x[i]! * x[i]!;
      hab += w * x[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let shrink = 1;
    let next = loss(a - da, b - db);
    while (next > current && shrink > 1e-6) {
      shrink /= 2;
      next = loss(a - shrink * da, b - shrink * db);
    }
    if (next > current) break;
    a -= shrink * da;
    b -= shrink * db;
    const done = current - next < 1e-12 * Math.max(1, current);
    current = next;
    if (done) break;
  }
  return { scale: a / sd, shift: b - (a * mean) / sd };
}
