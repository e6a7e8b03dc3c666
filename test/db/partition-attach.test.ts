import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createCallRetention, createCallsRepository, ensureCallPartitions, listCallPartitions } from "../../src/db/index.js";
import { toAttemptJsonRow, toCallJsonRow } from "../../src/db/call-record-rows.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { copyMigrationsBefore } from "../../src/db/testing/copy-migrations-before.js";
import { createTestDatabase } from "../helpers/test-database.js";
import { makeAttempt, makeCallRecord } from "./make-call-record.js";

const DAY_MS = 86_400_000;
const DAY0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - 2 * DAY_MS;
const BOUND = DAY0 + 3 * DAY_MS;

/** The SQL of docs/scale-out.md ("Huge tables: attach the old table as one partition"), with its example bound replaced. */
function documentedAttachScript(): string[] {
  const doc = readFileSync(new URL("../../docs/scale-out.md", import.meta.url), "utf8");
  const block = doc.split("```sql\n")[1]!.split("```")[0]!;
  const bound = new Date(BOUND).toISOString().replace("T", " ").replace(".000Z", "+00");
  return block
    .replaceAll("2026-12-08 00:00:00+00", bound)
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/--[^\n]*\n?/g, "").trim())
    .filter((statement) => statement !== "");
}

// CREATE INDEX CONCURRENTLY and a second connection: a Postgres server only.
describe.skipIf(!process.env.DATABASE_URL)("partitioning a call log by attaching the old table (docs/scale-out.md)", () => {
  it("leaves every old call readable, takes new ones, and retention drops the old table whole", async () => {
    const migrations = copyMigrationsBefore("0013");
    const test = await createTestDatabase({ migrationsFolder: migrations.folder });
    try {
      const { db } = test.database;
      const records = [0, 1, 2].map((day) => {
        const createdAt = new Date(DAY0 + day * DAY_MS + 36_000_000);
        return makeCallRecord({ createdAt, attempts: [makeAttempt({ startedAt: createdAt })] });
      });
      await db.execute(sql`insert into calls select * from json_populate_recordset(null::calls, ${JSON.stringify(records.map(toCallJsonRow))}::json)`);
      const attempts = records.flatMap((record) => record.attempts.map((attempt) => toAttemptJsonRow(record.id, attempt)));
      await db.execute(sql`insert into call_attempts select * from json_populate_recordset(null::call_attempts, ${JSON.stringify(attempts)}::json)`);

      const client = new pg.Client({ connectionString: test.url });
      await client.connect();
      try {
        for (const statement of documentedAttachScript()) await client.query(statement);
      } finally {
        await client.end();
      }
      migrations.addTheRest();
      await test.database.migrate();
      await ensureCallPartitions(db, { from: new Date(Date.now()), to: new Date(BOUND + DAY_MS) });
      const partitions = await listCallPartitions(db);
      expect(partitions.find((p) => p.name === "calls_legacy")).toEqual({ table: "calls", name: "calls_legacy", from: -Infinity, to: BOUND });
      expect(partitions.filter((p) => p.table === "calls" && p.from === BOUND)).toHaveLength(1);

      const repository = createCallsRepository(db);
      expect((await repository.listCalls({ first: 10 })).rows.map((row) => row.id)).toEqual([...records].reverse().map((record) => record.id));
      expect((await repository.getCall(records[0]!.id))?.attempts).toHaveLength(1);
      const fresh = makeCallRecord({ createdAt: new Date(BOUND + 60_000), attempts: [makeAttempt({ startedAt: new Date(BOUND + 60_000) })] });
      expect(await insertCallBatch(db, [fresh])).toBe(1);

      const retention = createCallRetention({ db, days: 1, intervalMs: 3_600_000, now: () => BOUND + DAY_MS + 1 });
      try {
        expect((await retention.sweep()).droppedPartitions).toEqual(["call_attempts_legacy", "calls_legacy"]);
      } finally {
        await retention.close();
      }
      expect((await repository.listCalls({ first: 10 })).rows.map((row) => row.id)).toEqual([fresh.id]);
    } finally {
      await test.dispose();
      migrations.remove();
    }
  });
});
