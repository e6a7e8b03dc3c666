import { randomBytes } from "node:crypto";
import pg from "pg";

/** A throwaway database on a Postgres server (for tests and benches). */
export interface ScratchDatabase {
  name: string;
  /** Its own URL: the server's, with its name as the path. */
  url: string;
  /** Ends the connections still open to it and drops it; a second call does nothing. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database `<prefix><12 hex digits>` on the server at `serverUrl`, so a run never
 * writes into real data and several runs can share the server.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await onServer(serverUrl, async (client) => {
        await client.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [name]);
        await client.query(`drop database if exists ${name}`);
      });
    },
  };
}

async function onServer(serverUrl: string, use: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await use(client);
  } finally {
    await client.end();
  }
}
