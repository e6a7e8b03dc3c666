import { type NodePgDatabase, drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { CreateDatabaseOptions } from "./create-database.js";
import type { Database } from "./database.js";
import { findMigrationsFolder } from "./find-migrations-folder.js";
import { messageOf } from "./message-of.js";

const CONNECT_TIMEOUT_MS = 10_000;

/** A Postgres server through a node-postgres pool (createDatabase with a `url`). */
export async function openPostgres(url: string, options: CreateDatabaseOptions): Promise<Database> {
  const safeUrl = redactUrl(url);
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new Error(`Database URL must start with postgres:// or postgresql:// (got ${safeUrl})`);
  }
  let pool: pg.Pool;
  try {
    // A server that does not answer (a dropped route, not a refused port) fails the connect
    // instead of holding a request or a flush forever.
    pool = new pg.Pool({ connectionString: url, max: options.poolMax ?? 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`Invalid database URL ${safeUrl}: ${messageOf(error)}`, { cause: error });
  }
  pool.on("error", (error) => {
    options.logger?.error({ err: error }, "idle Postgres connection failed");
  });
  // pg-pool listens for errors only on idle clients. A client checked out for a transaction
  // whose socket dies emits 'error' with nobody listening, and Node kills the process
  // (issue 10: the gateway died when Postgres went away under load). The query in progress
  // already rejects with the same error, which its caller handles (the call log retries it),
  // so this listener only has to exist.
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
  });
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot connect to Postgres at ${safeUrl}: ${messageOf(error)}`, { cause: error });
  }
  const db = drizzleNodePg({ client: pool });
  db.transaction = releasingTransaction(pool);
  let closed = false;
  return {
    db,
    kind: "postgres",
    migrate: () => migrateNodePg(db, { migrationsFolder: options.migrationsFolder ?? findMigrationsFolder() }),
    ping: async () => {
      try {
        await pool.query("select 1");
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * drizzle's transaction over a pool sends BEGIN before its try/finally: when the connection dies
 * on BEGIN the client is never released, the pool loses it for good (with the pool's last client,
 * every later write waits forever) and pool.end() never returns. Here the client is checked out
 * and released by us, and drizzle runs the transaction on that one client. A transaction that
 * failed destroys its client rather than returning it: it may be the connection that broke.
 */
function releasingTransaction(pool: pg.Pool): NodePgDatabase["transaction"] {
  return async (work, config) => {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      return await drizzleNodePg({ client }).transaction(work, config);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(failure);
    }
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable URL>";
  }
}
