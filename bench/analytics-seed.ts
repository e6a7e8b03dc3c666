import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { ROLLUP_LEVELS } from "../src/db/rollup-breakdowns.js";
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
  { seed = 20260101, rowsPerCopy = 500_000 }: { seed?: number; rowsPerCopy?: number } = {},
): Promise<number> {
  const context = { total: rows, start, spanMs: SEED_DAYS * DAY_MS, shape: SEED_SHAPE, random: createSeededRandom(seed) };
  const copyStatement = `copy calls (${SYNTHETIC_CALL_COLUMNS.join(", ")}) from stdin`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    for (let first = 1; first <= rows; first += rowsPerCopy) {
      const last = Math.min(rows, first + rowsPerCopy - 1);
      await pipeline(Readable.from(syntheticCallRows(first, last, context)), client.query(copyFrom(copyStatement)));
      const seconds = (performance.now() - started) / 1000;
      log(`  seeded ${last.toLocaleString("en-US")} calls (${Math.round(last / seconds).toLocaleString("en-US")} calls/s so far)`);
    }
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}

/** One-shot rollups of the seed, a day at a time, with the same aggregation as the writer's. Returns seconds. */
export async function buildRollups(db: DrizzleDb, start: Date, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  for (const [grain, breakdown] of ROLLUP_LEVELS) {
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
