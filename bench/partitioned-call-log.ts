/**
 * The partitioned call log at size (issue 15's benchmark; not part of CI or `npm run bench`).
 *
 *   node --import ./test/helpers/swc-node/register.mjs bench/partitioned-call-log.ts [--rows 50000000] [--runs 20] [--keep] [--reuse sy_bench_partitions_…] [--retention-only] [--name sy_…]
 *
 * Creates a scratch database `sy_bench_partitions_<random>` (or `--name`) on DATABASE_URL (default: the local
 * server), migrates it (so `calls` and `call_attempts` are partitioned by day), creates the 30 days'
 * partitions the way the gateway does, seeds N calls over 30 days with bulk COPY (analytics-seed.ts:
 * streamed, flat memory, so 50M is a matter of disk and time) plus one attempt per call (server-side,
 * a day at a time), builds the rollups, then:
 * - times the analyst queries of the 10M benchmark (analytics-10m.ts) at this size;
 * - times `call(id)` and the attempts of a page of calls, ids picked from the oldest, a middle and the newest day;
 * - times a retention pass that drops the oldest day (both tables' partitions), and, as the baseline
 *   in the same run, the row-by-row delete the unpartitioned log needed for the same day (its rows
 *   copied into an unpartitioned table with the old indexes, deleted 5,000 per statement as before).
 * `--retention-only` skips the rollups and the analyst queries (hours at 50M on a small machine).
 * For seeds too big for the time at hand: `--passes P --stop-at 2026-12-07T00:30:00Z` seeds in P
 * passes each spread over the 30 days and starts no pass that would end after that time (the
 * calls written are an even sample of the N asked for); `--attempt-days D` gives attempts to the
 * first D days only (the retention pass drops day 0); `--report-rollups` builds only the rollup
 * levels the analyst queries read (key at hour grain; model, key and end user at day grain, and the
 * same without status, derived from those: other reports on that database would miss calls), since
 * building every level takes hours at that size;
 * `--reuse NAME --finish` takes over a database whose seeding was stopped (attempts, rollups, then
 * the rest).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { type DrizzleDb, createCallRetention, createCallsRepository, createDatabase, ensureCallPartitions, findMigrationsFolder, listCallPartitions, queryRows } from "../src/db/index.js";
import { runAnalyticsBench } from "./analytics-10m.js";
import { SEED_DAYS, buildRollups, seedCallsInPasses } from "./analytics-seed.js";
import { ROLLUP_LEVELS } from "../src/db/rollup-breakdowns.js";
import { LOCAL_POSTGRES_URL, runAdminStatement } from "./bench-database.js";
import { callPartitionName } from "../src/db/call-partitions.js";

const DAY_MS = 86_400_000;
export const START = new Date(Date.UTC(2026, 0, 1));
/**
 * The rollup levels the analyst queries of the 10M benchmark read (key × hour, and day totals by model, key and end user),
 * built from the calls. Reports that ask nothing of status read breakdowns 4 and 5 (1 and 2 without status) at those
 * grains: deriveStatusFreeRollups sums them from these, as migration 0016 does on an upgraded database.
 */
const REPORT_LEVELS = [[60, 2], [1440, 1], [1440, 2], [1440, 3]] as const;

/** Breakdowns 4 and 5 from the rows of 1 and 2 already built, with migration 0016's statements (the merger's rows, tested in rollup-backfill.test.ts). */
async function deriveStatusFreeRollups(db: DrizzleDb): Promise<number> {
  const began = performance.now();
  const folder = findMigrationsFolder();
  const file = readdirSync(folder).find((name) => /^\d{4}_rollups-status-free-backfill\.sql$/.test(name));
  if (file === undefined) throw new Error(`no status-free backfill migration in ${folder}`);
  await db.execute(sql`delete from call_rollups where breakdown in (4, 5)`);
  for (const statement of readFileSync(join(folder, file), "utf8").split("--> statement-breakpoint")) await db.execute(sql.raw(statement));
  await db.execute(sql`analyze call_rollups`);
  return (performance.now() - began) / 1000;
}

const log = (line: string) => console.log(line);



async function time(label: string, runs: number, work: () => Promise<unknown>): Promise<{ label: string; p50Ms: number; p95Ms: number }> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const began = performance.now();
    await work();
    samples.push(performance.now() - began);
  }
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)] ?? Number.NaN;
  log(`  ${label.padEnd(52)} p50 ${at(0.5).toFixed(1).padStart(7)} ms  p95 ${at(0.95).toFixed(1).padStart(7)} ms`);
  return { label, p50Ms: at(0.5), p95Ms: at(0.95) };
}

