import type { CallFilter } from "./call-filter.js";

export type UsageDimension = "MODEL" | "PROVIDER" | "DEPLOYMENT" | "STATUS" | "USER" | "ERROR_CLASS" | "KEY" | "TEAM" | "TAG";
export type UsageBucket = "MINUTE" | "HOUR" | "DAY" | "WEEK" | "MONTH";

/** Which calls a usage report covers; every field narrows. */
export interface UsageFilter extends CallFilter {
  teamId?: string;
  /** A tag in the call's `metadata.tags`; answered from raw calls. */
  tag?: string;
  /**
   * Calls whose client asked for one of these names (`requested_model`, e.g. a quality group and
   * its aliases): with groupBy MODEL, the tiers that served them. Answered from raw calls, since
   * rollups do not keep the requested name.
   */
  requestedModels?: readonly string[];
}

export interface UsageOptions {
  filter?: UsageFilter;
  groupBy: readonly UsageDimension[];
  /** Time buckets in UTC; absent means one bucket over the whole range. */
  bucket?: UsageBucket;
  /**
   * Which percentiles to compute (default: both). Merging the latency sketches is most of a
   * report's database work; a report whose reader shows no percentile leaves them out, and its
   * latency (or TTFT) percentiles are then null.
   */
  percentiles?: { latency: boolean; ttft: boolean };
}

export interface UsageRow {
  /** One value per groupBy dimension, in the same order; a missing value is "". */
  key: string[];
  /** Start of the UTC bucket, or null without bucketing (and for the totals). */
  bucketStart: Date | null;
  /** Every call, errors included. */
  requests: number;
  /** Calls with status ERROR. */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Of promptTokens, the ones written to the provider's prompt cache. */
  cacheWriteTokens: number;
  /** Exact sum of cost_usd, e.g. "12.000000150000". */
  costUsd: string;
  /** From the merged latency sketch: within SKETCH_RELATIVE_ERROR (2%) of percentile_cont (0.5 ms absolute at or below 1 ms). */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  /** Time to first token, same sketch and error; null when no call in the row has one. */
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  ttftP99Ms: number | null;
}

export interface UsageReport {
  totals: UsageRow;
  /** Ordered by bucket, then key (byte order). */
  rows: UsageRow[];
}

export interface UsageRepository {
  usage(options: UsageOptions): Promise<UsageReport>;
  /** Calls matching the filter, exactly, from the rollups (a listing's totalCount). */
  countCalls(filter?: UsageFilter): Promise<number>;
}
