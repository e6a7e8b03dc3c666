import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureCallPartitions, writePgliteTemplate } from "../../src/db/index.js";

/**
 * vitest globalSetup: migrates one in-memory PGlite once per test run and dumps its data folder (the
 * same template `npm run build` writes for a first start); every test file's createTestDatabase() loads a
 * copy instead of creating and migrating its own. (Postgres runs, DATABASE_URL set, make their own databases and skip this.)
 */
export default async function setup(): Promise<() => void> {
  // SWITCHYARD_TEST_PGLITE_TEMPLATE=off: every file migrates its own (to compare).
  if (process.env.DATABASE_URL || process.env.SWITCHYARD_TEST_PGLITE_TEMPLATE === "off") return () => undefined;
  const dir = mkdtempSync(join(tmpdir(), "switchyard-pglite-template-"));
  const file = join(dir, "migrated.tar");
  // With the partitions a gateway start would create (call-partition-keeper.ts), so starts in tests find them made.
  await writePgliteTemplate(file, undefined, (database) => ensureCallPartitions(database.db, { from: new Date(), to: new Date(Date.now() + 8 * 86_400_000) }));
  process.env.SWITCHYARD_TEST_PGLITE_TEMPLATE = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