/** One attempt per call, built from the call on the server, a day at a time (COPY-seeded calls come without attempts). */
export async function seedAttempts(db: DrizzleDb, days = SEED_DAYS): Promise<number> {
  const began = performance.now();
  for (let day = 0; day < days; day++) {
    const from = new Date(START.getTime() + day * DAY_MS).toISOString();
    const to = new Date(START.getTime() + (day + 1) * DAY_MS).toISOString();
    await db.execute(sql`
      insert into call_attempts (call_id, attempt_index, model_group, deployment, provider, provider_model, outcome, error_kind, error_message,
        http_status, started_at, latency_ms, hedged, prompt_tokens, completion_tokens, cached_tokens, cost_usd)
      select id, 0, coalesce(model_group, requested_model), coalesce(deployment, '-'), coalesce(provider, '-'), coalesce(provider_model, '-'),
        status, error_kind, error_message, case when status = 'SUCCESS' then 200 else 500 end, created_at, latency_ms, false,
        prompt_tokens, completion_tokens, cached_tokens, cost_usd
      from calls where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz`);
  }
  await db.execute(sql`analyze call_attempts`);
  return (performance.now() - began) / 1000;
}

export async function runPartitionBench(options: {
  url: string;
  rows: number;
  runs: number;
  keep: boolean;
  reuse?: string;
  name?: string;
  retentionOnly?: boolean;
  passes?: number;
  stopAt?: number;
  attemptDays?: number;
  reportRollups?: boolean;
  /** With reuse: a database whose calls were seeded by a run stopped early; seed the attempts, build the rollups, then go on. */
  finish?: boolean;
}) {
  const { url, runs } = options;
  const name = options.reuse ?? options.name ?? `sy_bench_partitions_${randomBytes(5).toString("hex")}`;
  if (options.reuse === undefined) await runAdminStatement(url, `create database ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const database = await createDatabase({ url: scratch.toString(), poolMax: 4 });
  const result: Record<string, unknown> = { name: "partitioned-call-log", database: name, rows: options.rows };
  try {
    await database.migrate();
    const { db } = database;
    if (options.reuse === undefined || options.finish) {
      if (options.reuse === undefined) {
        const created = await ensureCallPartitions(db, { from: START, to: new Date(START.getTime() + SEED_DAYS * DAY_MS - 1) });
        log(`partitions: ${created.length} created for ${SEED_DAYS} days`);
        const seeded = await seedCallsInPasses(scratch.toString(), options.rows, START, log, {
          passes: options.passes ?? 1,
          ...(options.stopAt === undefined ? {} : { stopAt: options.stopAt }),
        });
        log(`  calls seeded: ${seeded.rows.toLocaleString("en-US")} in ${seeded.seconds.toFixed(1)} s → ${Math.round(seeded.rows / seeded.seconds).toLocaleString("en-US")} calls/s`);
        Object.assign(result, { rows: seeded.rows, seedSeconds: seeded.seconds });
      }
      const attemptSeconds = await seedAttempts(db, options.attemptDays);
      log(`  attempts seeded (${options.attemptDays ?? SEED_DAYS} days): ${attemptSeconds.toFixed(1)} s`);
      let rollupSeconds = options.retentionOnly ? 0 : await buildRollups(db, START, log, options.reportRollups ? REPORT_LEVELS : ROLLUP_LEVELS);
      if (options.reportRollups && !options.retentionOnly) {
        const derivedSeconds = await deriveStatusFreeRollups(db);
        log(`  status-free rollups (breakdowns 4 and 5) derived from them: ${derivedSeconds.toFixed(1)} s`);
        rollupSeconds += derivedSeconds;
      }
      Object.assign(result, { attemptSeconds, rollupSeconds });
    }
    const sizes = await queryRows<{ calls: string; attempts: string; bytes: string; in_default: number }>(db, sql`
      select (select count(*) from calls)::text as calls, (select count(*) from call_attempts)::text as attempts,
        pg_size_pretty((select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent in ('calls'::regclass, 'call_attempts'::regclass))) as bytes,
        (select count(*) from calls_default)::int as in_default`);
    log(`  stored: ${sizes[0]!.calls} calls, ${sizes[0]!.attempts} attempts, ${sizes[0]!.bytes} with indexes; in DEFAULT: ${sizes[0]!.in_default}`);
    Object.assign(result, { stored: sizes[0] });

    // The analyst queries of the 10M benchmark, on this database (its --reuse path: time only).
    if (!options.retentionOnly) {
      const analytics = await runAnalyticsBench({ url, rows: options.rows, runs, reuse: name, log });
      result.analytics = analytics.figures;
    }

    // call(id) and attempts by id: id alone names no partition, so each probes every partition's primary key index.
    const calls = createCallsRepository(db);
    const pick = async (day: number) =>
      (await queryRows<{ id: string }>(db, sql`
        select id::text as id from calls where created_at >= ${new Date(START.getTime() + day * DAY_MS + 3_600_000).toISOString()}::timestamptz
        order by created_at limit 50`)).map((row) => row.id);
    const [oldest, middle, newest] = [await pick(0), await pick(15), await pick(SEED_DAYS - 1)];
    const partitionCount = (await listCallPartitions(db)).filter((p) => p.table === "calls").length;
    log(`  lookups by id over ${partitionCount} partitions of calls:`);
    let i = 0;
    const middleDay = sql.identifier(callPartitionName("calls", START.getTime() + 15 * DAY_MS));
    const newestRefs = (await queryRows<{ id: string; created_at: string; latency_ms: number; attempt_count: number }>(db, sql`
      select id::text as id, created_at::text as created_at, latency_ms, attempt_count from calls where id = any(${sql.raw(`'{${newest.join(",")}}'`)}::uuid[])`)).map((row) => ({
      id: row.id,
      createdAt: new Date(row.created_at),
      latencyMs: row.latency_ms,
      attemptCount: row.attempt_count,
    }));
    const lookups = [
      await time("baseline: the row by id in its own partition", runs, () => db.execute(sql`select * from ${middleDay} where id = ${middle[i++ % middle.length]!}::uuid`)),
      await time("call(id), oldest day", runs, () => calls.getCall(oldest[i++ % oldest.length]!)),
      await time("call(id), day 15", runs, () => calls.getCall(middle[i++ % middle.length]!)),
      await time("call(id), newest day", runs, () => calls.getCall(newest[i++ % newest.length]!)),
      await time("attempts of 50 calls by id alone (every partition)", runs, () => calls.getAttempts(newest)),
      await time("attempts of 50 calls with their times (GraphQL loader)", runs, () => calls.getAttempts(newestRefs)),
    ];
    result.lookups = lookups;

    // Retention: the oldest day, dropped (both tables), against the row-by-row delete of the same day.
    const day0 = { from: START.toISOString(), to: new Date(START.getTime() + DAY_MS).toISOString() };
    const dayRows = (await queryRows<{ n: string }>(db, sql`select count(*)::text as n from calls where created_at < ${day0.to}::timestamptz`))[0]!.n;
    await db.execute(sql`drop table if exists calls_flat`);
    await db.execute(sql`create table calls_flat (like calls including defaults)`);
    await db.execute(sql`insert into calls_flat select * from calls where created_at < ${day0.to}::timestamptz`);
    await db.execute(sql`alter table calls_flat add primary key (id)`);
    await db.execute(sql`create index on calls_flat (created_at desc nulls first, id desc nulls first)`);
    await db.execute(sql`create index on calls_flat (key_id, created_at)`);
    await db.execute(sql`create index on calls_flat (team_id, created_at)`);
    await db.execute(sql`create index on calls_flat (model_group, created_at)`);
    await db.execute(sql`vacuum analyze calls_flat`);
    const deleteStarted = performance.now();
    for (;;) {
      const deleted = (await db.execute(sql`
        delete from calls_flat where id in (select id from calls_flat where created_at < ${day0.to}::timestamptz order by created_at limit 5000)`)) as unknown as { rowCount: number };
      if (Number(deleted.rowCount) < 5_000) break;
    }
    const deleteMs = performance.now() - deleteStarted;
    await db.execute(sql`drop table calls_flat`);

    // The horizon at the end of day 0: only day 0's partitions are wholly older (the calls' and the attempts').
    const retention = createCallRetention({ db, days: 1, intervalMs: 3_600_000, now: () => START.getTime() + 2 * DAY_MS });
    const dropStarted = performance.now();
    const swept = await retention.sweep();
    const dropMs = performance.now() - dropStarted;
    await retention.close();
    log(`  retention of one day (${Number(dayRows).toLocaleString("en-US")} calls, their attempts too):`);
    log(`    partition drop (sweep: ${swept.droppedPartitions.join(", ")}): ${dropMs.toFixed(0)} ms`);
    log(`    baseline, row-by-row delete of the same calls, 5,000 a statement, calls only: ${deleteMs.toFixed(0)} ms (× ${(deleteMs / dropMs).toFixed(0)} the drop)`);
    result.retention = { dayCalls: Number(dayRows), dropMs, deleteMs, dropped: swept.droppedPartitions };
    return result;
  } finally {
    await database.close();
    if (options.keep || options.reuse !== undefined) log(`  kept scratch database ${name}`);
    else await runAdminStatement(url, `drop database if exists ${name} with (force)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: { rows: { type: "string" }, runs: { type: "string" }, keep: { type: "boolean" }, reuse: { type: "string" },
      name: { type: "string" },
      "retention-only": { type: "boolean" },
      passes: { type: "string" },
      "stop-at": { type: "string" },
      "attempt-days": { type: "string" },
      "report-rollups": { type: "boolean" },
      finish: { type: "boolean" },
    },
  });
  const result = await runPartitionBench({
    url: process.env.DATABASE_URL || LOCAL_POSTGRES_URL,
    rows: Number(values.rows ?? 50_000_000),
    runs: Number(values.runs ?? 20),
    keep: values.keep ?? false,
    retentionOnly: values["retention-only"] ?? false,
    ...(values.reuse === undefined ? {} : { reuse: values.reuse }),
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.passes === undefined ? {} : { passes: Number(values.passes) }),
    ...(values["stop-at"] === undefined ? {} : { stopAt: Date.parse(values["stop-at"]) }),
    ...(values["attempt-days"] === undefined ? {} : { attemptDays: Number(values["attempt-days"]) }),
    reportRollups: values["report-rollups"] ?? false,
    finish: values.finish ?? false,
  });
  console.log(JSON.stringify(result));
}
