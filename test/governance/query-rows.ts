import type { SQL } from "drizzle-orm";
import type { DrizzleDb } from "../../src/db/index.js";

/** Runs raw SQL on either driver (PGlite and node-postgres both answer `{ rows }`). */
export async function queryRows<T>(db: DrizzleDb, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
