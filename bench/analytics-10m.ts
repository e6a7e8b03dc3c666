/**
 * Analyst queries over a large call log (issue 5's benchmark; not part of CI or `npm run bench`).
 *
 *   node dist/bench/analytics-10m.js [--rows 10000000] [--runs 20] [--keep] [--reuse sy_bench_analytics_…] [--name sy_…]
 *
 * Creates a scratch database `sy_bench_analytics_<random>` (or `--name`) on DATABASE_URL (default: the local
 * server), seeds N calls over 30 days with bulk COPY (rows generated from a seeded PRNG and
 * streamed with `COPY calls … FROM STDIN`, printing progress and the seeding rate in calls/s),
 * builds the rollups server-side, then times each analyst query through the same repositories
 * GraphQL uses.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { encodeCallCursor } from "../src/db/call-cursor.js";
import { createCallsRepository, createDatabase, createUsageRepository, queryRows } from "../src/db/index.js";
import { LOCAL_POSTGRES_URL, runAdminStatement } from "./bench-database.js";
import { SEED_DAYS, SEED_SHAPE, buildRollups, seedCalls } from "./analytics-seed.js";

const TARGET_P95_MS = 100;
const NO_PERCENTILES = { latency: false, ttft: false };
const DAY_MS = 86_400_000;

export interface AnalyticsQueryFigure {
  name: string;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  rows: number;
  meetsTarget: boolean;
  /** CPU per run of this process (decoding, merging, percentiles) and of the database's backends (from /proc), in ms. */
  gatewayCpuMs: number;
  backendCpuMs: number;
}

