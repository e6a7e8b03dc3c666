/**
 * CPU per stored call of one call-log writer, in the writing process and in its Postgres backends: on a
 * shared machine wall-clock throughput is noise, CPU time is not. Calls are made before the clock
 * starts (the benchmark's own work is left out), then recorded `--batch` at a time and flushed, so
 * every transaction holds one batch of that size; after each round every pending rollup increment is
 * merged (mergeRollupDeltas), timed apart. The process's CPU is read per thread from
 * /proc/self/task/<tid>/schedstat: the main thread (where requests wait) apart from the others (V8's GC
 * helpers, libuv's pool, and the call log thread when there is one); the backends' is
 * /proc/<pid>/schedstat of the database's client backends (ns).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     node dist/bench/call-log-write-cpu.js [--compare <other built checkout>] [--calls 20000] [--batch 500]
 *       [--rounds 6] [--prefix sy_bench_cpu_] [--modes inline,thread]
 *
 * --modes: `inline` writes and merges on the main thread (the writer's `db`), `thread` through this
 * build's call log thread (openCallLogThread: the writer's `writeBatch`, the merge by its merger); both
 * measured in one process, rounds alternating. With --compare the other checkout's writer (its dist/src/db,
 * inline) runs too. Each target writes to a scratch database of its own. Linux only (/proc).
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
import { cpuMicrosByThread } from "./process-cpu.js";
import { syntheticCall } from "./synthetic-call-record.js";

type Db = typeof DbModule;

interface Target {
  label: string;
  db: Db;
  database: DbModule.Database;
  scratch: ScratchDatabase;
  writer: DbModule.CallLogWriter;
  /** The call log thread the writer posts its batches to (mode `thread`). */
  thread?: DbModule.CallLogThread;
  samples: Sample[];
}

/** µs of CPU per stored call. */
interface Sample {
  writerProcess: number;
  writerMain: number;
  writerBackend: number;
  mergeProcess: number;
  mergeMain: number;
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


async function backendPids(target: Target): Promise<number[]> {
  const rows = await target.db.queryRows<{ pid: number }>(
    target.database.db,
    sql`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`,
  );
  return rows.map((row) => row.pid);
}

/** Runs `work`, returning the CPU it cost this process (all of it, and its main thread) and the database's backends, in µs. */
async function measured(target: Target, work: () => Promise<void>): Promise<{ process: number; main: number; backend: number }> {
  const pids = await backendPids(target);
  const before = new Map(pids.map((pid) => [pid, schedMicros(pid)]));
  const processBefore = cpuMicrosByThread(process.pid);
  await work();
  const processAfter = cpuMicrosByThread(process.pid);
  const main = processAfter.main - processBefore.main;
  const processSpent = main + processAfter.other - processBefore.other;
  let backend = 0;
  for (const pid of new Set([...pids, ...(await backendPids(target))])) {
    const now = schedMicros(pid);
    if (now > 0) backend += now - (before.get(pid) ?? 0);
  }
  return { process: processSpent, main, backend };
}

async function openTarget(label: string, root: string, serverUrl: string, prefix: string, batch: number, threaded = false): Promise<Target> {
  const db = (await import(pathToFileURL(resolve(root, "dist/src/db/index.js")).href)) as Db;
  const scratch = await createScratchDatabase(serverUrl, prefix);
  const database = await db.createDatabase({ url: scratch.url, poolMax: 2 });
  await database.migrate();
  // The thread's merger runs only when the round asks (mergeAll), so its CPU is not counted as the writer's.
  const thread = threaded ? db.openCallLogThread({ url: scratch.url, mergeIntervalMs: 3_600_000 }) : undefined;
  const writer = db.createCallLogWriter({ ...(thread ? { writeBatch: thread.writeBatch } : { db: database.db }), batchSize: batch, maxBuffered: batch * 4 });
  return { label, db, database, scratch, writer, ...(thread ? { thread } : {}), samples: [] };
}

async function runRound(target: Target, records: readonly CallRecord[], batch: number): Promise<void> {
  const writing = await measured(target, async () => {
    for (let start = 0; start < records.length; start += batch) {
      for (const record of records.slice(start, start + batch)) target.writer.record(record);
      await target.writer.flush();
    }
  });
  const merging = await measured(target, async () => {
    if (target.thread) await target.thread.rollupMerger.mergeAll();
    else while ((await target.db.mergeRollupDeltas(target.database.db, { maxDeltas: 200 })).deltas > 0);
  });
  const n = records.length;
  target.samples.push({
    writerProcess: writing.process / n,
    writerMain: writing.main / n,
    writerBackend: writing.backend / n,
    mergeProcess: merging.process / n,
    mergeMain: merging.main / n,
    mergeBackend: merging.backend / n,
  });
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
    `  ${target.label.padEnd(8)} writer: process ${column((s) => s.writerProcess)} of which main thread ${column((s) => s.writerMain)}, backend ${column((s) => s.writerBackend)}; ` +
    `merge: process ${column((s) => s.mergeProcess)} of which main thread ${column((s) => s.mergeMain)}, backend ${column((s) => s.mergeBackend)}; ` +
    `all: process ${median(target.samples.map((s) => s.writerProcess + s.mergeProcess)).toFixed(1)}, main thread ${median(target.samples.map((s) => s.writerMain + s.mergeMain)).toFixed(1)}, ` +
    `backend ${median(target.samples.map((s) => s.writerBackend + s.mergeBackend)).toFixed(1)}`
  );
}

export async function runCallLogWriteCpuBench(options: {
  serverUrl: string;
  compare?: string;
  calls: number;
  batch: number;
  rounds: number;
  prefix: string;
  /** `inline` and/or `thread` (default: inline only). */
  modes?: ReadonlyArray<"inline" | "thread">;
  log: (line: string) => void;
}) {
  const { calls, batch, rounds, log } = options;
  const modes = options.modes ?? ["inline"];
  const targets: Target[] = [];
  for (const mode of modes) {
    const label = modes.length === 1 && mode === "inline" ? "this" : mode;
    targets.push(await openTarget(label, ownRoot, options.serverUrl, options.prefix, batch, mode === "thread"));
  }
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
      await target.thread?.rollupMerger.close();
      await target.database.close();
      await target.scratch.drop();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: {
      compare: { type: "string" },
      calls: { type: "string" },
      batch: { type: "string" },
      rounds: { type: "string" },
      prefix: { type: "string" },
      modes: { type: "string" },
    },
  });
  await runCallLogWriteCpuBench({
    serverUrl: process.env.DATABASE_URL || LOCAL_POSTGRES_URL,
    ...(values.compare === undefined ? {} : { compare: resolve(values.compare) }),
    calls: Number(values.calls ?? 20_000),
    batch: Number(values.batch ?? 500),
    rounds: Number(values.rounds ?? 6),
    prefix: values.prefix ?? "sy_bench_cpu_",
    ...(values.modes === undefined ? {} : { modes: values.modes.split(",").map((mode) => (mode === "thread" ? "thread" : "inline")) }),
    log: (line) => console.log(line),
  });
}
