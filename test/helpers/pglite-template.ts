import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, ensureCallPartitions } from "../../src/db/index.js";

/**
 * vitest globalSetup: migrates one in-memory PGlite once per test run and dumps its data folder;
 * every test file's createTestDatabase() loads a copy instead of creating and migrating its own.
 * (Postgres runs, DATABASE_URL set, make their own databases and skip this.)
 */
export default async function setup(): Promise<() => void> {
  // SWITCHYARD_TEST_PGLITE_TEMPLATE=off: every file migrates its own (to compare).
  if (process.env.DATABASE_URL || process.env.SWITCHYARD_TEST_PGLITE_TEMPLATE === "off") return () => undefined;
  const dir = mkdtempSync(join(tmpdir(), "switchyard-pglite-template-"));
  const file = join(dir, "migrated.tar");
  const database = await createDatabase({});
  try {
    await database.migrate();
    // The partitions a gateway start would create (call-partition-keeper.ts), so starts in tests find them made.
    await ensureCallPartitions(database.db, { from: new Date(), to: new Date(Date.now() + 8 * 86_400_000) });
    const dump = await database.dumpDataDir!();
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await database.close();
  }
  process.env.SWITCHYARD_TEST_PGLITE_TEMPLATE = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
