/** A slice of a usage range answered by one rollup grain (minutes), or by raw calls (grain 0). */
export interface RollupSegment {
  grain: 0 | 1 | 60 | 1440;
  /** Inclusive; undefined = unbounded. */
  from?: Date;
  /** Exclusive; undefined = unbounded. */
  to?: Date;
}

const GRAINS = [1440, 60, 1] as const;

/**
 * Cuts [from, to) into the fewest rollup reads: whole days from the day grain, the hours at
 * either end from the hour grain, then minutes, and any sub-minute edge from raw calls (the
 * only part that is not a rollup read, at most two minutes of calls). `maxGrain` keeps every
 * segment inside one report bucket (HOUR buckets cannot be read from day rows).
 */
export function planRollupSegments(from: Date | undefined, to: Date | undefined, maxGrain: 1 | 60 | 1440): RollupSegment[] {
  if (from !== undefined && to !== undefined && from.getTime() >= to.getTime()) return [];
  return plan(from, to, GRAINS.filter((grain) => grain <= maxGrain));
}

function plan(from: Date | undefined, to: Date | undefined, grains: readonly (1 | 60 | 1440)[]): RollupSegment[] {
  const [grain, ...finer] = grains;
  if (grain === undefined) return [{ grain: 0, from, to }];
  const span = grain * 60_000;
  const start = from === undefined ? undefined : new Date(Math.ceil(from.getTime() / span) * span);
  const end = to === undefined ? undefined : new Date(Math.floor(to.getTime() / span) * span);
  if (start !== undefined && end !== undefined && start.getTime() >= end.getTime()) return plan(from, to, finer);
  const segments: RollupSegment[] = [];
  if (from !== undefined && start !== undefined && from.getTime() < start.getTime()) segments.push(...plan(from, start, finer));
  segments.push({ grain, from: start, to: end });
  if (to !== undefined && end !== undefined && end.getTime() < to.getTime()) segments.push(...plan(end, to, finer));
  return segments;
}
