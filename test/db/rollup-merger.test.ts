import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { createRollupMerger, createUsageRepository, type DrizzleDb, queryRows } from "../../src/db/index.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { openTestDatabaseForTest } from "../helpers/use-test-database.js";
import { makeCallRecord, seededRandom } from "./make-call-record.js";
import { expectReportMatches, usageFromRawCalls } from "./usage-oracle.js";

const count = async (db: DrizzleDb, table: "call_rollup_deltas" | "call_rollups") =>
  (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

describe("rollup merger", () => {
  it("folds every batch's increments into call_rollups in the background, and reports stay exact throughout", async () => {
    const test = await openTestDatabaseForTest();
    const { db } = test.database;
    const random = seededRandom(11);
    const usage = createUsageRepository(db);
    // Every breakdown and grain, read while increments are pending, partly merged and merged.
    const reports = [
      { groupBy: ["MODEL" as const, "KEY" as const], bucket: "MINUTE" as const },
      { groupBy: ["MODEL" as const], bucket: "DAY" as const },
      { groupBy: ["KEY" as const], bucket: "HOUR" as const, filter: { from: new Date(Date.UTC(2025, 7, 1)), to: new Date(Date.UTC(2025, 7, 2)) } },
      { groupBy: ["USER" as const, "STATUS" as const] },
    ];
    const expectExact = async (label: string) => {
      for (const options of reports) expectReportMatches(await usage.usage(options), await usageFromRawCalls(db, options), `${label}: ${JSON.stringify(options)}`);
    };
    const merger = createRollupMerger({ db, intervalMs: 5, maxDeltas: 2 });
    try {
      for (let batch = 0; batch < 6; batch++) {
        const records = Array.from({ length: 30 }, (_, i) =>
          makeCallRecord({
            createdAt: new Date(Date.UTC(2025, 7, 1, 10) + Math.floor(random() * 3 * 60_000)),
            modelGroup: i % 2 === 0 ? "fast" : "smart",
            keyId: `key-${i % 3}`,
            endUser: i % 4 === 0 ? null : `user-${i % 5}`,
            latencyMs: 3 + random() * 500,
            costPico: BigInt(1 + i) * 7_000_001n,
            cachedTokens: i % 4,
            cacheWriteTokens: i % 3 === 0 ? 0 : 5 + i,
          }),
        );
        await insertCallBatch(db, records);
        await expectExact(`after batch ${batch}`);
      }
      // The merger counts a round once its transaction has committed: wait for both.
      await vi.waitFor(
        async () => {
          expect(await count(db, "call_rollup_deltas")).toBe(0);
          expect(merger.stats().merged).toBe(6);
        },
        { timeout: 10_000, interval: 20 },
      );
      expect(await count(db, "call_rollups")).toBeGreaterThan(0);
      await expectExact("merged");
    } finally {
      await merger.close();
    }
  });

  it("keeps the increments and logs when a round fails, and close() does not throw", async () => {
    const failing = {
      transaction: async () => {
        throw new Error("connection refused");
      },
    } as unknown as DrizzleDb;
    const warn = vi.fn();
    const merger = createRollupMerger({ db: failing, intervalMs: 5, logger: { warn } });
    await vi.waitFor(() => expect(merger.stats().failedRounds).toBeGreaterThanOrEqual(2), { timeout: 5_000, interval: 10 });
    await expect(merger.mergeAll()).rejects.toThrow("connection refused");
    await merger.close();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: "connection refused" }), expect.stringContaining("rollup merge failed"));
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: "connection refused" }), expect.stringContaining("last rollup merge failed"));
  });
});
