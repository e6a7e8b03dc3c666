import { type SQLWrapper, sql } from "drizzle-orm";
import { type CallFilter, callFilterToSql } from "./call-filter.js";
import type { DrizzleDb } from "./database.js";
import { calls } from "./schema/index.js";

export type UsageDimension = "MODEL" | "PROVIDER" | "DEPLOYMENT" | "STATUS" | "USER" | "ERROR_CLASS" | "KEY" | "TEAM";
export type UsageBucket = "MINUTE" | "HOUR" | "DAY" | "WEEK" | "MONTH";

export interface UsageOptions {
  filter?: CallFilter;
  groupBy: readonly UsageDimension[];
  /** Time buckets in UTC; absent means one bucket over the whole range. */
  bucket?: UsageBucket;
}

export interface UsageRow {
  /** One value per groupBy dimension, in the same order; a missing value is "". */
  key: string[];
  /** Start of the UTC bucket, or null without bucketing (and for the totals). */
  bucketStart: Date | null;
  requests: number;
  /** Calls with status ERROR. */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  /** Exact sum of cost_usd, e.g. "12.000000150000". */
  costUsd: string;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
}

export interface UsageReport {
  totals: UsageRow;
  /** Ordered by bucket, then key (byte order). */
  rows: UsageRow[];
}

export interface UsageRepository {
  usage(options: UsageOptions): Promise<UsageReport>;
}

// Whitelists: only these fixed fragments are ever spliced into the SQL text.
const dimensionColumns: Record<UsageDimension, SQLWrapper> = {
  MODEL: calls.modelGroup,
  PROVIDER: calls.provider,
  DEPLOYMENT: calls.deployment,
  STATUS: calls.status,
  USER: calls.endUser,
  ERROR_CLASS: calls.errorKind,
  KEY: calls.keyId,
  TEAM: calls.teamId,
};
const bucketUnits: Record<UsageBucket, string> = { MINUTE: "minute", HOUR: "hour", DAY: "day", WEEK: "week", MONTH: "month" };

const aggregates = {
  requests: sql<number>`count(*)`.mapWith(Number),
  errors: sql<number>`count(*) filter (where ${calls.status} = 'ERROR')`.mapWith(Number),
  promptTokens: sql<number>`coalesce(sum(${calls.promptTokens}), 0)`.mapWith(Number),
  completionTokens: sql<number>`coalesce(sum(${calls.completionTokens}), 0)`.mapWith(Number),
  costUsd: sql<string>`coalesce(sum(${calls.costUsd}), 0)::numeric(38, 12)::text`,
  latencyP50Ms: sql<number | null>`percentile_cont(0.5) within group (order by ${calls.latencyMs})`.mapWith(Number),
  latencyP95Ms: sql<number | null>`percentile_cont(0.95) within group (order by ${calls.latencyMs})`.mapWith(Number),
  latencyP99Ms: sql<number | null>`percentile_cont(0.99) within group (order by ${calls.latencyMs})`.mapWith(Number),
};

type AggregateValues = { [K in keyof typeof aggregates]: (typeof aggregates)[K]["_"]["type"] };

/** Usage reports: counts, tokens, exact cost and latency percentiles per bucket and dimension, in one statement. */
export function createUsageRepository(db: DrizzleDb): UsageRepository {
  return {
    async usage({ filter, groupBy, bucket }) {
      const where = callFilterToSql(filter);
      const bucketExpr = bucket === undefined ? undefined : sql`date_trunc(${sql.raw(`'${bucketUnits[bucket]}'`)}, ${calls.createdAt}, 'UTC')`;
      const dimensionExprs = groupBy.map((dimension) => sql`coalesce(${dimensionColumns[dimension]}, '')`);
      const groupExprs = [...(bucketExpr ? [bucketExpr] : []), ...dimensionExprs];

      if (groupExprs.length === 0) {
        const [row] = await db.select(aggregates).from(calls).where(where);
        const totals = toUsageRow([], null, row);
        return { totals, rows: [totals] };
      }

      // GROUPING SETS: the () set is the totals row, the other the breakdown; one scan, one statement.
      const [firstGroup] = groupExprs;
      const result = await db
        .select({
          isTotal: sql<number>`grouping(${firstGroup})`.mapWith(Number),
          bucketMs: bucketExpr
            ? sql<number | null>`(extract(epoch from ${bucketExpr}) * 1000)::float8`.mapWith(Number)
            : sql<number | null>`null::float8`,
          key: sql<string[] | null>`array[${sql.join(dimensionExprs.length > 0 ? dimensionExprs : [sql`''`], sql`, `)}]::text[]`,
          ...aggregates,
        })
        .from(calls)
        .where(where)
        .groupBy(sql`grouping sets ((), (${sql.join(groupExprs, sql`, `)}))`)
        .orderBy(
          sql`grouping(${firstGroup}) desc`,
          ...groupExprs.map((expr) => (expr === bucketExpr ? sql`${expr} asc` : sql`${expr} collate "C" asc`)),
        );

      let totals = toUsageRow([], null, undefined);
      const rows: UsageRow[] = [];
      for (const row of result) {
        if (row.isTotal !== 0) {
          totals = toUsageRow([], null, row);
        } else {
          const key = dimensionExprs.length > 0 ? (row.key ?? []) : [];
          rows.push(toUsageRow(key, row.bucketMs === null ? null : new Date(row.bucketMs), row));
        }
      }
      return { totals, rows };
    },
  };
}

function toUsageRow(key: string[], bucketStart: Date | null, values: AggregateValues | undefined): UsageRow {
  return {
    key,
    bucketStart,
    requests: values?.requests ?? 0,
    errors: values?.errors ?? 0,
    promptTokens: values?.promptTokens ?? 0,
    completionTokens: values?.completionTokens ?? 0,
    costUsd: values?.costUsd ?? "0.000000000000",
    latencyP50Ms: values?.latencyP50Ms ?? null,
    latencyP95Ms: values?.latencyP95Ms ?? null,
    latencyP99Ms: values?.latencyP99Ms ?? null,
  };
}

