import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findMigrationsFolder } from "../find-migrations-folder.js";

/** A temporary copy of drizzle/ that stops before a migration (for the tests and benches of an upgrade). */
export interface MigrationsBefore {
  /** The folder to give createDatabase as `migrationsFolder`. */
  folder: string;
  /** How many migrations it holds. */
  kept: number;
  /** Copies the rest of drizzle/ in, as an upgrade of the gateway brings them: migrate() then applies them. */
  addTheRest(): void;
  remove(): void;
}

/**
 * Copies drizzle/ to a temporary folder whose journal holds only the migrations before `tag` (tags start with
 * their number, so "0013" or "0013_partition_calls" both mean: 0000 to 0012), like a database that was made
 * before that migration existed.
 */
export function copyMigrationsBefore(tag: string): MigrationsBefore {
  const source = findMigrationsFolder();
  const folder = mkdtempSync(join(tmpdir(), "switchyard-migrations-"));
  cpSync(source, folder, { recursive: true });
  const journalFile = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
  const entries = journal.entries.filter((entry) => entry.tag < tag);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries }));
  return {
    folder,
    kept: entries.length,
    addTheRest: () => cpSync(source, folder, { recursive: true }),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
