import type { CallRecord } from "../core/index.js";
import { type LatencySketch, addToSketch, encodeSketch, mergeEncoded } from "./latency-sketch.js";

/** An `attempt_rollups` row in the JSON shape json_populate_recordset reads. */
export interface AttemptRollupJsonRow {
  bucket_start: string;
  deployment: string;
  model_group: string;
  provider: string;
  outcome: string;
  error_kind: string | null;
  attempts: number;
  hedged: number;
  latency_sketch: number[];
}

type AttemptKey = Pick<AttemptRollupJsonRow, "bucket_start" | "deployment" | "model_group" | "provider" | "outcome" | "error_kind">;

interface Accumulator {
  row: Omit<AttemptRollupJsonRow, "latency_sketch">;
  latency: LatencySketch;
}

/** Sums attempt outcomes per minute × deployment × outcome; rows come out sorted by key (lock order). */
export class AttemptRollupAccumulator {
  private readonly groups = new Map<string, Accumulator>();

  addCall(record: CallRecord): void {
    for (const attempt of record.attempts) {
      const time = attempt.startedAt.getTime();
      const group = this.groupFor({
        bucket_start: new Date(Math.floor(time / 60_000) * 60_000).toISOString(),
        deployment: attempt.deployment,
        model_group: attempt.modelGroup,
        provider: attempt.provider,
        outcome: attempt.outcome,
        error_kind: attempt.errorKind,
      });
      group.row.attempts += 1;
      if (attempt.hedged) group.row.hedged += 1;
      addToSketch(group.latency, attempt.latencyMs);
    }
  }

  addIncrement(increment: AttemptRollupJsonRow): void {
    const group = this.groupFor(increment);
    group.row.attempts += Number(increment.attempts);
    group.row.hedged += Number(increment.hedged);
    mergeEncoded(group.latency, increment.latency_sketch);
  }

  rows(): AttemptRollupJsonRow[] {
    return [...this.groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, group]) => ({ ...group.row, latency_sketch: encodeSketch(group.latency) }));
  }

  private groupFor(key: AttemptKey): Accumulator {
    const id = [key.bucket_start, key.deployment, key.model_group, key.provider, key.outcome, key.error_kind === null ? "" : `v${key.error_kind}`].join("\u0000");
    let group = this.groups.get(id);
    if (group === undefined) {
      group = {
        row: {
          bucket_start: key.bucket_start,
          deployment: key.deployment,
          model_group: key.model_group,
          provider: key.provider,
          outcome: key.outcome,
          error_kind: key.error_kind,
          attempts: 0,
          hedged: 0,
        },
        latency: new Map(),
      };
      this.groups.set(id, group);
    }
    return group;
  }
}

/** The attempt increments of newly stored calls. */
export function buildAttemptRollupRows(records: Iterable<CallRecord>): AttemptRollupJsonRow[] {
  const accumulator = new AttemptRollupAccumulator();
  for (const record of records) accumulator.addCall(record);
  return accumulator.rows();
}
