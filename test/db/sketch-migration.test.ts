import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeploymentOutcomesRepository, createUsageRepository, mergeRollupDeltas, queryRows, selectRollupsFromCalls } from "../../src/db/index.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { SKETCH_INDEX_SQL } from "../../src/db/latency-sketch.js";
import { ROLLUP_LEVELS } from "../../src/db/rollup-breakdowns.js";
import { sketchFromBucketsSql } from "../../src/db/sketch-codec.js";
import { type MigrationsBefore, copyMigrationsBefore } from "../../src/db/testing/copy-migrations-before.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { makeAttempt, makeCallRecord, seededRandom } from "./make-call-record.js";
import { rewriteSketchesToPre0017 } from "./pre-0017-sketches.js";

const KEY_ORDER = "grain, breakdown, bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind";
const ROLLUP_ROW = `grain, breakdown, bucket_start::text as bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind,
  requests::text as requests, cost_usd::numeric(38, 12)::text as cost_usd, latency_sketch::text as latency_sketch, ttft_sketch::text as ttft_sketch`;
const ATTEMPT_KEY = "bucket_start, deployment, model_group, provider, outcome, error_kind";
const ATTEMPT_ROW = `bucket_start::text as bucket_start, deployment, model_group, provider, outcome, error_kind, attempts::int as attempts, latency_sketch::text as latency_sketch`;
const HAND_MADE = "hand-made";
const SINCE = new Date(Date.UTC(2025, 9, 1, 9));

/**
 * Migration 0017 on a populated database: rollup rows, attempt rollups and increments not merged yet,
 * all in the form code before it wrote (`index * 2^32 + count`), are read the same after it.
 */
