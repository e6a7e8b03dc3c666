import { describe, expect, it } from "vitest";
import { formatGoals, goalFigures, GOALS, judgeGoals, type GoalFigures, type GoalVerdict } from "../../bench/goals.js";
import type { RoundMedians, RowMedians } from "../../bench/round-medians.js";

const tail = (addedP99Ms: number, addedP999Ms: number, failed = 0) => ({ addedP99Ms, addedP999Ms, failed });
const stream = (upstream: "HTTP/1.1" | "h2c", peakMb: number, completed: number = GOALS.concurrentStreams) =>
  ({ streams: GOALS.concurrentStreams, upstream, completed, failed: GOALS.concurrentStreams - completed, peakMb, perOpenStreamKb: 48.04 });

/** Every goal met by a margin. */
const good: GoalFigures = {
  openLoop: { floor: tail(0.9, 8), v1: tail(0.5, 10), graphql: tail(1.2, 6) },
  ttft: { sse: tail(1, 3), ws: tail(1.5, 9) },
  closedOfFloor: { v1: { ofFloor: 0.6, failed: 0 }, graphql: { ofFloor: 0.45, failed: 0 } },
  concurrent: [stream("HTTP/1.1", 373), stream("h2c", 380)],
};

const byKey = (verdicts: GoalVerdict[]) => Object.fromEntries(verdicts.map((v) => [v.key, v.met]));

describe("judgeGoals", () => {
  it("meets every goal on figures within every threshold", () => {
    const verdicts = judgeGoals(good);
    expect(verdicts.map((v) => v.key)).toEqual(["1 v1 p99", "1 v1 p99.9", "1 graphql p99", "1 graphql p99.9", "2 sse", "2 ws", "3 v1", "3 graphql", "4 HTTP/1.1", "4 h2c"]);
    expect(verdicts.every((v) => v.met === true)).toBe(true);
    expect(verdicts.find((v) => v.key === "1 v1 p99")!.figures).toBe("+0.500 ≤ +1.900");
  });

  it("fails each goal just past its threshold", () => {
    const verdicts = judgeGoals({
      openLoop: { floor: tail(0.9, 8), v1: tail(1.91, 13.01), graphql: tail(1.9, 13.5) },
      ttft: { sse: tail(2.01, 3), ws: tail(2, 9) },
      closedOfFloor: { v1: { ofFloor: 0.49, failed: 0 }, graphql: { ofFloor: 0.39, failed: 0 } },
      concurrent: [stream("HTTP/1.1", 401), stream("h2c", 380, 4_999)],
    });
    expect(byKey(verdicts)).toEqual({
      "1 v1 p99": false, "1 v1 p99.9": false, "1 graphql p99": true, "1 graphql p99.9": false,
      "2 sse": false, "2 ws": true, "3 v1": false, "3 graphql": false, "4 HTTP/1.1": false, "4 h2c": false,
    });
    expect(verdicts.find((v) => v.key === "4 h2c")!.figures).toBe("4999/5000 completed, 1 failed, peak 380 MB, 48.0 kB/stream");
  });

  it("meets a goal exactly at its threshold", () => {
    const verdicts = judgeGoals({
      ...good,
      openLoop: { floor: tail(1, 8), v1: tail(2, 13), graphql: tail(2, 13) },
      ttft: { sse: tail(2, 0), ws: tail(2, 0) },
      closedOfFloor: { v1: { ofFloor: 0.5, failed: 0 }, graphql: { ofFloor: 0.4, failed: 0 } },
      concurrent: [stream("HTTP/1.1", 400), stream("h2c", 400)],
    });
    expect(verdicts.every((v) => v.met === true)).toBe(true);
  });

  it("does not meet a goal whose row had failures, whatever its latency", () => {
    const verdicts = judgeGoals({ ...good, openLoop: { ...good.openLoop, v1: tail(0.1, 0.1, 3) }, closedOfFloor: { ...good.closedOfFloor, graphql: { ofFloor: 0.9, failed: 1 } } });
    expect(byKey(verdicts)["1 v1 p99"]).toBe(false);
    expect(byKey(verdicts)["3 graphql"]).toBe(false);
    expect(verdicts.find((v) => v.key === "1 v1 p99")!.figures).toContain("3 FAILED");
  });

  it("says not measured, neither met nor not, for missing rows, a missing floor and missing concurrent runs", () => {
    const verdicts = judgeGoals({ openLoop: { v1: tail(0.1, 0.1) }, ttft: { sse: tail(Number.NaN, 1) }, closedOfFloor: {}, concurrent: [stream("HTTP/1.1", 300), { ...stream("h2c", 300), streams: 10_000 }] });
    expect(byKey(verdicts)).toEqual({
      "1 v1 p99": undefined, "1 v1 p99.9": undefined, "1 graphql p99": undefined, "1 graphql p99.9": undefined,
      "2 sse": undefined, "2 ws": undefined, "3 v1": undefined, "3 graphql": undefined, "4 HTTP/1.1": true, "4 h2c": undefined,
    });
    expect(verdicts.filter((v) => v.met === undefined).every((v) => v.figures === "not measured")).toBe(true);
  });
});

