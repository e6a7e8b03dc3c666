import { readFileSync } from "node:fs";
import { type Database, createDatabase } from "../../src/db/index.js";
import { createScratchDatabase } from "../../src/db/testing/scratch-database.js";

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

  const scratch = await createScratchDatabase(serverUrl, "sy_test_");
  const database = await createDatabase({ url: scratch.url, poolMax: 4, ...folder });
  await database.migrate();

  return {
    database,
    url: scratch.url,
    async dispose() {
      await database.close();
      await scratch.drop();
    },
  };
}