describe("sketch elements with the count in the high part (migration 0017)", () => {
  let migrations: MigrationsBefore;
  beforeAll(() => {
    migrations = copyMigrationsBefore("0017");
    expect(migrations.kept).toBe(17);
  });
  afterAll(() => migrations?.remove());
  const test = useTestDatabase({ migrationsFolder: () => migrations.folder });

  const rows = <T>(query: string) => queryRows<T>(test.database.db, sql.raw(query));
  const stored = async () => ({
    rollups: await rows<unknown>(`select ${ROLLUP_ROW} from call_rollups order by ${KEY_ORDER}`),
    attempts: await rows<unknown>(`select ${ATTEMPT_ROW} from attempt_rollups where deployment <> '${HAND_MADE}' order by ${ATTEMPT_KEY}`),
    deltas: await rows<unknown>(`select rollup_rows, attempt_rows from call_rollup_deltas order by id`),
  });
  const reports = async () => {
    const usage = createUsageRepository(test.database.db);
    return {
      keyHour: await usage.usage({ groupBy: ["KEY"], bucket: "HOUR" }),
      modelStatus: await usage.usage({ groupBy: ["MODEL", "STATUS"], bucket: "DAY" }),
      outcomes: [...(await createDeploymentOutcomesRepository(test.database.db).since(SINCE))],
    };
  };
  let before: Awaited<ReturnType<typeof stored>>;
  let reportsBefore: Awaited<ReturnType<typeof reports>>;

  beforeAll(async () => {
    const { db } = test.database;
    const random = seededRandom(17);
    const records = Array.from({ length: 400 }, (_, i) => {
      const createdAt = new Date(SINCE.getTime() + Math.floor(random() * 3 * 3_600_000));
      return makeCallRecord({
        createdAt,
        modelGroup: i % 3 === 0 ? "smart" : "fast",
        deployment: i % 2 === 0 ? "east" : "west",
        status: i % 9 === 0 ? "ERROR" : "SUCCESS",
        errorKind: i % 9 === 0 ? "timeout" : null,
        keyId: `key-${i % 4}`,
        // Up to hours, so indexes reach past 300 and several digits.
        latencyMs: i % 50 === 0 ? Math.exp(random() * 16) : 20 + random() * 3_000,
        ttftMs: i % 2 === 0 ? 1 + random() * 400 : null,
        attempts: [makeAttempt({ startedAt: createdAt, deployment: i % 2 === 0 ? "east" : "west", latencyMs: 10 + random() * 2_000 })],
      });
    });
    // Half merged into the rollups, half left as increments, both as the gateway leaves them; then
    // every sketch in the form older code wrote.
    await insertCallBatch(db, records.slice(0, 200));
    while ((await mergeRollupDeltas(db)).deltas > 0);
    await insertCallBatch(db, records.slice(200));
    before = await stored();
    reportsBefore = await reports();
    expect(before.deltas.length).toBeGreaterThan(0);
    await rewriteSketchesToPre0017(db);
    // Index 1 × 3, index 1023 × 2 and index 1100 × 5 (a value past the last bucket, which code before 0017 kept).
    await db.execute(sql`
      insert into attempt_rollups (bucket_start, deployment, model_group, provider, outcome, error_kind, attempts, hedged, latency_sketch)
      values (${SINCE.toISOString()}::timestamptz, ${HAND_MADE}, 'fast', 'openai', 'ERROR', null, 10, 0,
        array[4294967299, 1023 * 4294967296::bigint + 2, 1100 * 4294967296::bigint + 5]::bigint[])`);
    const old = await stored();
    expect(old.rollups).not.toEqual(before.rollups);
    expect(old.attempts).not.toEqual(before.attempts);
    expect(old.deltas).not.toEqual(before.deltas);

    migrations.addTheRest();
    await test.database.migrate();
  });

  it("rewrites every rollup row, attempt rollup and pending increment to the new form, counts unchanged", async () => {
    expect(await stored()).toEqual(before);
    const handMade = await rows<{ sketch: string }>(`select latency_sketch::text as sketch from attempt_rollups where deployment = '${HAND_MADE}'`);
    expect(handMade).toEqual([{ sketch: `{${3 * 1024 + 1},${7 * 1024 + 1023}}` }]);
    const helpers = await rows<{ n: number }>(`select count(*)::int as n from pg_proc where proname like 'switchyard_sketch%'`);
    expect(helpers[0]!.n).toBe(0);
  });

  it("answers reports the same, and merges the converted increments into rollups equal to a rebuild from the calls", async () => {
    await test.database.db.execute(sql.raw(`delete from attempt_rollups where deployment = '${HAND_MADE}'`));
    expect(await reports()).toEqual(reportsBefore);
    while ((await mergeRollupDeltas(test.database.db)).deltas > 0);
    for (const [grain, breakdown] of ROLLUP_LEVELS) {
      const kept = await rows<unknown>(`select ${ROLLUP_ROW} from call_rollups where grain = ${grain} and breakdown = ${breakdown} order by ${KEY_ORDER}`);
      const query = selectRollupsFromCalls(grain, undefined, { breakdown });
      const rebuilt = await queryRows<unknown>(test.database.db, sql`select ${sql.raw(ROLLUP_ROW)} from (${query}) as rebuilt order by ${sql.raw(KEY_ORDER)}`);
      expect(kept, `grain ${grain} breakdown ${breakdown}`).toEqual(rebuilt);
    }
    const attempts = await rows<unknown>(`select ${ATTEMPT_ROW} from attempt_rollups order by ${ATTEMPT_KEY}`);
    const rebuiltAttempts = await rows<unknown>(`
      select to_timestamp(floor(extract(epoch from started_at) / 60) * 60)::text as bucket_start, deployment, model_group, provider, outcome, error_kind,
        count(*)::int as attempts,
        ${sketchFromBucketsSql(`(select ${SKETCH_INDEX_SQL("v")} as i, count(*) as n from unnest(array_agg(latency_ms)) as v group by 1) as b`)}::text as latency_sketch
      from call_attempts group by 1, 2, 3, 4, 5, 6 order by ${ATTEMPT_KEY}`);
    expect(attempts).toEqual(rebuiltAttempts);
    expect(attempts.length).toBeGreaterThan(0);
  });
});
