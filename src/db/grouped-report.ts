import { DenseSketch } from "./latency-sketch.js";
import { picoToUsd, usdToPico } from "./pico-to-usd.js";
import type { UsageRow } from "./usage-types.js";

const PERCENTILES = [0.5, 0.95, 0.99];

export interface GroupResult {
  bucket_ms: number | null;
  keys: string[] | null;
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  cost_usd: string;
  latency: string | null;
  ttft: string | null;
}

/** What a report's groups add up to, percentiles aside. */
interface Sums {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  costPico: bigint;
}

/** A report's rows and its totals, from one statement. */
export interface GroupedReport {
  rows: UsageRow[];
  totals: UsageRow;
}

/**
 * The report's rows and totals from its groups. Each group's sketches are decoded into one reused
 * dense sketch, its percentiles taken, and its counts added to the totals' sketch: no sketch per
 * group is kept, so a report of a thousand groups allocates a few arrays, not a thousand maps.
 */
export function groupedReport(groups: readonly GroupResult[], keyCount: number): GroupedReport {
  const latency = new DenseSketch();
  const ttft = new DenseSketch();
  const totalLatency = new DenseSketch();
  const totalTtft = new DenseSketch();
  const totals = emptySums();
  const rows = groups.map((row) => {
    latency.reset();
    ttft.reset();
    if (row.latency) latency.addEncodedList(row.latency);
    if (row.ttft) ttft.addEncodedList(row.ttft);
    latency.addTo(totalLatency);
    ttft.addTo(totalTtft);
    const sums: Sums = {
      requests: Number(row.requests),
      errors: Number(row.errors),
      promptTokens: Number(row.prompt_tokens),
      completionTokens: Number(row.completion_tokens),
      cachedTokens: Number(row.cached_tokens),
      cacheWriteTokens: Number(row.cache_write_tokens),
      costPico: usdToPico(row.cost_usd),
    };
    addSums(totals, sums);
    return toUsageRow(sums, keyCount > 0 ? (row.keys ?? []) : [], row.bucket_ms === null ? null : new Date(Number(row.bucket_ms)), latency, ttft);
  });
  return { rows, totals: toUsageRow(totals, [], null, totalLatency, totalTtft) };
}

export function emptySums(): Sums {
  return { requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, costPico: 0n };
}

function addSums(target: Sums, source: Sums): void {
  target.requests += source.requests;
  target.errors += source.errors;
  target.promptTokens += source.promptTokens;
  target.completionTokens += source.completionTokens;
  target.cachedTokens += source.cachedTokens;
  target.cacheWriteTokens += source.cacheWriteTokens;
  target.costPico += source.costPico;
}

export function toUsageRow(sums: Sums, key: string[], bucketStart: Date | null, latency: DenseSketch, ttft: DenseSketch): UsageRow {
  const [latencyP50Ms = null, latencyP95Ms = null, latencyP99Ms = null] = latency.quantiles(PERCENTILES);
  const [ttftP50Ms = null, ttftP95Ms = null, ttftP99Ms = null] = ttft.quantiles(PERCENTILES);
  return {
    key,
    bucketStart,
    requests: sums.requests,
    errors: sums.errors,
    promptTokens: sums.promptTokens,
    completionTokens: sums.completionTokens,
    cachedTokens: sums.cachedTokens,
    cacheWriteTokens: sums.cacheWriteTokens,
    costUsd: picoToUsd(sums.costPico),
    latencyP50Ms,
    latencyP95Ms,
    latencyP99Ms,
    ttftP50Ms,
    ttftP95Ms,
    ttftP99Ms,
  };
}
