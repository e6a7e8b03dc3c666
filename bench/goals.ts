import type { ConcurrentStreamsResult } from "./concurrent-streams.js";
import type { RoundMedians } from "./round-medians.js";
import { DOOR_LABELS, suffix } from "./side-by-side.js";

/** The performance goals `npm run bench` judges (issue 12), each threshold here and nowhere else. */
export const GOALS = {
  /** Open loop: a door's added p99 at most the floor's added p99 plus this (ms), /v1 and GraphQL. */
  openLoopP99OverFloorMs: 1,
  /** Open loop: a door's added p99.9 at most the floor's added p99.9 plus this (ms). */
  openLoopP999OverFloorMs: 5,
  /** Streams: time to first token added over the upstream at p99 at most this (ms), SSE and graphql-ws. */
  ttftAddedP99Ms: 2,
  /** Closed loop: req/s at least these fractions of the floor's. */
  closedOfFloor: { v1: 0.5, graphql: 0.4 },
  /** This many concurrent streams through one instance all complete with the gateway's peak RSS at most this (MB). */
  concurrentStreams: 5000,
  concurrentPeakRssMb: 400,
} as const;

/** A door's added latency over the upstream (ms; medians when there are rounds) and its failed requests. */
export interface AddedTail {
  addedP99Ms: number;
  addedP999Ms: number;
  failed: number;
}

/** What one build's goals are judged on; an absent figure was not measured. */
export interface GoalFigures {
  openLoop: { floor?: AddedTail; v1?: AddedTail; graphql?: AddedTail };
  ttft: { sse?: AddedTail; ws?: AddedTail };
  closedOfFloor: { v1?: { ofFloor: number; failed: number }; graphql?: { ofFloor: number; failed: number } };
  concurrent: Array<Pick<ConcurrentStreamsResult, "streams" | "upstream" | "completed" | "failed" | "peakMb" | "perOpenStreamKb">>;
}

export interface GoalVerdict {
  goal: 1 | 2 | 3 | 4;
  /** The same for every build, to set builds side by side. */
  key: string;
  /** The goal in words, with its threshold. */
  what: string;
  /** The figures it was judged on. */
  figures: string;
  /** Absent: not measured. */
  met?: boolean;
}

const ms = (v: number): string => `${v >= 0 ? "+" : ""}${v.toFixed(3)}`;
const failures = (n: number): string => (n > 0 ? `, ${n} FAILED` : "");
const notMeasured = (goal: GoalVerdict["goal"], key: string, what: string): GoalVerdict => ({ goal, key, what, figures: "not measured" });

/** Every goal of the issue against one build's figures: met, not met, or not measured. A row with failures does not meet its goal. */
export function judgeGoals(f: GoalFigures): GoalVerdict[] {
  const verdicts: GoalVerdict[] = [];
  const floor = f.openLoop.floor;
  for (const [door, name] of [["v1", "/v1"], ["graphql", "GraphQL"]] as const) {
    const row = f.openLoop[door];
    for (const [tail, over] of [["p99", GOALS.openLoopP99OverFloorMs], ["p99.9", GOALS.openLoopP999OverFloorMs]] as const) {
      const key = `1 ${door} ${tail}`;
      const what = `${name} open loop: added ${tail} ≤ the floor's + ${over} ms`;
      if (!row || !floor) {
        verdicts.push(notMeasured(1, key, what));
        continue;
      }
      const value = tail === "p99" ? row.addedP99Ms : row.addedP999Ms;
      const limit = (tail === "p99" ? floor.addedP99Ms : floor.addedP999Ms) + over;
      if (!Number.isFinite(value) || !Number.isFinite(limit)) verdicts.push(notMeasured(1, key, what));
      else verdicts.push({ goal: 1, key, what, figures: `${ms(value)} ${value <= limit ? "≤" : ">"} ${ms(limit)}${failures(row.failed)}`, met: value <= limit && row.failed === 0 });
    }
  }
  for (const [door, name] of [["sse", "SSE"], ["ws", "graphql-ws"]] as const) {
    const row = f.ttft[door];
    const key = `2 ${door}`;
    const what = `${name} TTFT: added p99 ≤ ${GOALS.ttftAddedP99Ms} ms`;
    if (!row || !Number.isFinite(row.addedP99Ms)) verdicts.push(notMeasured(2, key, what));
    else verdicts.push({ goal: 2, key, what, figures: `${ms(row.addedP99Ms)}${failures(row.failed)}`, met: row.addedP99Ms <= GOALS.ttftAddedP99Ms && row.failed === 0 });
  }
  for (const [door, name] of [["v1", "/v1"], ["graphql", "GraphQL"]] as const) {
    const row = f.closedOfFloor[door];
    const least = GOALS.closedOfFloor[door];
    const key = `3 ${door}`;
    const what = `${name} closed loop: ≥ ${least}× the floor's req/s`;
    if (!row || !Number.isFinite(row.ofFloor)) verdicts.push(notMeasured(3, key, what));
    else verdicts.push({ goal: 3, key, what, figures: `${row.ofFloor.toFixed(2)}×${failures(row.failed)}`, met: row.ofFloor >= least && row.failed === 0 });
  }
  for (const upstream of ["HTTP/1.1", "h2c"] as const) {
    const run = f.concurrent.find((r) => r.streams === GOALS.concurrentStreams && r.upstream === upstream);
    const key = `4 ${upstream}`;
    const what = `${GOALS.concurrentStreams.toLocaleString("en-US")} streams, upstream ${upstream}: all complete, RSS ≤ ${GOALS.concurrentPeakRssMb} MB`;
    if (!run) verdicts.push(notMeasured(4, key, what));
    else verdicts.push({
      goal: 4, key, what,
      figures: `${run.completed}/${run.streams} completed${run.failed > 0 ? `, ${run.failed} failed` : ""}, peak ${run.peakMb.toFixed(0)} MB, ${run.perOpenStreamKb.toFixed(1)} kB/stream`,
      met: run.completed === run.streams && run.failed === 0 && run.peakMb <= GOALS.concurrentPeakRssMb,
    });
  }
  return verdicts;
}

