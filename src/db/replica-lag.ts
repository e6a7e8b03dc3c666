import { sql } from "drizzle-orm";
import type { DrizzleDb } from "./database.js";
import { queryRows } from "./query-rows.js";

export interface ReplicaLagOptions {
  /** A measurement is reused this long (ms). Default 1 s. */
  cacheMs?: number;
  now?: () => number;
}

/**
 * How far a read replica (`database.readUrl`) is behind its primary, in seconds, measured on the
 * replica: 0 when it has replayed all the WAL it received (or is not a replica at all: a primary, or
 * a pooler in front of one); otherwise `now() - pg_last_xact_replay_timestamp()`. Null when that is
 * unknown: nothing replayed yet, or the replica did not answer. One query per `cacheMs` at most,
 * whatever the number of requests; concurrent callers share the query in flight.
 */
export function createReplicaLag(db: DrizzleDb, options: ReplicaLagOptions = {}): () => Promise<number | null> {
  const cacheMs = options.cacheMs ?? 1_000;
  const now = options.now ?? Date.now;
  let cached: { at: number; lag: Promise<number | null> } | undefined;
  const measure = async (): Promise<number | null> => {
    try {
      const rows = await queryRows<{ lag: number | string | null }>(
        db,
        sql`
        select case
          when not pg_is_in_recovery() then 0::float8
          when pg_last_wal_receive_lsn() is not null and pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0::float8
          else greatest(0, extract(epoch from now() - pg_last_xact_replay_timestamp()))::float8
        end as lag`,
      );
      const lag = rows[0]?.lag;
      return lag === null || lag === undefined ? null : Math.round(Number(lag) * 1000) / 1000;
    } catch {
      cached = undefined; // not kept: the next request asks again
      return null;
    }
  };
  return () => {
    const at = now();
    if (!cached || at - cached.at >= cacheMs) cached = { at, lag: measure() };
    return cached.lag;
  };
}