describe("goalFigures", () => {
  const row = (label: string, p99: number, p999: number, failed = 0): RowMedians =>
    ({ label, kind: "http", latencyMs: { p50: 0, p99: 0, p999: 0 }, addedMs: { p50: 0, p99, p999 }, failed, contendedRounds: 0, perRound: [] });
  const medians: RoundMedians = {
    rounds: 3,
    rows: [
      { label: "upstream", kind: "http", latencyMs: { p50: 0, p99: 0, p999: 0 }, failed: 0, contendedRounds: 0, perRound: [] },
      row("floor", 0.9, 8), row("/v1 (before)", 2.2, 14), row("/v1", 0.2, 6), row("GraphQL complete", 0.3, 5, 2), row("graphql-ws TTFT (before)", 1.3, 12),
    ],
    closed: [
      { label: "floor", requestsPerSecond: 10_000, ofFloor: 1, ofFloorRange: { min: 1, max: 1 }, failed: 0, perRound: [] },
      { label: "/v1 (before)", requestsPerSecond: 5_600, ofFloor: 0.56, ofFloorRange: { min: 0.5, max: 0.6 }, failed: 0, perRound: [] },
    ],
  };

  it("picks each build's rows by label, the floor shared by both", () => {
    const current = goalFigures(medians, "", []);
    expect(current.openLoop).toEqual({ floor: tail(0.9, 8), v1: tail(0.2, 6), graphql: tail(0.3, 5, 2) });
    expect(current.ttft).toEqual({});
    expect(current.closedOfFloor).toEqual({});
    const before = goalFigures(medians, "before", [stream("HTTP/1.1", 390)]);
    expect(before.openLoop).toEqual({ floor: tail(0.9, 8), v1: tail(2.2, 14) });
    expect(before.ttft).toEqual({ ws: tail(1.3, 12) });
    expect(before.closedOfFloor).toEqual({ v1: { ofFloor: 0.56, failed: 0 } });
    expect(before.concurrent).toHaveLength(1);
  });
});

describe("formatGoals", () => {
  it("sets each goal's figures and verdict for the current build beside the build before", () => {
    const before = judgeGoals({ ...good, openLoop: { ...good.openLoop, v1: tail(3, 10) }, concurrent: [stream("HTTP/1.1", 410)] });
    const lines = formatGoals(3, judgeGoals(good), before);
    expect(lines[0]).toContain("medians of 3 rounds");
    const v1 = lines.find((line) => line.includes("/v1 open loop: added p99 ≤"))!;
    expect(v1).toMatch(/│ met {6}\+0\.500 ≤ \+1\.900\s+│ NOT MET {2}\+3\.000 > \+1\.900$/);
    const h2c = lines.find((line) => line.includes("upstream h2c"))!;
    expect(h2c).toMatch(/│ met .*│ - {8}not measured$/);
    expect(lines.at(-1)).toMatch(/^ {2}current: 10 of 10 measured met; before: 7 of 9 measured met\./);
    expect(new Set(lines.slice(1, -1).map((line) => line.indexOf("│"))).size).toBe(1);
  });
});
