import { describe, expect, it, vi } from "vitest";
import type { SideBySideOptions } from "../../bench/side-by-side.js";

const calls: Array<{ order: string[]; warmup: number }> = [];
vi.mock("../../bench/side-by-side.js", () => ({
  runSideBySide: async (options: SideBySideOptions) => {
    calls.push({ order: options.gateways.map((g) => g.label), warmup: options.gatewayWarmupRequests });
    return { rows: [], closed: [], gatewayCalls: { ok: 10, sent: 11, inFlightAtStop: 1 } };
  },
}));
const { runSideBySideRounds } = await import("../../bench/side-by-side-rounds.js");

const handle = (pid: number) => ({ pid, url: `http://127.0.0.1:${pid}` }) as SideBySideOptions["floor"];
const options = (gateways: SideBySideOptions["gateways"], lines: string[]): SideBySideOptions => ({
  upstream: handle(1), floor: handle(2), generator: {} as SideBySideOptions["generator"], gateways,
  rate: 1000, streamRate: 500, seconds: 1, warmupSeconds: 1, closedLoopSeconds: 1, closedLoopConnections: 1,
  gatewayWarmupRequests: 6000, doorOrder: "v1-first", log: (line = "") => lines.push(line),
});

describe("runSideBySideRounds", () => {
  it("alternates which build goes first, warms the gateways in the first round only and sums the calls", async () => {
    calls.length = 0;
    const lines: string[] = [];
    const result = await runSideBySideRounds(options([{ label: "before", handle: handle(3) }, { label: "", handle: handle(4) }], lines), 3);
    expect(calls).toEqual([
      { order: ["before", ""], warmup: 6000 },
      { order: ["", "before"], warmup: 0 },
      { order: ["before", ""], warmup: 0 },
    ]);
    expect(result.rounds.map((r) => [r.round, r.order])).toEqual([[1, ["before", ""]], [2, ["", "before"]], [3, ["before", ""]]]);
    expect(result.gatewayCalls).toEqual({ ok: 30, sent: 33, inFlightAtStop: 3 });
    expect(lines[1]).toBe("Round 2 of 3, current then before at each door");
  });

  it("runs once, saying nothing of rounds, by default", async () => {
    calls.length = 0;
    const lines: string[] = [];
    const result = await runSideBySideRounds(options([{ label: "", handle: handle(4) }], lines), 1);
    expect(calls).toEqual([{ order: [""], warmup: 6000 }]);
    expect(result.rounds).toHaveLength(1);
    expect(lines).toEqual([]);
  });
});
