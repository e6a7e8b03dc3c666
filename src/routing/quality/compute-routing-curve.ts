/** One point of the cost–quality curve: the share of prompts sent to the strong model and what it buys. */
export interface CurvePoint {
  strongShare: number;
  quality: number;
  /** Performance gap recovered: 0 at the weak model's quality, 1 at the strong model's. */
  pgr: number;
}

export interface RoutingCurve {
  prompts: number;
  weakQuality: number;
  strongQuality: number;
  points: CurvePoint[];
  /** Area under PGR over strong share ∈ [0, 1], trapezoids over every cut between distinct scores. */
  apgr: number;
  /** Smallest strong share reaching PGR ≥ 0.5 / 0.8 (linear between cuts); 1 when never reached. */
  cpt50: number;
  cpt80: number;
  /** Smallest strong share reaching 95% of the strong model's quality. */
  share95: number;
}

export interface Outcome {
  weakCorrect: boolean;
  strongCorrect: boolean;
}

/**
 * The RouteLLM report (arXiv 2406.18665) for one ranking: the prompts with the highest scores go to
 * the strong model. Prompts with equal scores are one step of the curve, drawn as a straight line
 * (the expected curve under a random order among them), so the result never depends on input order.
 */
export function computeRoutingCurve(scores: ArrayLike<number>, outcomes: readonly Outcome[]): RoutingCurve {
  const n = outcomes.length;
  if (scores.length !== n) throw new RangeError(`${scores.length} scores for ${n} outcomes`);
  // NaN would never equal itself in the grouping of equal scores below.
  for (let i = 0; i < n; i++) if (Number.isNaN(scores[i]!)) throw new RangeError(`score ${i} is not a number`);
  if (n === 0) throw new RangeError("no prompts to evaluate");
  let weakTotal = 0;
  let strongTotal = 0;
  for (const o of outcomes) {
    weakTotal += o.weakCorrect ? 1 : 0;
    strongTotal += o.strongCorrect ? 1 : 0;
  }
  const weakQuality = weakTotal / n;
  const strongQuality = strongTotal / n;
  const gap = strongQuality - weakQuality;
  const pgrOf = (quality: number): number => (gap === 0 ? 0 : (quality - weakQuality) / gap);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const points: CurvePoint[] = [{ strongShare: 0, quality: weakQuality, pgr: pgrOf(weakQuality) }];
  let correct = weakTotal;
  for (let i = 0; i < n; ) {
    const score = scores[order[i]!]!;
    while (i < n && scores[order[i]!] === score) {
      const o = outcomes[order[i]!]!;
      correct += (o.strongCorrect ? 1 : 0) - (o.weakCorrect ? 1 : 0);
      i++;
    }
    const quality = correct / n;
    points.push({ strongShare: i / n, quality, pgr: pgrOf(quality) });
  }
  let apgr = 0;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1]!;
    const b = points[k]!;
    apgr += ((a.pgr + b.pgr) / 2) * (b.strongShare - a.strongShare);
  }
  const firstShare = (reached: (p: CurvePoint) => number): number => {
    // reached(p) ≥ 0 means the goal is met at p; interpolate linearly inside the step that crosses it.
    if (reached(points[0]!) >= 0) return 0;
    for (let k = 1; k < points.length; k++) {
      const b = points[k]!;
      const rb = reached(b);
      if (rb >= 0) {
        const a = points[k - 1]!;
        const ra = reached(a);
        return a.strongShare + ((b.strongShare - a.strongShare) * -ra) / (rb - ra);
      }
    }
    return 1;
  };
  const target95 = 0.95 * strongQuality;
  return {
    prompts: n,
    weakQuality,
    strongQuality,
    points,
    apgr,
    cpt50: firstShare((p) => p.pgr - 0.5),
    cpt80: firstShare((p) => p.pgr - 0.8),
    // Tolerance: 0.95 × quality is rarely exact in binary, and a tie with the goal reaches it.
    share95: firstShare((p) => (Math.abs(p.quality - target95) < 1e-12 ? 0 : p.quality - target95)),
  };
}
