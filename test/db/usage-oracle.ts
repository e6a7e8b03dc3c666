import { type SQL, sql } from "drizzle-orm";
import { expect } from "vitest";
import type { DrizzleDb, UsageOptions, UsageReport, UsageRow } from "../../src/db/index.js";
import { SKETCH_RELATIVE_ERROR, queryRows } from "../../src/db/index.js";

const columns: Record<string, string> = {
  MODEL: "model_group",
  PROVIDER: "provider",
  DEPLOYMENT: "deployment",
  STATUS: "status",
  USER: "end_user",
  ERROR_CLASS: "error_kind",
  KEY: "key_id",
  TEAM: "team_id",
};

/** The same report computed by plain SQL over raw calls (exact percentile_cont), rows in the promised order. */
export async function usageFromRawCalls(db: DrizzleDb, options: UsageOptions): Promise<UsageReport> {
  const { filter = {}, groupBy, bucket } = options;
  const conditions: SQL[] = [];
  if (filter.from) conditions.push(sql`created_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) conditions.push(sql`created_at < ${filter.to.toISOString()}::timestamptz`);
  const equal: Array<[string, string | undefined]> = [
    ["model_group", filter.modelGroup],
    ["provider", filter.provider],
    ["deployment", filter.deployment],
    ["status", filter.status],
    ["key_id", filter.keyId],
    ["team_id", filter.teamId],
    ["end_user", filter.endUser],
  ];
  for (const [column, value] of equal) if (value !== undefined) conditions.push(sql`${sql.raw(column)} = ${value}`);
  if (filter.tag !== undefined) conditions.push(sql`(metadata -> 'tags') @> jsonb_build_array(${filter.tag}::text)`);
  if (filter.requestedModels !== undefined) conditions.push(sql`requested_model = any(${sql.raw(`array[${filter.requestedModels.map((name) => `'${name.replace(/'/g, "''")}'`).join(", ")}]::text[]`)})`);
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const bucketExpr = bucket ? `date_trunc('${bucket.toLowerCase()}', created_at, 'UTC')` : undefined;
  const keys = groupBy.map((dimension) => `coalesce(${columns[dimension]!}, '')`);
  const groups = [...(bucketExpr ? [bucketExpr] : []), ...keys];
  const aggregate = (group: string[]) => sql`
    select ${sql.raw(bucketExpr && group.length > 0 ? `(extract(epoch from ${bucketExpr}) * 1000)::float8` : "null::float8")} as bucket_ms,
      ${sql.raw(keys.length > 0 && group.length > 0 ? `array[${keys.join(", ")}]` : "array[]::text[]")} as key,
      count(*)::float8 as requests, (count(*) filter (where status = 'ERROR'))::float8 as errors,
      coalesce(sum(prompt_tokens), 0)::float8 as prompt_tokens, coalesce(sum(completion_tokens), 0)::float8 as completion_tokens,
      coalesce(sum(cached_tokens), 0)::float8 as cached_tokens, coalesce(sum(cache_write_tokens), 0)::float8 as cache_write_tokens,
      coalesce(sum(cost_usd), 0)::numeric(38, 12)::text as cost_usd,
      percentile_cont(0.5) within group (order by latency_ms) as l50, percentile_cont(0.95) within group (order by latency_ms) as l95,
      percentile_cont(0.99) within group (order by latency_ms) as l99, percentile_cont(0.5) within group (order by ttft_ms) as t50,
      percentile_cont(0.95) within group (order by ttft_ms) as t95, percentile_cont(0.99) within group (order by ttft_ms) as t99
    from calls ${where}
    ${sql.raw(group.length > 0 ? `group by ${group.join(", ")} order by ${group.map((g) => (g === bucketExpr ? g : `${g} collate "C"`)).join(", ")}` : "")}`;
  type Row = {
    bucket_ms: number | null; key: string[]; requests: number; errors: number; prompt_tokens: number; completion_tokens: number;
    cached_tokens: number; cache_write_tokens: number; cost_usd: string; l50: number | null; l95: number | null; l99: number | null; t50: number | null; t95: number | null; t99: number | null;
  };
  const toRow = (row: Row): UsageRow => ({
    key: row.key,
    bucketStart: row.bucket_ms === null ? null : new Date(row.bucket_ms),
    requests: row.requests,
    errors: row.errors,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    cachedTokens: row.cached_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    costUsd: row.cost_usd,
    latencyP50Ms: row.l50, latencyP95Ms: row.l95, latencyP99Ms: row.l99,
    ttftP50Ms: row.t50, ttftP95Ms: row.t95, ttftP99Ms: row.t99,
  });
  const run = async (group: string[]) => (await queryRows<Row>(db, aggregate(group))).map(toRow);
  const [totals] = await run([]);
  return { totals: totals!, rows: groups.length > 0 ? await run(groups) : [totals!] };
}

const percentileFields = ["latencyP50Ms", "latencyP95Ms", "latencyP99Ms", "ttftP50Ms", "ttftP95Ms", "ttftP99Ms"] as const;

/** Counts, tokens and cost exactly equal; percentiles within the sketch's stated error. */
export function expectRowMatches(actual: UsageRow | undefined, exact: UsageRow | undefined, label: string): void {
  expect(actual, label).toBeDefined();
  const { latencyP50Ms: _a, latencyP95Ms: _b, latencyP99Ms: _c, ttftP50Ms: _d, ttftP95Ms: _e, ttftP99Ms: _f, ...counters } = actual!;
  const { latencyP50Ms: _g, latencyP95Ms: _h, latencyP99Ms: _i, ttftP50Ms: _j, ttftP95Ms: _k, ttftP99Ms: _l, ...exactCounters } = exact!;
  expect(counters, label).toEqual(exactCounters);
  for (const field of percentileFields) {
    const want = exact![field];
    const got = actual![field];
    if (want === null) {
      expect(got, `${label} ${field}`).toBeNull();
    } else {
      expect(got, `${label} ${field}`).not.toBeNull();
      // Stated error: relative above 1 ms, 0.5 ms absolute at or below it.
      const bound = Math.max(want * SKETCH_RELATIVE_ERROR, 0.5) + 1e-9;
      expect(Math.abs(got! - want), `${label} ${field}: ${got} vs exact ${want}`).toBeLessThanOrEqual(bound);
    }
  }
}

export function expectReportMatches(actual: UsageReport, exact: UsageReport, label: string): void {
  expectRowMatches(actual.totals, exact.totals, `${label} totals`);
  expect(actual.rows.map((row) => [row.bucketStart?.toISOString() ?? null, row.key]), label).toEqual(
    exact.rows.map((row) => [row.bucketStart?.toISOString() ?? null, row.key]),
  );
  actual.rows.forEach((row, index) => expectRowMatches(row, exact.rows[index], `${label} row ${index}`));
}
