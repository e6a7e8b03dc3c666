/**
 * CPU per stored call of one call-log writer, in the writing process and in its Postgres backends: on a
 * shared machine wall-clock throughput is noise, CPU time is not. Calls are made before the clock
 * starts (the benchmark's own work is left out), then recorded `--batch` at a time and flushed, so
 * every transaction holds one batch of that size; after each round every pending rollup increment is
 * merged (mergeRollupDeltas), timed apart. The process's CPU is process.cpuUsage (every thread, GC
 * included); the backends' is /proc/<pid>/schedstat of the database's client backends (ns).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     node dist/bench/call-log-write-cpu.js [--compare <other built checkout>] [--calls 20000] [--batch 500]
 *       [--rounds 6] [--prefix sy_bench_cpu_]
 *
 * With --compare the other checkout's writer (its dist/src/db) runs on a scratch database of its own,
 * rounds alternating which goes first. Linux only (/proc).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import type { CallRecord } from "../src/core/index.js";
import type * as DbModule from "../src/db/index.js";
import { type ScratchDatabase, createScratchDatabase } from "../src/db/testing/scratch-database.js";
import { LOCAL_POSTGRES_URL } from "./bench-database.js";
import { syntheticCall } from "./synthetic-call-record.js";

type Db = typeof DbModule;

interface Target {
  label: string;
  db: Db;
  database: DbModule.Database;
  scratch: ScratchDatabase;
  writer: DbModule.CallLogWriter;
  samples: Sample[];
}

/** µs of CPU per stored call. */
interface Sample {
  writerProcess: number;
  writerBackend: number;
  mergeProcess: number;
  mergeBackend: number;
}

const ownRoot = fileURLToPath(new URL("../..", import.meta.url));

/** CPU time of a process so far in µs (0 when it is gone). */
function schedMicros(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1000;
  } catch {
    return 0;
  }
}

const processMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

async function backendPids(target: Target): Promise<number[]> {
  const rows = await target.db.queryRows<{ pid: number }>(
    target.database.db,
    sql`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`,
  );
  return rows.map((row) => row.pid);
}

/** Runs `work`, returning the CPU it cost this process and the database's backends, in µs. */
async function measured(target: Target, work: () => Promise<void>): Promise<{ process: number; backend: number }> {
  const pids = await backendPids(target);
  const before = new Map(pids.map((pid) => [pid, schedMicros(pid)]));
  const processBefore = processMicros();
  await work();
  const processSpent = processMicros() - processBefore;
  let backend = 0;
  for (const pid of new Set([...pids, ...(await backendPids(target))])) {
    const now = schedMicros(pid);
    if (now > 0) backend += now - (before.get(pid) ?? 0);
  }
  return { process: processSpent, backend };
}

async function openTarget(label: string, root: string, serverUrl: string, prefix: string, batch: number): Promise<Target> {
  const db = (await import(pathToFileURL(resolve(root, "dist/src/db/index.js")).href)) as Db;
  const scratch = await createScratchDatabase(serverUrl, prefix);
  const database = await db.createDatabase({ url: scratch.url, poolMax: 2 });
  await database.migrate();
  const writer = db.createCallLogWriter({ db: database.db, batchSize: batch, maxBuffered: batch * 4 });
  return { label, db, database, scratch, writer, samples: [] };
}

async function runRound(target: Target, records: readonly CallRecord[], batch: number): Promise<void> {
  const writing = await measured(target, async () => {
    for (let start = 0; start < records.length; start += batch) {
      for (const record of records.slice(start, start + batch)) target.writer.record(record);
      await target.writer.flush();
    }
  });
  const merging = await measured(target, async () => {
    while ((await target.db.mergeRollupDeltas(target.database.db, { maxDeltas: 200 })).deltas > 0);
  });
  const n = records.length;
  target.samples.push({ writerProcess: writing.process / n, writerBackend: writing.backend / n, mergeProcess: merging.process / n, mergeBackend: merging.backend / n });
}

async function check(target: Target, expected: number): Promise<void> {
  const [row] = await target.db.queryRows<{ calls: number; rolled: number; pending: number }>(
    target.database.db,
    sql`select (select count(*) from calls)::int as calls,
      (select coalesce(sum(requests), 0) from call_rollups where grain = 1440 and breakdown = 2)::int as rolled,
      (select count(*) from call_rollup_deltas)::int as pending`,
  );
  if (row?.calls !== expected || row.rolled !== expected || row.pending !== 0 || target.writer.stats().quarantined !== 0) {
    throw new Error(`${target.label}: ${row?.calls} calls stored, ${row?.rolled} counted by the rollups, ${row?.pending} increments pending; expected ${expected}`);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function report(target: Target): string {
  const column = (pick: (sample: Sample) => number) => {
    const values = target.samples.map(pick);
    return `${median(values).toFixed(1)} (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;
  };
  return (
    `  ${target.label.padEnd(8)} writer: process ${column((s) => s.writerProcess)}, backend ${column((s) => s.writerBackend)}; ` +
    `merge: process ${column((s) => s.mergeProcess)}, backend ${column((s) => s.mergeBackend)}; ` +
    `all: process ${median(target.samples.map((s) => s.writerProcess + s.mergeProcess)).toFixed(1)}, backend ${median(target.samples.map((s) => s.writerBackend + s.mergeBackend)).toFixed(1)}`
  );
}

export async function runCallLogWriteCpuBench(options: { serverUrl: string; compare?: string; calls: number; batch: number; rounds: number; prefix: string; log: (line: string) => void }) {
  const { calls, batch, rounds, log } = options;
  const targets: Target[] = [await openTarget("this", ownRoot, options.serverUrl, options.prefix, batch)];
  if (options.compare) targets.push(await openTarget("compare", options.compare, options.serverUrl, options.prefix, batch));
  try {
    log(`call-log-write-cpu: ${calls} calls a round in batches of ${batch}, ${rounds} rounds; µs of CPU per stored call, median (min–max)`);
    // One warm-up round each, not counted.
    const base = Date.now();
    let made = 0;
    const next = () => Array.from({ length: calls }, () => syntheticCall(made, base + made++));
    for (const target of targets) {
      await runRound(target, next(), batch);
      target.samples.length = 0;
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) await runRound(target, next(), batch);
    }
    for (const target of targets) await check(target, calls * (rounds + 1));
    for (const target of targets) log(report(target));
    return targets.map((target) => ({ label: target.label, samples: target.samples }));
  } finally {
    for (const target of targets) {
      await target.writer.close().catch(() => undefined);
      await target.database.close();
      await target.scratch.drop();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: { compare: { type: "string" }, calls: { type: "string" }, batch: { type: "string" }, rounds: { type: "string" }, prefix: { type: "string" } },
  });
  await runCallLogWriteCpuBench({
    serverUrl: process.env.DATABASE_URL || LOCAL_POSTGRES_URL,
    ...(values.compare === undefined ? {} : { compare: resolve(values.compare) }),
    calls: Number(values.calls ?? 20_000),
    batch: Number(values.batch ?? 500),
    rounds: Number(values.rounds ?? 6),
    prefix: values.prefix ?? "sy_bench_cpu_",
    log: (line) => console.log(line),
  });
}
