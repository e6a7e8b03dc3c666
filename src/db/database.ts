import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** The drizzle handle both drivers (PGlite and node-postgres) satisfy; repositories take this. */
export type DrizzleDb = PgDatabase<PgQueryResultHKT>;

export type DatabaseKind = "pglite" | "postgres";

/** An open database: embedded PGlite or a real Postgres server, same schema and queries. */
export interface Database {
  db: DrizzleDb;
  kind: DatabaseKind;
  /** Applies the drizzle/ migrations that have not run yet; a no-op when up to date. */
  migrate(): Promise<void>;
  /** True when a trivial query succeeds; never throws. */
  ping(): Promise<boolean>;
  /** PGlite only: the data folder as a tarball, for createDatabase's loadDataDir (a test run migrates once and copies). */
  dumpDataDir?(): Promise<Blob>;
  /** Releases the pool or the embedded instance; safe to call twice. */
  close(): Promise<void>;
}
