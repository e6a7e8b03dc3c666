import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type CallRow, createCallRetention, createCallsRepository, createStoredResponsesRepository, createUsageRepository, mergeRollupDeltas, queryRows } from "../../src/db/index.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { type OpenTestDatabase, openTestDatabaseForTest } from "../helpers/use-test-database.js";
import { makeAttempt, makeCallRecord } from "./make-call-record.js";

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

const count = async (test: OpenTestDatabase, table: "calls" | "call_attempts" | "stored_responses") =>
  (await queryRows<{ n: number }>(test.database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

describe("call retention", () => {
  /** 40 calls a day apart going back 40 days (two attempts each), and their rollups merged. */
  async function seed(): Promise<OpenTestDatabase> {
    const created = await openTestDatabaseForTest();
    const records = Array.from({ length: 40 }, (_, i) => {
      const createdAt = new Date(NOW - i * DAY_MS - 60_000);
      return makeCallRecord({ createdAt, costPico: 1_000_000n * BigInt(i + 1), attempts: [makeAttempt({ startedAt: createdAt }), makeAttempt({ index: 1, startedAt: createdAt })] });
    });
    await insertCallBatch(created.database.db, records);
    await mergeRollupDeltas(created.database.db);
    return created;
  }

  it("deletes calls and their attempts older than the horizon in batches, and keeps the rollups", async () => {
    const test = await seed();
    const { db } = test.database;
    const usage = createUsageRepository(db);
    const everything = { filter: { from: new Date(NOW - 60 * DAY_MS), to: new Date(NOW) }, groupBy: [] };
    const before = await usage.usage(everything);
    expect(before.totals.requests).toBe(40);

    const retention = createCallRetention({ db, days: 7, batchSize: 5, intervalMs: 3_600_000, now: () => NOW });
    try {
      expect(await retention.sweep()).toEqual({ droppedPartitions: [], deletedCalls: 33 }); // days 7 … 39 (each call is one minute past its day mark), all in the DEFAULT partitions
      expect(await count(test, "calls")).toBe(7);
      expect(await count(test, "call_attempts")).toBe(14);
      expect((await retention.sweep()).deletedCalls).toBe(0);
      // Stored responses are call detail too: they go at the same horizon.
      const responses = createStoredResponsesRepository(db);
      for (const [id, age] of [["resp_old", 8], ["resp_new", 6]] as const) {
        await responses.save({ id, callId: "0b9a6f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", keyId: null, messages: [{ role: "user", content: "hi\u0000" }], response: { id } });
        await db.execute(sql`update stored_responses set created_at = ${new Date(NOW - age * DAY_MS).toISOString()}::timestamptz where id = ${id}`);
      }
      expect((await retention.sweep()).deletedCalls).toBe(0);
      expect(await responses.find("resp_old", null)).toBeNull();
      expect((await responses.find("resp_new", null))?.messages).toEqual([{ role: "user", content: "hi\ufffd" }]);
      // Reports, budgets and health read the rollups: unchanged.
      expect(await usage.usage(everything)).toEqual(before);
    } finally {
      await retention.close();
    }
  });

  it("hides calls past the horizon from listings, totalCount and call(id) before any sweep", async () => {
    const test = await seed();
    const { db } = test.database;
    const retention = createCallRetention({ db, days: 10, intervalMs: 3_600_000, now: () => NOW });
    try {
      const calls = createCallsRepository(db, { horizon: retention.horizon });
      const seen: CallRow[] = [];
      let after: string | undefined;
      let totalCount: number | null = null;
      for (;;) {
        const page = await calls.listCalls({ first: 4, ...(after ? { after } : {}) });
        seen.push(...page.rows);
        totalCount = page.totalCount;
        if (!page.hasNextPage) break;
        after = page.endCursor ?? undefined;
      }
      expect(seen).toHaveLength(10);
      expect(totalCount).toBe(10);
      expect(seen.every((row) => row.createdAt.getTime() >= NOW - 10 * DAY_MS)).toBe(true);
      // A filter starting before the horizon is cut to it; one starting after is kept.
      const late = await calls.listCalls({ first: 50, filter: { from: new Date(NOW - 3 * DAY_MS) } });
      expect([late.rows.length, late.totalCount]).toEqual([3, 3]);
      const old = await queryRows<{ id: string }>(db, sql`select id::text as id from calls order by created_at limit 1`);
      expect(await calls.getCall(old[0]!.id)).toBeNull();
      expect(await createCallsRepository(db).getCall(old[0]!.id)).not.toBeNull();
    } finally {
      await retention.close();
    }
  });

  it("refuses a retention that is not a whole number of days ≥ 1", async () => {
    const test = await openTestDatabaseForTest();
    expect(() => createCallRetention({ db: test.database.db, days: 0 })).toThrow(RangeError);
    expect(() => createCallRetention({ db: test.database.db, days: 1.5 })).toThrow(RangeError);
  });
});
