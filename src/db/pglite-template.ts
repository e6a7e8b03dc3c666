import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { findProjectRoot } from "../server/find-project-root.js";

/**
 * A PGlite data folder migrated once at build time, so that the first start of an embedded database
 * loads it (PGlite's loadDataDir) instead of running initdb and every migration. `npm run build`
 * writes it to dist/ (scripts/build-pglite-template.ts, through write-pglite-template.ts); it is never
 * committed. Beside the tarball, `<file>.json` says what it holds; it is written last, so a template
 * without one (a build that was stopped halfway) is never loaded.
 */
export interface PgliteTemplateDescription {
  /** The PGlite version that wrote it: another version may not read its files. */
  pglite: string;
  /** The migrations it holds, in order, as drizzle's migrator records them (journal time, SQL hash). */
  migrations: Array<{ when: number; hash: string }>;
  /** The tarball's size. */
  bytes: number;
}

/** Whether a template can start a new database now. */
export type PgliteTemplateFit =
  | { kind: "current"; description: PgliteTemplateDescription }
  /** It holds the first migrations in drizzle/; the newer ones are applied after it is loaded. */
  | { kind: "behind"; description: PgliteTemplateDescription; missing: number }
  | { kind: "missing" }
  | { kind: "unusable"; reason: string };

/** Where the build puts the template: dist/pglite-template.tar under the package root. */
export function pgliteTemplatePath(root: string = findProjectRoot()): string {
  return join(root, "dist", "pglite-template.tar");
}

/** The description file beside a template. */
export function describedBy(file: string): string {
  return `${file}.json`;
}

/** What a template built now would hold (without `bytes`): the installed PGlite and the migrations in drizzle/. */
export function currentTemplateContents(migrationsFolder: string): Omit<PgliteTemplateDescription, "bytes"> {
  return {
    pglite: installedPgliteVersion(),
    migrations: readMigrationFiles({ migrationsFolder }).map((m) => ({ when: m.folderMillis, hash: m.hash })),
  };
}

/**
 * Whether the template at `file` may start a new database: written whole by the installed PGlite from
 * the first migrations in `migrationsFolder`, in the same order with the same SQL. A template with a
 * migration drizzle/ does not have (another branch's) is unusable: drizzle's migrator would skip the
 * migrations that are older than it.
 */
export function checkPgliteTemplate(file: string, migrationsFolder: string): PgliteTemplateFit {
  const descriptionFile = describedBy(file);
  if (!existsSync(file) || !existsSync(descriptionFile)) return { kind: "missing" };
  let description: PgliteTemplateDescription;
  try {
    description = JSON.parse(readFileSync(descriptionFile, "utf8")) as PgliteTemplateDescription;
  } catch (error) {
    return { kind: "unusable", reason: `${descriptionFile} is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!Array.isArray(description.migrations) || typeof description.pglite !== "string" || typeof description.bytes !== "number") {
    return { kind: "unusable", reason: `${descriptionFile} does not describe a template` };
  }
  if (statSync(file).size !== description.bytes) return { kind: "unusable", reason: `${file} is not the size its description gives (a build stopped halfway?)` };
  // PGlite takes what is not a tar for gzip, and a failed gunzip escapes its promise (an uncaught error): refused here instead.
  if (!isTar(file)) return { kind: "unusable", reason: `${file} is not a tar archive` };
  const current = currentTemplateContents(migrationsFolder);
  if (description.pglite !== current.pglite) {
    return { kind: "unusable", reason: `it was written by PGlite ${description.pglite}, this is PGlite ${current.pglite}` };
  }
  const held = description.migrations;
  if (held.length > current.migrations.length) return { kind: "unusable", reason: `it holds ${held.length} migrations, drizzle/ has ${current.migrations.length}` };
  const differs = held.findIndex((m, i) => m.when !== current.migrations[i]!.when || m.hash !== current.migrations[i]!.hash);
  if (differs >= 0) return { kind: "unusable", reason: `its migration ${differs + 1} is not the one in drizzle/` };
  const missing = current.migrations.length - held.length;
  return missing === 0 ? { kind: "current", description } : { kind: "behind", description, missing };
}

/** Whether a file starts with a POSIX tar header ("ustar" at byte 257), as dumpDataDir("none") writes. */
function isTar(file: string): boolean {
  const header = Buffer.alloc(512);
  const fd = openSync(file, "r");
  try {
    return readSync(fd, header, 0, 512, 0) === 512 && header.subarray(257, 262).toString("latin1") === "ustar";
  } finally {
    closeSync(fd);
  }
}

/** The installed @electric-sql/pglite's version (its package.json is not exported: found beside its entry). */
function installedPgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (name === "@electric-sql/pglite" && version) return version;
    }
    const parent = dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}
