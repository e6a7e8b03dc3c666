import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { SEED_SHAPE } from "../../bench/analytics-seed.js";
import { insertDaySql } from "../../bench/seed-calls-in-sql.js";
import { SYNTHETIC_CALL_COLUMNS, syntheticCallValues } from "../../bench/synthetic-call-rows.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { queryRows } from "../../src/db/index.js";

const DAY_MS = 86_400_000;
const START = new Date(Date.UTC(2026, 0, 1));

describe("seedCallsInSql's INSERT … SELECT", () => {
  const test = useTestDatabase();

  it("writes the calls syntheticCallValues describes for one day, draws aside, and only that day's", async () => {
    const { db } = test.database;
    const total = 3_000;
    const day = 4;
    const from = new Date(START.getTime() + day * DAY_MS).toISOString();
    const to = new Date(START.getTime() + (day + 1) * DAY_MS).toISOString();
    await db.execute(sql`create table seeded_day (like calls including defaults)`);
    // A range wider than the day: rows outside it must be left out.
    await db.execute(sql.raw(insertDaySql("seeded_day", 1, total, total, from, to)));
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`
      select id::text as id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at, requested_model, model_group,
        provider, deployment, provider_model, status, error_kind, error_message, finish_reason, streamed, prompt_tokens, completion_tokens,
        cached_tokens, reasoning_tokens, cost_usd::numeric(38, 9)::text as cost_usd, attempt_count, key_id, team_id, end_user, latency_ms, ttft_ms
      from seeded_day order by created_at`,
    );
    expect(rows).toHaveLength(total / 30);
    const context = { total, start: START, spanMs: 30 * DAY_MS, shape: SEED_SHAPE, random: () => 0.5 };
    const exact = SYNTHETIC_CALL_COLUMNS.filter((column) => !["latency_ms", "ttft_ms", "end_user", "metadata"].includes(column));
    const firstCall = day * (total / 30) + 1;
    rows.forEach((row, i) => {
      const values = syntheticCallValues(firstCall + i, context);
      for (const column of exact) {
        const expected = values[SYNTHETIC_CALL_COLUMNS.indexOf(column)];
        expect(String(row[column]), `call ${firstCall + i}, ${column}`).toBe(String(expected));
      }
      // The draws: latency e^(4 + 1.2u), TTFT e^(3 + u) when streamed, an end user for about one call in ten.
      expect(Number(row.latency_ms)).toBeGreaterThanOrEqual(Math.exp(4));
      expect(Number(row.latency_ms)).toBeLessThan(Math.exp(5.2));
      expect(row.ttft_ms === null).toBe(row.streamed === false);
    });
    const withUser = rows.filter((row) => row.end_user !== null);
    expect(withUser.length).toBeGreaterThan(0);
    expect(withUser.length).toBeLessThan(rows.length / 4);
    expect(new Set(rows.map((row) => Math.round(Number(row.latency_ms)))).size).toBeGreaterThan(rows.length / 2);
  });
});
