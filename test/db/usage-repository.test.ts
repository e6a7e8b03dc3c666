import { beforeAll, describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/core/index.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { type UsageOptions, type UsageRepository, createUsageRepository } from "../../src/db/index.js";
import { scopeCallRepositories } from "../../src/db/scope-call-repositories.js";
import { createCallsRepository } from "../../src/db/index.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { makeCallRecord, seededRandom } from "./make-call-record.js";
import { expectReportMatches, usageFromRawCalls } from "./usage-oracle.js";

const models = ["fast", "smart", "Zeta", null];
const deployments: Record<string, [string, string]> = {
  fast: ["openai", "openai-mini"],
  smart: ["anthropic", "claude"],
  Zeta: ["azure", "azure-zeta"],
};

function makeRecords(count: number, seed: number): CallRecord[] {
  const random = seededRandom(seed);
  const statuses = ["SUCCESS", "SUCCESS", "ERROR", "CANCELLED"] as const;
  return Array.from({ length: count }, (_, i) => {
    const status = statuses[Math.floor(random() * statuses.length)]!;
    const model = models[i % models.length]!;
    const [provider, deployment] = model === null ? [null, null] : deployments[model]!;
    return makeCallRecord({
      // Three UTC days, with calls a minute either side of midnight and at odd seconds.
      createdAt: new Date(Date.UTC(2025, 2, 1) + Math.floor(random() * 3 * 86_400_000) + (i % 10 === 0 ? 86_400_000 - 60_000 : 0)),
      modelGroup: model,
      provider,
      deployment,
      status,
      errorKind: status === "ERROR" ? (i % 2 === 0 ? "rate_limit" : "timeout") : null,
      promptTokens: Math.floor(random() * 5000),
      completionTokens: Math.floor(random() * 800),
      cachedTokens: Math.floor(random() * 100),
      cacheWriteTokens: (i * 37) % 300,
      costPico: BigInt(Math.floor(random() * 1e12)) * 1009n + 7n,
      latencyMs: 2 + Math.round(random() * 40_000) / 4,
      ttftMs: i % 3 === 0 ? null : 1.5 + random() * 900,
      keyId: `key-${i % 5}`,
      teamId: i % 5 < 3 ? "team-a" : null,
      endUser: i % 3 === 0 ? "alice" : i % 3 === 1 ? "bob" : null,
      metadata: i % 4 === 0 ? { tags: ["batch", "eu"] } : i % 4 === 1 ? { tags: ["eu"] } : null,
      // A quality group asked for by name and by alias, its calls served by the tier groups.
      ...(i % 7 === 0 ? { requestedModel: "auto" } : i % 7 === 1 ? { requestedModel: "router-auto" } : {}),
    });
  });
}

describe("usage repository (rollups) against plain SQL over raw calls", () => {
  const test = useTestDatabase();
  let usage: UsageRepository;

  beforeAll(async () => {
    usage = createUsageRepository(test.database.db);
    const records = makeRecords(400, 42);
    // Several batches so rollup rows are merged on conflict, plus a replayed batch that must not count twice.
    for (let start = 0; start < records.length; start += 70) await insertCallBatch(test.database.db, records.slice(start, start + 70));
    await insertCallBatch(test.database.db, records.slice(100, 180));
  });

  const day = (d: number, h = 0, m = 0, s = 0) => new Date(Date.UTC(2025, 2, d, h, m, s));
  const cases: Array<[string, UsageOptions]> = [
    ["all time, no grouping", { groupBy: [] }],
    ["by model", { groupBy: ["MODEL"] }],
    ["by model and status per day", { groupBy: ["MODEL", "STATUS"], bucket: "DAY" }],
    ["by key per hour", { groupBy: ["KEY"], bucket: "HOUR" }],
    ["by deployment per minute, one hour", { groupBy: ["DEPLOYMENT"], bucket: "MINUTE", filter: { from: day(2, 10), to: day(2, 11) } }],
    ["by team, user, error class, provider per week", { groupBy: ["TEAM", "USER", "ERROR_CLASS", "PROVIDER"], bucket: "WEEK" }],
    ["per month", { groupBy: [], bucket: "MONTH" }],
    ["ragged range by model", { groupBy: ["MODEL"], filter: { from: day(1, 7, 13, 27), to: day(3, 17, 42, 9) } }],
    ["ragged range by model per hour", { groupBy: ["MODEL"], bucket: "HOUR", filter: { from: day(1, 23, 59, 30), to: day(2, 2, 0, 1) } }],
    ["ragged range per day", { groupBy: ["STATUS"], bucket: "DAY", filter: { from: day(1, 7, 13, 27), to: day(3, 17, 42, 9) } }],
    ["open start", { groupBy: ["USER"], filter: { to: day(2, 12, 30, 15) } }],
    ["open end", { groupBy: ["USER"], filter: { from: day(2, 12, 30, 15) } }],
    ["filtered by model, provider, deployment", { groupBy: ["KEY"], filter: { modelGroup: "fast", provider: "openai", deployment: "openai-mini" } }],
    ["filtered by key, team, user, status", { groupBy: ["MODEL"], bucket: "DAY", filter: { keyId: "key-1", teamId: "team-a", endUser: "alice", status: "SUCCESS" } }],
    ["filtered by error status", { groupBy: ["ERROR_CLASS"], filter: { status: "ERROR" } }],
    ["by tier: a quality group's names, by model", { groupBy: ["MODEL"], filter: { requestedModels: ["auto", "router-auto"] } }],
    ["by tier per hour in a ragged range", { groupBy: ["MODEL", "STATUS"], bucket: "HOUR", filter: { requestedModels: ["auto"], from: day(1, 23, 59, 30), to: day(2, 9, 0, 1) } }],
    ["by tier and key, one tier", { groupBy: ["KEY"], filter: { requestedModels: ["router-auto"], modelGroup: "smart" } }],
  ];

  for (const [label, options] of cases) {
    it(`matches for ${label}`, async () => {
      const [report, exact] = await Promise.all([usage.usage(options), usageFromRawCalls(test.database.db, options)]);
      expect(report.totals.requests).toBeGreaterThan(0);
      expectReportMatches(report, exact, label);
    });
  }

  it("leaves out only the percentiles not asked for", async () => {
    const withoutLatency = { latencyP50Ms: null, latencyP95Ms: null, latencyP99Ms: null };
    const withoutTtft = { ttftP50Ms: null, ttftP95Ms: null, ttftP99Ms: null };
    let withTtft = 0;
    for (const [label, options] of cases.filter(([, options]) => options.groupBy.length > 0)) {
      const full = await usage.usage(options);
      const none = await usage.usage({ ...options, percentiles: { latency: false, ttft: false } });
      const latencyOnly = await usage.usage({ ...options, percentiles: { latency: true, ttft: false } });
      expect(full.rows.some((row) => row.latencyP50Ms !== null), label).toBe(true);
      if (full.rows.some((row) => row.ttftP50Ms !== null)) withTtft += 1;
      const strip = (report: typeof full, nulls: object) => ({ totals: { ...report.totals, ...nulls }, rows: report.rows.map((row) => ({ ...row, ...nulls })) });
      expect(none, label).toEqual(strip(full, { ...withoutLatency, ...withoutTtft }));
      expect(latencyOnly, label).toEqual(strip(full, withoutTtft));
    }
    expect(withTtft).toBeGreaterThan(10);
  });

  it("reads rollups, not calls, for time ranges on whole minutes", async () => {
    // Remove the raw calls behind the rollups' back: a rollup read still answers, a raw read would not.
    const before = await usage.usage({ groupBy: ["MODEL"], filter: { from: day(1), to: day(6) } });
    await test.database.db.transaction(async (tx) => {
      await tx.execute("delete from call_attempts");
      await tx.execute("delete from calls");
      const after = await createUsageRepository(tx).usage({ groupBy: ["MODEL"], filter: { from: day(1), to: day(6) } });
      expect(after).toEqual(before);
      expect(after.totals.requests).toBe(400);
      tx.rollback();
    }).catch((error: unknown) => {
      if (!(error instanceof Error && /rollback/i.test(error.message))) throw error;
    });
    const restored = await usage.usage({ groupBy: [] });
    expect(restored.totals.requests).toBe(400);
  });

  it("answers zeros for an empty selection and an empty range", async () => {
    const empty = await usage.usage({ groupBy: ["MODEL"], bucket: "HOUR", filter: { from: new Date("2030-01-01T00:00:00Z") } });
    expect(empty.rows).toEqual([]);
    expect(empty.totals).toMatchObject({ requests: 0, costUsd: "0.000000000000", latencyP50Ms: null, ttftP99Ms: null });
    const backwards = await usage.usage({ groupBy: [], filter: { from: day(3), to: day(2) } });
    expect(backwards.totals.requests).toBe(0);
    expect(backwards.rows).toEqual([backwards.totals]);
  });

  it("groups and filters by tag from raw calls, counting totals once per call", async () => {
    const byTag = await usage.usage({ groupBy: ["TAG"] });
    const all = await usage.usage({ groupBy: [] });
    expect(byTag.rows.map((row) => [row.key[0], row.requests])).toEqual([["", 200], ["batch", 100], ["eu", 200]]);
    expect(byTag.totals).toEqual(all.totals);
    const batch = await usage.usage({ groupBy: ["MODEL"], filter: { tag: "batch" } });
    expect(batch.totals.requests).toBe(100);
    expect(batch.rows.map((row) => row.key[0])).toEqual(["fast"]);
  });

  it("filters on the requested model from raw calls: every call asked for by those names, none other", async () => {
    const byTier = await usage.usage({ groupBy: ["MODEL"], filter: { requestedModels: ["auto", "router-auto"] } });
    // 400 calls, i % 7 in {0, 1}: 58 + 57.
    expect(byTier.totals.requests).toBe(115);
    expect(byTier.rows.map((row) => row.key[0])).toEqual(["", "Zeta", "fast", "smart"]);
    expect((await usage.usage({ groupBy: [], filter: { requestedModels: [] } })).totals.requests).toBe(0);
    expect((await usage.usage({ groupBy: [], filter: { requestedModels: ["nobody's'model"] } })).totals.requests).toBe(0);
  });

  it("keeps a virtual key to its own usage whatever its filter says", async () => {
    const scoped = scopeCallRepositories({ calls: createCallsRepository(test.database.db), usage }, "key-2");
    const report = await scoped.usage.usage({ groupBy: ["KEY"], filter: { keyId: "key-3" } });
    expect(report.rows.map((row) => row.key)).toEqual([["key-2"]]);
    const exact = await usageFromRawCalls(test.database.db, { groupBy: ["KEY"], filter: { keyId: "key-2" } });
    expectReportMatches(report, exact, "scoped");
  });
});
