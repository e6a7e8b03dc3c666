import { describe, expect, it } from "vitest";
import { computeRoutingCurve } from "./compute-routing-curve.js";

const o = (weak: 0 | 1, strong: 0 | 1) => ({ weakCorrect: weak === 1, strongCorrect: strong === 1 });

describe("computeRoutingCurve", () => {
  // Four prompts: weak right on 2 (quality 0.5), strong right on 3 (0.75); gap 0.25.
  // Gains of sending each one up: +1, 0, +1, −1.
  const outcomes = [o(0, 1), o(1, 1), o(0, 1), o(1, 0)];

  it("computes quality, PGR and APGR by hand for a ranking", () => {
    // Sent up in order p0, p1, p2, p3.
    const curve = computeRoutingCurve([0.9, 0.6, 0.5, 0.1], outcomes);
    expect(curve.weakQuality).toBe(0.5);
    expect(curve.strongQuality).toBe(0.75);
    expect(curve.points.map((p) => p.quality)).toEqual([0.5, 0.75, 0.75, 1, 0.75]);
    expect(curve.points.map((p) => p.pgr)).toEqual([0, 1, 1, 2, 1]);
    // Trapezoids of width 0.25: (0+1)/2 + (1+1)/2 + (1+2)/2 + (2+1)/2 = 4.5 → × 0.25 = 1.125.
    expect(curve.apgr).toBeCloseTo(1.125, 12);
    expect(curve.cpt50).toBeCloseTo(0.125, 12);
    expect(curve.cpt80).toBeCloseTo(0.2, 12);
    // 95% of 0.75 is 0.7125: 0.85 of the way from 0.5 to 0.75 → share 0.2125.
    expect(curve.share95).toBeCloseTo(0.2125, 12);
  });

  it("treats equal scores as one straight step, whatever the input order", () => {
    const a = computeRoutingCurve([0.5, 0.5, 0.5, 0.5], outcomes);
    expect(a.points.map((p) => p.strongShare)).toEqual([0, 1]);
    expect(a.apgr).toBeCloseTo(0.5, 12);
    const b = computeRoutingCurve([0.5, 0.5, 0.5, 0.5], [...outcomes].reverse());
    expect(b.apgr).toBe(a.apgr);
  });

  it("gives the reversed ranking an APGR below a half", () => {
    // p3 first (PGR −1), then p2 (0), p1 (0), p0 (1): (−0.5 − 0.5 + 0 + 0.5) × 0.25.
    expect(computeRoutingCurve([0.1, 0.5, 0.6, 0.9], outcomes).apgr).toBeCloseTo(-0.125, 12);
  });

  it("reports a share of 1 when the goal is never reached, and refuses mismatched input", () => {
    // No gap to recover: PGR stays 0, and 95% of the strong quality is there from the start.
    const never = computeRoutingCurve([1, 0], [o(1, 1), o(0, 0)]);
    expect(never.cpt50).toBe(1);
    expect(never.share95).toBe(0);
    expect(() => computeRoutingCurve([1], outcomes)).toThrow(RangeError);
    expect(() => computeRoutingCurve([], [])).toThrow(RangeError);
  });
  it("refuses a score that is not a number (it would never group with itself)", () => {
    const outcomes = [{ weakCorrect: false, strongCorrect: true }, { weakCorrect: true, strongCorrect: true }];
    expect(() => computeRoutingCurve([0.5, Number.NaN], outcomes)).toThrow(/score 1 is not a number/);
  });
});
