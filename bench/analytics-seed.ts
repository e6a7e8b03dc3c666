import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { ROLLUP_LEVELS, type RollupBreakdownId } from "../src/db/rollup-breakdowns.js";
import type { DrizzleDb } from "../src/db/index.js";
import { selectRollupsFromCalls } from "../src/db/index.js";
import { ROLLUP_COLUMNS } from "../src/db/upsert-call-rollups.js";
import { createSeededRandom } from "../src/simulator/seeded-random.js";
import { SYNTHETIC_CALL_COLUMNS, type SyntheticCallShape, syntheticCallRows } from "./synthetic-call-rows.js";

export const SEED_DAYS = 30;
const DAY_MS = 86_400_000;

/** Shape of the synthetic traffic (documented in the report). */
export const SEED_SHAPE: SyntheticCallShape = {
  modelGroups: 6,
  deploymentsPerGroup: 2,
  keys: 40,
  teams: 8,
  endUsers: 20,
  endUserShare: 0.1,
};

/**
 * Seeds `rows` calls evenly over SEED_DAYS days from `start` with `COPY calls (…) FROM STDIN` on a
 * client of its own. Rows are generated in JavaScript (syntheticCallRows: three draws per call from
 * a PRNG seeded with `seed`, so every run writes the same rows) and streamed through pg-copy-streams
 * with stream.pipeline, which pulls the next chunk only when the socket has room, so memory stays
 * flat at any size. One COPY per `rowsPerCopy` calls, so progress shows and no transaction grows
 * huge. Only `calls` is written: the analyst queries timed here read calls and the rollups, never
 * call_attempts. Returns the seconds spent.
 */
export async function seedCalls(
  url: string,
  rows: number,
  start: Date,
  log: (line: string) => void,
  options: { seed?: number; rowsPerCopy?: number } = {},
): Promise<number> {
  return (await seedCallsInPasses(url, rows, start, log, options)).seconds;
}

/**
 * seedCalls in `passes` passes: pass p writes calls p+1, p+1+passes, p+1+2·passes, …, so each pass
 * spreads over all SEED_DAYS days and, `passes` sharing no factor with the shape's moduli, the calls
 * of the passes done so far are an even sample of the whole. With `stopAt` (epoch ms), no pass starts that the pace so far says would end after it: a
 * seed of a size the machine may not reach in the time stops at whole passes. Returns the seconds
 * spent and the calls written (`rows` when every pass ran).
 */
export async function seedCallsInPasses(
  url: string,
  rows: number,
  start: Date,
  log: (line: string) => void,
  { seed = 20260101, rowsPerCopy = 500_000, passes = 1, stopAt }: { seed?: number; rowsPerCopy?: number; passes?: number; stopAt?: number } = {},
): Promise<{ seconds: number; rows: number }> {
  if (passes > 1 && greatestCommonDivisor(passes, SHAPE_PRIMES_PRODUCT) !== 1) {
    throw new RangeError(`passes must share no factor with 2, 3, 5, 7 and 17 (e.g. 11, 13, 19, 23): the seed's shape follows the call number modulo those, so a pass of every ${passes}th call would hold a skewed mix`);
  }
  const context = { total: rows, start, spanMs: SEED_DAYS * DAY_MS, shape: SEED_SHAPE, random: createSeededRandom(seed) };
  const copyStatement = `copy calls (${SYNTHETIC_CALL_COLUMNS.join(", ")}) from stdin`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  let written = 0;
  try {
    for (let pass = 0; pass < passes; pass++) {
      const passRows = Math.floor((rows - pass - 1) / passes) + 1;
      if (stopAt !== undefined && pass > 0 && Date.now() + ((performance.now() - started) / written) * passRows > stopAt) {
        log(`  stopping after ${pass} of ${passes} passes: the next would end after ${new Date(stopAt).toISOString()}`);
        break;
      }
      // Call numbers of this pass: pass+1 + k·passes for k in [0, passRows).
      for (let k = 0; k < passRows; k += rowsPerCopy) {
        const first = pass + 1 + k * passes;
        const last = pass + 1 + (Math.min(passRows, k + rowsPerCopy) - 1) * passes;
        await pipeline(Readable.from(syntheticCallRows(first, last, context, 256, passes)), client.query(copyFrom(copyStatement)));
        written += Math.min(passRows, k + rowsPerCopy) - k;
        const seconds = (performance.now() - started) / 1000;
        log(`  seeded ${written.toLocaleString("en-US")} calls${passes > 1 ? ` (pass ${pass + 1} of ${passes})` : ""} (${Math.round(written / seconds).toLocaleString("en-US")} calls/s so far)`);
      }
    }
  } finally {
    await client.end();
  }
  return { seconds: (performance.now() - started) / 1000, rows: written };
}

/** syntheticCallValues picks status, model, key, tokens, attempts and end user by the call number modulo products of these primes. */
const SHAPE_PRIMES_PRODUCT = 2 * 3 * 5 * 7 * 17;

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

/**
 * One-shot rollups of the seed, a day at a time, with the same aggregation as the writer's. Returns
 * seconds. `levels` (default: every level the writer keeps) may leave some out for a seed too big to
 * roll up whole in the time; reports that read a level left out then miss its calls.
 */
export async function buildRollups(
  db: DrizzleDb,
  start: Date,
  log: (line: string) => void,
  levels: ReadonlyArray<readonly [number, RollupBreakdownId]> = ROLLUP_LEVELS,
): Promise<number> {
  const started = performance.now();
  for (const [grain, breakdown] of levels) {
    for (let day = 0; day < SEED_DAYS; day++) {
      const from = new Date(start.getTime() + day * DAY_MS).toISOString();
      const to = new Date(start.getTime() + (day + 1) * DAY_MS).toISOString();
      await db.execute(
        sql`insert into call_rollups (${sql.raw(ROLLUP_COLUMNS)}) ${selectRollupsFromCalls(grain, sql`created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz`, { breakdown })}`,
      );
    }
    log(`  rollups built at grain ${grain} min, breakdown ${breakdown}`);
  }
  await db.execute(sql`analyze calls`);
  await db.execute(sql`analyze call_rollups`);
  await db.execute(sql`analyze call_rollup_deltas`);
  return (performance.now() - started) / 1000;
}
