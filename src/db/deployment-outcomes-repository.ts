import { sql } from "drizzle-orm";
import type { DrizzleDb } from "./database.js";
import { queryRows } from "./query-rows.js";
import { DenseSketch } from "./latency-sketch.js";
import { ATTEMPT_ROLLUP_COLUMNS } from "./upsert-attempt-rollups.js";

/** What the stored attempts of one deployment say about a recent window. */
export interface DeploymentOutcomes {
  deployment: string;
  attempts: number;
  succeeded: number;
  cancelled: number;
  hedged: number;
  /** Failed attempts per error kind (e.g. rate_limit, server, timeout, bad_request). */
  failedByKind: Map<string, number>;
  /** Of the successful attempts, from the merged sketch (2% relative error). */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export interface DeploymentOutcomesRepository {
  /** Attempts started at or after `since` (rounded down to its minute), per deployment; every gateway instance's, merged or not. */
  since(since: Date): Promise<Map<string, DeploymentOutcomes>>;
}

interface OutcomeRow {
  deployment: string;
  outcome: string;
  error_kind: string | null;
  attempts: number;
  hedged: number;
  latency: string | null;
}

export function createDeploymentOutcomesRepository(db: DrizzleDb): DeploymentOutcomesRepository {
  return {
    async since(since) {
      const from = new Date(Math.floor(since.getTime() / 60_000) * 60_000).toISOString();
      const rows = await queryRows<OutcomeRow>(
        db,
        sql`
        select deployment, outcome, error_kind, sum(attempts)::float8 as attempts, sum(hedged)::float8 as hedged,
          string_agg(array_to_string(latency_sketch, ','), ',') filter (where outcome = 'SUCCESS') as latency
        from (
          select ${sql.raw(ATTEMPT_ROLLUP_COLUMNS)} from attempt_rollups where bucket_start >= ${from}::timestamptz
          union all
          select ${sql.raw(ATTEMPT_ROLLUP_COLUMNS)}
          from call_rollup_deltas cross join lateral json_populate_recordset(null::attempt_rollups, call_rollup_deltas.attempt_rows) as pending
          where bucket_start >= ${from}::timestamptz
        ) as source
        group by deployment, outcome, error_kind`,
      );
      // Each deployment's latency lists (one per successful row) are decoded at the end into one reused dense sketch.
      const byDeployment = new Map<string, DeploymentOutcomes & { latencyLists: string[] }>();
      for (const row of rows) {
        let entry = byDeployment.get(row.deployment);
        if (!entry) {
          entry = { deployment: row.deployment, attempts: 0, succeeded: 0, cancelled: 0, hedged: 0, failedByKind: new Map(), latencyP50Ms: null, latencyP95Ms: null, latencyLists: [] };
          byDeployment.set(row.deployment, entry);
        }
        const attempts = Number(row.attempts);
        entry.attempts += attempts;
        entry.hedged += Number(row.hedged);
        if (row.outcome === "SUCCESS") entry.succeeded += attempts;
        else if (row.outcome === "CANCELLED") entry.cancelled += attempts;
        else {
          const kind = row.error_kind ?? "unknown";
          entry.failedByKind.set(kind, (entry.failedByKind.get(kind) ?? 0) + attempts);
        }
        if (row.latency) entry.latencyLists.push(row.latency);
      }
      const outcomes = new Map<string, DeploymentOutcomes>();
      const sketch = new DenseSketch();
      for (const { latencyLists, ...entry } of byDeployment.values()) {
        sketch.reset();
        for (const list of latencyLists) sketch.addEncodedList(list);
        const [p50 = null, p95 = null] = sketch.quantiles([0.5, 0.95]);
        outcomes.set(entry.deployment, { ...entry, latencyP50Ms: p50, latencyP95Ms: p95 });
      }
      return outcomes;
    },
  };
}
