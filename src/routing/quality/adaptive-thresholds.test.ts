import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAdaptiveThresholds, type ThresholdAdaptation } from "./adaptive-thresholds.js";
import { chooseTier } from "./choose-tier.js";

const ADAPT: ThresholdAdaptation = { step: 0.01, raiseStep: 0.0025, min: 0.3, max: 0.6, lowScore: 0.5, highScore: 0.8, near: 0.05 };

/** A deterministic stream of prompt scores (a linear congruential generator, seeded). */
function scores(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Routes `count` prompts with the current threshold and feeds back what a user would say when only
 * prompts scored at or above `needsStrongFrom` need the strong tier: a cheap answer to such a
 * prompt is bad (0.1), every other answer good (0.9).
 */
function simulate(adaptive: ReturnType<typeof createAdaptiveThresholds>, needsStrongFrom: number, count: number, seed: number): number[] {
  const next = scores(seed);
  const seen: number[] = [];
  for (let i = 0; i < count; i++) {
    const promptScore = next();
    const tier = chooseTier(adaptive.current(), promptScore).index === 0 ? "cheap" : "strong";
    const bad = tier === "cheap" && promptScore >= needsStrongFrom;
    adaptive.record({ tier, promptScore, feedback: bad ? 0.1 : 0.9 });
    seen.push(adaptive.current()[0]!);
  }
  return seen;
}

describe("adaptive thresholds (quality.adapt)", () => {
  it("moves down when the cheap tier answers prompts it cannot, and stops near the real boundary", () => {
    const adaptive = createAdaptiveThresholds(["cheap", "strong"], [0.5], ADAPT);
    const seen = simulate(adaptive, 0.4, 2_000, 7);
    expect(seen.every((t) => t >= ADAPT.min && t <= ADAPT.max)).toBe(true);
    // Bad cheap answers stop once the threshold is at the boundary (0.4); good strong answers just
    // above it nudge it back up: it hovers a little above the boundary.
    const late = seen.slice(-500);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(0.39);
    expect(Math.max(...late)).toBeLessThanOrEqual(0.45);
    expect(late.reduce((sum, t) => sum + t, 0) / late.length).toBeLessThan(0.44);
  });

  it("never goes below min however bad the feedback", () => {
    const adaptive = createAdaptiveThresholds(["cheap", "strong"], [0.5], ADAPT);
    const seen = simulate(adaptive, 0, 2_000, 11);
    expect(Math.min(...seen)).toBe(ADAPT.min);
    expect(adaptive.current()).toEqual([ADAPT.min]);
  });

  it("moves up slowly when strong answers near the threshold are good and cheap ones too, and never above max", () => {
    const adaptive = createAdaptiveThresholds(["cheap", "strong"], [0.5], ADAPT);
    const early = simulate(adaptive, 2, 100, 3);
    expect(early[early.length - 1]!).toBeGreaterThan(0.5);
    // Slower than the way down: 100 prompts raise it by less than 100 × raiseStep.
    expect(early[early.length - 1]!).toBeLessThan(0.5 + 100 * ADAPT.raiseStep);
    const seen = simulate(adaptive, 2, 5_000, 5);
    expect(Math.max(...seen)).toBe(ADAPT.max);
    expect(adaptive.current()).toEqual([ADAPT.max]);
  });

  it("ignores middling scores, strong answers far from the threshold, and unknown tiers", () => {
    const adaptive = createAdaptiveThresholds(["cheap", "strong"], [0.5], ADAPT);
    expect(adaptive.record({ tier: "cheap", promptScore: 0.45, feedback: 0.6 })).toBe(false);
    expect(adaptive.record({ tier: "strong", promptScore: 0.9, feedback: 1 })).toBe(false);
    expect(adaptive.record({ tier: "elsewhere", promptScore: 0.45, feedback: 0 })).toBe(false);
    // A bad cheap answer to a prompt scored just under the threshold lowers it to that score, no further.
    expect(adaptive.record({ tier: "cheap", promptScore: 0.495, feedback: 0 })).toBe(true);
    expect(adaptive.current()).toEqual([0.495]);
    expect(adaptive.record({ tier: "cheap", promptScore: 0.495, feedback: 0 })).toBe(false);
  });

  it("keeps several boundaries within [min, max] and ascending under any feedback stream", () => {
    const tiers = ["cheap", "middle", "strong"];
    fc.assert(
      fc.property(
        fc.array(fc.record({ tier: fc.constantFrom(...tiers), promptScore: fc.double({ min: 0, max: 1, noNaN: true }), feedback: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 300 }),
        (events) => {
          const adaptive = createAdaptiveThresholds(tiers, [0.35, 0.45], { ...ADAPT, step: 0.05, raiseStep: 0.05, near: 0.2 });
          for (const event of events) {
            adaptive.record(event);
            const [low, high] = adaptive.current();
            if (!(low! >= ADAPT.min && high! <= ADAPT.max && low! <= high!)) return false;
          }
          return true;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
