import { sql } from "drizzle-orm";
import type { AttemptRollupJsonRow } from "./build-attempt-rollup-rows.js";
import type { DrizzleDb } from "./database.js";
import { mergeSketchSql } from "./upsert-call-rollups.js";

const ROWS_PER_STATEMENT = 3_000;

export const ATTEMPT_ROLLUP_COLUMNS = "bucket_start, deployment, model_group, provider, outcome, error_kind, attempts, hedged, latency_sketch";

/** Adds attempt rollup rows (sorted by key, so concurrent mergers lock in one order) into `attempt_rollups`. */
export async function upsertAttemptRollups(db: Pick<DrizzleDb, "execute">, rows: readonly AttemptRollupJsonRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    await db.execute(sql`
      insert into attempt_rollups (${sql.raw(ATTEMPT_ROLLUP_COLUMNS)})
      select ${sql.raw(ATTEMPT_ROLLUP_COLUMNS)} from json_populate_recordset(null::attempt_rollups, ${JSON.stringify(chunk)}::json)
      on conflict on constraint attempt_rollups_key do update set
        attempts = attempt_rollups.attempts + excluded.attempts,
        hedged = attempt_rollups.hedged + excluded.hedged,
        latency_sketch = ${sql.raw(mergeSketchSql("attempt_rollups", "latency_sketch"))}`);
  }
}
