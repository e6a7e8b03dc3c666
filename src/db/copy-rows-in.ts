import { once } from "node:events";
import type { DrizzleDb } from "./database.js";

/** What the two drivers' connections offer for COPY … FROM: node-postgres takes a submittable, PGlite a blob. */
interface PgClientLike {
  query(submittable: NodeJS.WritableStream & { submit(connection: unknown): void }): unknown;
}
interface PgliteLike {
  query(statement: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

/**
 * Runs `statement FROM STDIN` (text format) with `text` as its rows, on the connection of a drizzle
 * transaction: node-postgres through pg-copy-streams, PGlite through its `/dev/blob`. Resolves false,
 * having sent nothing, when the connection is neither (the caller then inserts another way).
 * The connection is drizzle's session client; drizzle has no COPY of its own.
 */
export async function copyRowsIn(tx: DrizzleDb, statement: string, text: string): Promise<boolean> {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (isPgClient(client)) {
    const { from } = await import("pg-copy-streams");
    const stream = client.query(from(`${statement} from stdin`)) as ReturnType<typeof from>;
    const finished = once(stream, "finish");
    stream.end(text);
    await finished;
    return true;
  }
  if (isPglite(client)) {
    await client.query(`${statement} from '/dev/blob'`, [], { blob: new Blob([text]) });
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
