/**
 * Writes dist/pglite-template.tar: an embedded database migrated once, which a first start loads instead
 * of running initdb and every migration (src/db/pglite-template.ts). It holds the call log's partitions
 * a start would create (today and the days the partition keeper keeps ahead): a first start the same day
 * creates none, a later one only those of the days since. Part of `npm run build`; with --if-stale
 * (scripts/build-if-stale.mjs) it keeps a template that already holds every migration.
 */
import { utimesSync } from "node:fs";
import { checkPgliteTemplate, createCallPartitionKeeper, findMigrationsFolder, pgliteTemplatePath, writePgliteTemplate } from "../src/db/index.js";
import { describedBy } from "../src/db/pglite-template.js";

const file = pgliteTemplatePath();
const migrationsFolder = findMigrationsFolder();
if (process.argv.includes("--if-stale") && checkPgliteTemplate(file, migrationsFolder).kind === "current") {
  // Up to date: its description is touched so that build-if-stale's time check passes until drizzle/ changes.
  const now = new Date();
  utimesSync(describedBy(file), now, now);
} else {
  const started = Date.now();
  const description = await writePgliteTemplate(file, migrationsFolder, async (database) => {
    const keeper = createCallPartitionKeeper({ db: database.db });
    try {
      await keeper.ensure();
    } finally {
      await keeper.close();
    }
  });
  process.stderr.write(`migrated database template (${description.migrations.length} migrations, ${(description.bytes / 1e6).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
