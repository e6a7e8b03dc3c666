import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { findMigrationsFolder, queryRows } from "../../src/db/index.js";
import { useTestDatabase } from "../helpers/use-test-database.js";

describe("migrations", () => {
  const test = useTestDatabase();

  const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(test.database.db, query);

  it("creates the public call tables with the contract columns and indexes", async () => {
    const columns = await rows<{ table_name: string; column_name: string }>(
      sql`select table_name, column_name from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
    );
    const callColumns = columns.filter((c) => c.table_name === "calls").map((c) => c.column_name);
    for (const name of ["id", "created_at", "requested_model", "model_group", "provider", "deployment", "provider_model", "status",
      "error_kind", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd", "latency_ms", "ttft_ms", "streamed", "key_id",
      "team_id", "end_user", "metadata"]) {
      expect(callColumns).toContain(name);
    }
    expect(columns.some((c) => c.table_name === "call_attempts" && c.column_name === "attempt_index")).toBe(true);
    const indexes = await rows<{ indexname: string }>(sql`select indexname from pg_indexes where tablename = 'calls' order by indexname`);
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining(["calls_created_at_id_idx", "calls_key_id_created_at_idx", "calls_team_id_created_at_idx", "calls_model_group_created_at_idx"]),
    );
    const [cost] = await rows<{ numeric_precision: number; numeric_scale: number }>(
      sql`select numeric_precision, numeric_scale from information_schema.columns where table_name = 'calls' and column_name = 'cost_usd'`,
    );
    expect(cost).toEqual({ numeric_precision: 24, numeric_scale: 12 });
  });

  it("is a no-op the second time", async () => {
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    await test.database.migrate();
    await test.database.migrate();
    const after = await rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(after).toEqual(before);
    expect(before[0]?.n).toBeGreaterThan(0);
  });

  it("answers ping", async () => {
    expect(await test.database.ping()).toBe(true);
  });

  it("finds drizzle/ from a module under dist/src/db too", () => {
    const fromSource = findMigrationsFolder();
    const fromDist = findMigrationsFolder(new URL("../../dist/src/db/find-migrations-folder.js", import.meta.url).href);
    expect(fromDist).toBe(fromSource);
    expect(fromSource.endsWith("drizzle")).toBe(true);
  });
});
