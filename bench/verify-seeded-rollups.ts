/**
 * Checks that a database seeded by seed-calls-in-sql.ts has rollups consistent with its calls
 * (not part of CI):
 *
 *   node --import ./test/helpers/swc-node/register.mjs bench/verify-seeded-rollups.ts --name sy_scale [--hours 4]
 *
 * - For `--hours` hours picked at random, reads the hour's calls back and rolls them up in this
 *   process with the writer's own accumulator (RollupAccumulator.addCall, the code the gateway
 *   records every call with), at every seeded level of hour grain, and compares each row, sketches
 *   included, with the stored one: the stored rows were made by SQL (selectRollupsFromCalls), so
 *   this checks one implementation against the other on the seeded data.
 * - For every seeded level, the requests summed per day equal the calls stored that day.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import type { CallRecord } from "../src/core/index.js";
import { RollupAccumulator } from "../src/db/build-call-rollup-rows.js";
import { createDatabase, queryRows } from "../src/db/index.js";
import { usdToPico } from "../src/db/pico-to-usd.js";
import { ROLLUP_DIMENSIONS } from "../src/db/rollup-breakdowns.js";
import { SEED_DAYS } from "./analytics-seed.js";
import { LOCAL_POSTGRES_URL } from "./bench-database.js";
import { START } from "./partitioned-call-log.js";
import { SEEDED_ROLLUP_LEVELS } from "./seed-calls-in-sql.js";

const HOUR_MS = 3_600_000;

interface StoredRow {
  grain: number;
  breakdown: number;
  bucket_start: string;
  requests: string;
  errors: string;
  prompt_tokens: string;
  completion_tokens: string;
  cached_tokens: string;
  cost_usd: string;
  latency_sketch: string;
  ttft_sketch: string;
  [dimension: string]: string | number | null;
}

export async function verifySeededRollups(url: string, hours: number, log: (line: string) => void): Promise<{ rowsCompared: number; mismatches: number }> {
  const database = await createDatabase({ url, poolMax: 1 });
  const { db } = database;
  const rowsOf = <T>(query: ReturnType<typeof sql>) => queryRows<T>(db, query);
  let rowsCompared = 0;
  let mismatches = 0;
  try {
    const hourLevels = SEEDED_ROLLUP_LEVELS.filter(([grain]) => grain === 60);
    // A fixed PRNG-free pick: spread over the 30 days, a different hour of the day each time.
    for (let k = 0; k < hours; k++) {
      const hour = Math.floor(((k + 0.5) * SEED_DAYS * 24) / hours) + (k % 7);
      const from = new Date(START.getTime() + hour * HOUR_MS);
      const to = new Date(from.getTime() + HOUR_MS);
      const calls = await rowsOf<Record<string, string | number | null>>(sql`
        select created_at::text as created_at, model_group, provider, deployment, key_id, team_id, end_user, status, error_kind,
          prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, cost_usd::text as cost_usd, latency_ms, ttft_ms
        from calls where created_at >= ${from.toISOString()}::timestamptz and created_at < ${to.toISOString()}::timestamptz`);
      const accumulator = new RollupAccumulator();
      for (const call of calls) {
        accumulator.addCall(
          {
            createdAt: new Date(String(call.created_at)),
            modelGroup: call.model_group,
            provider: call.provider,
            deployment: call.deployment,
            keyId: call.key_id,
            teamId: call.team_id,
            endUser: call.end_user,
            status: call.status,
            errorKind: call.error_kind,
            promptTokens: Number(call.prompt_tokens),
            completionTokens: Number(call.completion_tokens),
            cachedTokens: Number(call.cached_tokens),
            cacheWriteTokens: Number(call.cache_write_tokens),
            costPico: usdToPico(String(call.cost_usd)),
            latencyMs: Number(call.latency_ms),
            ttftMs: call.ttft_ms === null ? null : Number(call.ttft_ms),
          } as unknown as CallRecord,
          hourLevels,
        );
      }
      const expected = new Map(accumulator.rows().map((row) => [rowKey(row as unknown as StoredRow), row]));
      const stored = await rowsOf<StoredRow>(sql`
        select grain, breakdown, ${sql.raw(ROLLUP_DIMENSIONS.join(", "))}, to_char(bucket_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as bucket_start,
          requests::text as requests, errors::text as errors, prompt_tokens::text as prompt_tokens, completion_tokens::text as completion_tokens,
          cached_tokens::text as cached_tokens, cost_usd::text as cost_usd, array_to_string(latency_sketch, ',') as latency_sketch, array_to_string(ttft_sketch, ',') as ttft_sketch
        from call_rollups where grain = 60 and bucket_start = ${from.toISOString()}::timestamptz`);
      let bad = stored.length === expected.size ? 0 : Math.abs(stored.length - expected.size);
      for (const row of stored) {
        const want = expected.get(rowKey(row));
        const same =
          want !== undefined &&
          Number(row.requests) === want.requests &&
          Number(row.errors) === want.errors &&
          Number(row.prompt_tokens) === want.prompt_tokens &&
          Number(row.completion_tokens) === want.completion_tokens &&
          Number(row.cached_tokens) === want.cached_tokens &&
          usdToPico(row.cost_usd) === usdToPico(want.cost_usd) &&
          row.latency_sketch === want.latency_sketch.join(",") &&
          row.ttft_sketch === want.ttft_sketch.join(",");
        if (!same) bad += 1;
      }
      rowsCompared += stored.length;
      mismatches += bad;
      log(`  ${from.toISOString()}: ${calls.length.toLocaleString("en-US")} calls, ${stored.length} stored hour rows (levels ${hourLevels.map((l) => l.join("/")).join(", ")}), ${bad} differ from the writer's accumulator`);
    }
    const perDay = await rowsOf<{ grain: number; breakdown: number; days: number; off: number }>(sql`
      with stored as (select date_trunc('day', created_at, 'UTC') as day, count(*) as n from calls group by 1),
        rolled as (select grain, breakdown, date_trunc('day', bucket_start, 'UTC') as day, sum(requests) as n from call_rollups group by 1, 2, 3)
      select grain, breakdown, count(*)::int as days, (count(*) filter (where rolled.n is distinct from stored.n))::int as off
      from rolled full join stored using (day) group by 1, 2 order by 1, 2`);
    for (const level of perDay) {
      log(`  grain ${level.grain}, breakdown ${level.breakdown}: ${level.days} days, ${level.off} whose requests differ from the calls stored`);
      mismatches += level.off;
    }
  } finally {
    await database.close();
  }
  return { rowsCompared, mismatches };
}

function rowKey(row: StoredRow): string {
  return [row.grain, row.breakdown, row.bucket_start, ...ROLLUP_DIMENSIONS.map((dimension) => row[dimension] ?? "∅")].join("|");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { name: { type: "string" }, hours: { type: "string" } } });
  const url = new URL(process.env.DATABASE_URL || LOCAL_POSTGRES_URL);
  url.pathname = `/${values.name ?? "sy_scale"}`;
  const result = await verifySeededRollups(url.toString(), Number(values.hours ?? 4), (line) => console.log(line));
  console.log(`${result.rowsCompared} rollup rows compared, ${result.mismatches} mismatches`);
  if (result.mismatches > 0) process.exitCode = 1;
}
