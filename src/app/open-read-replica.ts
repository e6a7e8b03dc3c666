import type { Logger } from "pino";
import { ConfigError } from "../config/index.js";
import { createDatabase, type Database } from "../db/index.js";
import { createReplicaLag } from "../db/replica-lag.js";
import type { CloseSteps } from "./close-steps.js";

export interface ReadReplicaOptions {
  /** `database.readUrl`. */
  readUrl?: string;
  /** An already open replica (tests), used instead of opening `readUrl`. */
  readDatabase?: Database;
  logger: Logger;
}

export interface ReadReplica {
  database: Database;
  /** Seconds behind the primary (cached briefly); null when unknown. */
  lag(): Promise<number | null>;
}

/**
 * The read replica (`database.readUrl`), or undefined without one. It is never migrated: its schema
 * comes from the primary by replication. A URL that does not answer fails the start, naming the field.
 */
export async function openReadReplica(options: ReadReplicaOptions, primary: Database, steps: CloseSteps): Promise<ReadReplica | undefined> {
  const readUrl = options.readUrl;
  if (options.readDatabase === undefined && readUrl === undefined) return undefined;
  if (primary.kind === "pglite") {
    throw new ConfigError("config", ["database.readUrl: a read replica needs a Postgres primary in database.url; the embedded database (PGlite) has no replicas"]);
  }
  let database = options.readDatabase;
  if (database === undefined) {
    try {
      database = await createDatabase({ url: readUrl!, logger: options.logger });
    } catch (error) {
      throw new ConfigError("config", [`database.readUrl: ${error instanceof Error ? error.message : String(error)}`]);
    }
    const opened = database;
    steps.add("the read replica", () => opened.close());
  }
  return { database, lag: createReplicaLag(database.db) };
}
