import { type SQL, sql } from "drizzle-orm";
import { INCREMENT_LEVEL } from "./build-call-rollup-rows.js";
import { type RollupSegment, planRollupSegments } from "./plan-rollup-segments.js";
import { type RollupBreakdownId, type RollupDimension, chooseBreakdown } from "./rollup-breakdowns.js";
import { selectRollupsFromCalls } from "./select-rollups-from-calls.js";
import { ROLLUP_COLUMNS } from "./upsert-call-rollups.js";
import type { UsageBucket, UsageDimension, UsageOptions, UsageFilter } from "./usage-types.js";

// Whitelists: only these fixed fragments are ever spliced into the SQL text. The column names
// are the same in `calls` and `call_rollups`, so one condition serves both.
export const dimensionColumns: Record<UsageDimension, RollupDimension | "tag"> = {
  MODEL: "model_group",
  PROVIDER: "provider",
  DEPLOYMENT: "deployment",
  STATUS: "status",
  USER: "end_user",
  ERROR_CLASS: "error_kind",
  KEY: "key_id",
  TEAM: "team_id",
  TAG: "tag",
};
const bucketUnits: Record<UsageBucket, string> = { MINUTE: "minute", HOUR: "hour", DAY: "day", WEEK: "week", MONTH: "month" };
const bucketMaxGrain: Record<UsageBucket, 1 | 60 | 1440> = { MINUTE: 1, HOUR: 60, DAY: 1440, WEEK: 1440, MONTH: 1440 };
/** The grain whose rows are already one report bucket each (their bucket_start is the bucket's start in UTC). */
const bucketGrain: Partial<Record<UsageBucket, number>> = { MINUTE: 1, HOUR: 60, DAY: 1440 };

/** The row sources of a report: one SELECT of rollup-shaped rows per segment of the range. */
export function rollupSources(options: UsageOptions): SQL[] {
  const { filter = {}, groupBy, bucket } = options;
  const byTag = groupBy.includes("TAG");
  const raw = byTag || filter.tag !== undefined || filter.requestedModels !== undefined;
  const breakdown = chooseBreakdown(neededDimensions(options));
  const maxGrain = Math.min(bucket === undefined ? 1440 : bucketMaxGrain[bucket], breakdown.maxGrain) as 1 | 60 | 1440;
  const segments: RollupSegment[] = raw ? [{ grain: 0, from: filter.from, to: filter.to }] : planRollupSegments(filter.from, filter.to, maxGrain);
  const dimensionFilter = dimensionFilterSql(filter);
  return segments.map((segment) => segmentSql(segment, dimensionFilter, byTag, breakdown.id, bucket));
}

/** `, <expr> as report_bucket`: the report bucket of rows of this grain (date_trunc only where rows are finer than the bucket, or it is a week or month). */
function reportBucketColumn(grain: number, bucket: UsageBucket | undefined): string {
  if (bucket === undefined) return "";
  return `, ${bucketGrain[bucket] === grain ? "bucket_start" : `date_trunc('${bucketUnits[bucket]}', bucket_start, 'UTC')`} as report_bucket`;
}

function dimensionFilterSql(filter: UsageFilter): SQL[] {
  const conditions: SQL[] = [];
  const equal = (column: string, value: string | undefined) => {
    if (value !== undefined) conditions.push(sql`${sql.raw(column)} = ${value}`);
  };
  equal("model_group", filter.modelGroup);
  equal("provider", filter.provider);
  equal("deployment", filter.deployment);
  equal("status", filter.status);
  equal("key_id", filter.keyId);
  equal("team_id", filter.teamId);
  equal("end_user", filter.endUser);
  if (filter.tag !== undefined) conditions.push(sql`(metadata -> 'tags') @> jsonb_build_array(${filter.tag}::text)`);
  if (filter.requestedModels !== undefined) {
    const names = filter.requestedModels.length > 0 ? sql.join(filter.requestedModels.map((name) => sql`${name}`), sql`, `) : sql`null`;
    conditions.push(sql`requested_model in (${names})`);
  }
  return conditions;
}

/** The rollup dimensions a report groups or filters on. */
function neededDimensions({ filter = {}, groupBy }: UsageOptions): Set<RollupDimension> {
  const needed = new Set<RollupDimension>();
  for (const dimension of groupBy) {
    const column = dimensionColumns[dimension];
    if (column !== "tag") needed.add(column);
  }
  const filtered: Array<[RollupDimension, unknown]> = [
    ["model_group", filter.modelGroup],
    ["provider", filter.provider],
    ["deployment", filter.deployment],
    ["status", filter.status],
    ["key_id", filter.keyId],
    ["team_id", filter.teamId],
    ["end_user", filter.endUser],
  ];
  for (const [column, value] of filtered) if (value !== undefined) needed.add(column);
  return needed;
}

function segmentSql(segment: RollupSegment, dimensionFilter: SQL[], withTag: boolean, breakdown: RollupBreakdownId, bucket: UsageBucket | undefined): SQL {
  const timeColumn = segment.grain === 0 ? "created_at" : "bucket_start";
  const conditions = [...dimensionFilter];
  if (segment.from !== undefined) conditions.push(sql`${sql.raw(timeColumn)} >= ${segment.from.toISOString()}::timestamptz`);
  if (segment.to !== undefined) conditions.push(sql`${sql.raw(timeColumn)} < ${segment.to.toISOString()}::timestamptz`);
  const where = conditions.length > 0 ? sql.join(conditions, sql` and `) : undefined;
  // Raw calls and pending increments are minute rows.
  const minuteBucket = sql.raw(reportBucketColumn(1, bucket));
  if (segment.grain === 0) {
    const rows = selectRollupsFromCalls(1, where, { withTag });
    return bucket === undefined ? rows : sql`select *${minuteBucket} from (${rows}) as raw_rows`;
  }
  const level = sql.raw(`grain = ${segment.grain} and breakdown = ${breakdown}`);
  // Increments the rollup merger has not folded in yet count too: one statement, one snapshot,
  // so each is seen exactly once, pending or merged. They are minute rows with every dimension:
  // the segment's bounds are aligned to its grain, so the minutes inside them are exactly its
  // calls, and the report groups only by dimensions the chosen breakdown keeps.
  return sql`select ${sql.raw(ROLLUP_COLUMNS + reportBucketColumn(segment.grain, bucket))} from call_rollups where ${where ? sql`${level} and ${where}` : level}
    union all
    select ${sql.raw(ROLLUP_COLUMNS)}${minuteBucket} from pending_increments${where ? sql` where ${where}` : sql``}`;
}

/**
 * The increments not merged yet, decoded once per statement (materialized) however many segments
 * read them. Every report statement starts with it.
 */
export const PENDING_INCREMENTS = sql.raw(`with pending_increments as materialized (
  select ${ROLLUP_COLUMNS}
  from call_rollup_deltas cross join lateral json_populate_recordset(null::call_rollups, call_rollup_deltas.rollup_rows) as pending
  where grain = ${INCREMENT_LEVEL[0]} and breakdown = ${INCREMENT_LEVEL[1]})`);
