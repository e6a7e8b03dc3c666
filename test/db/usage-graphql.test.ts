import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageDocument } from "../gql/graphql.js";
import { GOVERNANCE_CONFIG, MASTER_KEY } from "../governance/governance-config.js";
import { type CountingGateway, startCountingGateway } from "../analytics/start-counting-gateway.js";
import { makeCallRecord } from "./make-call-record.js";
import { createTestKey } from "../governance/create-test-key.js";

describe("usage over GraphQL: key, team and tag filters, TAG grouping, key scoping", () => {
  let gateway: CountingGateway;
  let key: { id: string; secret: string };
  const now = Date.now();

  beforeAll(async () => {
    gateway = await startCountingGateway(GOVERNANCE_CONFIG, MASTER_KEY);
    const created = await createTestKey(gateway, { name: "analyst" });
    key = { id: created.key.id, secret: created.secret };
    await gateway.record(
      Array.from({ length: 12 }, (_, i) =>
        makeCallRecord({
          createdAt: new Date(now - (i + 1) * 60_000),
          keyId: i % 2 === 0 ? key.id : "other-key",
          teamId: i % 3 === 0 ? "team-x" : null,
          costPico: 1_000_000n * BigInt(i + 1),
          metadata: i % 4 === 0 ? { tags: ["nightly"] } : null,
        }),
      ),
    );
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it("filters by key, team and tag", async () => {
    const byKey = await gateway.execute(UsageDocument, { filter: { key: key.id } });
    expect(byKey.errors).toBeUndefined();
    expect(byKey.data!.usage.totals.requests).toBe(6);
    // Keys 0, 2, …, 10 → costs 1+3+5+7+9+11 micro-dollars.
    expect(byKey.data!.usage.totals.costUsdExact).toBe("0.000036000000");
    const byTeam = await gateway.execute(UsageDocument, { filter: { team: "team-x" } });
    expect(byTeam.data!.usage.totals.requests).toBe(4);
    const byTag = await gateway.execute(UsageDocument, { filter: { tag: "nightly" } });
    expect(byTag.data!.usage.totals.requests).toBe(3);
  });

  it("groups by TAG", async () => {
    const result = await gateway.execute(UsageDocument, { groupBy: ["TAG"] });
    expect(result.errors).toBeUndefined();
    expect(result.data!.usage.rows.map((row) => [row.key, row.requests])).toEqual([[[""], 9], [["nightly"], 3]]);
    expect(result.data!.usage.totals.requests).toBe(12);
  });

  it("merges the latency sketches only for the percentiles a query selects, in rows or totals", async () => {
    const sketchesIn = async (query: string) => {
      let data: unknown;
      const statements = await gateway.statementsDuring(async () => {
        const result = await gateway.execute(query, {});
        expect(result.errors).toBeUndefined();
        data = result.data;
      });
      const report = statements.filter((statement) => statement.includes("pending_increments"));
      expect(report).toHaveLength(1);
      return { latency: report[0]!.includes("array_to_string(latency_sketch"), ttft: report[0]!.includes("array_to_string(ttft_sketch"), data };
    };
    const counts = await sketchesIn(`{ usage(groupBy: [KEY]) { totals { requests } rows { key requests costUsdExact } } }`);
    expect(counts).toMatchObject({ latency: false, ttft: false });
    expect((counts.data as { usage: { totals: { requests: number } } }).usage.totals.requests).toBe(12);
    const rowLatency = await sketchesIn(`{ usage(groupBy: [KEY]) { rows { key latencyP95Ms } } }`);
    expect(rowLatency).toMatchObject({ latency: true, ttft: false });
    const rows = (rowLatency.data as { usage: { rows: Array<{ latencyP95Ms: number | null }> } }).usage.rows;
    expect(rows.every((row) => row.latencyP95Ms !== null)).toBe(true);
    expect(await sketchesIn(`{ usage { totals { ttftP50Ms } } }`)).toMatchObject({ latency: false, ttft: true });
    // A fragment may select anything: both are merged.
    expect(await sketchesIn(`{ usage { totals { ...T } } } fragment T on UsageRow { requests }`)).toMatchObject({ latency: true, ttft: true });
  });

  it("keeps a virtual key to its own usage", async () => {
    const result = await gateway.execute(UsageDocument, { filter: { key: "other-key" }, groupBy: ["KEY"] }, key.secret);
    expect(result.errors).toBeUndefined();
    expect(result.data!.usage.rows.map((row) => row.key)).toEqual([[key.id]]);
    expect(result.data!.usage.totals.requests).toBe(6);
  });
});
