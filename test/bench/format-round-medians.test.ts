import { describe, expect, it } from "vitest";
import { formatRoundMedians } from "../../bench/format-round-medians.js";
import type { RoundMedians, RowMedians } from "../../bench/round-medians.js";

const row = (label: string, kind: RowMedians["kind"], p99: number, added?: number, extra: Partial<RowMedians> = {}): RowMedians => ({
  label, kind, latencyMs: { p50: 0.5, p99, p999: p99 + 1 },
  ...(added !== undefined ? { addedMs: { p50: 0.2, p99: added, p999: added + 1 }, addedP99RangeMs: { min: added - 1, max: added + 2 } } : {}),
  failed: 0, contendedRounds: 1, perRound: [1, 2, 3].map((round) => ({ round, latencyMs: { p50: 0.5, p99, p999: p99 }, failed: 0, contended: false })), ...extra,
});

describe("formatRoundMedians", () => {
  it("prints the medians with the spread of the added p99, the contended rounds, the gateway's CPU and the closed-loop ratios", () => {
    const medians: RoundMedians = {
      rounds: 3,
      rows: [
        row("upstream", "http", 2), row("floor", "http", 3, 1), row("/v1", "http", 4.5, 2.5, { cpuUsPerCall: { main: 210.4, other: 55.2 }, failed: 4 }),
        row("upstream SSE TTFT", "stream", 1), row("floor SSE TTFT", "stream", 1.5, 0.5),
      ],
      closed: [
        { label: "floor", requestsPerSecond: 10_000, ofFloor: 1, ofFloorRange: { min: 1, max: 1 }, failed: 0, perRound: [] },
        { label: "/v1", requestsPerSecond: 5_500.4, ofFloor: 0.55, ofFloorRange: { min: 0.5, max: 0.61 }, failed: 2, perRound: [] },
      ],
    };
    const lines = formatRoundMedians(medians, 1000, 500);
    expect(lines[0]).toBe("Open loop, 1000 req/s — ms, whole answer, median of 3 rounds");
    const v1 = lines.find((line) => line.trimStart().startsWith("/v1 "))!;
    expect(v1).toMatch(/0\.500\s+4\.500\s+5\.500 │\s+\+0\.200\s+\+2\.500\s+\+3\.500 │\s+1\.00×\s+2\.50×\s+1\.75×\s+│ \+1\.50…\+4\.50\s+│\s+1\/3 │ 210 \+ 55 4 FAILED$/);
    expect(lines.some((line) => line.startsWith("Streams, 500/s") && line.endsWith("median of 3 rounds"))).toBe(true);
    expect(lines.find((line) => line.trimStart().startsWith("/v1 ") && line.includes("5500"))).toMatch(/5500 {2}0\.55× {4}0\.50…0\.61×\s+│ 2 FAILED$/);
  });
});
