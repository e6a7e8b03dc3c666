import { sql } from "drizzle-orm";
import { usdStringToPico } from "../accounting/index.js";
import { type CallFilter, callFilterToSql } from "./call-filter.js";
import type { DrizzleDb } from "./database.js";
import { calls } from "./schema/index.js";

/**
 * The recorded tokens of a set of calls, summed per provider model, split the way a price applies
 * to them (per call, as computeCostPico does): re-pricing the sums equals summing re-priced calls.
 */
export interface ModelTokenTotals {
  /** The provider's model that served the calls ("" when none did, e.g. refused before routing). */
  providerModel: string;
  provider: string;
  requests: number;
  promptTokens: bigint;
  completionTokens: bigint;
  /** Σ max(prompt − cached − cache writes, 0): priced at the input rate. */
  uncachedInputTokens: bigint;
  /** Σ cached: priced at the cache-read rate (else the input rate). */
  cachedTokens: bigint;
  /** Σ cache writes: priced at the cache-write rate (else the input rate). */
  cacheWriteTokens: bigint;
  /** Σ min(reasoning, completion): priced at the reasoning rate when the model has one. */
  reasoningTokens: bigint;
  /** Exact Σ cost_usd as recorded, in pico-USD. */
  actualPico: bigint;
}

export interface TokenTotalsReads {
  tokenTotalsByModel(filter: CallFilter): Promise<ModelTokenTotals[]>;
}

const text = (expr: ReturnType<typeof sql>) => sql<string>`(${expr})::text`;

export function createTokenTotalsReads(db: DrizzleDb): TokenTotalsReads {
  return {
    async tokenTotalsByModel(filter) {
      const model = sql`coalesce(${calls.providerModel}, '')`;
      const provider = sql`coalesce(${calls.provider}, '')`;
      const rows = await db
        .select({
          providerModel: sql<string>`${model}`,
          provider: sql<string>`${provider}`,
          requests: sql<number>`count(*)`.mapWith(Number),
          promptTokens: text(sql`coalesce(sum(${calls.promptTokens}), 0)`),
          completionTokens: text(sql`coalesce(sum(${calls.completionTokens}), 0)`),
          uncachedInputTokens: text(sql`coalesce(sum(greatest(${calls.promptTokens} - ${calls.cachedTokens} - ${calls.cacheWriteTokens}, 0)), 0)`),
          cachedTokens: text(sql`coalesce(sum(${calls.cachedTokens}), 0)`),
          cacheWriteTokens: text(sql`coalesce(sum(${calls.cacheWriteTokens}), 0)`),
          reasoningTokens: text(sql`coalesce(sum(least(${calls.reasoningTokens}, ${calls.completionTokens})), 0)`),
          actualUsd: sql<string>`coalesce(sum(${calls.costUsd}), 0)::numeric(38, 12)::text`,
        })
        .from(calls)
        .where(callFilterToSql(filter))
        .groupBy(model, provider)
        .orderBy(sql`${model} collate "C"`, sql`${provider} collate "C"`);
      return rows.map((row) => ({
        providerModel: row.providerModel,
        provider: row.provider,
        requests: row.requests,
        promptTokens: BigInt(row.promptTokens),
        completionTokens: BigInt(row.completionTokens),
        uncachedInputTokens: BigInt(row.uncachedInputTokens),
        cachedTokens: BigInt(row.cachedTokens),
        cacheWriteTokens: BigInt(row.cacheWriteTokens),
        reasoningTokens: BigInt(row.reasoningTokens),
        actualPico: usdStringToPico(row.actualUsd),
      }));
    },
  };
}

/** A virtual key re-prices only its own calls: the key id is forced into the SQL filter. */
export function scopeTokenTotalsReads(reads: TokenTotalsReads, keyId: string): TokenTotalsReads {
  return { tokenTotalsByModel: (filter) => reads.tokenTotalsByModel({ ...filter, keyId }) };
}
