import { type SQL, sql } from "drizzle-orm";
import { usdStringToPico } from "../accounting/index.js";
import type { DrizzleDb } from "./database.js";
import { queryRows } from "./query-rows.js";
import type { UsageBucket } from "./usage-types.js";

/** The calls a quality or cascade group routed: asked for by one of `requestedModels`, with a decision recorded. */
export interface RoutedCallsFilter {
  requestedModels: readonly string[];
  /** The group's top tier: its calls are the "strong" ones. */
  topTier: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  keyId?: string;
}

/**
 * What a routed call was, for a savings report: answered by the top tier; answered by a cheaper
 * tier; or a cascade's cheaper answer that failed its checks and was superseded (another call's
 * `escalated_from` names it), which a top-tier-only route would never have made.
 */
export type RoutedCallRole = "top" | "lower" | "superseded";

export interface RoutedCallTotals {
  /** UTC bucket start; null without buckets. */
  bucketStart: Date | null;
  role: RoutedCallRole;
  calls: number;
  /** Calls with `escalated_from` set: one per escalation step of a cascade. */
  escalations: number;
  uncachedInputTokens: bigint;
  cachedTokens: bigint;
  cacheWriteTokens: bigint;
  completionTokens: bigint;
  reasoningTokens: bigint;
  /** Exact Σ cost_usd, in pico-USD. */
  actualPico: bigint;
}

export interface RoutingTotalsReads {
  /** Rows ordered by bucket, then role; only the (bucket, role) pairs that have calls. */
  routedCallTotals(filter: RoutedCallsFilter, bucket?: UsageBucket): Promise<RoutedCallTotals[]>;
}

const bucketUnits: Record<UsageBucket, string> = { MINUTE: "minute", HOUR: "hour", DAY: "day", WEEK: "week", MONTH: "month" };

interface Row {
  bucket_ms: number | null;
  role: RoutedCallRole;
  calls: number;
  escalations: number;
  uncached: string;
  cached: string;
  cache_write: string;
  completion: string;
  reasoning: string;
  cost_usd: string;
}

/**
 * Sums over raw calls (the decision columns are not in the rollups). The superseded test is a
 * semi-join on `escalated_from`; without an index on that column it reads the routed calls once
 * per report.
 */
export function createRoutingTotalsReads(db: DrizzleDb): RoutingTotalsReads {
  return {
    async routedCallTotals(filter, bucket) {
      if (filter.requestedModels.length === 0) return [];
      const conditions: SQL[] = [
        sql`c.routing_policy is not null`,
        sql`c.requested_model in (${sql.join(filter.requestedModels.map((name) => sql`${name}`), sql`, `)})`,
      ];
      if (filter.from !== undefined) conditions.push(sql`c.created_at >= ${filter.from.toISOString()}::timestamptz`);
      if (filter.to !== undefined) conditions.push(sql`c.created_at < ${filter.to.toISOString()}::timestamptz`);
      if (filter.keyId !== undefined) conditions.push(sql`c.key_id = ${filter.keyId}`);
      const bucketExpr = bucket === undefined ? undefined : `date_trunc('${bucketUnits[bucket]}', created_at, 'UTC')`;
      const rows = await queryRows<Row>(
        db,
        sql`
        select ${sql.raw(bucketExpr ? `(extract(epoch from ${bucketExpr}) * 1000)::float8` : "null::float8")} as bucket_ms, role,
          count(*)::float8 as calls,
          (count(*) filter (where escalated_from is not null))::float8 as escalations,
          coalesce(sum(greatest(prompt_tokens - cached_tokens - cache_write_tokens, 0)), 0)::text as uncached,
          coalesce(sum(cached_tokens), 0)::text as cached,
          coalesce(sum(cache_write_tokens), 0)::text as cache_write,
          coalesce(sum(completion_tokens), 0)::text as completion,
          coalesce(sum(least(reasoning_tokens, completion_tokens)), 0)::text as reasoning,
          coalesce(sum(cost_usd), 0)::numeric(38, 12)::text as cost_usd
        from (
          select c.*, case
            when c.routing_tier = ${filter.topTier} then 'top'
            when exists (select 1 from calls later where later.escalated_from = c.id) then 'superseded'
            else 'lower' end as role
          from calls c
          where ${sql.join(conditions, sql` and `)}
        ) as routed
        group by ${sql.raw(bucketExpr ? "1, 2" : "2")}
        order by ${sql.raw(bucketExpr ? "1, 2" : "2")}`,
      );
      return rows.map((row) => ({
        bucketStart: row.bucket_ms === null ? null : new Date(Number(row.bucket_ms)),
        role: row.role,
        calls: Number(row.calls),
        escalations: Number(row.escalations),
        uncachedInputTokens: BigInt(row.uncached),
        cachedTokens: BigInt(row.cached),
        cacheWriteTokens: BigInt(row.cache_write),
        completionTokens: BigInt(row.completion),
        reasoningTokens: BigInt(row.reasoning),
        actualPico: usdStringToPico(row.cost_usd),
      }));
    },
  };
}

/** A virtual key's report covers only its own calls: the key id is forced into the filter. */
export function scopeRoutingTotalsReads(reads: RoutingTotalsReads, keyId: string): RoutingTotalsReads {
  return { routedCallTotals: (filter, bucket) => reads.routedCallTotals({ ...filter, keyId }, bucket) };
}
