import { ROLLUP_LEVELS } from "../../src/db/rollup-breakdowns.js";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUsageRepository, findMigrationsFolder, selectRollupsFromCalls } from "../../src/db/index.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { ROLLUP_COLUMNS } from "../../src/db/upsert-call-rollups.js";
import { type TestDatabase, createTestDatabase } from "../helpers/test-database.js";
import { makeCallRecord, seededRandom } from "./make-call-record.js";
import { expectReportMatches, usageFromRawCalls } from "./usage-oracle.js";

const folder = findMigrationsFolder();
/** A backfill migration's statements; 0003 counts the first three breakdowns, 0005 the end-user one. */
const statementsOf = (pattern: RegExp) => {
  const file = readdirSync(folder).find((name) => pattern.test(name));
  return readFileSync(join(folder, file ?? "missing"), "utf8").split("--> statement-breakpoint").map((part) => part.trim());
};
const BACKFILLS = [
  { pattern: /^\d{4}_rollups-backfill\.sql$/, breakdowns: [0, 1, 2] },
  { pattern: /^\d{4}_rollups-end-user-backfill\.sql$/, breakdowns: [3] },
];
const statements = () => BACKFILLS.flatMap((backfill) => statementsOf(backfill.pattern));

describe("rollup backfill migration", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test?.dispose();
  });

  it.each(BACKFILLS)("$pattern is the writer's aggregation for its breakdowns at every grain (no drift from the code)", ({ pattern, breakdowns }) => {
    const dialect = new PgDialect();
    const levels = ROLLUP_LEVELS.filter(([, breakdown]) => breakdowns.includes(breakdown));
    const expected = levels.map(([grain, breakdown]) =>
      dialect
        .sqlToQuery(sql`insert into call_rollups (${sql.raw(ROLLUP_COLUMNS)}) ${selectRollupsFromCalls(grain, undefined, { breakdown })};`)
        .sql.replace(/\n\s*\n/g, "\n")
        .replace(/[ \t]+\n/g, "\n")
        .trim()
        // Cache writes came to the rollups later (migration 0015): these backfills predate the column.
        .replace(", cache_write_tokens,", ",")
        .replace("\n      coalesce(sum(cache_write_tokens), 0)::bigint as cache_write_tokens,", ""),
    );
    const actual = statementsOf(pattern)
      .map((statement) => statement.replace(/^--.*\n/, ""))
      .filter((statement) => statement.startsWith("insert"));
    expect(actual).toEqual(expected);
  });

  it("counts calls stored before rollups existed", async () => {
    const { db } = test.database;
    const random = seededRandom(3);
    const records = Array.from({ length: 150 }, (_, i) =>
      makeCallRecord({
        createdAt: new Date(Date.UTC(2025, 6, 1) + Math.floor(random() * 2 * 86_400_000)),
        modelGroup: i % 2 === 0 ? "fast" : "smart",
        keyId: `key-${i % 4}`,
        latencyMs: 5 + random() * 900,
        ttftMs: i % 3 === 0 ? 2 + random() * 100 : null,
        costPico: BigInt(i) * 1_000_003n,
      }),
    );
    await insertCallBatch(db, records);
    await db.execute(sql`delete from call_rollups`);
    await db.execute(sql`delete from call_rollup_deltas`);
    for (const statement of statements()) await db.execute(sql.raw(statement));
    const usage = createUsageRepository(db);
    for (const options of [{ groupBy: ["MODEL"] as const, bucket: "HOUR" as const }, { groupBy: ["KEY"] as const, bucket: "DAY" as const }]) {
      const opts = { groupBy: [...options.groupBy], bucket: options.bucket };
      expectReportMatches(await usage.usage(opts), await usageFromRawCalls(db, opts), JSON.stringify(opts));
    }
  });
});
