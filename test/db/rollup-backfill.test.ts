import { ROLLUP_LEVELS } from "../../src/db/rollup-breakdowns.js";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { createUsageRepository, findMigrationsFolder, mergeRollupDeltas, selectRollupsFromCalls, queryRows } from "../../src/db/index.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { ROLLUP_COLUMNS } from "../../src/db/upsert-call-rollups.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { makeCallRecord, seededRandom } from "./make-call-record.js";
import { rewriteSketchesToPre0017, toPre0017SketchSql } from "./pre-0017-sketches.js";
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
/** 0016 derives the breakdowns without status (4 and 5) from the rollups of 1 and 2, so it runs after the others. */
const STATUS_FREE_BACKFILL = /^\d{4}_rollups-status-free-backfill\.sql$/;
/** 0017 rewrites every sketch the backfills wrote (`index * 2^32 + count`) to today's form (`count * 1024 + index`). */
const SKETCH_COUNT_HIGH = /^\d{4}_sketch-elements-count-high\.sql$/;
const statements = () => [...BACKFILLS.flatMap((backfill) => statementsOf(backfill.pattern)), ...statementsOf(STATUS_FREE_BACKFILL), ...statementsOf(SKETCH_COUNT_HIGH)];
const ROLLUP_ROW = `grain, breakdown, bucket_start::text as bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind,
  requests::text as requests, errors::text as errors, prompt_tokens::text as prompt_tokens, completion_tokens::text as completion_tokens,
  cached_tokens::text as cached_tokens, cache_write_tokens::text as cache_write_tokens, cost_usd::text as cost_usd,
  latency_sketch::text as latency_sketch, ttft_sketch::text as ttft_sketch`;

describe("rollup backfill migration", () => {
  const test = useTestDatabase();

  it.each(BACKFILLS)("$pattern is the writer's aggregation for its breakdowns at every grain, sketches in the form before 0017 (no drift from the code)", ({ pattern, breakdowns }) => {
    const dialect = new PgDialect();
    const levels = ROLLUP_LEVELS.filter(([, breakdown]) => breakdowns.includes(breakdown));
    const expected = levels.map(([grain, breakdown]) =>
      toPre0017SketchSql(dialect.sqlToQuery(sql`insert into call_rollups (${sql.raw(ROLLUP_COLUMNS)}) ${selectRollupsFromCalls(grain, undefined, { breakdown })};`).sql)
        .replace(/\n\s*\n/g, "\n")
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

  it("derives the breakdowns without status from the rollups exactly as the merger keeps them", async () => {
    const { db } = test.database;
    const random = seededRandom(11);
    const statuses = ["SUCCESS", "ERROR", "CANCELLED"] as const;
    const records = Array.from({ length: 300 }, (_, i) =>
      makeCallRecord({
        createdAt: new Date(Date.UTC(2025, 7, 1, 22) + Math.floor(random() * 4 * 3_600_000)),
        modelGroup: i % 3 === 0 ? "fast" : "smart",
        status: statuses[i % 3]!,
        errorKind: i % 3 === 1 ? (i % 2 === 0 ? "timeout" : "rate_limit") : null,
        keyId: `key-${i % 5}`,
        teamId: i % 2 === 0 ? "team-a" : null,
        latencyMs: 1 + random() * 2000,
        ttftMs: i % 4 === 0 ? 1 + random() * 300 : null,
        costPico: BigInt(i) * 7_000_001n,
      }),
    );
    await db.execute(sql`delete from call_rollups`);
    await db.execute(sql`delete from call_rollup_deltas`);
    await insertCallBatch(db, records);
    while ((await mergeRollupDeltas(db)).deltas > 0);
    const statusFree = async () =>
      queryRows<unknown>(db, sql.raw(`select ${ROLLUP_ROW} from call_rollups where breakdown in (4, 5) order by grain, breakdown, bucket_start, model_group, provider, deployment, key_id, team_id`));
    const kept = await statusFree();
    expect(kept.length).toBeGreaterThan(0);
    expect(new Set(kept.map((row) => (row as { status: string }).status))).toEqual(new Set([""]));
    await db.execute(sql`delete from call_rollups where breakdown in (4, 5)`);
    // 0016 ran on sketches of the form before 0017, which then rewrote them.
    await rewriteSketchesToPre0017(db);
    for (const statement of [...statementsOf(STATUS_FREE_BACKFILL), ...statementsOf(SKETCH_COUNT_HIGH)]) await db.execute(sql.raw(statement));
    expect(await statusFree()).toEqual(kept);
  });
});
