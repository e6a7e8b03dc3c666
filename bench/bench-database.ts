import { join } from "node:path";
import pg from "pg";
import { createScratchDatabase } from "../src/db/testing/scratch-database.js";

export const LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  kind: "postgres" | "pglite";
  /** What to print, without credentials. */
  label: string;
  /** The server the scratch database lives on (postgres only). */
  serverUrl?: string;
  /** The scratch database's own URL (postgres only). */
  url?: string;
  /** PGlite's data folder (pglite only). */
  dataDir?: string;
  /** Drops the scratch database; a no-op for PGlite (its folder goes with the temp folder). */
  drop(): Promise<void>;
}

export interface OpenBenchDatabaseOptions {
  /** DATABASE_URL when set: that server is used, or the bench fails. */
  databaseUrl?: string;
  tempDir: string;
}

/** A fresh database for one bench run: DATABASE_URL's server, else the local server, else embedded PGlite. */
export async function openBenchDatabase({ databaseUrl, tempDir }: OpenBenchDatabaseOptions): Promise<BenchDatabase> {
  if (databaseUrl !== undefined) return openScratchDatabase(databaseUrl, "DATABASE_URL");
  if (await isReachable(LOCAL_POSTGRES_URL)) return openScratchDatabase(LOCAL_POSTGRES_URL, "local server");
  const dataDir = join(tempDir, "pgdata");
  return { kind: "pglite", label: `embedded PGlite in ${dataDir} (no Postgres server reachable)`, dataDir, drop: async () => undefined };
}

async function openScratchDatabase(serverUrl: string, origin: string): Promise<BenchDatabase> {
  // BENCH_SCRATCH_PREFIX: when several people share one server, each keeps to databases of its own names.
  const scratch = await createScratchDatabase(serverUrl, process.env.BENCH_SCRATCH_PREFIX ?? "sy_bench_");
  return {
    kind: "postgres",
    label: `Postgres ${new URL(serverUrl).host} (${origin}), scratch database ${scratch.name}`,
    serverUrl,
    url: scratch.url,
    drop: scratch.drop,
  };
}

async function isReachable(url: string): Promise<boolean> {
  try {
    await withClient(url, (client) => client.query("select 1"));
    return true;
  } catch {
    return false;
  }
}

/** Runs one statement on its own connection (create or drop a scratch database). */
export async function runAdminStatement(url: string, statement: string): Promise<void> {
  await withClient(url, (client) => client.query(statement));
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** The server's version string, for the machine context. */
export async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const result = await client.query<{ server_version: string }>("show server_version");
    return result.rows[0]?.server_version ?? "unknown";
  });
}
