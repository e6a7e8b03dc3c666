/**
 * Seeds a large call log with set-based SQL (issue 15's benchmark at 50M calls; not part of CI).
 *
 *   nice -n 19 ionice -c3 node --import ./test/helpers/swc-node/register.mjs bench/seed-calls-in-sql.ts \
 *     --name sy_scale --rows 50000000 [--workers 2] [--min-free-gb 22] [--attempt-days 1]
 *
 * Creates the database (or takes over an empty one), migrates it, then for each of the 30 days, on
 * `workers` connections at once: creates the day's partition as a plain table (`like calls`, as the
 * gateway does for rows found in the DEFAULT partition), fills it with one
 * `INSERT … SELECT … FROM generate_series` (no row crosses the wire), attaches it (Postgres builds
 * the partition's indexes from the parent's, by sort, once), and rolls the day up with the gateway's
 * own aggregation (selectRollupsFromCalls) at the levels the analyst queries read. Each day's
 * rollups are computed from that day's stored rows, so they count exactly what the partition holds.
 * Then the attempts' partitions (ensureCallPartitions) and one attempt per call for the first days.
 * No day starts while the disk holding the database has less than `--min-free-gb` free.
 *
 * The calls follow syntheticCallValues (synthetic-call-rows.ts): the same models, deployments, keys,
 * teams, statuses, tokens, costs and ids (md5 of the call number); the three random draws come from
 * hashint8extended(n, seed) instead of a PRNG, so any day can be generated on its own.
 */
import { statfsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { createDatabase, ensureCallPartitions, selectRollupsFromCalls, queryRows } from "../src/db/index.js";
import { callPartitionName } from "../src/db/call-partitions.js";
import type { RollupBreakdownId } from "../src/db/rollup-breakdowns.js";
import { ROLLUP_COLUMNS } from "../src/db/upsert-call-rollups.js";
import { SEED_DAYS, SEED_SHAPE } from "./analytics-seed.js";
import { LOCAL_POSTGRES_URL, runAdminStatement } from "./bench-database.js";
import { START, seedAttempts } from "./partitioned-call-log.js";

const DAY_MS = 86_400_000;

/**
 * The rollup levels the analyst queries of analytics-10m.ts read: key × hour (with and without
 * status), and day rows by model, key and end user (with and without status). Other reports on a
 * database seeded this way would miss calls.
 */
export const SEEDED_ROLLUP_LEVELS: ReadonlyArray<readonly [60 | 1440, RollupBreakdownId]> = [
  [60, 2], [60, 5], [1440, 1], [1440, 2], [1440, 3], [1440, 4], [1440, 5],
];

/** One call per n in [lo, hi] whose created_at falls in [from, to): syntheticCallValues in SQL. */
export function insertDaySql(partition: string, lo: number, hi: number, total: number, from: string, to: string): string {
  const { modelGroups, deploymentsPerGroup, keys, teams, endUsers, endUserShare } = SEED_SHAPE;
  const spanUs = SEED_DAYS * DAY_MS * 1000;
  const draw = (seed: number) => `((hashint8extended(n, ${seed}) & 281474976710655)::float8 / 281474976710656)`;
  return `
    insert into ${partition} (id, created_at, requested_model, model_group, provider, deployment, provider_model, status, error_kind,
      error_message, finish_reason, streamed, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd,
      latency_ms, ttft_ms, attempt_count, key_id, team_id, end_user, metadata)
    select md5(n::text)::uuid, created_at, 'model-' || model, 'group-' || model, 'provider-' || (deployment % 4),
      'deploy-' || model || '-' || deployment, 'model-' || model || '-v' || deployment, status,
      case when status = 'ERROR' then (array['rate_limit', 'timeout', 'upstream_5xx'])[n % 3 + 1] end,
      case when status = 'ERROR' then 'synthetic failure' end,
      case when status = 'SUCCESS' then 'stop' end,
      streamed, prompt_tokens, completion_tokens, prompt_tokens / 10, 0,
      ((prompt_tokens * 150 + completion_tokens * 600) * (model + 1))::numeric / 1000000000,
      exp(4 + 1.2 * ${draw(1)}), case when streamed then exp(3 + 1.0 * ${draw(2)}) end,
      case when n % 17 = 0 then 2 else 1 end,
      'key-' || key, 'team-' || (key % ${teams}),
      case when ${draw(3)} < ${endUserShare} then 'user-' || (n % ${endUsers}) end,
      null
    from (
      select n,
        timestamptz '${START.toISOString()}' + round((n - 1)::float8 * ${spanUs} / ${total})::bigint * interval '1 microsecond' as created_at,
        (n * 7919) % ${modelGroups} as model,
        (n / ${modelGroups}) % ${deploymentsPerGroup} as deployment,
        (n * 104729) % ${keys} as key,
        case when n % 100 < 94 then 'SUCCESS' when n % 100 < 99 then 'ERROR' else 'CANCELLED' end as status,
        n % 5 <> 0 as streamed,
        (50 + (n * 31) % 4000)::int as prompt_tokens,
        (10 + (n * 17) % 700)::int as completion_tokens
      from generate_series(${lo}::bigint, ${hi}::bigint) as n
    ) as c
    where created_at >= '${from}'::timestamptz and created_at < '${to}'::timestamptz`;
}

export async function seedCallsInSql(options: {
  url: string;
  rows: number;
  workers: number;
  minFreeBytes: number;
  attemptDays: number;
  log: (line: string) => void;
}): Promise<{ days: number; rows: number; seconds: number; rollupSeconds: number }> {
  const { url, rows, log } = options;
  const database = await createDatabase({ url, poolMax: options.workers + 1 });
  const started = performance.now();
  let rollupMs = 0;
  let seededRows = 0;
  let seededDays = 0;
  let stopped = false;
  try {
    await database.migrate();
    const { db } = database;
    const dataDirectory = (await queryRows<{ d: string }>(db, sql`select current_setting('data_directory') as d`))[0]!.d;
    const freeBytes = () => {
      const stats = statfsSync(dataDirectory);
      return stats.bavail * stats.bsize;
    };
    let nextDay = 0;
    const worker = async () => {
      for (;;) {
        const day = nextDay++;
        if (day >= SEED_DAYS || stopped) return;
        if (freeBytes() < options.minFreeBytes) {
          stopped = true;
          log(`  stopping before day ${day}: ${(freeBytes() / 2 ** 30).toFixed(1)} GiB free`);
          return;
        }
        const fromMs = START.getTime() + day * DAY_MS;
        const from = new Date(fromMs).toISOString();
        const to = new Date(fromMs + DAY_MS).toISOString();
        const partition = callPartitionName("calls", fromMs);
        const lo = Math.max(1, Math.floor((day * rows) / SEED_DAYS) - 2);
        const hi = Math.min(rows, Math.floor(((day + 1) * rows) / SEED_DAYS) + 2);
        const began = performance.now();
        await db.execute(sql.raw(`drop table if exists ${partition}`));
        await db.execute(sql.raw(`create table ${partition} (like calls including defaults)`));
        const inserted = (await db.execute(sql.raw(insertDaySql(partition, lo, hi, rows, from, to)))) as unknown as { rowCount: number };
        const insertedAt = performance.now();
        await db.execute(sql.raw(`alter table calls attach partition ${partition} for values from ('${from}') to ('${to}')`));
        await db.execute(sql.raw(`analyze ${partition}`));
        const attachedAt = performance.now();
        for (const [grain, breakdown] of SEEDED_ROLLUP_LEVELS) {
          await db.execute(
            sql`insert into call_rollups (${sql.raw(ROLLUP_COLUMNS)}) ${selectRollupsFromCalls(grain, sql`created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz`, { breakdown })}`,
          );
        }
        const rolledAt = performance.now();
        rollupMs += rolledAt - attachedAt;
        seededRows += Number(inserted.rowCount);
        seededDays += 1;
        log(
          `  day ${day}: ${Number(inserted.rowCount).toLocaleString("en-US")} calls, insert ${((insertedAt - began) / 1000).toFixed(1)} s, ` +
            `attach (indexes) ${((attachedAt - insertedAt) / 1000).toFixed(1)} s, rollups ${((rolledAt - attachedAt) / 1000).toFixed(1)} s; ` +
            `${seededRows.toLocaleString("en-US")} calls so far, ${(freeBytes() / 2 ** 30).toFixed(1)} GiB free`,
        );
      }
    };
    await Promise.all(Array.from({ length: options.workers }, worker));
    // The attempts' day partitions, as the gateway makes them (the calls' exist now, so only these are created).
    await ensureCallPartitions(db, { from: START, to: new Date(START.getTime() + SEED_DAYS * DAY_MS - 1) });
    if (options.attemptDays > 0) {
      const attemptSeconds = await seedAttempts(db, Math.min(options.attemptDays, seededDays));
      log(`  one attempt per call for the first ${options.attemptDays} day(s): ${attemptSeconds.toFixed(1)} s`);
    }
    await db.execute(sql`analyze call_rollups`);
    await db.execute(sql`analyze calls`);
  } finally {
    await database.close();
  }
  return { days: seededDays, rows: seededRows, seconds: (performance.now() - started) / 1000, rollupSeconds: rollupMs / 1000 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: { name: { type: "string" }, rows: { type: "string" }, workers: { type: "string" }, "min-free-gb": { type: "string" }, "attempt-days": { type: "string" } },
  });
  const server = process.env.DATABASE_URL || LOCAL_POSTGRES_URL;
  const name = values.name ?? "sy_bench_sql_seed";
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  await runAdminStatement(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const result = await seedCallsInSql({
    url: url.toString(),
    rows: Number(values.rows ?? 50_000_000),
    workers: Number(values.workers ?? 2),
    minFreeBytes: Number(values["min-free-gb"] ?? 22) * 2 ** 30,
    attemptDays: Number(values["attempt-days"] ?? 1),
    log: (line) => console.log(line),
  });
  console.log(`seeded ${name}: ${result.rows.toLocaleString("en-US")} calls in ${result.days} days, ${result.seconds.toFixed(0)} s (rollups ${result.rollupSeconds.toFixed(0)} s of it, summed over workers)`);
}
