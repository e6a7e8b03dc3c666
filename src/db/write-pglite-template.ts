import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { sql } from "drizzle-orm";
import { createDatabase } from "./create-database.js";
import type { Database } from "./database.js";
import { findMigrationsFolder } from "./find-migrations-folder.js";
import { currentTemplateContents, describedBy, type PgliteTemplateDescription } from "./pglite-template.js";

/**
 * Migrates an in-memory PGlite and writes its data folder to `file` as a tarball (PGlite's dumpDataDir,
 * uncompressed: it loads fastest), then its description beside it. The description goes first and comes
 * back last, so a stopped write leaves no template that would be loaded. A checkpoint comes before the
 * dump: Postgres, started on the copy, then has no write-ahead log to replay.
 */
export async function writePgliteTemplate(
  file: string,
  migrationsFolder: string = findMigrationsFolder(),
  /** Runs on the migrated database before it is dumped (the test template adds today's call partitions). */
  prepare?: (database: Database) => Promise<unknown>,
): Promise<PgliteTemplateDescription> {
  const contents = currentTemplateContents(migrationsFolder);
  const database = await createDatabase({ migrationsFolder });
  let tarball: Buffer;
  try {
    await database.migrate();
    await prepare?.(database);
    await database.db.execute(sql`checkpoint`);
    tarball = Buffer.from(await (await database.dumpDataDir!()).arrayBuffer());
  } finally {
    await database.close();
  }
  mkdirSync(dirname(file), { recursive: true });
  rmSync(describedBy(file), { force: true });
  const draft = `${file}.${process.pid}.draft`;
  writeFileSync(draft, tarball);
  renameSync(draft, file);
  const description: PgliteTemplateDescription = { ...contents, bytes: tarball.length };
  writeFileSync(`${draft}.json`, `${JSON.stringify(description, null, 2)}\n`);
  renameSync(`${draft}.json`, describedBy(file));
  return description;
}
