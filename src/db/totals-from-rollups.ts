import { sql } from "drizzle-orm";
import type { DrizzleDb } from "./database.js";
import { usdToPico } from "./pico-to-usd.js";
import { queryRows } from "./query-rows.js";
import { PENDING_INCREMENTS, rollupSources } from "./rollup-sources.js";
import type { UsageFilter } from "./usage-types.js";

/**
 * How many calls match and what they cost: the usage report's `requests` and cost totals, read
 * from the rollups (exact, a few hundred rows for any range) instead of summing raw calls.
 */
export async function totalsFromRollups(db: DrizzleDb, filter: UsageFilter = {}): Promise<{ requests: number; costPico: bigint }> {
  const sources = rollupSources({ filter, groupBy: [] });
  if (sources.length === 0) return { requests: 0, costPico: 0n };
  const [row] = await queryRows<{ requests: number | string; cost_usd: string | null }>(
    db,
    sql`
    ${PENDING_INCREMENTS}
    select coalesce(sum(requests), 0)::float8 as requests, coalesce(sum(cost_usd), 0)::numeric(38, 12)::text as cost_usd
    from (${sql.join(sources, sql` union all `)}) as source`,
  );
  return { requests: Number(row?.requests ?? 0), costPico: usdToPico(row?.cost_usd ?? null) };
}

/** The calls matching a filter, exactly, from the rollups (a listing's totalCount). */
export async function countCallsFromRollups(db: DrizzleDb, filter: UsageFilter = {}): Promise<number> {
  return (await totalsFromRollups(db, filter)).requests;
}
