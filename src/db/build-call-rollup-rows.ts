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

interface Accumulator {
  /** Its cost and sketches are filled in from the fields below when the rows are read. */
  row: CallRollupJsonRow;
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
  /** ISO strings of the bucket starts seen (a batch spans a minute or two). */
  private readonly bucketStarts = new Map<number, string>();

  /** Counts a stored call at the given levels (every level kept, by default). */
  addCall(record: CallRecord, levels: ReadonlyArray<readonly [RollupGrain, RollupBreakdownId]> = ROLLUP_LEVELS): void {
    const time = record.createdAt.getTime();
    // In ROLLUP_DIMENSIONS order.
    const values = [record.modelGroup, record.provider, record.deployment, record.keyId, record.teamId, record.endUser, record.status, record.errorKind];
    for (const [grain, breakdownId] of levels) {
      const group = this.groupFor(levelPlan(grain, breakdownId), time, values);
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
    const values = ROLLUP_DIMENSIONS.map((dimension) => increment[dimension]);
    for (const [grain, breakdownId] of levels) {
      const group = this.groupFor(levelPlan(grain, breakdownId), time, values);
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

  /** The sums (the accumulator's own rows, brought up to date: read them, do not keep them past the next add); in key order (the lock order upserts need) unless `sorted` is false. */
  rows(sorted = true): CallRollupJsonRow[] {
    const entries = [...this.groups.entries()];
    if (sorted) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // The rows themselves, not copies: a copy of each (a spread of twenty fields) cost more than the sums.
    return entries.map(([, group]) => {
      const { row } = group;
      row.cost_usd = picoToUsd(group.costPico);
      row.latency_sketch = encodeSketch(group.latency);
      row.ttft_sketch = encodeSketch(group.ttft);
      return row;
    });
  }

  /**
   * The sums of calls at `time` with these dimension values (in ROLLUP_DIMENSIONS order) at one level.
   * The key is built straight from the values, with no object per call: it was most of this class's
   * cost per call. Bucket starts are ISO strings of one fixed width, so the key sorts by time within a level.
   */
  private groupFor(plan: LevelPlan, time: number, values: ReadonlyArray<string | null>): Accumulator {
    const bucketMs = Math.floor(time / plan.spanMs) * plan.spanMs;
    let bucketStart = this.bucketStarts.get(bucketMs);
    if (bucketStart === undefined) {
      bucketStart = new Date(bucketMs).toISOString();
      this.bucketStarts.set(bucketMs, bucketStart);
    }
    let id = `${plan.prefix}${bucketStart}`;
    for (let i = 0; i < values.length; i++) {
      if (i === STATUS_INDEX) id += `\u0000v${plan.kept[i] ? (values[i] ?? ANY_STATUS) : ANY_STATUS}`;
      else id += plan.kept[i] && values[i] !== null ? `\u0000v${values[i]}` : "\u0000";
    }
    let group = this.groups.get(id);
    if (group === undefined) {
      const dimensions = {} as Record<RollupDimension, string | null>;
      ROLLUP_DIMENSIONS.forEach((dimension, i) => {
        dimensions[dimension] = plan.kept[i] ? (values[i] ?? null) : null;
      });
      group = {
        row: {
          grain: plan.grain,
          breakdown: plan.breakdown,
          bucket_start: bucketStart,
          ...dimensions,
          status: (plan.kept[STATUS_INDEX] ? values[STATUS_INDEX] : null) ?? ANY_STATUS,
          requests: 0,
          errors: 0,
          prompt_tokens: 0,
          completion_tokens: 0,
          cached_tokens: 0,
          cache_write_tokens: 0,
          cost_usd: "0",
          latency_sketch: [],
          ttft_sketch: [],
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

/** What a level keeps: its bucket span, which dimensions (by ROLLUP_DIMENSIONS index), and its key's opening. */
interface LevelPlan {
  grain: RollupGrain;
  breakdown: RollupBreakdownId;
  spanMs: number;
  kept: readonly boolean[];
  prefix: string;
}

const STATUS_INDEX = ROLLUP_DIMENSIONS.indexOf("status");
const LEVEL_PLANS = new Map<number, LevelPlan>();

function levelPlan(grain: RollupGrain, breakdown: RollupBreakdownId): LevelPlan {
  const at = grain * 8 + breakdown;
  let plan = LEVEL_PLANS.get(at);
  if (plan === undefined) {
    const { dimensions } = rollupBreakdown(breakdown);
    plan = { grain, breakdown, spanMs: grain * 60_000, kept: ROLLUP_DIMENSIONS.map((d) => dimensions.has(d)), prefix: `${grain}\u0000${breakdown}\u0000` };
    LEVEL_PLANS.set(at, plan);
  }
  return plan;
}
