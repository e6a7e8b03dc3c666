import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/core/index.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { createRoutingTotalsReads, scopeRoutingTotalsReads, type RoutedCallTotals, type RoutingTotalsReads } from "../../src/db/routing-totals-reads.js";
import { createRoutingSavings } from "../../src/gateway/create-routing-savings.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { makeCallRecord, seededRandom } from "./make-call-record.js";

const TIERS = ["cheap", "mid", "strong"];
const START = Date.UTC(2025, 4, 1);

/**
 * Requests over two days: quality calls of "auto" (asked as auto or router-auto), cascade chains of
 * "careful" one to three calls long (each escalated call names the one before; the cheaper ones land
 * a few minutes after the request's start, so a chain may straddle an hour), calls of another group,
 * and calls refused before any decision.
 */
function makeRecords(requests: number, seed: number): CallRecord[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const records: CallRecord[] = [];
  const call = (requestedModel: string, createdAt: number, tier: string | null, policy: "quality" | "cascade", escalatedFrom: string | null): CallRecord =>
    makeCallRecord({
      id: randomUUID(),
      createdAt: new Date(createdAt),
      requestedModel,
      modelGroup: tier,
      promptTokens: int(4000),
      completionTokens: int(900),
      cachedTokens: int(300),
      cacheWriteTokens: int(200),
      reasoningTokens: int(200),
      costPico: BigInt(int(1e9)) * 1013n + 3n,
      keyId: `key-${int(3)}`,
      routing: tier === null ? null : { policy, score: random(), threshold: 0.5, tier, reason: "test" },
      escalatedFrom,
    });
  for (let i = 0; i < requests; i++) {
    const at = START + int(2 * 86_400_000);
    const kind = int(5);
    if (kind <= 1) records.push(call(kind === 0 ? "auto" : "router-auto", at, TIERS[int(3)]!, "quality", null));
    else if (kind === 2) {
      let previous: string | null = null;
      const length = 1 + int(3);
      for (let step = 0; step < length; step++) {
        const final = step === length - 1;
        // A single call passed its checks on the cheap tier or went straight to the top; a chain climbs a tier per step.
        const tier = length === 1 ? (int(2) === 0 ? "cheap" : "strong") : TIERS[step]!;
        const record = call("careful", final ? at : at + (step + 1) * 170_000, tier, "cascade", previous);
        records.push(record);
        previous = record.id;
      }
    } else if (kind === 3) records.push(call("other", at, "cheap", "quality", null));
    else records.push(call("auto", at, null, "quality", null));
  }
  return records;
}

/** The same totals worked out in memory from the records themselves. */
function oracle(records: CallRecord[], names: string[], keyId?: string): RoutedCallTotals[] {
  const supersededIds = new Set(records.flatMap((r) => (r.escalatedFrom ? [r.escalatedFrom] : [])));
  const rows = new Map<string, RoutedCallTotals>();
  for (const r of records) {
    if (!r.routing || !names.includes(r.requestedModel) || (keyId !== undefined && r.keyId !== keyId)) continue;
    const role = r.routing.tier === "strong" ? "top" : supersededIds.has(r.id) ? "superseded" : "lower";
    const bucket = Math.floor(r.createdAt.getTime() / 3_600_000) * 3_600_000;
    const key = `${bucket}:${role}`;
    const row = rows.get(key) ?? { bucketStart: new Date(bucket), role, calls: 0, escalations: 0, uncachedInputTokens: 0n, cachedTokens: 0n, cacheWriteTokens: 0n, completionTokens: 0n, reasoningTokens: 0n, actualPico: 0n };
    row.calls++;
    if (r.escalatedFrom) row.escalations++;
    row.uncachedInputTokens += BigInt(Math.max(r.promptTokens - r.cachedTokens - r.cacheWriteTokens, 0));
    row.cachedTokens += BigInt(r.cachedTokens);
    row.cacheWriteTokens += BigInt(r.cacheWriteTokens);
    row.completionTokens += BigInt(r.completionTokens);
    row.reasoningTokens += BigInt(Math.min(r.reasoningTokens, r.completionTokens));
    row.actualPico += r.costPico;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.bucketStart!.getTime() - b.bucketStart!.getTime() || a.role.localeCompare(b.role));
}

