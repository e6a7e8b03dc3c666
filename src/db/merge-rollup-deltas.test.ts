import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { makeCallRecord } from "../../test/db/make-call-record.js";
import { buildAttemptRollupRows } from "./build-attempt-rollup-rows.js";
import { buildCallRollupRows } from "./build-call-rollup-rows.js";
import type { DrizzleDb } from "./database.js";
import { mergeRollupDeltas } from "./merge-rollup-deltas.js";

const dialect = new PgDialect();

describe("mergeRollupDeltas", () => {
  it("lets the event loop turn while it sums a large merge, and still upserts every sum", async () => {
    const calls = Array.from({ length: 3_000 }, (_, i) => makeCallRecord({ keyId: `key-${i}`, createdAt: new Date(Date.UTC(2025, 0, 1, 10, 0, i % 60)) }));
    const delta = { rollup_rows: JSON.stringify(buildCallRollupRows(calls)), attempt_rows: JSON.stringify(buildAttemptRollupRows(calls)) };
    const upserted: string[] = [];
    const tx = {
      execute: async (statement: SQL) => {
        const text = dialect.sqlToQuery(statement).sql;
        if (text.includes("delete from")) return { rows: [delta] };
        upserted.push(text);
        return { rows: [] };
      },
    };
    const db = { transaction: (run: (t: typeof tx) => Promise<unknown>) => run(tx) } as unknown as DrizzleDb;
    let turns = 0;
    let merging = true;
    const probe = () => {
      turns += 1;
      if (merging) setImmediate(probe);
    };
    setImmediate(probe);
    const outcome = await mergeRollupDeltas(db);
    merging = false;
    expect(turns).toBeGreaterThan(2);
    // Each of the 3,000 keys: a row in the full breakdown and in the three key breakdowns at three grains;
    // beside them the two deployment breakdowns at three grains.
    expect(outcome).toEqual({ deltas: 1, rollupRows: 3_000 * (1 + 3 * 3) + 2 * 3 });
    expect(upserted.some((text) => text.includes("insert into call_rollups"))).toBe(true);
    expect(upserted.some((text) => text.includes("insert into attempt_rollups"))).toBe(true);
  });
});
