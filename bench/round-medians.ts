import { closedFailures, isContended, type SideBySideResult } from "./side-by-side.js";

/** The median of the finite values (the mean of the middle two for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The smallest and largest of the finite values; NaN for both when there are none. */
export function spread(values: readonly number[]): { min: number; max: number } {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? { min: Number.NaN, max: Number.NaN } : { min: Math.min(...finite), max: Math.max(...finite) };
}

export interface Percentiles {
  p50: number;
  p99: number;
  p999: number;
}

/** One open-loop or stream row over the rounds it was measured in. */
export interface RowMedians {
  label: string;
  kind: "http" | "stream";
  /** Medians over the rounds of the row's own p50/p99/p99.9 (ms). */
  latencyMs: Percentiles;
  /** Medians of the latency added over that round's upstream, computed per round; absent on the upstream row. */
  addedMs?: Percentiles;
  /** The smallest and largest added p99 of the rounds. */
  addedP99RangeMs?: { min: number; max: number };
  /** Failed requests over all rounds. */
  failed: number;
  /** Rounds whose run was taken on a contended machine (the CONTENDED line of a one-round table). */
  contendedRounds: number;
  /** Medians of the gateway's CPU per call (µs), main thread and others; gateway rows only. */
  cpuUsPerCall?: { main: number; other: number };
  perRound: Array<{ round: number; latencyMs: Percentiles; addedMs?: Percentiles; failed: number; contended: boolean }>;
}

/** One closed-loop row over the rounds. */
export interface ClosedMedians {
  label: string;
  requestsPerSecond: number;
  /** Median over the rounds of req/s ÷ that round's floor req/s, and its smallest and largest. */
  ofFloor: number;
  ofFloorRange: { min: number; max: number };
  failed: number;
  perRound: Array<{ round: number; requestsPerSecond: number; ofFloor: number; failed: number }>;
}

export interface RoundMedians {
  rounds: number;
  rows: RowMedians[];
  closed: ClosedMedians[];
}

const pick = (l: Percentiles): Percentiles => ({ p50: l.p50, p99: l.p99, p999: l.p999 });
const minus = (a: Percentiles, b: Percentiles): Percentiles => ({ p50: a.p50 - b.p50, p99: a.p99 - b.p99, p999: a.p999 - b.p999 });
const medianOf = (all: readonly Percentiles[]): Percentiles => ({ p50: median(all.map((p) => p.p50)), p99: median(all.map((p) => p.p99)), p999: median(all.map((p) => p.p999)) });

/** Groups by label, in the order labels first appear (the first round's order). */
function byLabel<T extends { label: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.label, [...(groups.get(item.label) ?? []), item]);
  return groups;
}

/**
 * Per row, the medians over the rounds. Added latency is taken in each round against that round's
 * upstream (the first row of its kind; the floor is the second), then the median of those; closed-loop
 * ratios against that round's floor (the first closed row), then the median. A row missing from a round
 * counts only where it was measured.
 */
export function summarizeRounds(rounds: readonly SideBySideResult[]): RoundMedians {
  const open = rounds.flatMap((result, index) =>
    result.rows.map((row) => {
      const upstream = result.rows.find((r) => r.kind === row.kind);
      const isUpstream = upstream === row;
      return {
        label: row.label,
        kind: row.kind,
        round: index + 1,
        latencyMs: pick(row.result.latencyMs),
        ...(isUpstream || !upstream ? {} : { addedMs: minus(row.result.latencyMs, upstream.result.latencyMs) }),
        failed: row.result.failed,
        contended: isContended(row),
        ...(row.cpu ? { cpu: row.cpu } : {}),
      };
    }));
  const rows = [...byLabel(open)].map(([label, runs]): RowMedians => {
    const added = runs.flatMap((run) => (run.addedMs ? [run.addedMs] : []));
    const cpu = runs.flatMap((run) => (run.cpu ? [run.cpu] : []));
    return {
      label,
      kind: runs[0]!.kind,
      latencyMs: medianOf(runs.map((run) => run.latencyMs)),
      ...(added.length > 0 ? { addedMs: medianOf(added), addedP99RangeMs: spread(added.map((a) => a.p99)) } : {}),
      failed: runs.reduce((sum, run) => sum + run.failed, 0),
      contendedRounds: runs.filter((run) => run.contended).length,
      ...(cpu.length > 0 ? { cpuUsPerCall: { main: median(cpu.map((c) => c.mainUsPerCall)), other: median(cpu.map((c) => c.otherUsPerCall)) } } : {}),
      perRound: runs.map(({ round, latencyMs, addedMs, failed, contended }) => ({ round, latencyMs, ...(addedMs ? { addedMs } : {}), failed, contended })),
    };
  });
  const closedRuns = rounds.flatMap((result, index) => {
    const floorRps = result.closed[0]?.result.requestsPerSecond ?? Number.NaN;
    return result.closed.map((row) => ({
      label: row.label,
      round: index + 1,
      requestsPerSecond: row.result.requestsPerSecond,
      ofFloor: floorRps > 0 ? row.result.requestsPerSecond / floorRps : Number.NaN,
      failed: closedFailures(row.result),
    }));
  });
  const closed = [...byLabel(closedRuns)].map(([label, runs]): ClosedMedians => ({
    label,
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    ofFloor: median(runs.map((run) => run.ofFloor)),
    ofFloorRange: spread(runs.map((run) => run.ofFloor)),
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
    perRound: runs.map(({ round, requestsPerSecond, ofFloor, failed }) => ({ round, requestsPerSecond, ofFloor, failed })),
  }));
  return { rounds: rounds.length, rows, closed };
}
