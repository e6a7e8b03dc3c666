import { type SQL, sql } from "drizzle-orm";
import type { CallRollupJsonRow } from "./build-call-rollup-rows.js";
import type { DrizzleDb } from "./database.js";
import { mergeSketchElementsSql } from "./sketch-codec.js";

/** Bounds one statement's JSON document (about one row per call, plus the narrow breakdowns). */
const ROWS_PER_STATEMENT = 3_000;

export const ROLLUP_COLUMNS =
  "grain, breakdown, bucket_start, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind, " +
  "requests, errors, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, cost_usd, latency_sketch, ttft_sketch";

/** In an upsert: the stored sketch plus the incoming one, counts summed per bucket index, indexes ascending. */
export const mergeSketchSql = (table: string, column: string): string =>
  mergeSketchElementsSql(`unnest(${table}.${column} || excluded.${column}) as e`);

/** What an existing rollup row becomes when the same combination arrives again. */
export const ROLLUP_CONFLICT_SQL = `on conflict on constraint call_rollups_key do update set
  requests = call_rollups.requests + excluded.requests,
  errors = call_rollups.errors + excluded.errors,
  prompt_tokens = call_rollups.prompt_tokens + excluded.prompt_tokens,
  completion_tokens = call_rollups.completion_tokens + excluded.completion_tokens,
  cached_tokens = call_rollups.cached_tokens + excluded.cached_tokens,
  cache_write_tokens = call_rollups.cache_write_tokens + excluded.cache_write_tokens,
  cost_usd = call_rollups.cost_usd + excluded.cost_usd,
  latency_sketch = ${mergeSketchSql("call_rollups", "latency_sketch")},
  ttft_sketch = ${mergeSketchSql("call_rollups", "ttft_sketch")}`;

/**
 * Adds rollup rows into `call_rollups`. The rollup merger runs it in the transaction that
 * deletes the increments it adds (merge-rollup-deltas.ts), so each is counted exactly once.
 * Rows must be sorted by key (RollupAccumulator does) so concurrent upserts cannot deadlock.
 */
export async function upsertCallRollups(db: Pick<DrizzleDb, "execute">, rows: readonly CallRollupJsonRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const statement: SQL = sql`
      insert into call_rollups (${sql.raw(ROLLUP_COLUMNS)})
      select ${sql.raw(ROLLUP_COLUMNS)} from json_populate_recordset(null::call_rollups, ${JSON.stringify(chunk)}::json)
      ${sql.raw(ROLLUP_CONFLICT_SQL)}`;
    await db.execute(statement);
  }
}
