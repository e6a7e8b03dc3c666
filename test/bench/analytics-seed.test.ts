import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DAYS, SEED_SHAPE, seedCalls, seedCallsInPasses } from "../../bench/analytics-seed.js";
import { copyTextRow } from "../../src/db/copy-text-row.js";
import { syntheticCallValues } from "../../bench/synthetic-call-rows.js";
import { createSeededRandom } from "../../src/simulator/seeded-random.js";
import { useTestDatabase } from "../helpers/use-test-database.js";

const onServer = Boolean(process.env.DATABASE_URL);
const start = new Date(Date.UTC(2026, 0, 1));

describe.skipIf(!onServer)("seedCalls with COPY into real Postgres (skipped without DATABASE_URL)", () => {
  const test = useTestDatabase();
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: test.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  it("writes every call over several COPY statements, with exact values, and logs progress", async () => {
    const rows = 7000;
    const progress: string[] = [];
    const seconds = await seedCalls(test.url!, rows, start, (line) => progress.push(line), { seed: 11, rowsPerCopy: 3000 });
    expect(seconds).toBeGreaterThan(0);
    expect(progress.map((line) => line.match(/seeded ([\d,]+) calls/)?.[1])).toEqual(["3,000", "6,000", "7,000"]);

    const summary = await client.query<{ n: number; deployments: number; ids: number; cost: string; cancelled: number; first: string; last: string }>(`
      select count(*)::int as n, count(distinct deployment)::int as deployments, count(distinct id)::int as ids, sum(cost_usd)::text as cost,
        count(*) filter (where status = 'CANCELLED')::int as cancelled,
        to_char(min(created_at) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as first,
        to_char(max(created_at) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as last
      from calls`);
    const random = createSeededRandom(11);
    const context = { total: rows, start, spanMs: SEED_DAYS * 86_400_000, shape: SEED_SHAPE, random };
    const expected = Array.from({ length: rows }, (_, i) => syntheticCallValues(i + 1, context));
    const nanoTotal = expected.reduce((sum, values) => sum + BigInt(String(values[16]).replace(".", "")), 0n);
    expect(summary.rows[0]).toMatchObject({
      n: rows,
      ids: rows,
      deployments: SEED_SHAPE.modelGroups * SEED_SHAPE.deploymentsPerGroup,
      cancelled: 70,
      cost: `${nanoTotal / 1_000_000_000n}.${String(nanoTotal % 1_000_000_000n).padStart(9, "0")}000`,
      first: "2026-01-01 00:00:00.000000",
      last: "2026-01-30 23:53:49.714286",
    });

    // The draws continue across COPY statements: call 6,001 is the one the generator makes in sequence.
    const call = expected[6000]!;
    const stored = await client.query<{ id: string; latency_ms: number; ttft_ms: number | null; end_user: string | null }>(
      "select id::text, latency_ms, ttft_ms, end_user from calls where id = $1",
      [call[0]],
    );
    expect(stored.rows[0]).toEqual({ id: call[0], latency_ms: call[17], ttft_ms: call[18], end_user: call[22] });
  });

  it("seeds in passes: every call once over all passes, and a stop time ends it at a whole pass, an even sample", async () => {
    await client.query("truncate calls");
    const rows = 1000;
    const passes = await seedCallsInPasses(test.url!, rows, start, () => undefined, { seed: 11, rowsPerCopy: 150, passes: 11 });
    expect(passes.rows).toBe(rows);
    const whole = await client.query<{ n: number; ids: number; first: string; last: string }>(`
      select count(*)::int as n, count(distinct id)::int as ids,
        to_char(min(created_at) at time zone 'UTC', 'YYYY-MM-DD') as first, to_char(max(created_at) at time zone 'UTC', 'YYYY-MM-DD') as last from calls`);
    expect(whole.rows[0]).toEqual({ n: rows, ids: rows, first: "2026-01-01", last: "2026-01-30" });

    await client.query("truncate calls");
    // A stop time already past: the first pass runs (its pace is not known before), no other.
    const stopped = await seedCallsInPasses(test.url!, rows, start, () => undefined, { seed: 11, passes: 13, stopAt: Date.now() - 1 });
    expect(stopped.rows).toBe(77);
    const sample = await client.query<{ n: number; days: number; statuses: number; keys: number }>(`
      select count(*)::int as n, count(distinct date_trunc('day', created_at, 'UTC'))::int as days,
        count(distinct status)::int as statuses, count(distinct key_id)::int as keys from calls`);
    expect(sample.rows[0]).toEqual({ n: 77, days: SEED_DAYS, statuses: 3, keys: SEED_SHAPE.keys });
    // A stride sharing a factor with the shape's moduli (every 25th call: SUCCESS only) is refused.
    await expect(seedCallsInPasses(test.url!, rows, start, () => undefined, { passes: 25 })).rejects.toThrow(/share no factor/);
  });

  it("round-trips escaped text and NULL through COPY", async () => {
    await client.query("create temporary table copied (a text, b text, c text)");
    const texts = ["tab\there, new\nline, cr\r, back\\slash", "\\N", null] as const;
    await pipeline(Readable.from([copyTextRow(texts)]), client.query(copyFrom("copy copied (a, b, c) from stdin")));
    const copied = await client.query<{ a: string; b: string; c: string | null }>("select a, b, c from copied");
    expect(copied.rows).toEqual([{ a: texts[0], b: texts[1], c: null }]);
  });
});
