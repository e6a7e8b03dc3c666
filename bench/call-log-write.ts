/**
 * Call-log write throughput: N synthetic calls (1–2 attempts each) through the batching
 * writer, then — in the same run, on the same database — plain single-row INSERTs for a
 * fixed time, so the ratio is visible.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node dist/bench/call-log-write.js [--records 200000]
 *
 * With DATABASE_URL the bench creates a scratch database `sy_bench_<random>` on that server
 * and drops it afterwards. Without it the figures are for in-memory PGlite (single-threaded
 * WASM, not comparable to a server).
 */
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import type { AttemptRecord, CallRecord } from "../src/core/index.js";
import { syntheticCall } from "./synthetic-call-record.js";
import { type Database, callAttempts, calls, createCallLogWriter, createDatabase, createRollupMerger, picoToUsd, queryRows } from "../src/db/index.js";
import { createScratchDatabase } from "../src/db/testing/scratch-database.js";

export interface CallLogWriteBenchOptions {
  /** A postgres:// URL of a server; absent means in-memory PGlite. */
  url?: string;
  /** Calls written through the writer. */
  records?: number;
  /** How long the single-row baseline runs. */
  baselineSeconds?: number;
  batchSize?: number;
  log?: (line: string) => void;
}

export interface ThroughputFigure {
  calls: number;
  attempts: number;
  seconds: number;
  callsPerSecond: number;
  attemptsPerSecond: number;
}

export interface CallLogWriteBenchResult {
  name: "call-log-write";
  driver: "postgres" | "pglite";
  writer: ThroughputFigure & {
    batchSize: number;
    failedFlushes: number;
    /** After the last call was stored: how long the rollup merger took to fold the remaining increments in. */
    rollupCatchUpSeconds: number;
    /** Calls per second counting until the rollups were complete too. */
    callsPerSecondWithRollups: number;
    /** call_rollups rows upserted by the merger (vs. one increment row per written batch). */
    rollupRowsUpserted: number;
  };
  baseline: ThroughputFigure;
  /** Writer calls/s divided by baseline calls/s. */
  speedup: number;
  /** The bar for the writer into a real Postgres server. */
  targetCallsPerSecond: number;
  /** Only ever true for a Postgres server. */
  meetsTarget: boolean;
  note?: string;
}

const TARGET_CALLS_PER_SECOND = 10_000;
/** Producer pauses above this many buffered records, so memory stays bounded and nothing spills. */
const HIGH_WATER = 20_000;

export async function runCallLogWriteBench(options: CallLogWriteBenchOptions = {}): Promise<CallLogWriteBenchResult> {
  const { url, records = 200_000, baselineSeconds = 5, batchSize = 500, log = () => undefined } = options;
  const scratch = url === undefined ? undefined : await createScratchDatabase(url, "sy_bench_");
  const database = await createDatabase(scratch ? { url: scratch.url } : {});
  try {
    await database.migrate();
    log(`call-log-write: ${records} calls into ${database.kind}${scratch ? ` (scratch database ${scratch.name})` : ""}`);

    const writer = await measureWriter(database, records, batchSize);
    log(
      `  writer:   ${writer.calls} calls, ${writer.attempts} attempts in ${writer.seconds.toFixed(2)} s → ` +
        `${Math.round(writer.callsPerSecond)} calls/s, ${Math.round(writer.attemptsPerSecond)} attempts/s`,
    );
    log(
      `  rollups:  folded in ${writer.rollupCatchUpSeconds.toFixed(2)} s after the last call (${writer.rollupRowsUpserted} call_rollups upserts) → ` +
        `${Math.round(writer.callsPerSecondWithRollups)} calls/s counting until the rollups were complete`,
    );
    const baseline = await measureSingleRowInserts(database, baselineSeconds);
    log(
      `  baseline: single-row INSERTs for ${baseline.seconds.toFixed(2)} s → ` +
        `${Math.round(baseline.callsPerSecond)} calls/s, ${Math.round(baseline.attemptsPerSecond)} attempts/s`,
    );
    const speedup = baseline.callsPerSecond > 0 ? writer.callsPerSecond / baseline.callsPerSecond : Number.POSITIVE_INFINITY;
    const meetsTarget = database.kind === "postgres" && writer.callsPerSecond >= TARGET_CALLS_PER_SECOND;
    const verdict = database.kind === "postgres" ? (meetsTarget ? "met" : "NOT met") : "not measured here (PGlite)";
    log(`  ratio:    ${speedup.toFixed(1)}× (target ≥ ${TARGET_CALLS_PER_SECOND} calls/s into Postgres: ${verdict})`);
    return {
      name: "call-log-write",
      driver: database.kind,
      writer,
      baseline,
      speedup,
      targetCallsPerSecond: TARGET_CALLS_PER_SECOND,
      meetsTarget,
      ...(database.kind === "pglite" ? { note: "PGlite (embedded, single-threaded WASM): set DATABASE_URL for the figure that matters" } : {}),
    };
  } finally {
    await database.close();
    await scratch?.drop();
  }
}

