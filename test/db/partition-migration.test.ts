import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callPartitionName } from "../../src/db/call-partitions.js";
import { type CallRow, createCallsRepository, createFeedbackRepository, listCallPartitions, queryRows } from "../../src/db/index.js";
import { toAttemptJsonRow, toCallJsonRow } from "../../src/db/call-record-rows.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { type MigrationsBefore, copyMigrationsBefore } from "../../src/db/testing/copy-migrations-before.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { makeAttempt, makeCallRecord } from "./make-call-record.js";

const DAY_MS = 86_400_000;
// Four days before today (UTC): the migration makes a partition for every day from the oldest row to today.
const DAY0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - 4 * DAY_MS;
const dayName = (table: "calls" | "call_attempts", day: number) => callPartitionName(table, DAY0 + day * DAY_MS);

/**
 * Migration 0013 on a populated database: rows written under the unpartitioned schema (0000–0012,
 * foreign keys and all) are all readable after it, through the repositories the gateway uses.
 */
describe("partitioning a populated call log (migration 0013)", () => {
  let migrations: MigrationsBefore;
  // Four days of calls, one from five days before, and one whose second attempt starts after midnight.
  const offsets = [-5 * DAY_MS, 0, 1, DAY_MS - 1, DAY_MS, DAY_MS + 3_600_000, 2 * DAY_MS + 7, 3 * DAY_MS - 300];
  const records = offsets.map((offset, i) => {
    const createdAt = new Date(DAY0 + offset);
    const attempts = [makeAttempt({ startedAt: createdAt, costPico: BigInt(1_000 + i) })];
    if (i === offsets.length - 1) attempts.push(makeAttempt({ index: 1, startedAt: new Date(DAY0 + 3 * DAY_MS + 200) }));
    return makeCallRecord({ createdAt, attempts, metadata: { n: i } });
  });

  beforeAll(() => {
    migrations = copyMigrationsBefore("0013_partition_calls");
    expect(migrations.kept).toBe(13);
  });
  afterAll(() => migrations?.remove());
  const test = useTestDatabase({ migrationsFolder: () => migrations.folder });

  beforeAll(async () => {
    // Written the way the pre-0013 writer did: its own SQL, so the test does not depend on today's writer.
    const { db } = test.database;
    await db.execute(sql`insert into calls select * from json_populate_recordset(null::calls, ${JSON.stringify(records.map(toCallJsonRow))}::json)`);
    const attempts = records.flatMap((record) => record.attempts.map((attempt) => toAttemptJsonRow(record.id, attempt)));
    await db.execute(sql`insert into call_attempts select * from json_populate_recordset(null::call_attempts, ${JSON.stringify(attempts)}::json)`);
    await createFeedbackRepository(db).record({ callId: records[0]!.id, score: 0.25, comment: "old", keyId: null });
    const partitioned = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from pg_partitioned_table`);
    expect(partitioned[0]!.n).toBe(0);

    // Now the rest of drizzle/, as a gateway upgrade would run it.
    migrations.addTheRest();
    await test.database.migrate();
  });

  const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(test.database.db, query);

  it("turns both tables into partitioned ones with a partition per day of the old rows and empty DEFAULT partitions", async () => {
    const partitioned = await rows<{ name: string }>(sql`select partrelid::regclass::text as name from pg_partitioned_table order by 1`);
    expect(partitioned.map((p) => p.name)).toEqual(["call_attempts", "calls"]);
    const partitions = await listCallPartitions(test.database.db);
    const names = partitions.map((p) => p.name);
    for (const day of [-5, 0, 1, 2, 3, 4]) {
      expect(names).toContain(dayName("calls", day));
      expect(names).toContain(dayName("call_attempts", day));
    }
    // Continuous from the oldest day to today: no gap for the DEFAULT partition to fill.
    const callDays = partitions.filter((p) => p.table === "calls");
    for (let i = 1; i < callDays.length; i++) expect(callDays[i]!.from).toBe(callDays[i - 1]!.to);
    expect(await rows<{ n: number }>(sql`select count(*)::int as n from calls_default`)).toEqual([{ n: 0 }]);
    expect(await rows<{ n: number }>(sql`select count(*)::int as n from call_attempts_default`)).toEqual([{ n: 0 }]);
    expect(await rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(dayName("calls", 3))}`)).toEqual([{ n: 0 }]);
    expect(await rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(dayName("call_attempts", 3))}`)).toEqual([{ n: 1 }]);
    // Nothing of the old tables is left, and no foreign key points at `calls`.
    expect(await rows(sql`select relname from pg_class where relname like '%unpartitioned%'`)).toEqual([]);
    expect(await rows(sql`select conname from pg_constraint where contype = 'f' and confrelid = 'calls'::regclass`)).toEqual([]);
  });

  it("keeps every row readable: listings with cursors, call(id), attempts, feedback", async () => {
    const { db } = test.database;
    const repository = createCallsRepository(db);
    const seen: CallRow[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await repository.listCalls({ first: 3, withTotal: false, ...(after ? { after } : {}) });
      seen.push(...page.rows);
      if (!page.hasNextPage) break;
      after = page.endCursor ?? undefined;
    }
    expect(seen.map((row) => row.id)).toEqual([...records].reverse().map((record) => record.id));
    expect(seen.map((row) => row.metadata)).toEqual([...records].reverse().map((record) => record.metadata));
    const oldest = await repository.getCall(records[0]!.id);
    expect(oldest?.createdAt.toISOString()).toBe(records[0]!.createdAt.toISOString());
    expect(oldest?.attempts.map((a) => a.costUsd)).toEqual(["0.000000001000"]);
    expect((await repository.getCall(records.at(-1)!.id))?.attempts.map((a) => a.index)).toEqual([0, 1]);
    const feedback = await createFeedbackRepository(db).byCalls([records[0]!.id]);
    expect(feedback.get(records[0]!.id)?.map((f) => f.comment)).toEqual(["old"]);
  });

  it("takes new calls, and recognises a retried old one as stored", async () => {
    const { db } = test.database;
    expect(await insertCallBatch(db, [records[2]!])).toBe(0);
    const fresh = makeCallRecord({ createdAt: new Date(DAY0 + DAY_MS + 5), attempts: [makeAttempt({ startedAt: new Date(DAY0 + DAY_MS + 5) })] });
    expect(await insertCallBatch(db, [fresh])).toBe(1);
    expect(await rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(dayName("calls", 1))}`)).toEqual([{ n: 3 }]);
  });
});
