import type { SQL } from "drizzle-orm";
import type { DrizzleDb } from "./database.js";

/** Runs raw SQL and answers its rows: both drivers (node-postgres and PGlite) answer `execute` with `{ rows }`. */
export async function queryRows<T>(db: Pick<DrizzleDb, "execute">, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
