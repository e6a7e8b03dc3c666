import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/core/index.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { type UsageRepository, type UsageRow, createUsageRepository, picoToUsd } from "../../src/db/index.js";
import { type TestDatabase, createTestDatabase } from "../helpers/test-database.js";
import { makeCallRecord, seededRandom } from "./make-call-record.js";

/** percentile_cont as Postgres computes it (same float operations, so results are equal, not just close). */
function percentileCont(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

function expected(records: CallRecord[], key: string[], bucketStart: Date | null): UsageRow {
  const latencies = records.map((r) => r.latencyMs);
  return {
    key,
    bucketStart,
    requests: records.length,
    errors: records.filter((r) => r.status === "ERROR").length,
    promptTokens: records.reduce((n, r) => n + r.promptTokens, 0),
    completionTokens: records.reduce((n, r) => n + r.completionTokens, 0),
    costUsd: picoToUsd(records.reduce((n, r) => n + r.costPico, 0n)),
    latencyP50Ms: percentileCont(latencies, 0.5),
    latencyP95Ms: percentileCont(latencies, 0.95),
    latencyP99Ms: percentileCont(latencies, 0.99),
  };
}

/** Groups records by a key function, in the order usage() promises: bucket, then key (byte order). */
function groupRecords(records: CallRecord[], keyOf: (r: CallRecord) => string[], bucketOf: (r: CallRecord) => Date | null): UsageRow[] {
  const groups = new Map<string, { key: string[]; bucket: Date | null; records: CallRecord[] }>();
  for (const record of records) {
    const key = keyOf(record);
    const bucket = bucketOf(record);
    const id = JSON.stringify([bucket?.getTime() ?? null, key]);
    const group = groups.get(id) ?? { key, bucket, records: [] };
    group.records.push(record);
    groups.set(id, group);
  }
  const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  return [...groups.values()]
    .sort((a, b) => {
      const byBucket = (a.bucket?.getTime() ?? 0) - (b.bucket?.getTime() ?? 0);
      if (byBucket !== 0) return byBucket;
      for (let i = 0; i < a.key.length; i++) {
        const byKey = byteOrder(a.key[i]!, b.key[i]!);
        if (byKey !== 0) return byKey;
      }
      return 0;
    })
    .map((group) => expected(group.records, group.key, group.bucket));
}

const dayOf = (r: CallRecord) => new Date(Date.UTC(r.createdAt.getUTCFullYear(), r.createdAt.getUTCMonth(), r.createdAt.getUTCDate()));

describe("usage repository", () => {
  let test: TestDatabase;
  let usage: UsageRepository;
  let records: CallRecord[];

  const scalar = async <T>(query: SQL): Promise<T> => {
    const result = (await test.database.db.execute(query)) as unknown as { rows: Array<{ value: T }> };
    return result.rows[0]!.value;
  };

  beforeAll(async () => {
    test = await createTestDatabase();
    usage = createUsageRepository(test.database.db);
    const random = seededRandom(42);
    const models = ["fast", "smart", "Zeta", null];
    const statuses = ["SUCCESS", "SUCCESS", "ERROR", "CANCELLED"] as const;
    records = Array.from({ length: 120 }, (_, i) => {
      const status = statuses[Math.floor(random() * statuses.length)]!;
      return makeCallRecord({
        // Three UTC days, including calls a minute either side of midnight.
        createdAt: new Date(Date.UTC(2025, 2, 1) + Math.floor(random() * 3 * 86_400_000) + (i % 10 === 0 ? 86_400_000 - 60_000 : 0)),
        modelGroup: models[i % models.length]!,
        status,
        errorKind: status === "ERROR" ? "rate_limit" : null,
        promptTokens: Math.floor(random() * 5000),
        completionTokens: Math.floor(random() * 800),
        costPico: BigInt(Math.floor(random() * 1e12)) * 1009n + 7n,
        latencyMs: Math.round(random() * 4000) / 4,
        endUser: i % 3 === 0 ? "alice" : null,
      });
    });
    await insertCallBatch(test.database.db, records);
  });
  afterAll(async () => {
    await test?.dispose();
  });

  it("groups by model with exact totals", async () => {
    const report = await usage.usage({ groupBy: ["MODEL"] });
    expect(report.totals).toEqual(expected(records, [], null));
    expect(report.rows).toEqual(groupRecords(records, (r) => [r.modelGroup ?? ""], () => null));
    expect(report.rows.map((row) => row.key[0])).toEqual(["", "Zeta", "fast", "smart"]);
  });

  it("groups by model and status per UTC day", async () => {
    const report = await usage.usage({ groupBy: ["MODEL", "STATUS"], bucket: "DAY" });
    const want = groupRecords(records, (r) => [r.modelGroup ?? "", r.status], dayOf);
    expect(report.rows).toEqual(want);
    expect(report.totals).toEqual(expected(records, [], null));
    expect(new Set(report.rows.map((row) => row.bucketStart?.toISOString()))).toEqual(
      new Set(["2025-03-01T00:00:00.000Z", "2025-03-02T00:00:00.000Z", "2025-03-03T00:00:00.000Z", "2025-03-04T00:00:00.000Z"].filter(
        (day) => records.some((r) => dayOf(r).toISOString() === day),
      )),
    );
  });

  it("matches percentile_cont and sum(cost_usd) computed separately in SQL", async () => {
    const report = await usage.usage({ groupBy: ["MODEL"], filter: { status: "SUCCESS" } });
    for (const row of report.rows) {
      const model = row.key[0]!;
      const where = sql`coalesce(model_group, '') = ${model} and status = 'SUCCESS'`;
      const p50 = await scalar<number>(sql`select percentile_cont(0.5) within group (order by latency_ms) as value from calls where ${where}`);
      const cost = await scalar<string>(sql`select sum(cost_usd)::text as value from calls where ${where}`);
      expect(row.latencyP50Ms).toBe(p50);
      expect(row.costUsd).toBe(cost);
    }
    expect(report.totals.requests).toBe(records.filter((r) => r.status === "SUCCESS").length);
  });

  it("buckets without dimensions, and reports one row without either", async () => {
    const byDay = await usage.usage({ groupBy: [], bucket: "DAY" });
    expect(byDay.rows).toEqual(groupRecords(records, () => [], dayOf));
    const whole = await usage.usage({ groupBy: [] });
    expect(whole.rows).toEqual([whole.totals]);
    expect(whole.totals).toEqual(expected(records, [], null));
  });

  it("applies filters and answers zeros for an empty selection", async () => {
    const alice = await usage.usage({ groupBy: ["USER"], filter: { endUser: "alice" } });
    expect(alice.rows.map((row) => row.key)).toEqual([["alice"]]);
    expect(alice.totals.requests).toBe(records.filter((r) => r.endUser === "alice").length);

    const empty = await usage.usage({ groupBy: ["MODEL"], bucket: "HOUR", filter: { from: new Date("2030-01-01T00:00:00Z") } });
    expect(empty.rows).toEqual([]);
    expect(empty.totals).toEqual({
      key: [],
      bucketStart: null,
      requests: 0,
      errors: 0,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: "0.000000000000",
      latencyP50Ms: null,
      latencyP95Ms: null,
      latencyP99Ms: null,
    });
  });

  it("truncates weeks and months in UTC", async () => {
    const weeks = await usage.usage({ groupBy: ["ERROR_CLASS"], bucket: "WEEK" });
    // 2025-03-01 is a Saturday: its ISO week starts on Monday 2025-02-24.
    expect(weeks.rows[0]!.bucketStart?.toISOString()).toBe("2025-02-24T00:00:00.000Z");
    expect(weeks.rows.some((row) => row.key[0] === "rate_limit")).toBe(true);
    const months = await usage.usage({ groupBy: ["KEY", "TEAM", "PROVIDER", "DEPLOYMENT"], bucket: "MONTH" });
    expect(months.rows).toHaveLength(1);
    expect(months.rows[0]).toMatchObject({ key: ["", "", "openai", "openai-mini"], requests: 120 });
    expect(months.rows[0]!.bucketStart?.toISOString()).toBe("2025-03-01T00:00:00.000Z");
  });
});
