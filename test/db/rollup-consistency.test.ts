import { SKETCH_INDEX_SQL } from "../../src/db/latency-sketch.js";
import { sketchFromBucketsSql } from "../../src/db/sketch-codec.js";
import { ROLLUP_LEVELS } from "../../src/db/rollup-breakdowns.js";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createCallLogWriter, createUsageRepository, mergeRollupDeltas, selectRollupsFromCalls, queryRows } from "../../src/db/index.js";
import { openTestDatabaseForTest } from "../helpers/use-test-database.js";
import { makeCallRecord, seededRandom } from "./make-call-record.js";

const KEY_ORDER = "grain, breakdown, bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind";
const SHOWN = `grain, breakdown, bucket_start::text as bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind,
  requests::text as requests, errors::text as errors, prompt_tokens::text as prompt_tokens, completion_tokens::text as completion_tokens,
  cached_tokens::text as cached_tokens, cost_usd::numeric(38, 12)::text as cost_usd,
  latency_sketch::text as latency_sketch, ttft_sketch::text as ttft_sketch`;

describe("call rollups under concurrent writers", () => {
  it("equal a rebuild from the raw calls at every grain, with duplicates counted once", async () => {
    const test = await openTestDatabaseForTest();
    const { db } = test.database;
    const random = seededRandom(7);
    const base = Date.UTC(2025, 5, 30, 23, 58);
    const records = Array.from({ length: 600 }, (_, i) =>
      makeCallRecord({
        // Five minutes across midnight (and a month end), so minute, hour and day rows all merge.
        createdAt: new Date(base + Math.floor(random() * 5 * 60_000)),
        modelGroup: i % 3 === 0 ? "smart" : "fast",
        status: i % 7 === 0 ? "ERROR" : "SUCCESS",
        errorKind: i % 7 === 0 ? "timeout" : null,
        keyId: `key-${i % 3}`,
        teamId: i % 2 === 0 ? "team-a" : null,
        endUser: i % 5 === 0 ? "carol" : null,
        latencyMs: 1 + random() * 3000,
        ttftMs: i % 2 === 0 ? 1 + random() * 500 : null,
        costPico: BigInt(Math.floor(random() * 1e9)) * 13n,
      }),
    );
    const first = createCallLogWriter({ db, batchSize: 40, flushIntervalMs: 1 });
    const second = createCallLogWriter({ db, batchSize: 40, flushIntervalMs: 1 });
    // Overlapping halves, interleaved record by record, plus a replay of some ids to the first writer.
    for (let i = 0; i < 400; i++) {
      first.record(records[i]!);
      second.record(records[200 + i]!);
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const record of records.slice(100, 300)) first.record(record);
    await Promise.all([first.close(), second.close()]);
    expect(first.stats().written + second.stats().written).toBe(600);

    const stored = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from calls`);
    expect(stored[0]!.n).toBe(600);

    // Before, between and after merges, a report counts every call once.
    const usage = createUsageRepository(db);
    const report = () => usage.usage({ groupBy: ["KEY"], bucket: "HOUR" });
    const unmerged = await report();
    expect(unmerged.totals.requests).toBe(600);
    const pending = async () => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from call_rollup_deltas`))[0]!.n;
    expect(await pending()).toBeGreaterThan(4);
    await mergeRollupDeltas(db, { maxDeltas: 3 });
    expect(await report()).toEqual(unmerged);
    // Two mergers at once take disjoint increments (SKIP LOCKED) and lock rollup rows in one order.
    const merged = await Promise.all([mergeRollupDeltas(db, { maxDeltas: 1_000 }), mergeRollupDeltas(db, { maxDeltas: 1_000 })]);
    expect(merged[0].deltas + merged[1].deltas).toBeGreaterThan(0);
    expect(await pending()).toBe(0);
    expect(await report()).toEqual(unmerged);
    for (const [grain, breakdown] of ROLLUP_LEVELS) {
      const rows = await queryRows<Record<string, unknown>>(
        db,
        sql`select ${sql.raw(SHOWN)} from call_rollups where grain = ${grain} and breakdown = ${breakdown} order by ${sql.raw(KEY_ORDER)}`,
      );
      const rebuilt = await queryRows<unknown>(
        db,
        sql`select ${sql.raw(SHOWN)} from (${selectRollupsFromCalls(grain, undefined, { breakdown })}) as rebuilt order by ${sql.raw(KEY_ORDER)}`,
      );
      expect(rows.length, `grain ${grain} breakdown ${breakdown}`).toBeGreaterThan(0);
      expect(rows).toEqual(rebuilt);
    }
    // Attempt outcomes per minute and deployment equal a rebuild from call_attempts.
    const attemptKey = "bucket_start, deployment, model_group, provider, outcome, error_kind";
    const attemptRows = await queryRows<unknown>(db, sql`
      select bucket_start::text as bucket_start, deployment, model_group, provider, outcome, error_kind,
        attempts::int as attempts, hedged::int as hedged, latency_sketch::text as latency_sketch
      from attempt_rollups order by ${sql.raw(attemptKey)}`);
    const rebuiltAttempts = await queryRows<unknown>(db, sql`
      select to_timestamp(floor(extract(epoch from started_at) / 60) * 60)::text as bucket_start, deployment, model_group, provider, outcome, error_kind,
        count(*)::int as attempts, (count(*) filter (where hedged))::int as hedged,
        ${sql.raw(sketchFromBucketsSql(`(select ${SKETCH_INDEX_SQL("v")} as i, count(*) as n from unnest(array_agg(latency_ms)) as v group by 1) as b`))}::text as latency_sketch
      from call_attempts group by 1, 2, 3, 4, 5, 6 order by ${sql.raw(attemptKey)}`);
    expect(attemptRows.length).toBeGreaterThan(0);
    expect(attemptRows).toEqual(rebuiltAttempts);

    const dayTotals = await queryRows<{ n: number }>(db, sql`select sum(requests)::int as n from call_rollups where grain = 1440 and breakdown = 2`);
    expect(dayTotals[0]!.n).toBe(600);
  });
});