async function measureWriter(database: Database, count: number, batchSize: number) {
  const writer = createCallLogWriter({ db: database.db, batchSize, maxBuffered: HIGH_WATER * 2 });
  // As in the gateway: the merger folds rollup increments into call_rollups in the background.
  const merger = createRollupMerger({ db: database.db });
  const base = Date.now();
  let attempts = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const record = syntheticCall(i, base + i);
    attempts += record.attempts.length;
    writer.record(record);
    if (i % 1000 === 999) {
      // Let the writer's I/O run; while it is behind, sleep (not spin: Postgres shares the CPUs).
      await new Promise((resolve) => setImmediate(resolve));
      while (writer.stats().buffered > HIGH_WATER) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  await writer.close();
  const seconds = (performance.now() - started) / 1000;
  await merger.close();
  const withRollups = (performance.now() - started) / 1000;
  const stats = writer.stats();
  const [pending] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from call_rollup_deltas`);
  const [rolled] = await queryRows<{ n: number }>(database.db, sql`select coalesce(sum(requests), 0)::int as n from call_rollups where grain = 1440 and breakdown = 2`);
  if (pending?.n !== 0 || rolled?.n !== count) {
    throw new Error(`rollups incomplete: ${pending?.n} increments pending, ${rolled?.n} of ${count} calls counted`);
  }
  const stored = await countRows(database);
  if (stored.calls !== count || stored.attempts !== attempts) {
    throw new Error(`writer lost rows: expected ${count} calls / ${attempts} attempts, found ${stored.calls} / ${stored.attempts}`);
  }
  return {
    calls: count,
    attempts,
    seconds,
    callsPerSecond: count / seconds,
    attemptsPerSecond: attempts / seconds,
    batchSize,
    failedFlushes: stats.failedFlushes,
    rollupCatchUpSeconds: withRollups - seconds,
    callsPerSecondWithRollups: count / withRollups,
    rollupRowsUpserted: merger.stats().rollupRows,
  };
}

/** What a naive call log does: one awaited INSERT per call and per attempt. */
async function measureSingleRowInserts(database: Database, seconds: number): Promise<ThroughputFigure> {
  const { db } = database;
  const base = Date.now() + 86_400_000;
  let calls_ = 0;
  let attempts = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    const record = syntheticCall(calls_, base + calls_);
    await db.insert(calls).values(callValues(record));
    for (const attempt of record.attempts) await db.insert(callAttempts).values(attemptValues(record.id, attempt));
    calls_ += 1;
    attempts += record.attempts.length;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { calls: calls_, attempts, seconds: elapsed, callsPerSecond: calls_ / elapsed, attemptsPerSecond: attempts / elapsed };
}

function callValues(record: CallRecord): typeof calls.$inferInsert {
  const { attempts: _attempts, costPico, ...rest } = record;
  return { ...rest, costUsd: picoToUsd(costPico) };
}

function attemptValues(callId: string, attempt: AttemptRecord): typeof callAttempts.$inferInsert {
  const { index, costPico, ...rest } = attempt;
  return { ...rest, callId, attemptIndex: index, costUsd: picoToUsd(costPico) };
}

async function countRows(database: Database): Promise<{ calls: number; attempts: number }> {
  const [row] = await queryRows<{ calls: number; attempts: number }>(
    database.db,
    sql`select (select count(*) from ${calls})::int as calls, (select count(*) from ${callAttempts})::int as attempts`,
  );
  return row ?? { calls: 0, attempts: 0 };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const recordsFlag = process.argv.indexOf("--records");
  const records = recordsFlag > 0 ? Number(process.argv[recordsFlag + 1]) : undefined;
  const url = process.env.DATABASE_URL || undefined;
  if (url === undefined) console.warn("DATABASE_URL is not set: measuring in-memory PGlite, not a Postgres server.");
  runCallLogWriteBench({ url, records, log: (line) => console.log(line) })
    .then((result) => console.log(JSON.stringify(result)))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
