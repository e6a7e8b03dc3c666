import { ROLLUP_LEVELS } from "../src/db/rollup-breakdowns.js";
import { sql } from "drizzle-orm";
import type { DrizzleDb } from "../src/db/index.js";
import { selectRollupsFromCalls } from "../src/db/index.js";
import { ROLLUP_COLUMNS } from "../src/db/upsert-call-rollups.js";

export const SEED_DAYS = 30;
const DAY_MS = 86_400_000;

/** Shape of the synthetic traffic (documented in the report). */
export const SEED_SHAPE = {
  modelGroups: 6,
  deploymentsPerGroup: 2,
  keys: 40,
  teams: 8,
  endUsers: 20,
  /** Share of calls that name an end user. */
  endUserShare: 0.1,
};

/**
 * Seeds `rows` calls evenly over SEED_DAYS days from `start`, server-side with
 * INSERT … SELECT generate_series (no rows cross the wire), one statement per chunk so
 * progress shows and no transaction grows huge. Returns the seconds spent.
 */
export async function seedCalls(db: DrizzleDb, rows: number, start: Date, log: (line: string) => void): Promise<number> {
  const chunk = 500_000;
  const spanMs = SEED_DAYS * DAY_MS;
  const { modelGroups, deploymentsPerGroup, keys, teams, endUsers, endUserShare } = SEED_SHAPE;
  const started = performance.now();
  for (let first = 1; first <= rows; first += chunk) {
    const last = Math.min(rows, first + chunk - 1);
    await db.execute(sql.raw(`
      insert into calls (id, created_at, requested_model, model_group, provider, deployment, provider_model, status, error_kind,
        error_message, finish_reason, streamed, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd,
        latency_ms, ttft_ms, attempt_count, key_id, team_id, end_user, metadata)
      select md5(g::text)::uuid,
        to_timestamp(${start.getTime() / 1000} + (g - 1)::float8 * ${spanMs / 1000 / rows}),
        'model-' || m, 'group-' || m, 'provider-' || (d % 4), 'deploy-' || m || '-' || d, 'model-' || m || '-v' || d,
        s, case when s = 'ERROR' then (array['rate_limit', 'timeout', 'upstream_5xx'])[1 + g % 3] end,
        case when s = 'ERROR' then 'synthetic failure' end, case when s = 'SUCCESS' then 'stop' end,
        streamed, pt, ct, pt / 10, 0,
        ((pt * 150 + ct * 600) * (1 + m))::numeric / 1000000000000 * 1000,
        exp(4 + 1.2 * r1), case when streamed then exp(3 + 1.0 * r2) end,
        1 + (g % 17 = 0)::int,
        'key-' || k, 'team-' || (k % ${teams}),
        case when r2 < ${endUserShare} then 'user-' || (g % ${endUsers}) end,
        null
      from (
        select g, (g * 7919) % ${modelGroups} as m, (g / 3) % ${deploymentsPerGroup} as d, (g * 104729) % ${keys} as k,
          case when g % 100 < 94 then 'SUCCESS' when g % 100 < 99 then 'ERROR' else 'CANCELLED' end as s,
          g % 5 <> 0 as streamed, 50 + (g * 31) % 4000 as pt, 10 + (g * 17) % 700 as ct,
          random() as r1, random() as r2
        from generate_series(${first}::bigint, ${last}::bigint) as g
      ) as synthetic`));
    log(`  seeded ${last.toLocaleString("en-US")} calls`);
  }
  return (performance.now() - started) / 1000;
}

/** One-shot rollups of the seed, a day at a time, with the same aggregation as the writer's. Returns seconds. */
export async function buildRollups(db: DrizzleDb, start: Date, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  for (const [grain, breakdown] of ROLLUP_LEVELS) {
    for (let day = 0; day < SEED_DAYS; day++) {
      const from = new Date(start.getTime() + day * DAY_MS).toISOString();
      const to = new Date(start.getTime() + (day + 1) * DAY_MS).toISOString();
      await db.execute(
        sql`insert into call_rollups (${sql.raw(ROLLUP_COLUMNS)}) ${selectRollupsFromCalls(grain, sql`created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz`, { breakdown })}`,
      );
    }
    log(`  rollups built at grain ${grain} min, breakdown ${breakdown}`);
  }
  await db.execute(sql`analyze calls`);
  await db.execute(sql`analyze call_rollups`);
  await db.execute(sql`analyze call_rollup_deltas`);
  return (performance.now() - started) / 1000;
}
