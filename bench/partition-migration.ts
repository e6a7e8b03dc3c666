/**
 * How long migration 0013 takes on a populated call log (issue 15; not part of CI or `npm run bench`).
 *
 *   node --import ./test/helpers/swc-node/register.mjs bench/partition-migration.ts [--rows 1000000]
 *
 * Creates a scratch database on DATABASE_URL (default: the local server), applies the migrations before
 * 0013 (so `calls` and `call_attempts` are plain tables with their foreign key), seeds N calls over 30
 * days with bulk COPY and one attempt each, then applies 0013 and times it: the figure an operator needs
 * to plan the upgrade's downtime (docs/scale-out.md).
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { createDatabase, queryRows } from "../src/db/index.js";
import { copyMigrationsBefore } from "../src/db/testing/copy-migrations-before.js";
import { seedCalls } from "./analytics-seed.js";
import { LOCAL_POSTGRES_URL, runAdminStatement } from "./bench-database.js";
import { START, seedAttempts } from "./partitioned-call-log.js";

const { values } = parseArgs({ options: { rows: { type: "string" } } });
const rows = Number(values.rows ?? 1_000_000);
const url = process.env.DATABASE_URL || LOCAL_POSTGRES_URL;
const name = `sy_bench_migration_${randomBytes(5).toString("hex")}`;

const admin = (statement: string) => runAdminStatement(url, statement);

const migrations = copyMigrationsBefore("0013");

await admin(`create database ${name}`);
const scratch = new URL(url);
scratch.pathname = `/${name}`;
const database = await createDatabase({ url: scratch.toString(), poolMax: 2, migrationsFolder: migrations.folder });
try {
  await database.migrate();
  const seedSeconds = await seedCalls(scratch.toString(), rows, START, (line) => console.log(line));
  const attemptSeconds = await seedAttempts(database.db);
  await database.db.execute(sql`analyze calls`);
  const size = (await queryRows<{ s: string }>(database.db, sql`select pg_size_pretty(pg_total_relation_size('calls') + pg_total_relation_size('call_attempts')) as s`))[0]!.s;
  console.log(`seeded ${rows.toLocaleString("en-US")} calls and attempts (unpartitioned, ${size} with indexes) in ${(seedSeconds + attemptSeconds).toFixed(0)} s`);
  migrations.addTheRest();
  const began = performance.now();
  await database.migrate();
  const seconds = (performance.now() - began) / 1000;
  const partitions = (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from pg_inherits where inhparent = 'calls'::regclass`))[0]!.n;
  console.log(`migration 0013: ${seconds.toFixed(1)} s for ${rows.toLocaleString("en-US")} calls (${Math.round(rows / seconds).toLocaleString("en-US")} calls/s with their attempts), ${partitions} partitions of calls`);
  console.log(JSON.stringify({ name: "partition-migration", rows, seconds, callsPerSecond: rows / seconds, partitions }));
} finally {
  await database.close();
  migrations.remove();
  await admin(`drop database if exists ${name} with (force)`);
}
