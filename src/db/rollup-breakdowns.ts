/** The dimension columns of a rollup row, in unique-key order. */
export const ROLLUP_DIMENSIONS = ["model_group", "provider", "deployment", "key_id", "team_id", "end_user", "status", "error_kind"] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

export type RollupBreakdownId = 0 | 1 | 2 | 3 | 4 | 5;
export type RollupGrain = 1 | 60 | 1440;

interface RollupBreakdown {
  id: RollupBreakdownId;
  dimensions: ReadonlySet<RollupDimension>;
  grains: ReadonlyArray<RollupGrain>;
}

/**
 * Rollup breakdowns: which dimensions a row keeps. Every breakdown counts every call, so a
 * report may read whichever one holds all the dimensions it groups or filters on; the narrow
 * ones have orders of magnitude fewer rows (no key × user × deployment cross product).
 * The full breakdown is kept per minute only: its rows are about as many as the calls (key ×
 * user × deployment), so hour and day copies would cost the merger without serving a report
 * the narrow ones cannot. The narrow ones are kept at every grain.
 * Breakdowns 4 and 5 are 1 and 2 without status and error kind (their rows hold status '', every
 * status summed): a report that neither groups nor filters by status merges one pre-merged sketch
 * per deployment or key and bucket instead of one per status and error kind (about 5 and 3 times
 * fewer rows and sketch elements to read, decode and merge at the usual status mix).
 */
export const ROLLUP_BREAKDOWNS: ReadonlyArray<RollupBreakdown> = [
  { id: 0, dimensions: new Set(ROLLUP_DIMENSIONS), grains: [1] },
  { id: 1, dimensions: new Set(["model_group", "provider", "deployment", "status", "error_kind"]), grains: [1, 60, 1440] },
  { id: 2, dimensions: new Set(["key_id", "team_id", "status"]), grains: [1, 60, 1440] },
  { id: 3, dimensions: new Set(["end_user", "key_id", "team_id", "status"]), grains: [1, 60, 1440] },
  { id: 4, dimensions: new Set(["model_group", "provider", "deployment"]), grains: [1, 60, 1440] },
  { id: 5, dimensions: new Set(["key_id", "team_id"]), grains: [1, 60, 1440] },
];

/** The status a row of a breakdown without status holds: every status, summed (the column is NOT NULL). */
export const ANY_STATUS = "";

/** Which breakdown a report prefers when several hold its dimensions: the one with the fewest rows first. */
const PREFERENCE: readonly RollupBreakdownId[] = [4, 5, 2, 1, 3, 0];

/** Every (grain, breakdown) pair kept, finest first. */
export const ROLLUP_LEVELS: ReadonlyArray<readonly [RollupGrain, RollupBreakdownId]> = ROLLUP_BREAKDOWNS.flatMap((breakdown) =>
  breakdown.grains.map((grain) => [grain, breakdown.id] as const),
).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

export function rollupBreakdown(id: RollupBreakdownId): RollupBreakdown {
  return ROLLUP_BREAKDOWNS.find((breakdown) => breakdown.id === id)!;
}

/** The narrowest breakdown that keeps every needed dimension, and the coarsest grain it has. */
export function chooseBreakdown(needed: ReadonlySet<RollupDimension>): { id: RollupBreakdownId; maxGrain: RollupGrain } {
  for (const id of PREFERENCE) {
    const breakdown = rollupBreakdown(id);
    if ([...needed].every((dimension) => breakdown.dimensions.has(dimension))) {
      return { id, maxGrain: Math.max(...breakdown.grains) as RollupGrain };
    }
  }
  return { id: 0, maxGrain: 1 };
}
