import type { CallRecord } from "../core/index.js";
import { type LatencySketch, addToSketch, encodeSketch } from "./latency-sketch.js";
import { picoToUsd } from "./pico-to-usd.js";
import { ROLLUP_BREAKDOWNS, ROLLUP_DIMENSIONS, ROLLUP_LEVELS, type RollupDimension } from "./rollup-breakdowns.js";

/** Rollup bucket widths in minutes; every grain counts every call. */
export type RollupGrain = 1 | 60 | 1440;

/** A `call_rollups` row in the JSON shape json_populate_recordset reads. */
export interface CallRollupJsonRow {
  grain: RollupGrain;
  breakdown: 0 | 1 | 2;
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
  cost_usd: string;
  latency_sketch: number[];
  ttft_sketch: number[];
}

interface Accumulator {
  row: Omit<CallRollupJsonRow, "cost_usd" | "latency_sketch" | "ttft_sketch">;
  costPico: bigint;
  latency: LatencySketch;
  ttft: LatencySketch;
}

/**
 * Aggregates newly stored calls into rollup rows, one per grain × bucket × dimension values,
 * sorted by that key: concurrent writers then lock rollup rows in the same order and cannot
 * deadlock each other.
 */
export function buildCallRollupRows(records: Iterable<CallRecord>): CallRollupJsonRow[] {
  const groups = new Map<string, Accumulator>();
  for (const record of records) {
    const time = record.createdAt.getTime();
    const values = {
      model_group: record.modelGroup,
      provider: record.provider,
      deployment: record.deployment,
      key_id: record.keyId,
      team_id: record.teamId,
      end_user: record.endUser,
      status: record.status,
      error_kind: record.errorKind,
    };
    for (const [grain, breakdownId] of ROLLUP_LEVELS) {
      const span = grain * 60_000;
      const bucketStart = Math.floor(time / span) * span;
      const dimensions = ROLLUP_BREAKDOWNS[breakdownId]!.dimensions;
      const kept: Record<RollupDimension, string | null> = { ...values };
      for (const dimension of ROLLUP_DIMENSIONS) if (!dimensions.has(dimension)) kept[dimension] = null;
      const id = `${grain}\u0000${breakdownId}\u0000${bucketStart}\u0000${ROLLUP_DIMENSIONS.map((d) => (kept[d] === null ? "" : `v${kept[d]}`)).join("\u0000")}`;
      let group = groups.get(id);
      if (group === undefined) {
        group = {
          row: {
            grain,
            breakdown: breakdownId,
            bucket_start: new Date(bucketStart).toISOString(),
            ...kept,
            status: record.status,
            requests: 0,
            errors: 0,
            prompt_tokens: 0,
            completion_tokens: 0,
            cached_tokens: 0,
          },
          costPico: 0n,
          latency: new Map(),
          ttft: new Map(),
        };
        groups.set(id, group);
      }
      addCall(group, record);
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => ({
      ...group.row,
      cost_usd: picoToUsd(group.costPico),
      latency_sketch: encodeSketch(group.latency),
      ttft_sketch: encodeSketch(group.ttft),
    }));
}

function addCall(group: Accumulator, record: CallRecord): void {
  const { row } = group;
  row.requests += 1;
  if (record.status === "ERROR") row.errors += 1;
  row.prompt_tokens += record.promptTokens;
  row.completion_tokens += record.completionTokens;
  row.cached_tokens += record.cachedTokens;
  group.costPico += record.costPico;
  addToSketch(group.latency, record.latencyMs);
  if (record.ttftMs !== null && record.ttftMs !== undefined) addToSketch(group.ttft, record.ttftMs);
}
