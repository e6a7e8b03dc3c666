import type { DrizzleDb } from "./database.js";
import { type CopyIn, PgCopyQuery } from "./pg-copy-query.js";

export type { CopyIn } from "./pg-copy-query.js";

/** What the two drivers' connections offer for COPY … FROM: node-postgres takes a submittable, PGlite a blob. */
interface PgClientLike {
  query(submittable: PgCopyQuery): unknown;
}
interface PgliteLike {
  query(statement: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

/**
 * Runs each `COPY … FROM STDIN` (text format) in turn with its rows, on the connection of a drizzle
 * transaction: on node-postgres all of them in one round trip (PgCopyQuery), on PGlite one query each
 * with the rows as its `/dev/blob`. Resolves false, having sent nothing, when the connection is neither
 * (the caller then inserts another way). The connection is drizzle's session client; drizzle has no COPY.
 */
export async function copyRowsIn(tx: DrizzleDb, copies: readonly CopyIn[]): Promise<boolean> {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (isPgClient(client)) {
    const query = new PgCopyQuery(copies);
    client.query(query);
    await query.done;
    return true;
  }
  if (isPglite(client)) {
    for (const copy of copies) await client.query(`${copy.statement} from '/dev/blob'`, [], { blob: new Blob([copy.text]) });
    return true;
  }
  return false;
}

/** A node-postgres Client (a pool's, checked out for the transaction): it has a protocol connection. */
function isPgClient(client: unknown): client is PgClientLike {
  return typeof client === "object" && client !== null && "connection" in client && typeof (client as { query?: unknown }).query === "function";
}

/** PGlite or one of its transactions: they have `exec` and `query`, and no protocol connection. */
function isPglite(client: unknown): client is PgliteLike {
  return typeof client === "object" && client !== null && typeof (client as { exec?: unknown }).exec === "function" && !("connection" in client);
}
