import { sql } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { type CallRow, createCallPartitionKeeper, createCallRetention, createCallsRepository, createFeedbackRepository, createUsageRepository, ensureCallPartitions, listCallPartitions, mergeRollupDeltas, queryRows } from "../../src/db/index.js";
import { callPartitionName, missingPartitionRanges } from "../../src/db/call-partitions.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { type OpenTestDatabase, openTestDatabaseForTest } from "../helpers/use-test-database.js";
import { makeAttempt, makeCallRecord } from "./make-call-record.js";

const DAY_MS = 86_400_000;
// A day no test run's clock is near, so the partitions the template made for "today" are not in the way.
const DAY0 = Date.UTC(2031, 2, 10);
const NOW = DAY0 + 12 * 3_600_000;

const count = async (test: OpenTestDatabase, table: string) =>
  (await queryRows<{ n: number }>(test.database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

const namesOf = async (test: OpenTestDatabase, table: "calls" | "call_attempts") =>
  (await listCallPartitions(test.database.db)).filter((p) => p.table === table && p.from >= DAY0 - 60 * DAY_MS).map((p) => p.name);

describe("missingPartitionRanges", () => {
  it("cuts the uncovered part of a span at whole grains and skips what exists", () => {
    expect(missingPartitionRanges([], DAY0 + 5, DAY0 + 2 * DAY_MS - 1, DAY_MS)).toEqual([
      { from: DAY0, to: DAY0 + DAY_MS },
      { from: DAY0 + DAY_MS, to: DAY0 + 2 * DAY_MS },
    ]);
    expect(missingPartitionRanges([{ from: DAY0 + DAY_MS, to: DAY0 + 2 * DAY_MS }], DAY0, DAY0 + 3 * DAY_MS - 1, DAY_MS)).toEqual([
      { from: DAY0, to: DAY0 + DAY_MS },
      { from: DAY0 + 2 * DAY_MS, to: DAY0 + 3 * DAY_MS },
    ]);
    // An operator's partition ending mid-day (an attached legacy table): the rest of that day only.
    expect(missingPartitionRanges([{ from: -Infinity, to: DAY0 + 6 * 3_600_000 }], DAY0, DAY0 + DAY_MS - 1, DAY_MS)).toEqual([{ from: DAY0 + 6 * 3_600_000, to: DAY0 + DAY_MS }]);
    expect(callPartitionName("calls", DAY0)).toBe("calls_p20310310");
    expect(callPartitionName("call_attempts", DAY0 + 6 * 3_600_000 + 30 * 60_000)).toBe("call_attempts_p20310310_0630");
  });
});

describe("call log partitions", () => {
  it("are created ahead by the keeper, for both tables, once", async () => {
    const test = await openTestDatabaseForTest();
    const keeper = createCallPartitionKeeper({ db: test.database.db, aheadDays: 3, intervalMs: 3_600_000, now: () => NOW });
    try {
      const created = await keeper.ensure();
      const days = ["20310310", "20310311", "20310312", "20310313"];
      expect(created).toEqual([...days.map((d) => `calls_p${d}`), ...days.map((d) => `call_attempts_p${d}`)]);
      expect(await namesOf(test, "calls")).toEqual(days.map((d) => `calls_p${d}`));
      expect(await namesOf(test, "call_attempts")).toEqual(days.map((d) => `call_attempts_p${d}`));
      expect(await keeper.ensure()).toEqual([]);
    } finally {
      await keeper.close();
    }
  });

  it("keep rows written before their day had a partition: the DEFAULT partition takes them, creating the day moves them", async () => {
    const test = await openTestDatabaseForTest();
    const { db } = test.database;
    const record = makeCallRecord({ createdAt: new Date(NOW), attempts: [makeAttempt({ startedAt: new Date(NOW + 5) })] });
    expect(await insertCallBatch(db, [record])).toBe(1);
    expect(await count(test, "calls_default")).toBe(1);
    expect(await ensureCallPartitions(db, { from: new Date(NOW), to: new Date(NOW) })).toEqual(["calls_p20310310", "call_attempts_p20310310"]);
    expect(await count(test, "calls_default")).toBe(0);
    expect(await count(test, "call_attempts_default")).toBe(0);
    expect(await count(test, "calls_p20310310")).toBe(1);
    expect(await count(test, "call_attempts_p20310310")).toBe(1);
    // The same record again (a retry after an ambiguous commit) is still recognised as stored.
    expect(await insertCallBatch(db, [record])).toBe(0);
    expect((await createCallsRepository(db).getCall(record.id))?.attempts).toHaveLength(1);
  });

  it("retention drops the partitions wholly past the horizon and keeps the rest", async () => {
    const test = await openTestDatabaseForTest();
    const { db } = test.database;
    await ensureCallPartitions(db, { from: new Date(NOW - 12 * DAY_MS), to: new Date(NOW + DAY_MS) });
    const records = Array.from({ length: 13 }, (_, i) => {
      const createdAt = new Date(NOW - i * DAY_MS - 60_000);
      return makeCallRecord({ createdAt, attempts: [makeAttempt({ startedAt: createdAt }), makeAttempt({ index: 1, startedAt: new Date(createdAt.getTime() + 1_000) })] });
    });
    await insertCallBatch(db, records);
    await mergeRollupDeltas(db);
    const feedback = createFeedbackRepository(db);
    const oldFeedback = await feedback.record({ callId: records[12]!.id, score: 1, comment: null, keyId: null });
    const newFeedback = await feedback.record({ callId: records[1]!.id, score: 0.5, comment: null, keyId: null });
    for (const [id, age] of [[oldFeedback.id, 12], [newFeedback.id, 1]] as const) {
      await db.execute(sql`update call_feedback set recorded_at = ${new Date(NOW - age * DAY_MS).toISOString()}::timestamptz where id = ${id}`);
    }
    const usage = createUsageRepository(db);
    const everything = { filter: { from: new Date(NOW - 60 * DAY_MS), to: new Date(NOW) }, groupBy: [] };
    const before = await usage.usage(everything);

    const retention = createCallRetention({ db, days: 7, intervalMs: 3_600_000, now: () => NOW });
    try {
      const swept = await retention.sweep();
      // Horizon: day −7 at 12:00. Days −12 … −8 are wholly older; day −7 holds the horizon and stays.
      const goneDays = Array.from({ length: 5 }, (_, i) => callPartitionName("calls", DAY0 - (12 - i) * DAY_MS));
      expect(swept.deletedCalls).toBe(0);
      // (The partitions the test database was made with, for the real today, are past this horizon too.)
      expect(swept.droppedPartitions.filter((name) => name.startsWith("calls_p2031"))).toEqual(goneDays);
      expect(swept.droppedPartitions.filter((name) => name.startsWith("call_attempts_p2031"))).toHaveLength(5);
      expect((await namesOf(test, "calls"))[0]).toBe(callPartitionName("calls", DAY0 - 7 * DAY_MS));
      const dropped = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from pg_class where relname = ${goneDays[0]!}`);
      expect(dropped[0]!.n).toBe(0);
      expect(await count(test, "calls")).toBe(8); // days 0 … −7: the call of day −7 is past the horizon but its partition is not
      expect(await count(test, "call_attempts")).toBe(16);
      expect(await count(test, "call_feedback")).toBe(1);
      // The edge partition's old call is hidden already.
      const calls = createCallsRepository(db, { horizon: retention.horizon });
      expect((await calls.listCalls({ first: 50 })).rows).toHaveLength(7);
      expect(await calls.getCall(records[7]!.id)).toBeNull();
      expect((await calls.getCall(records[6]!.id))?.attempts).toHaveLength(2);
      expect((await retention.sweep()).droppedPartitions).toEqual([]);
      // Reports read the rollups: unchanged.
      expect(await usage.usage(everything)).toEqual(before);
    } finally {
      await retention.close();
    }
  });

  it("serve listings with cursors, call(id) and attempts across partitions", async () => {
    const test = await openTestDatabaseForTest();
    const { db } = test.database;
    await ensureCallPartitions(db, { from: new Date(DAY0 - 3 * DAY_MS), to: new Date(DAY0 + DAY_MS) });
    // Calls on both sides of three midnights, with two at the same instant to exercise the id tie-break.
    const instants = [-2 * DAY_MS - 1, -2 * DAY_MS, -DAY_MS - 1, -DAY_MS - 1, -DAY_MS, -1, 0, 1, 3_600_000];
    const records = instants.map((offset) => {
      const createdAt = new Date(DAY0 + offset);
      return makeCallRecord({ createdAt, attempts: [makeAttempt({ startedAt: createdAt })] });
    });
    // One call's attempts run past midnight: its second attempt lives in the next day's partition.
    const straddling = makeCallRecord({
      createdAt: new Date(DAY0 - 500),
      attempts: [makeAttempt({ startedAt: new Date(DAY0 - 500) }), makeAttempt({ index: 1, startedAt: new Date(DAY0 + 200) })],
    });
    await insertCallBatch(db, [...records, straddling]);
    await mergeRollupDeltas(db);
    expect(await count(test, "calls_default")).toBe(0);

    const repository = createCallsRepository(db);
    const seen: CallRow[] = [];
    let after: string | undefined;
    let totalCount: number | null = null;
    for (;;) {
      const page = await repository.listCalls({ first: 2, ...(after ? { after } : {}) });
      seen.push(...page.rows);
      totalCount = page.totalCount;
      if (!page.hasNextPage) break;
      after = page.endCursor ?? undefined;
    }
    const expected = [...records, straddling]
      .map((r) => ({ id: r.id, t: r.createdAt.getTime() }))
      .sort((a, b) => b.t - a.t || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);
    expect(seen.map((r) => r.id)).toEqual(expected);
    expect(totalCount).toBe(10);
    // A filter over a range that crosses midnight.
    const window = await repository.listCalls({ first: 50, filter: { from: new Date(DAY0 - DAY_MS - 1), to: new Date(DAY0 + 1) } });
    expect(window.rows).toHaveLength(6);
    expect(window.totalCount).toBe(6);

    const oldest = await repository.getCall(records[0]!.id);
    expect(oldest?.createdAt.getTime()).toBe(DAY0 - 2 * DAY_MS - 1);
    expect(oldest?.attempts).toHaveLength(1);
    expect((await repository.getCall(straddling.id))?.attempts.map((a) => a.index)).toEqual([0, 1]);
    const attempts = await repository.getAttempts([records[0]!.id, straddling.id, records[8]!.id]);
    expect([...attempts.values()].map((list) => list.length)).toEqual([1, 2, 1]);
  });

  it("find a call's attempts outside its own time too (a clock stepped back while it ran)", async () => {
    const test = await openTestDatabaseForTest();
    const { db } = test.database;
    await ensureCallPartitions(db, { from: new Date(DAY0 - 3 * DAY_MS), to: new Date(DAY0 + DAY_MS) });
    const skewed = makeCallRecord({
      createdAt: new Date(DAY0 + 3_600_000),
      latencyMs: 100,
      attemptCount: 2,
      attempts: [makeAttempt({ startedAt: new Date(DAY0 + 3_600_010) }), makeAttempt({ index: 1, startedAt: new Date(DAY0 - 2 * DAY_MS) })],
    });
    const plain = makeCallRecord({ createdAt: new Date(DAY0 + 7_200_000), latencyMs: 100, attemptCount: 1, attempts: [makeAttempt({ startedAt: new Date(DAY0 + 7_200_001) })] });
    await insertCallBatch(db, [skewed, plain]);
    const repository = createCallsRepository(db);
    expect((await repository.getCall(skewed.id))?.attempts.map((a) => a.index)).toEqual([0, 1]);
    const refs = [skewed, plain].map((r) => ({ id: r.id, createdAt: r.createdAt, latencyMs: r.latencyMs, attemptCount: r.attemptCount }));
    const attempts = await repository.getAttempts(refs);
    expect(attempts.get(skewed.id)?.map((a) => a.index)).toEqual([0, 1]);
    expect(attempts.get(plain.id)?.map((a) => a.index)).toEqual([0]);
  });

  // A second connection holding a lock: a Postgres server only.
  it.skipIf(!process.env.DATABASE_URL)("retention gives up on a drop that would wait behind a long query, and drops it at the next sweep", async () => {
    const test = await openTestDatabaseForTest();
    const { db } = test.database;
    await ensureCallPartitions(db, { from: new Date(NOW - 3 * DAY_MS), to: new Date(NOW) });
    const reader = new pg.Client({ connectionString: test.url });
    await reader.connect();
    const retention = createCallRetention({ db, days: 1, intervalMs: 3_600_000, lockTimeoutMs: 200, now: () => NOW });
    try {
      await reader.query("begin");
      await reader.query("select count(*) from calls");
      await expect(retention.sweep()).rejects.toThrow(/detach partition/); // canceled by lock_timeout, not queued
      await reader.query("commit");
      expect((await retention.sweep()).droppedPartitions.filter((name) => name.startsWith("calls_p2031"))).toEqual(["calls_p20310307", "calls_p20310308"]);
    } finally {
      await retention.close();
      await reader.end();
    }
  });
});
