import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { Database } from "./database.js";
import { findMigrationsFolder } from "./find-migrations-folder.js";
import { type DataDirLock, lockDataDir } from "./lock-data-dir.js";
import { messageOf } from "./message-of.js";
import { checkPgliteTemplate, type PgliteTemplateFit } from "./pglite-template.js";
import { unpackTar } from "./unpack-tar.js";

export interface CreateDatabaseOptions {
  /** postgres://… of a real server; absent means embedded PGlite. */
  url?: string;
  /** PGlite data directory (e.g. "./.switchyard/pgdata"); absent means in memory. */
  dataDir?: string;
  /** node-postgres pool size. */
  poolMax?: number;
  /** Where idle-connection errors go (a pool must not crash the process on them), and how the embedded database was created. */
  logger?: DatabaseLogger;
  /** PGlite only: start from this data folder tarball (PGlite's dumpDataDir), e.g. a database migrated once for a test run. */
  loadDataDir?: Blob;
  /**
   * PGlite with a dataDir only: a migrated template (pglite-template.ts, dist/pglite-template.tar) to
   * create the folder from when it holds no database yet, instead of initdb and every migration. One that
   * does not fit drizzle/ or this PGlite, or fails to load, is passed over with a warning.
   */
  template?: string;
  /** Overrides the drizzle/ folder lookup (tests, packaging). */
  migrationsFolder?: string;
}

export interface DatabaseLogger {
  error(object: object, message?: string): void;
  warn?(object: object, message?: string): void;
  info?(object: object, message?: string): void;
}

/**
 * Opens the database: node-postgres when `url` is given, PGlite otherwise. node-postgres is loaded only
 * then (open-postgres.ts): an embedded start does not pay for it.
 */
export async function createDatabase(options: CreateDatabaseOptions = {}): Promise<Database> {
  return options.url === undefined ? openPglite(options) : (await import("./open-postgres.js")).openPostgres(options.url, options);
}

async function openPglite(options: CreateDatabaseOptions): Promise<Database> {
  let client: PGlite;
  let lock: DataDirLock | undefined;
  if (options.dataDir !== undefined) {
    await mkdir(options.dataDir, { recursive: true });
    // Two processes on one folder corrupt it: the second fails here, naming the first (DataDirLockedError).
    lock = lockDataDir(options.dataDir);
  }
  // Created from a template that holds every migration in drizzle/: the first migrate() has nothing to do.
  let upToDate = false;
  try {
    const template = options.loadDataDir === undefined ? await usableTemplate(options) : undefined;
    const loaded = template ? await loadTemplate(options.dataDir!, template.file, options.logger) : undefined;
    upToDate = loaded?.fromTemplate === true && template?.current === true;
    client = loaded
      ? loaded.client
      : options.loadDataDir === undefined
        ? await PGlite.create(options.dataDir)
        : await PGlite.create({ ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}), loadDataDir: options.loadDataDir });
  } catch (error) {
    lock?.release();
    const where = options.dataDir === undefined ? "in memory" : `in ${options.dataDir}`;
    throw new Error(`Cannot open the embedded database (PGlite) ${where}: ${messageOf(error)}`, { cause: error });
  }
  const db = drizzlePglite({ client });
  return {
    db,
    kind: "pglite",
    dumpDataDir: () => client.dumpDataDir("none"),
    migrate: async () => {
      if (upToDate) {
        upToDate = false;
        return;
      }
      await migratePglite(db, { migrationsFolder: options.migrationsFolder ?? findMigrationsFolder() });
    },
    ping: async () => {
      try {
        await client.query("select 1");
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** The template to create `dataDir` from: only when the folder is empty (nothing to lose) and the template fits. */
async function usableTemplate(options: CreateDatabaseOptions): Promise<{ file: string; current: boolean } | undefined> {
  if (options.dataDir === undefined || options.template === undefined) return undefined;
  if ((await readdir(options.dataDir)).length > 0) return undefined;
  let fit: PgliteTemplateFit;
  try {
    fit = checkPgliteTemplate(options.template, options.migrationsFolder ?? findMigrationsFolder());
  } catch (error) {
    fit = { kind: "unusable", reason: messageOf(error) };
  }
  if (fit.kind === "current" || fit.kind === "behind") return { file: options.template, current: fit.kind === "current" };
  if (fit.kind === "missing") {
    options.logger?.info?.({ template: options.template }, "no migrated database template (npm run build writes it): creating the embedded database from scratch");
    return undefined;
  }
  options.logger?.warn?.({ template: options.template, reason: fit.reason }, "the migrated database template does not fit: creating the embedded database from scratch");
  return undefined;
}

/**
 * Creates the empty `dataDir` from a template: its files are written straight into the folder (unpack-tar.ts),
 * then PGlite opens the folder as an existing database. (PGlite's own loadDataDir writes the same files one by
 * one through its emulated file system, several times slower.) One that fails to unpack or to start is wiped
 * and the folder created from scratch.
 */
async function loadTemplate(dataDir: string, template: string, logger: DatabaseLogger | undefined): Promise<{ client: PGlite; fromTemplate: boolean }> {
  try {
    unpackTar(await readFile(template), dataDir);
    const client = await PGlite.create(dataDir);
    logger?.info?.({ template, dataDir }, "embedded database created from the migrated template");
    return { client, fromTemplate: true };
  } catch (error) {
    logger?.warn?.({ err: error, template }, "loading the migrated database template failed: creating the embedded database from scratch");
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    return { client: await PGlite.create(dataDir), fromTemplate: false };
  }
}
