/** The dimension columns of a rollup row, in unique-key order. */
export const ROLLUP_DIMENSIONS = ["model_group", "provider", "deployment", "key_id", "team_id", "end_user", "status", "error_kind"] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

/**
 * Rollup breakdowns: which dimensions a row keeps. Every breakdown counts every call, so a
 * report may read whichever one holds all the dimensions it groups or filters on; the narrow
 * ones have orders of magnitude fewer rows (no key × user × deployment cross product).
 * The full breakdown is kept per minute only: its rows are about as many as the calls (key ×
 * user × deployment), and keeping it per hour and day too would cost the writer a third of its
 * throughput. The narrow ones are kept at every grain.
 */
export const ROLLUP_BREAKDOWNS: ReadonlyArray<{ id: 0 | 1 | 2; dimensions: ReadonlySet<RollupDimension>; grains: ReadonlyArray<1 | 60 | 1440> }> = [
  { id: 0, dimensions: new Set(ROLLUP_DIMENSIONS), grains: [1] },
  { id: 1, dimensions: new Set(["model_group", "provider", "deployment", "status", "error_kind"]), grains: [1, 60, 1440] },
  { id: 2, dimensions: new Set(["key_id", "team_id", "status"]), grains: [1, 60, 1440] },
];

/** Every (grain, breakdown) pair kept, finest first. */
export const ROLLUP_LEVELS: ReadonlyArray<readonly [1 | 60 | 1440, 0 | 1 | 2]> = ROLLUP_BREAKDOWNS.flatMap((breakdown) =>
  breakdown.grains.map((grain) => [grain, breakdown.id] as const),
).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

/** The narrowest breakdown that keeps every needed dimension, and the coarsest grain it has. */
export function chooseBreakdown(needed: ReadonlySet<RollupDimension>): { id: 0 | 1 | 2; maxGrain: 1 | 60 | 1440 } {
  for (const breakdown of [...ROLLUP_BREAKDOWNS].reverse()) {
    if ([...needed].every((dimension) => breakdown.dimensions.has(dimension))) {
      return { id: breakdown.id, maxGrain: Math.max(...breakdown.grains) as 1 | 60 | 1440 };
    }
  }
  return { id: 0, maxGrain: 1 };
}
