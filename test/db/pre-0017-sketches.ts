import { sql } from "drizzle-orm";
import type { DrizzleDb } from "../../src/db/database.js";
import { SKETCH_ELEMENT_SQL } from "../../src/db/sketch-codec.js";

/**
 * Rewrites every stored sketch (rollup rows, attempt rollups, pending increments) from today's form
 * (`count * 1024 + index`) to the one code before migration 0017 wrote (`index * 2^32 + count`), so a
 * test can put a database in the state an older gateway left it in. Written here on its own, not from
 * the migration or src/db/sketch-codec.ts, so it checks them rather than repeats them.
 */
export async function rewriteSketchesToPre0017(db: DrizzleDb): Promise<void> {
  const old = (array: string) =>
    `(select coalesce(array_agg((e % 1024) * 4294967296 + e / 1024 order by e % 1024), '{}'::bigint[]) from unnest(${array}) as e)`;
  const oldJson = (json: string) => `to_jsonb(${old(`array(select x::bigint from json_array_elements_text(${json}) as x)`)})`;
  await db.execute(sql.raw(`update call_rollups set latency_sketch = ${old("latency_sketch")}, ttft_sketch = ${old("ttft_sketch")}`));
  await db.execute(sql.raw(`update attempt_rollups set latency_sketch = ${old("latency_sketch")}`));
  await db.execute(
    sql.raw(`update call_rollup_deltas set
      rollup_rows = (select coalesce(json_agg((r.value::jsonb || jsonb_build_object('latency_sketch', ${oldJson("r.value -> 'latency_sketch'")},
        'ttft_sketch', ${oldJson("r.value -> 'ttft_sketch'")}))::json order by r.n), '[]'::json) from json_array_elements(rollup_rows) with ordinality as r(value, n)),
      attempt_rows = (select coalesce(json_agg((r.value::jsonb || jsonb_build_object('latency_sketch', ${oldJson("r.value -> 'latency_sketch'")}))::json order by r.n), '[]'::json)
        from json_array_elements(attempt_rows) with ordinality as r(value, n))`),
  );
}

/**
 * The SQL code before migration 0017 generated for a sketch (what the backfill migrations 0003 and
 * 0005 hold), from today's: the same aggregation with the element `i * 2^32 + n` and no cap on the index.
 */
export function toPre0017SketchSql(text: string): string {
  return text
    .replaceAll(SKETCH_ELEMENT_SQL, "i * 4294967296 + n")
    .replace(/least\((ceil\(ln\(v\) \/ [0-9.]+::float8\)), 1023\)::bigint/g, "$1::bigint");
}
