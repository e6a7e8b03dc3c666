import { describe, expect, it } from "vitest";
import type { LatencySummary } from "../../bench/latency-stats.js";
import { formatSideBySide, type ClosedRow, type Row } from "../../bench/side-by-side.js";

const latency = (p50: number, p99: number): LatencySummary => ({ count: 1000, min: p50, mean: p50, p50, p90: p50, p99, p999: p99, max: p99 });

function row(label: string, p99: number, harness: { busy: number; genWait: number; genLateP99: number }): Row {
  return {
    label,
    kind: "http",
    result: {
      rate: 1000, seconds: 1, sent: 1000, ok: 1000, failed: 0,
      latencyMs: latency(0.5, p99), launchLagMs: latency(0.2, 0.9), fromScheduleMs: latency(0.7, p99 + 0.9),
      generator: { loopDelay: { samples: 900, p50Ms: 0.05, p99Ms: harness.genLateP99, maxMs: 2 }, gc: { pauses: 3, major: 0, totalMs: 1.5, maxMs: 0.7 } },
    },
    harness: { processCpuPercent: { gen: 12, sim: 15, proxy: 20, idle: 1 }, processWaitPercent: { gen: harness.genWait, sim: 1, proxy: 2 }, machineBusyPercent: harness.busy },
  };
}

const quiet = { busy: 40, genWait: 1, genLateP99: 0.3 };

describe("formatSideBySide", () => {
  it("prints the generator's stalls, launch lag and each process's CPU and wait beside every row", () => {
    const lines = formatSideBySide({ rows: [row("upstream", 1, quiet), row("floor", 1.5, quiet)], closed: [], gatewayCalls: { ok: 0, sent: 0, inFlightAtStop: 0 } }, 1000, 500);
    const floor = lines.find((line) => line.trimStart().startsWith("floor"))!;
    expect(floor).toContain("0.30/2.00");
    expect(floor).toContain("3/0.7");
    expect(floor).toContain("0.90");
    expect(floor).toContain("12/15/20/1/40");
    expect(floor).toContain("1/1/2");
    expect(lines.join("\n")).not.toContain("CONTENDED");
  });

  it("names the rows taken on a contended machine or with a stalled generator", () => {
    const rows = [row("upstream", 1, quiet), row("floor", 9, { ...quiet, busy: 100 }), row("/v1", 3, { ...quiet, genWait: 12 }), row("GraphQL complete", 2, { ...quiet, genLateP99: 4 })];
    const lines = formatSideBySide({ rows, closed: [], gatewayCalls: { ok: 0, sent: 0, inFlightAtStop: 0 } }, 1000, 500, true);
    expect(lines[0]).toContain("PINNED");
    expect(lines.find((line) => line.includes("CONTENDED"))).toContain(": floor, /v1, GraphQL complete —");
  });

  it("prints the generator's stalls and each process's CPU beside every closed-loop row, with failures", () => {
    const closedRow = (label: string, ok: number, non2xx: number): ClosedRow => ({
      label,
      result: {
        connections: 50, seconds: 5, sent: ok + non2xx + 3, responses: ok + non2xx, ok, non2xx, badBodies: 0, connectionErrors: 1, timeouts: 0,
        requestsPerSecond: ok / 5, latencyMs: latency(1, 2), autocannonLatencyMs: { p50: 1, p90: 1, p99: 2 },
        generator: { loopDelay: { samples: 900, p50Ms: 0.1, p99Ms: 0.4, maxMs: 3 }, gc: { pauses: 5, major: 0, totalMs: 2, maxMs: 0.9 } },
      },
      harness: { processCpuPercent: { gen: 55, sim: 30, proxy: 95, idle: 2 }, processWaitPercent: { gen: 4, sim: 3, proxy: 6 }, machineBusyPercent: 99 },
    });
    const lines = formatSideBySide({ rows: [], closed: [closedRow("floor", 50_000, 0), closedRow("/v1", 20_000, 4)], gatewayCalls: { ok: 0, sent: 0, inFlightAtStop: 0 } }, 1000, 500);
    const floor = lines.find((line) => line.trimStart().startsWith("floor"))!;
    const v1 = lines.find((line) => line.trimStart().startsWith("/v1"))!;
    expect(floor).toContain("10000");
    expect(floor).toContain("1 FAILED"); // a connection error is a failure too
    expect(floor).toContain("0.40/3.00");
    expect(floor).toContain("5/0.9");
    expect(floor).toContain("55/30/95/2/99");
    expect(floor).toContain("4/3/6");
    expect(v1).toContain("0.40× of the floor, 5 FAILED");
  });
});
