import type { CallRecord } from "../core/index.js";
import { type LatencySketch, addToSketch, encodeSketch, mergeEncoded } from "./latency-sketch.js";
import { picoToUsd, usdToPico } from "./pico-to-usd.js";
import { ANY_STATUS, ROLLUP_DIMENSIONS, ROLLUP_LEVELS, type RollupBreakdownId, type RollupDimension, type RollupGrain, rollupBreakdown } from "./rollup-breakdowns.js";

export type { RollupGrain } from "./rollup-breakdowns.js";

/** A `call_rollups` row in the JSON shape json_populate_recordset reads. */
export interface CallRollupJsonRow {
  grain: RollupGrain;
  breakdown: RollupBreakdownId;
  bucket_start: string;
  model_group: string | null;
  provider: string | null;
  deployment: string | null;
  key_id: string | null;
  team_id: string | null;
  end_user: string | null;
  status: string;
  error_kind: string | null;
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  /** Absent in increments stored before migration 0015 (read as 0). */
  cache_write_tokens: number;
  cost_usd: string;
  latency_sketch: number[];
  ttft_sketch: number[];
}

type RollupKeyFields = Pick<CallRollupJsonRow, "grain" | "breakdown" | "bucket_start" | RollupDimension>;

interface Accumulator {
  row: Omit<CallRollupJsonRow, "cost_usd" | "latency_sketch" | "ttft_sketch">;
  costPico: bigint;
  latency: LatencySketch;
  ttft: LatencySketch;
}

/** The level the writer records increments at: every dimension, per minute. All others derive from it. */
export const INCREMENT_LEVEL = [1, 0] as const satisfies readonly [RollupGrain, RollupBreakdownId];

/**
 * Sums rollup increments per grain × breakdown × bucket × dimension values. Rows come out
 * sorted by that key: concurrent writers then lock `call_rollups` rows in the same order and
 * cannot deadlock each other.
 */
export class RollupAccumulator {
  private readonly groups = new Map<string, Accumulator>();

  /** Counts a stored call at the given levels (every level kept, by default). */
  addCall(record: CallRecord, levels: ReadonlyArray<readonly [RollupGrain, RollupBreakdownId]> = ROLLUP_LEVELS): void {
    const time = record.createdAt.getTime();
    const values: Record<RollupDimension, string | null> = {
      model_group: record.modelGroup,
      provider: record.provider,
      deployment: record.deployment,
      key_id: record.keyId,
      team_id: record.teamId,
      end_user: record.endUser,
      status: record.status,
      error_kind: record.errorKind,
    };
    for (const [grain, breakdownId] of levels) {
      const group = this.groupFor(levelKey(grain, breakdownId, time, values));
      const { row } = group;
      row.requests += 1;
      if (record.status === "ERROR") row.errors += 1;
      row.prompt_tokens += record.promptTokens;
      row.completion_tokens += record.completionTokens;
      row.cached_tokens += record.cachedTokens;
      row.cache_write_tokens += record.cacheWriteTokens ?? 0;
      group.costPico += record.costPico;
      addToSketch(group.latency, record.latencyMs);
      if (record.ttftMs !== null && record.ttftMs !== undefined) addToSketch(group.ttft, record.ttftMs);
    }
  }

  /**
   * Adds an increment recorded at INCREMENT_LEVEL (a `call_rollup_deltas` element) to every
   * level kept (each is the same calls re-bucketed, with the dimensions it drops set to NULL),
   * or only to its own level with `levels = [INCREMENT_LEVEL]` (to sum increments first).
   */
  addIncrement(increment: CallRollupJsonRow, levels: ReadonlyArray<readonly [RollupGrain, RollupBreakdownId]> = ROLLUP_LEVELS): void {
    const time = Date.parse(increment.bucket_start);
    const costPico = usdToPico(String(increment.cost_usd));
    for (const [grain, breakdownId] of levels) {
      const group = this.groupFor(levelKey(grain, breakdownId, time, increment));
      const { row } = group;
      row.requests += Number(increment.requests);
      row.errors += Number(increment.errors);
      row.prompt_tokens += Number(increment.prompt_tokens);
      row.completion_tokens += Number(increment.completion_tokens);
      row.cached_tokens += Number(increment.cached_tokens);
      row.cache_write_tokens += Number(increment.cache_write_tokens ?? 0);
      group.costPico += costPico;
      mergeEncoded(group.latency, increment.latency_sketch);
      mergeEncoded(group.ttft, increment.ttft_sketch);
    }
  }

  get size(): number {
    return this.groups.size;
  }

  /** The sums; in key order (the lock order upserts need) unless `sorted` is false. */
  rows(sorted = true): CallRollupJsonRow[] {
    const entries = [...this.groups.entries()];
    if (sorted) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.map(([, group]) => ({
        ...group.row,
        cost_usd: picoToUsd(group.costPico),
        latency_sketch: encodeSketch(group.latency),
        ttft_sketch: encodeSketch(group.ttft),
      }));
  }

  private groupFor(key: RollupKeyFields): Accumulator {
    // Bucket starts are ISO strings of one fixed width, so the key sorts by time within a level.
    const id = `${key.grain}\u0000${key.breakdown}\u0000${key.bucket_start}\u0000${ROLLUP_DIMENSIONS.map((d) => (key[d] === null ? "" : `v${key[d]}`)).join("\u0000")}`;
    let group = this.groups.get(id);
    if (group === undefined) {
      const dimensions = {} as Record<RollupDimension, string | null>;
      for (const dimension of ROLLUP_DIMENSIONS) dimensions[dimension] = key[dimension];
      group = {
        row: {
          grain: key.grain,
          breakdown: key.breakdown,
          bucket_start: key.bucket_start,
          ...dimensions,
          status: key.status,
          requests: 0,
          errors: 0,
          prompt_tokens: 0,
          completion_tokens: 0,
          cached_tokens: 0,
          cache_write_tokens: 0,
        },
        costPico: 0n,
        latency: new Map(),
        ttft: new Map(),
      };
      this.groups.set(id, group);
    }
    return group;
  }
}

/**
 * The rollup increments of newly stored calls at INCREMENT_LEVEL: one row per minute and
 * combination of every dimension (the merger derives the other levels from these).
 */
export function buildCallRollupRows(records: Iterable<CallRecord>): CallRollupJsonRow[] {
  const accumulator = new RollupAccumulator();
  for (const record of records) accumulator.addCall(record, [INCREMENT_LEVEL]);
  // Stored as one row and summed again by the merger: no order needed.
  return accumulator.rows(false);
}

/** A level's key for calls at `time` with these dimension values: bucket start and the breakdown's dimensions. */
function levelKey(grain: RollupGrain, breakdown: RollupBreakdownId, time: number, values: Record<RollupDimension, string | null>): RollupKeyFields {
  const span = grain * 60_000;
  const dimensions = rollupBreakdown(breakdown).dimensions;
  const kept = {} as Record<RollupDimension, string | null>;
  for (const dimension of ROLLUP_DIMENSIONS) kept[dimension] = dimensions.has(dimension) ? values[dimension] : null;
  return { grain, breakdown, bucket_start: new Date(Math.floor(time / span) * span).toISOString(), ...kept, status: (dimensions.has("status") ? values.status : null) ?? ANY_STATUS };
}