export async function runAnalyticsBench(options: {
  url: string;
  rows: number;
  runs: number;
  keep?: boolean;
  /** A database kept by an earlier run (--keep): time the queries again without seeding. */
  reuse?: string;
  /** The scratch database's name (default: sy_bench_analytics_<random>). */
  name?: string;
  /** Time only the queries whose label contains this. */
  only?: string;
  log: (line: string) => void;
}) {
  const { url, runs, log } = options;
  let rows = options.rows;
  const name = options.reuse ?? options.name ?? `sy_bench_analytics_${randomBytes(5).toString("hex")}`;
  if (options.reuse === undefined) await runAdminStatement(url, `create database ${name}`);
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${name}`;
  const database = await createDatabase({ url: scratchUrl.toString(), poolMax: 2 });
  try {
    await database.migrate();
    const { db } = database;
    const start = new Date(Date.UTC(2026, 0, 1));
    log(`analytics: ${options.reuse === undefined ? `${rows.toLocaleString("en-US")} calls over ${SEED_DAYS} days into ${name}` : `the calls in ${name}`} (${JSON.stringify(SEED_SHAPE)})`);
    let seedSeconds = Number.NaN;
    let rollupSeconds = Number.NaN;
    if (options.reuse === undefined) {
      seedSeconds = await seedCalls(scratchUrl.toString(), rows, start, log);
      log(`  seeding: ${seedSeconds.toFixed(1)} s → ${Math.round(rows / seedSeconds).toLocaleString("en-US")} calls/s`);
      rollupSeconds = await buildRollups(db, start, log);
    } else {
      const counted = await queryRows<{ n: number }>(db, sql`select count(*)::float8 as n from calls`);
      rows = Number(counted[0]?.n ?? 0);
      log(`  reusing ${name}: ${rows.toLocaleString("en-US")} calls`);
    }
    const counted = await queryRows<{ grain: number; breakdown: number; n: number }>(db, sql`select grain, breakdown, count(*)::int as n from call_rollups group by 1, 2 order by 1, 2`);
    log(`  rollups: ${Number.isNaN(rollupSeconds) ? "built before (reused)" : `${rollupSeconds.toFixed(1)} s`}; rows per grain/breakdown: ${counted.map((r) => `${r.grain} min/${r.breakdown} → ${r.n}`).join(", ")}`);

    const usage = createUsageRepository(db);
    const calls = createCallsRepository(db);
    const day = (n: number) => new Date(start.getTime() + n * DAY_MS);
    const pageSize = 50;
    const [cursorRow] = await queryRows<{ created_at: string; id: string }>(
      db,
      sql`
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at, id::text as id
      from calls order by created_at desc, id desc offset ${999 * pageSize - 1} limit 1`,
    );
    const page1000 = cursorRow ? encodeCallCursor({ createdAt: cursorRow.created_at, id: cursorRow.id }) : undefined;

    const queries: Array<[string, () => Promise<number>]> = [
      ["usage by model × day, 30 days", async () => (await usage.usage({ groupBy: ["MODEL"], bucket: "DAY", filter: { from: day(0), to: day(30) } })).rows.length],
      ["usage by key × hour, one day", async () => (await usage.usage({ groupBy: ["KEY"], bucket: "HOUR", filter: { from: day(14), to: day(15) } })).rows.length],
      // The same two reports asked without percentiles (GraphQL leaves out what the query does not select).
      ["model × day, 30 days, no percentiles", async () => (await usage.usage({ groupBy: ["MODEL"], bucket: "DAY", filter: { from: day(0), to: day(30) }, percentiles: NO_PERCENTILES })).rows.length],
      ["key × hour, one day, no percentiles", async () => (await usage.usage({ groupBy: ["KEY"], bucket: "HOUR", filter: { from: day(14), to: day(15) }, percentiles: NO_PERCENTILES })).rows.length],
      ["p95 latency by deployment, one week", async () => (await usage.usage({ groupBy: ["DEPLOYMENT"], filter: { from: day(20), to: day(27) } })).rows.length],
      ["calls page 1 (listCalls, with totalCount)", async () => (await calls.listCalls({ first: pageSize })).rows.length],
      ["calls page 1,000 (listCalls keyset, with totalCount)", async () => (await calls.listCalls({ first: pageSize, after: page1000 })).rows.length],
      ["calls page 1 of one key (with totalCount)", async () => (await calls.listCalls({ first: pageSize, filter: { keyId: "key-7" } })).rows.length],
      ["calls page 1 of one end user, 30 days (with totalCount)", async () => (await calls.listCalls({ first: pageSize, filter: { endUser: "user-3" } })).rows.length],
      ["calls page 1,000 (keyset page alone)", async () => keysetPage(db, cursorRow, pageSize)],
    ];
    const figures: AnalyticsQueryFigure[] = [];
    // This pool's own backends (two statements at once hold both connections), not other clients of the database.
    const backendPids = async () => {
      const pidOf = async () => (await queryRows<{ pid: number }>(db, sql`select pg_backend_pid() as pid, pg_sleep(0.05)`))[0]!.pid;
      return [...new Set(await Promise.all([pidOf(), pidOf()]))];
    };
    for (const [label, query] of queries.filter(([label]) => options.only === undefined || label.includes(options.only))) {
      await query();
      await query();
      const pids = await backendPids();
      const samples: number[] = [];
      let resultRows = 0;
      const backendBefore = backendCpuMs(pids);
      const gatewayBefore = process.cpuUsage();
      for (let i = 0; i < runs; i++) {
        const began = performance.now();
        resultRows = await query();
        samples.push(performance.now() - began);
      }
      const gatewayUsage = process.cpuUsage(gatewayBefore);
      const backendMs = backendCpuMs(pids) - backendBefore;
      samples.sort((a, b) => a - b);
      const at = (p: number) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)] ?? Number.NaN;
      const figure = {
        name: label,
        runs,
        p50Ms: at(0.5),
        p95Ms: at(0.95),
        rows: resultRows,
        meetsTarget: at(0.95) <= TARGET_P95_MS,
        gatewayCpuMs: (gatewayUsage.user + gatewayUsage.system) / 1000 / runs,
        backendCpuMs: backendMs / runs,
      };
      figures.push(figure);
      log(
        `  ${label.padEnd(52)} p50 ${figure.p50Ms.toFixed(1).padStart(7)} ms  p95 ${figure.p95Ms.toFixed(1).padStart(7)} ms  rows ${resultRows}  ` +
          `cpu/run ${figure.gatewayCpuMs.toFixed(1)} + ${figure.backendCpuMs.toFixed(1)} ms  ${figure.meetsTarget ? "ok" : `> ${TARGET_P95_MS} ms`}`,
      );
    }
    return { name: "analytics", rows, seedSeconds, seedRowsPerSecond: rows / seedSeconds, rollupSeconds, figures };
  } finally {
    await database.close();
    if (options.keep || options.reuse !== undefined) log(`  kept scratch database ${name}`);
    else await runAdminStatement(url, `drop database if exists ${name} with (force)`);
  }
}

/** utime + stime of these processes, in ms, from /proc/<pid>/stat (the database server's backends, on this machine). */
function backendCpuMs(pids: readonly number[]): number {
  const tick = 1000 / CLOCK_TICKS_PER_SECOND;
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      total += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      // A backend on another machine, or gone: not counted.
    }
  }
  return total;
}

/** USER_HZ: 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

async function keysetPage(db: Parameters<typeof createCallsRepository>[0], after: { created_at: string; id: string } | undefined, limit: number): Promise<number> {
  if (!after) return 0;
  const rows = await queryRows<unknown>(
    db,
    sql`
    select * from calls where (created_at, id) < (${after.created_at}::timestamptz, ${after.id}::uuid)
    order by created_at desc, id desc limit ${limit}`,
  );
  return rows.length;
}


if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { rows: { type: "string" }, runs: { type: "string" }, keep: { type: "boolean" }, reuse: { type: "string" }, name: { type: "string" }, only: { type: "string" } } });
  const result = await runAnalyticsBench({
    url: process.env.DATABASE_URL || LOCAL_POSTGRES_URL,
    rows: Number(values.rows ?? 10_000_000),
    runs: Number(values.runs ?? 20),
    keep: values.keep ?? false,
    ...(values.reuse === undefined ? {} : { reuse: values.reuse }),
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.only === undefined ? {} : { only: values.only }),
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(result));
}
