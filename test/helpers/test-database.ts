import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { type Database, createDatabase } from "../../src/db/index.js";

export interface TestDatabase {
  database: Database;
  /** The isolated database's URL when running against a real server. */
  url?: string;
  dispose(): Promise<void>;
}

/**
 * A migrated, empty database for one test file. With DATABASE_URL it is a fresh
 * `sy_test_<random>` database on that server (so files can run in parallel) that dispose()
 * drops; without, an in-memory PGlite. `migrationsFolder`: migrated with those migrations instead of drizzle/.
 */
export async function createTestDatabase(options: { migrationsFolder?: string } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const folder = options.migrationsFolder === undefined ? {} : { migrationsFolder: options.migrationsFolder };
  if (serverUrl === undefined || serverUrl === "") {
    // A copy of the PGlite the test run migrated once (test/helpers/pglite-template.ts); migrate() then finds nothing to do.
    // Not with migrations of its own: the template has them all.
    const template = options.migrationsFolder === undefined ? process.env.SWITCHYARD_TEST_PGLITE_TEMPLATE : undefined;
    const database = await createDatabase(template && template !== "off" ? { loadDataDir: new Blob([readFileSync(template)]) } : folder);
    await database.migrate();
    return { database, dispose: () => database.close() };
  }

  const name = `sy_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await createDatabase({ url: url.toString(), poolMax: 4, ...folder });
  await database.migrate();

  return {
    database,
    url: url.toString(),
    async dispose() {
      await database.close();
      const cleaner = new pg.Client({ connectionString: serverUrl });
      await cleaner.connect();
      try {
        await cleaner.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [name]);
        await cleaner.query(`drop database if exists ${name}`);
      } finally {
        await cleaner.end();
      }
    },
  };
}
