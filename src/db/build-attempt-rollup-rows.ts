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

/** What a row sums over besides the minute: an attempt record, or a stored increment's columns. */
interface AttemptKey {
  deployment: string;
  modelGroup: string;
  provider: string;
  outcome: string;
  errorKind: string | null;
}

interface Accumulator {
  /** Its sketch is filled in from `latency` when the rows are read. */
  row: AttemptRollupJsonRow;
  latency: LatencySketch;
}

/** Sums attempt outcomes per minute × deployment × outcome; rows come out sorted by key (lock order). */
export class AttemptRollupAccumulator {
  private readonly groups = new Map<string, Accumulator>();
  /** ISO strings of the minutes seen (a batch spans a minute or two). */
  private readonly minutes = new Map<number, string>();

  addCall(record: CallRecord): void {
    for (const attempt of record.attempts) {
      const minuteMs = Math.floor(attempt.startedAt.getTime() / 60_000) * 60_000;
      let bucketStart = this.minutes.get(minuteMs);
      if (bucketStart === undefined) {
        bucketStart = new Date(minuteMs).toISOString();
        this.minutes.set(minuteMs, bucketStart);
      }
      const group = this.groupFor(bucketStart, attempt);
      group.row.attempts += 1;
      if (attempt.hedged) group.row.hedged += 1;
      addToSketch(group.latency, attempt.latencyMs);
    }
  }

  addIncrement(increment: AttemptRollupJsonRow): void {
    const group = this.groupFor(increment.bucket_start, {
      deployment: increment.deployment,
      modelGroup: increment.model_group,
      provider: increment.provider,
      outcome: increment.outcome,
      errorKind: increment.error_kind,
    });
    group.row.attempts += Number(increment.attempts);
    group.row.hedged += Number(increment.hedged);
    mergeEncoded(group.latency, increment.latency_sketch);
  }

  /** The sums (the accumulator's own rows, brought up to date: read them, do not keep them past the next add), in key order. */
  rows(): AttemptRollupJsonRow[] {
    return [...this.groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, group]) => {
        group.row.latency_sketch = encodeSketch(group.latency);
        return group.row;
      });
  }

  private groupFor(bucketStart: string, key: AttemptKey): Accumulator {
    const id = `${bucketStart}\u0000${key.deployment}\u0000${key.modelGroup}\u0000${key.provider}\u0000${key.outcome}\u0000${key.errorKind === null ? "" : `v${key.errorKind}`}`;
    let group = this.groups.get(id);
    if (group === undefined) {
      group = {
        row: {
          bucket_start: bucketStart,
          deployment: key.deployment,
          model_group: key.modelGroup,
          provider: key.provider,
          outcome: key.outcome,
          error_kind: key.errorKind,
          attempts: 0,
          hedged: 0,
          latency_sketch: [],
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