describe("routed call totals (routingSavings' read) against the raw records", () => {
  const test = useTestDatabase();
  let reads: RoutingTotalsReads;
  let records: CallRecord[];
  beforeAll(async () => {
    reads = createRoutingTotalsReads(test.database.db);
    records = makeRecords(600, 9);
    for (let start = 0; start < records.length; start += 100) await insertCallBatch(test.database.db, records.slice(start, start + 100));
  });

  it("sums each hour's calls per role, a cascade's superseded answers apart, exactly", async () => {
    for (const names of [["auto", "router-auto"], ["careful"]]) {
      const got = await reads.routedCallTotals({ requestedModels: names, topTier: "strong" }, "HOUR");
      expect(got).toEqual(oracle(records, names));
      expect(got.length).toBeGreaterThan(20);
    }
    const careful = oracle(records, ["careful"]);
    expect(careful.some((row) => row.role === "superseded")).toBe(true);
    expect(careful.reduce((sum, row) => sum + row.escalations, 0)).toBe(records.filter((r) => r.escalatedFrom).length);
  });

  it("keeps a virtual key to its own calls, and a window to its own", async () => {
    const scoped = scopeRoutingTotalsReads(reads, "key-1");
    expect(await scoped.routedCallTotals({ requestedModels: ["careful"], topTier: "strong", keyId: "key-2" }, "HOUR")).toEqual(oracle(records, ["careful"], "key-1"));
    const from = new Date(START + 86_400_000);
    const to = new Date(START + 86_400_000 + 3 * 3_600_000);
    const window = await reads.routedCallTotals({ requestedModels: ["careful"], topTier: "strong", from, to }, "HOUR");
    expect(window).toEqual(oracle(records, ["careful"]).filter((row) => row.bucketStart! >= from && row.bucketStart! < to));
  });

  it("prices the report: cheaper answers at the top tier's price, superseded ones at nothing", async () => {
    const price = { inputPico: 5_000_000n, outputPico: 15_000_000n, cacheReadPico: 500_000n, reasoningPico: 20_000_000n };
    const savings = createRoutingSavings({
      reads,
      findGroup: (model) => (model === "careful" ? { name: "careful", names: ["careful"], policy: "cascade", tiers: TIERS, topTierPrice: price } : undefined),
    });
    const report = await savings.compute({ model: "careful", bucket: "DAY" });
    const rows = oracle(records, ["careful"]);
    let topTierPico = 0n;
    for (const row of rows) {
      if (row.role === "top") topTierPico += row.actualPico;
      else if (row.role === "lower") {
        // No cache-write price: writes fall back to the input rate.
        topTierPico += row.uncachedInputTokens * price.inputPico + row.cachedTokens * price.cacheReadPico + row.cacheWriteTokens * price.inputPico;
        topTierPico += row.reasoningTokens * price.reasoningPico + (row.completionTokens - row.reasoningTokens) * price.outputPico;
      }
    }
    expect(report.totals).toEqual({
      bucketStart: null,
      calls: rows.reduce((sum, row) => sum + row.calls, 0),
      requests: rows.filter((row) => row.role !== "superseded").reduce((sum, row) => sum + row.calls, 0),
      strongRequests: rows.filter((row) => row.role === "top").reduce((sum, row) => sum + row.calls, 0),
      escalations: rows.reduce((sum, row) => sum + row.escalations, 0),
      actualPico: rows.reduce((sum, row) => sum + row.actualPico, 0n),
      topTierPico,
    });
    expect(report.windows.map((w) => w.bucketStart!.toISOString()).slice(0, 2)).toEqual(["2025-05-01T00:00:00.000Z", "2025-05-02T00:00:00.000Z"]);
    expect(report.windows.reduce((sum, w) => sum + w.topTierPico, 0n)).toBe(topTierPico);
  });
});
