import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { usdStringToPico } from "../../src/accounting/index.js";
import { mergeRollupDeltas, queryRows } from "../../src/db/index.js";
import { createGovernanceRepository } from "../../src/db/governance-repository.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import type { SpendOwner } from "../../src/governance/governance-types.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { makeCallRecord, seededRandom } from "./make-call-record.js";

// What a budget window has spent, read when a process first uses the window (after a restart).
describe("spentSince", () => {
  const test = useTestDatabase();
  beforeAll(async () => {
    const random = seededRandom(5);
    const start = Date.UTC(2026, 9, 30, 22);
    const records = Array.from({ length: 300 }, (_, i) =>
      makeCallRecord({
        // Three days around a month end, at odd seconds, so windows start mid-hour and mid-minute.
        createdAt: new Date(start + Math.floor(random() * 3 * 86_400_000)),
        keyId: `key-${i % 3}`,
        teamId: i % 3 === 2 ? null : "team-a",
        endUser: i % 4 === 0 ? "dana" : null,
        costPico: BigInt(Math.floor(random() * 5e9)) * 7n + 1n,
      }),
    );
    await insertCallBatch(test.database.db, records.slice(0, 150));
    await mergeRollupDeltas(test.database.db);
    await insertCallBatch(test.database.db, records.slice(150)); // left pending: counted all the same
  });

  const exact = async (owner: SpendOwner, since: Date): Promise<bigint> => {
    const where =
      "teamId" in owner
        ? sql`team_id = ${owner.teamId}`
        : owner.endUser === undefined
          ? sql`key_id = ${owner.keyId}`
          : sql`key_id = ${owner.keyId} and end_user = ${owner.endUser}`;
    const [row] = await queryRows<{ total: string }>(
      test.database.db,
      sql`select coalesce(sum(cost_usd), 0)::numeric(38, 12)::text as total from calls where ${where} and created_at >= ${since.toISOString()}::timestamptz`,
    );
    return usdStringToPico(row!.total);
  };

  it("equals the sum over the raw calls for keys, end users and teams, from any instant", async () => {
    const repository = createGovernanceRepository(test.database.db);
    const owners: SpendOwner[] = [{ keyId: "key-0" }, { keyId: "key-2" }, { keyId: "key-0", endUser: "dana" }, { teamId: "team-a" }, { keyId: "nobody" }];
    const sinces = [new Date(0), new Date(Date.UTC(2026, 10, 1)), new Date(Date.UTC(2026, 9, 31, 13, 27, 41, 500))];
    for (const owner of owners) {
      for (const since of sinces) {
        const spent = await repository.spentSince(owner, since);
        expect(spent, `${JSON.stringify(owner)} since ${since.toISOString()}`).toBe(await exact(owner, since));
      }
    }
    expect(await repository.spentSince({ keyId: "key-0" }, new Date(0))).toBeGreaterThan(0n);
  });
});