/**
 * One build's goal figures from the run: `build` is its label ("" the current build, "before" the
 * compared one), `concurrent` the concurrent-streams runs of that build.
 */
export function goalFigures(medians: RoundMedians, build: string, concurrent: GoalFigures["concurrent"]): GoalFigures {
  const tail = (label: string): AddedTail | undefined => {
    const row = medians.rows.find((r) => r.label === label);
    return row?.addedMs ? { addedP99Ms: row.addedMs.p99, addedP999Ms: row.addedMs.p999, failed: row.failed } : undefined;
  };
  const closed = (label: string) => {
    const row = medians.closed.find((r) => r.label === label);
    return row ? { ofFloor: row.ofFloor, failed: row.failed } : undefined;
  };
  const door = (label: string) => `${label}${suffix(build)}`;
  const defined = <T extends object>(entries: Record<string, T | undefined>) =>
    Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as Record<string, T>;
  return {
    openLoop: defined({ floor: tail("floor"), v1: tail(door(DOOR_LABELS.v1)), graphql: tail(door(DOOR_LABELS.graphql)) }),
    ttft: defined({ sse: tail(door(DOOR_LABELS.sse)), ws: tail(door(DOOR_LABELS.ws)) }),
    closedOfFloor: defined({ v1: closed(door(DOOR_LABELS.v1)), graphql: closed(door(DOOR_LABELS.graphql)) }),
    concurrent,
  };
}

/** The Goals block: each goal's figures and verdict for the current build and, when given, the build before. */
export function formatGoals(rounds: number, current: readonly GoalVerdict[], before?: readonly GoalVerdict[]): string[] {
  const verdict = (v: GoalVerdict | undefined): string => (v === undefined || v.met === undefined ? "-" : v.met ? "met" : "NOT MET");
  const all = [...current, ...(before ?? [])];
  const whatWidth = Math.max(...all.map((v) => v.what.length), 0);
  const figuresWidth = Math.max(...all.map((v) => v.figures.length), "not measured".length);
  const cell = (v: GoalVerdict | undefined): string => ` │ ${verdict(v).padEnd(7)}  ${(v?.figures ?? "not measured").padEnd(figuresWidth)}`;
  const lines = [
    `Goals (issue 12), judged on ${rounds > 1 ? `the medians of ${rounds} rounds` : "one round (BENCH_ROUNDS=N judges the medians of N)"}; open loop and TTFT: ms added over the upstream`,
    `  ${"".padEnd(whatWidth + 3)} │ ${"current".padEnd(figuresWidth + 9)}${before ? ` │ before` : ""}`.trimEnd(),
  ];
  for (const v of current) {
    const b = before?.find((other) => other.key === v.key);
    lines.push(`  ${v.goal}  ${v.what.padEnd(whatWidth)}${cell(v)}${before ? cell(b) : ""}`.trimEnd());
  }
  const tally = (verdicts: readonly GoalVerdict[]) => `${verdicts.filter((v) => v.met === true).length} of ${verdicts.filter((v) => v.met !== undefined).length} measured met`;
  lines.push(`  current: ${tally(current)}${before ? `; before: ${tally(before)}` : ""}. Goals 5–7 (workers, finding the tail, the router's attempts) are not judged on a run's figures.`);
  return lines;
}
